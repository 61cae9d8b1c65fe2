"""How much of each prompt is an exact prefix of the previous turn's prompt.

LLM servers (vLLM, SGLang, llama.cpp, hosted APIs) reuse the computation for
the part of a prompt identical to an earlier request. Over a 300-turn
conversation with a 4,096-token budget, this measures the mean share of each
turn's prompt (in characters of the serialised messages) that is an exact prefix
of the previous turn's, for Kindred's chunked truncation and for a one-turn
sliding window. Target: ≥ 95 %.

Beside them, the best any cut schedule could do on the same conversation,
knowing all of it in advance (``best_possible``, by dynamic programming over
where each turn's history starts): for the assembly the issue asks for (the
system block, a contiguous run of the newest messages, the per-turn tail) and
for variants that also keep the story's opening pinned in front of that run.
It bounds what any truncation policy can reach, not only this one.

Usage: python bench/prompt_cache.py   (no services needed; JSON → bench/results/)
"""

from __future__ import annotations

import itertools
import json
import random
import statistics
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chat.prompting import (  # noqa: E402
    HISTORY_CHUNK_SHARE,
    HistoryCut,
    PromptInput,
    Turn,
    build_prompt,
    message_tokens,
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


def serialise(messages: Sequence[Mapping[str, object]]) -> str:
    return "".join(f"<|{m['role']}|>\n{m['content']}\n" for m in messages)


def common_prefix(a: str, b: str) -> int:
    """Length of the longest common prefix: galloping, then bisecting, on
    slice comparisons (C speed; the DP below asks for many)."""
    n = min(len(a), len(b))
    lo, hi = 0, 16  # a[:lo] == b[:lo]; the answer is at most hi
    while hi < n and a[:hi] == b[:hi]:
        lo, hi = hi, hi * 2
    hi = min(hi, n)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


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


GREETING = "*Captain Mira wipes the counter.* Welcome aboard, Sam!"


def script(workload: str) -> list[tuple[str, str]]:
    """The conversation's (user message, reply) pairs, the same on every run."""
    (user_low, user_high), (rep_low, rep_high) = WORKLOADS[workload]
    rng = random.Random(4096)
    pairs = []
    for _ in range(TURNS):
        user = sentence(rng, user_low, user_high)
        reply = " ".join(
            sentence(rng, 8, 25) for _ in range(rng.randint(rep_low, rep_high))
        )
        pairs.append((user, reply))
    return pairs


def run(
    chunk_share: float | None,
    workload: str = "roleplay",
    card: dict[str, Any] = CARD,
    budget: int = BUDGET,
    pairs: list[tuple[str, str]] | None = None,
) -> dict[str, float]:
    """The mean share of each prompt that is an exact prefix of the previous
    turn's (the target's measure), and — as context — of the previous
    prompt followed by its reply, which is what an LLM server's prefix cache
    holds after generating it (vLLM, SGLang keep the generated tokens too)."""
    history: list[Turn] = [Turn("assistant", GREETING)]
    previous = ""
    cached = ""  # the previous prompt and its reply
    shares: list[float] = []
    server_shares: list[float] = []
    kept: list[int] = []
    cuts = 0
    last_start = 0
    cut = HistoryCut()
    max_tokens = 0
    share = HISTORY_CHUNK_SHARE if chunk_share is None else chunk_share

    def read(first: int) -> tuple[list[Turn], list[int]]:
        return history[first:], list(range(first, len(history)))

    def make(turns: list[Turn]) -> PromptInput:
        return PromptInput(
            data=card, user_name="Sam", history=turns, budget=budget, chunk_share=share
        )

    for user, reply in script(workload) if pairs is None else pairs:
        history.append(Turn("user", user))
        # As chat.generation.prompt_for does: the history is read from the
        # conversation's kept cut on (positions: indices here, seqs there).
        prompt, _, cut = prompt_from_cut(cut, read, make)
        max_tokens = max(max_tokens, prompt.tokens)
        kept.append(history_tokens(history[cut.first :]))
        text = serialise(prompt.messages)
        if previous:
            shares.append(common_prefix(previous, text) / len(text))
            server_shares.append(common_prefix(cached, text) / len(text))
        if cut.first != last_start:
            cuts += 1
            last_start = cut.first
        # The character's reply joins the history for the next turn.
        history.append(Turn("assistant", reply))
        previous = text
        cached = text + serialise([{"role": "assistant", "content": reply}])
    return {
        "mean_prefix_share": round(statistics.fmean(shares), 4),
        "mean_share_cached_with_reply": round(statistics.fmean(server_shares), 4),
        "median_prefix_share": round(statistics.median(shares), 4),
        "history_cuts": cuts,
        "max_prompt_tokens": max_tokens,
        "mean_history_tokens": round(statistics.fmean(kept)),
    }


def history_tokens(turns: list[Turn]) -> int:
    return sum(message_tokens({"role": t.role, "content": t.text}) for t in turns)


def _shared(old_head: str, old_body: str, head: str, body: str) -> int:
    """Characters two prompts (head + body) share from the start."""
    if old_head == head:
        return len(head) + common_prefix(old_body, body)
    # The pinned opening was still growing: compare whole prompts.
    return common_prefix(old_head + old_body, head + body)


def best_possible(
    workload: str = "roleplay",
    card: dict[str, Any] = CARD,
    pinned_share: float = 0.0,
    recent_share: float = 0.0,
    budget: int = BUDGET,
    pairs: list[tuple[str, str]] | None = None,
) -> dict[str, float]:
    """The highest mean prefix share any choice of history starts reaches on
    this conversation, knowing all of it in advance.

    Each turn's prompt is what ``build_prompt`` assembles — its system block,
    its per-turn tail and its history room — around the history from some
    start ``s`` to the newest message, where ``s`` is any start whose messages
    fit the room; with ``pinned_share``, the opening messages that fit that
    share of the room are kept in front as well and ``s`` runs after them.
    Dynamic programming over (turn, start): staying on the previous start
    shares everything up to the previous tail; any other start shares the
    system block (and the pinned opening) plus whatever characters happen to
    match. Exact for these prompts, so it bounds every truncation policy of
    this shape from above."""
    pairs = script(workload) if pairs is None else pairs
    history: list[Turn] = [Turn("assistant", GREETING)]
    for user, reply in pairs:
        history += [Turn("user", user), Turn("assistant", reply)]
    texts = [serialise([{"role": t.role, "content": t.text}]) for t in history]
    sizes = [message_tokens({"role": t.role, "content": t.text}) for t in history]
    # Per turn: the newest message's index + 1, the system block, the tail.
    turns: list[tuple[int, str, str, int]] = []
    for i in range(len(pairs)):
        n = 2 + 2 * i  # greeting, then (user, reply) pairs; the user is newest
        prompt = build_prompt(
            PromptInput(data=card, user_name="Sam", history=history[:n], budget=budget)
        )
        first, last = prompt.messages[0], prompt.messages[-1]
        tail = (
            serialise([last])
            if last["role"] == "system" and len(prompt.messages) > 1
            else ""
        )
        turns.append((n, serialise([first]), tail, prompt.history_room))
    room = turns[0][3]
    pin = 0
    used = 0
    while pin < len(history) and used + sizes[pin] <= pinned_share * room:
        used += sizes[pin]
        pin += 1
    starts = [0] * (len(history) + 1)  # starts[k]: characters before message k
    tokens = [0] * (len(history) + 1)
    for k, (text, size) in enumerate(zip(texts, sizes, strict=True)):
        starts[k + 1] = starts[k] + len(text)
        tokens[k + 1] = tokens[k] + size

    def body(s: int, n: int, tail: str) -> str:
        return "".join(texts[s:n]) + tail

    # Messages never contain the "<|" that starts one, so two prompts whose
    # history starts at different messages share at most the head and the
    # first message plus a character, unless those messages are equal texts
    # (checked one by one): a bound that lets the search skip most pairs.
    assert not any("<|" in t.text for t in history)
    longest = max(len(t) for t in texts) + 1
    same_text: dict[str, list[int]] = {}
    for k, text in enumerate(texts):
        same_text.setdefault(text, []).append(k)

    best: dict[int, float] = {}
    parent: list[dict[int, int]] = []
    previous: tuple[str, dict[int, str]] | None = None
    for n, system, tail, turn_room in turns:
        assert turn_room == room
        p = min(pin, n - 1)
        head = system + "".join(texts[:p])
        # At least recent_share of the room for the newest messages, or all
        # that is left after the opening when it is less.
        least = min(recent_share * room, tokens[n] - tokens[p])
        fits = [
            s for s in range(p, n) if least <= tokens[n] - tokens[s] <= room - tokens[p]
        ]
        now: dict[int, float] = {}
        came: dict[int, int] = {}
        bodies = {s: body(s, n, tail) for s in fits}
        if previous is None:
            now = dict.fromkeys(fits, 0.0)
        else:
            old_head, old_bodies = previous

            ranked = sorted(best.items(), key=lambda kv: -kv[1])
            for s in fits:
                length = len(head) + len(bodies[s])
                value, origin = -1.0, -1
                # Staying on the previous start; then starts with the same
                # first message as s, which may share more than one message.
                twins = [k for k in same_text[texts[s]] if k in best]
                for s2 in twins:
                    v = (
                        best[s2]
                        + _shared(old_head, old_bodies[s2], head, bodies[s]) / length
                    )
                    if v > value:
                        value, origin = v, s2
                for s2, v2 in ranked:
                    if (
                        old_head == head
                        and v2 + (len(head) + longest) / length <= value
                    ):
                        break  # no start further down the ranking can do better
                    if s2 in twins:
                        continue
                    v = v2 + _shared(old_head, old_bodies[s2], head, bodies[s]) / length
                    if v > value:
                        value, origin = v, s2
                now[s] = value
                came[s] = origin
        best = now
        parent.append(came)
        previous = (head, bodies)
    # Walk back the best schedule for its cuts and the history it kept.
    s = max(best, key=best.__getitem__)
    total = best[s]
    chosen = [s]
    for came in reversed(parent[1:]):
        s = came[s]
        chosen.append(s)
    chosen.reverse()
    moved = [a != b for a, b in itertools.pairwise(chosen)]
    recent = [tokens[n] - tokens[s] for (n, *_), s in zip(turns, chosen, strict=True)]
    after_cut = [r for r, cut in zip(recent[1:], moved, strict=True) if cut]
    return {
        "mean_prefix_share": round(total / (len(turns) - 1), 4),
        "history_cuts": sum(moved),
        "pinned_opening_tokens": tokens[pin],
        "mean_recent_history_tokens": round(statistics.fmean(recent)),
        "least_recent_history_after_a_cut": min(after_cut, default=0),
    }


# Pinned openings tried for the hindsight bound, as shares of the history room.
PINNED_SHARES = (0.1, 0.2, 0.3, 0.4)
# The least share of the room a prompt that still follows the conversation keeps
# for its newest messages (about 750 tokens here: the last few exchanges).
RECENT_SHARE = 0.25


def main() -> None:
    started = time.perf_counter()
    result: dict[str, object] = {
        "bench": "prompt_cache",
        "turns": TURNS,
        "budget_tokens": BUDGET,
        "target_mean_prefix_share": 0.95,
        "recent_share_floor": RECENT_SHARE,
    }
    rows = []
    bounds = []
    for workload in WORKLOADS:
        kindred = run(None, workload)
        sliding = run(1e-9, workload)  # every turn a cut point: one-turn sliding window
        untailed = run(None, workload, CARD_WITHOUT_TAIL)
        contiguous = best_possible(workload)
        pinned = [
            best_possible(workload, pinned_share=f, recent_share=RECENT_SHARE)
            for f in PINNED_SHARES
        ]
        best_pinned = max(pinned, key=lambda r: r["mean_prefix_share"])
        unbounded = best_possible(workload, pinned_share=PINNED_SHARES[-1])
        result[workload] = {
            "kindred_chunked": kindred,
            "one_turn_sliding_window": sliding,
            "kindred_card_without_per_turn_tail": untailed,
            "best_possible_contiguous_history": contiguous,
            "best_possible_pinned_opening_and_recent_floor": best_pinned,
            "best_possible_pinned_opening_no_recent_floor": unbounded,
            "meets_target": kindred["mean_prefix_share"] >= 0.95,
        }
        rows.append((f"{workload}: Kindred (chunked)", kindred))
        rows.append((f"{workload}: 1-turn sliding window", sliding))
        rows.append((f"{workload}: Kindred, card without tail", untailed))
        bounds.append((f"{workload}: contiguous history", contiguous))
        bounds.append((f"{workload}: opening pinned, ≥ ¼ room recent", best_pinned))
        bounds.append((f"{workload}: opening pinned, no floor", unbounded))
    result["seconds"] = round(time.perf_counter() - started, 2)
    out = ROOT / "bench" / "results" / "prompt_cache.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"{'':40}{'prefix share':>13}{'+ reply':>9}{'cuts':>6}"
        f"{'max tokens':>12}{'history':>9}"
    )
    for name, r in rows:
        print(
            f"{name:40}{r['mean_prefix_share']:>13.1%}"
            f"{r['mean_share_cached_with_reply']:>9.1%}"
            f"{r['history_cuts']:>6}{r['max_prompt_tokens']:>12}"
            f"{r['mean_history_tokens']:>9}"
        )
    print("\nBest possible in hindsight (any cut schedule, the whole chat known):")
    print(f"{'':44}{'prefix share':>13}{'cuts':>6}{'pinned':>8}{'recent':>8}")
    for name, r in bounds:
        print(
            f"{name:44}{r['mean_prefix_share']:>13.1%}{r['history_cuts']:>6}"
            f"{r['pinned_opening_tokens']:>8}{r['mean_recent_history_tokens']:>8}"
        )
    print(f"saved {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
