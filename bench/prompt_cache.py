"""How much of each prompt is an exact prefix of the previous turn's prompt.

LLM servers (vLLM, SGLang, llama.cpp, hosted APIs) reuse the computation for
the part of a prompt identical to an earlier request. Over a 300-turn
conversation with a 4,096-token budget, this measures the mean share of each
turn's prompt (in characters of the serialised messages) that is an exact prefix
of the previous turn's, for Kindred's chunked truncation and for a one-turn
sliding window. Target: ≥ 95 %.

Usage: python bench/prompt_cache.py   (no services needed; JSON → bench/results/)
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chat.prompting import (  # noqa: E402
    HISTORY_CHUNK_SHARE,
    HistoryCut,
    PromptInput,
    Turn,
    prompt_from_cut,
)

TURNS = 300
BUDGET = 4096
WORDS = [
    "the",
    "sea",
    "storm",
    "lantern",
    "harbour",
    "ship",
    "captain",
    "rope",
    "tide",
    "moon",
    "star",
    "map",
    "gold",
    "island",
    "wind",
    "sail",
    "night",
    "inn",
    "stew",
    "fire",
    "story",
    "old",
    "friend",
    "danger",
    "treasure",
    "cove",
    "gull",
    "salt",
]

CARD: dict[str, Any] = {
    "name": "Captain Mira",
    "description": "{{char}} is a retired pirate captain who runs a harbour inn. " * 6,
    "personality": "Gruff, warm, loves stories, protective of {{user}}.",
    "scenario": "A stormy night at the Salted Gull inn.",
    "first_mes": "*{{char}} wipes the counter.* Welcome aboard, {{user}}!",
    "mes_example": "<START>\n{{user}}: Do you like the sea?\n{{char}}: Born on a ship, {{user}}.\n"
    * 4,
    "system_prompt": "",
    "post_history_instructions": "Stay in character as {{char}}; reply in 1-3 paragraphs.",
    "character_book": {
        "scan_depth": 2,
        "entries": [
            {
                "keys": ["treasure"],
                "content": "The treasure of the Gull lies under the lighthouse.",
                "enabled": True,
                "insertion_order": 1,
                "extensions": {},
            },
            {
                "keys": ["storm"],
                "content": "Storms here last three days.",
                "enabled": True,
                "insertion_order": 2,
                "extensions": {},
            },
            {
                "keys": [],
                "content": "The inn is called the Salted Gull.",
                "constant": True,
                "enabled": True,
                "insertion_order": 0,
                "extensions": {},
            },
        ],
        "extensions": {},
    },
}


def sentence(rng: random.Random, low: int, high: int) -> str:
    return (
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize()
        + "."
    )


def serialise(messages: list[dict[str, str]]) -> str:
    return "".join(f"<|{m['role']}|>\n{m['content']}\n" for m in messages)


def common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


# (user words low/high, reply sentences low/high): role-play replies of a few
# sentences, and short chat lines as on Character.AI.
WORKLOADS = {"roleplay": ((4, 30), (1, 3)), "short_lines": ((3, 12), (1, 1))}


# The same card without per-turn material after the history (no post-history
# instructions, no keyed lorebook entries): context for what that tail costs.
CARD_WITHOUT_TAIL: dict[str, Any] = {
    **CARD,
    "post_history_instructions": "",
    "character_book": {
        **CARD["character_book"],
        "entries": [e for e in CARD["character_book"]["entries"] if e.get("constant")],
    },
}


def run(
    chunk_share: float | None,
    workload: str = "roleplay",
    card: dict[str, Any] = CARD,
) -> dict[str, float]:
    """The mean share of each prompt that is an exact prefix of the previous
    turn's (the target's measure), and — as context — of the previous
    prompt followed by its reply, which is what an LLM server's prefix cache
    holds after generating it (vLLM, SGLang keep the generated tokens too)."""
    (user_low, user_high), (rep_low, rep_high) = WORKLOADS[workload]
    rng = random.Random(4096)
    history: list[Turn] = [
        Turn("assistant", "*Captain Mira wipes the counter.* Welcome aboard, Sam!")
    ]
    previous = ""
    cached = ""  # the previous prompt and its reply
    shares: list[float] = []
    server_shares: list[float] = []
    cuts = 0
    last_start = 0
    cut = HistoryCut()
    max_tokens = 0
    share = HISTORY_CHUNK_SHARE if chunk_share is None else chunk_share

    def read(first: int) -> tuple[list[Turn], list[int]]:
        return history[first:], list(range(first, len(history)))

    def make(turns: list[Turn]) -> PromptInput:
        return PromptInput(
            data=card, user_name="Sam", history=turns, budget=BUDGET, chunk_share=share
        )

    for _ in range(TURNS):
        history.append(Turn("user", sentence(rng, user_low, user_high)))
        # As chat.generation.prompt_for does: the history is read from the
        # conversation's kept cut on (positions: indices here, seqs there).
        prompt, _, cut = prompt_from_cut(cut, read, make)
        max_tokens = max(max_tokens, prompt.tokens)
        text = serialise(prompt.messages)  # type: ignore[arg-type]
        if previous:
            shares.append(common_prefix(previous, text) / len(text))
            server_shares.append(common_prefix(cached, text) / len(text))
        if cut.first != last_start:
            cuts += 1
            last_start = cut.first
        # The character's reply joins the history for the next turn.
        reply = " ".join(
            sentence(rng, 8, 25) for _ in range(rng.randint(rep_low, rep_high))
        )
        history.append(Turn("assistant", reply))
        previous = text
        cached = text + serialise([{"role": "assistant", "content": reply}])
    return {
        "mean_prefix_share": round(statistics.fmean(shares), 4),
        "mean_share_cached_with_reply": round(statistics.fmean(server_shares), 4),
        "median_prefix_share": round(statistics.median(shares), 4),
        "history_cuts": cuts,
        "max_prompt_tokens": max_tokens,
    }


def main() -> None:
    started = time.perf_counter()
    result: dict[str, object] = {
        "bench": "prompt_cache",
        "turns": TURNS,
        "budget_tokens": BUDGET,
        "target_mean_prefix_share": 0.95,
    }
    rows = []
    for workload in WORKLOADS:
        kindred = run(None, workload)
        sliding = run(1e-9, workload)  # every turn a cut point: one-turn sliding window
        untailed = run(None, workload, CARD_WITHOUT_TAIL)
        result[workload] = {
            "kindred_chunked": kindred,
            "one_turn_sliding_window": sliding,
            "kindred_card_without_per_turn_tail": untailed,
            "meets_target": kindred["mean_prefix_share"] >= 0.95,
        }
        rows.append((f"{workload}: Kindred (chunked)", kindred))
        rows.append((f"{workload}: 1-turn sliding window", sliding))
        rows.append((f"{workload}: Kindred, card without tail", untailed))
    result["seconds"] = round(time.perf_counter() - started, 2)
    out = ROOT / "bench" / "results" / "prompt_cache.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"{'':40}{'prefix share':>13}{'+ reply':>9}{'cuts':>6}{'max tokens':>12}")
    for name, r in rows:
        print(
            f"{name:40}{r['mean_prefix_share']:>13.1%}"
            f"{r['mean_share_cached_with_reply']:>9.1%}"
            f"{r['history_cuts']:>6}{r['max_prompt_tokens']:>12}"
        )
    print(f"saved {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
