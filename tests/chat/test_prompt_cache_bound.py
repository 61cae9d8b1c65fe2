"""bench/prompt_cache.py's hindsight bound: on chats small enough to try every
cut schedule, the dynamic programme finds exactly the best one, and no
policy (Kindred's chunked cuts, a sliding window) beats it."""

from __future__ import annotations

import importlib.util
import itertools
import os
import statistics
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from chat.prompting import PromptInput, Turn, build_prompt, prompt_tokens

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "prompt_cache_bench", ROOT / "bench" / "prompt_cache.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def brute_force(
    bench: ModuleType,
    pairs: list[tuple[str, str]],
    budget: int,
    pinned: int = 0,
    card: dict[str, Any] | None = None,
) -> float:
    """Try every schedule of history starts; ``pinned``: opening messages kept."""
    card = card or bench.CARD
    history = [Turn("assistant", bench.GREETING)]
    for user, reply in pairs:
        history += [Turn("user", user), Turn("assistant", reply)]
    messages = [{"role": t.role, "content": t.text} for t in history]
    options: list[list[str]] = []
    for i in range(len(pairs)):
        n = 2 + 2 * i
        prompt = build_prompt(
            PromptInput(data=card, user_name="Sam", history=history[:n], budget=budget)
        )
        system, last = prompt.messages[0], prompt.messages[-1]
        tail = [last] if last["role"] == "system" and len(prompt.messages) > 1 else []
        p = min(pinned, n - 1)
        texts = []
        for s in range(p, n):
            chosen = [system, *messages[:p], *messages[s:n], *tail]
            history_tokens = prompt_tokens(messages[:p] + messages[s:n])  # type: ignore[arg-type]
            if history_tokens <= prompt.history_room:
                assert prompt_tokens(chosen) <= budget  # type: ignore[arg-type]
                texts.append(bench.serialise(chosen))
        options.append(texts)
    best = 0.0
    for schedule in itertools.product(*options):
        shares = [
            # Characters, as the bench counts (commonprefix: character-wise).
            len(os.path.commonprefix([a, b])) / len(b)  # noqa: RUF071
            for a, b in itertools.pairwise(schedule)
        ]
        best = max(best, statistics.fmean(shares))
    return best


# A few short exchanges, some lines repeated word for word (a schedule may then
# share more than one message across a cut) and one that triggers the lore.
PAIRS = [  # six exchanges: about a second to try every schedule
    ("Aye.", "The wind howls over the cove tonight, and the gulls are hiding."),
    ("Tell me of the treasure.", "Under the lighthouse, they say, past the old rocks."),
    ("Aye.", "The wind howls over the cove tonight, and the gulls are hiding."),
    ("More stew?", "Always, friend. The pot has been on the fire since noon."),
    ("Aye.", "A storm is coming in from the sea, and it will last three days."),
    ("Good night.", "Fair winds, Sam. Mind the stairs, the third one creaks."),
]
BUDGET = 260  # the system block takes half; the history room holds a few lines


def test_the_bound_is_the_best_schedule(bench: ModuleType) -> None:
    found = bench.best_possible(pairs=PAIRS, budget=BUDGET)
    exact = brute_force(bench, PAIRS, BUDGET)
    assert found["mean_prefix_share"] == pytest.approx(exact, abs=1e-4)
    # Some schedule has to cut here, or the bound would be trivial.
    assert found["history_cuts"] > 0


def test_the_bound_without_tail_and_with_a_pinned_opening(bench: ModuleType) -> None:
    card = bench.CARD_WITHOUT_TAIL
    found = bench.best_possible(card=card, pairs=PAIRS, budget=BUDGET)
    assert found["mean_prefix_share"] == pytest.approx(
        brute_force(bench, PAIRS, BUDGET, card=card), abs=1e-4
    )
    # The greeting and the first line (28 tokens) fit 30 % of the room (98).
    pinned = bench.best_possible(pairs=PAIRS, budget=BUDGET, pinned_share=0.3)
    assert pinned["pinned_opening_tokens"] == prompt_tokens(
        [
            {"role": "assistant", "content": bench.GREETING},
            {"role": "user", "content": PAIRS[0][0]},
        ]
    )
    assert pinned["mean_prefix_share"] == pytest.approx(
        brute_force(bench, PAIRS, BUDGET, pinned=2), abs=1e-4
    )


def test_no_policy_beats_the_bound(bench: ModuleType) -> None:
    pairs = bench.script("short_lines")[:40]
    bound = bench.best_possible(pairs=pairs, budget=1024)["mean_prefix_share"]
    for share in (None, 1e-9, 0.5):
        policy = bench.run(share, "short_lines", budget=1024, pairs=pairs)
        assert policy["mean_prefix_share"] <= bound
    # Kindred's chunked cuts come close to it; a sliding window does not.
    assert (
        bench.run(None, "short_lines", budget=1024, pairs=pairs)["mean_prefix_share"]
        > bound - 0.05
    )
    assert (
        bench.run(1e-9, "short_lines", budget=1024, pairs=pairs)["mean_prefix_share"]
        < bound - 0.2
    )


def test_a_floor_for_recent_messages_only_lowers_the_bound(bench: ModuleType) -> None:
    pairs = bench.script("roleplay")[:40]
    free = bench.best_possible(pairs=pairs, budget=1024, pinned_share=0.4)
    floored = bench.best_possible(
        pairs=pairs, budget=1024, pinned_share=0.4, recent_share=0.25
    )
    assert floored["mean_prefix_share"] < free["mean_prefix_share"]
    assert floored["mean_recent_history_tokens"] > free["mean_recent_history_tokens"]
