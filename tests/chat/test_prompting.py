"""Prompt assembly: card-correct order, macros, lorebook, budget and truncation."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chat.prompting import (
    HistoryCut,
    PromptInput,
    Turn,
    build_prompt,
    estimate_tokens,
    fill_macros,
    prompt_from_cut,
)


def card(**fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Mira",
        "nickname": "",
        "description": "{{char}} runs an inn. <USER> is a guest.",
        "personality": "gruff",
        "scenario": "A stormy night.",
        "mes_example": "<START>\n{{user}}: hi\n{{char}}: ahoy\n<START>\n{{user}}: bye\n{{char}}: fair winds",
        "system_prompt": "",
        "post_history_instructions": "Stay in character as {{char}}.",
    }
    data.update(fields)
    return data


def test_order_and_macros() -> None:
    prompt = build_prompt(
        PromptInput(
            data=card(),
            user_name="Ann",
            persona_description="{{user}} is a sailor.",
            style="humorous",
            history=[Turn("assistant", "Welcome!"), Turn("user", "Hello")],
        )
    )
    system, greeting, user, tail = prompt.messages
    content = system["content"]
    assert content.index("You are Mira") < content.index(
        "Mira runs an inn. Ann is a guest."
    )
    assert content.index("Mira runs an inn") < content.index("personality: gruff")
    assert "About Ann: Ann is a sailor." in content
    assert "humorous style" in content
    assert "<START>\nAnn: hi\nMira: ahoy" in content and "Mira: fair winds" in content
    assert (greeting["role"], user["role"]) == ("assistant", "user")
    assert tail == {"role": "system", "content": "Stay in character as Mira."}


def test_card_system_prompt_replaces_the_default_and_nickname_is_char() -> None:
    prompt = build_prompt(
        PromptInput(
            data=card(system_prompt="Narrate as {{CHAR}}.", nickname="Captain"),
            user_name="Ann",
            history=[Turn("user", "x")],
        )
    )
    assert "Narrate as Captain." in prompt.messages[0]["content"]
    assert "You are" not in prompt.messages[0]["content"]


def test_original_stands_for_kindreds_own_text() -> None:
    """{{original}}: the default system prompt in a card's system prompt, and
    nothing in its post-history instructions (Kindred has none of its own)."""
    prompt = build_prompt(
        PromptInput(
            data=card(
                system_prompt="{{original}} Also: {{char}} never lies.",
                post_history_instructions="Keep it short. {{ Original }}",
            ),
            user_name="Ann",
            history=[Turn("user", "x")],
        )
    )
    system, *_, tail = prompt.messages
    assert "You are Mira, in a fictional role-play chat with Ann." in system["content"]
    assert "Also: Mira never lies." in system["content"]
    assert tail == {"role": "system", "content": "Keep it short."}
    assert "original" not in str(prompt.messages).lower()
    only = build_prompt(
        PromptInput(
            data=card(
                system_prompt="{{original}}", post_history_instructions="{{original}}"
            ),
            user_name="Ann",
            history=[Turn("user", "x")],
        )
    )
    assert only.messages[0]["content"].count("You are Mira") == 1
    assert only.messages[-1]["role"] == "user"  # no empty tail


def test_macros_are_case_insensitive_and_legacy() -> None:
    assert (
        fill_macros("{{Char}} <BOT> {{ user }} <USER>", char="C", user="U") == "C C U U"
    )


def book(entries: list[dict[str, Any]], **kw: Any) -> dict[str, Any]:
    return {"entries": entries, "extensions": {}, **kw}


def entry(keys: list[str], content: str, **kw: Any) -> dict[str, Any]:
    return {
        "keys": keys,
        "content": content,
        "enabled": True,
        "insertion_order": 0,
        "extensions": {},
        **kw,
    }


def test_lorebook_triggers_constant_regex_order_and_budget() -> None:
    data = card(
        character_book=book(
            [
                entry(["dragon"], "LORE-DRAGON", insertion_order=5),
                entry(["castle"], "LORE-CASTLE", insertion_order=1),
                entry([], "LORE-CONSTANT", constant=True),
                entry([r"/gh?ost/i"], "LORE-REGEX", use_regex=True),
                entry(["Sword"], "LORE-CASE", case_sensitive=True),
                entry(["dragon"], "LORE-DISABLED", enabled=False),
                entry(["old"], "LORE-OLD"),
                entry(["dragon"], "@@depth 2\nLORE-DECORATED"),
            ],
            scan_depth=2,
        )
    )
    history = [
        Turn("user", "an old tale"),
        Turn("assistant", "hm"),
        Turn("user", "A dragon at the castle, a GOST, a sword"),
    ]
    prompt = build_prompt(PromptInput(data=data, user_name="Ann", history=history))
    assert "LORE-CONSTANT" in prompt.messages[0]["content"]
    tail = prompt.messages[-1]["content"]
    assert tail.index("LORE-CASTLE") < tail.index("LORE-DRAGON")  # insertion order
    assert "LORE-REGEX" in tail and "LORE-DECORATED" in tail and "@@depth" not in tail
    assert "LORE-CASE" not in tail  # "sword" ≠ "Sword"
    assert "LORE-DISABLED" not in tail
    assert "LORE-OLD" not in tail  # outside scan_depth


def test_lorebook_token_budget_drops_lowest_priority_first() -> None:
    big = "x" * 300  # 100 tokens
    data = card(
        character_book=book(
            [entry(["k"], big + "A", priority=1), entry(["k"], big + "B", priority=9)],
            token_budget=150,
        )
    )
    prompt = build_prompt(
        PromptInput(data=data, user_name="U", history=[Turn("user", "k")])
    )
    assert prompt.lore_triggered == [big + "B"]


def test_tail_room_fits_every_keyed_entry_with_macros_filled_in() -> None:
    """The room kept after the history is what the card's keyed entries (with
    ``{{char}}``/``{{user}}`` filled in, which can make them longer) and the
    post-history instructions need: with the history full, every triggered
    entry still fits."""
    entries = [
        entry([f"key{i}"], "{{user}} and {{char}} " * 3 + f"LORE-{i}") for i in range(3)
    ]
    data = card(character_book=book(entries))
    history = [
        Turn("user" if i % 2 else "assistant", f"turn {i} " * 30) for i in range(300)
    ]
    history.append(Turn("user", "key0 key1 key2"))
    for budget in (2048, 4096, 8192):
        prompt = build_prompt(
            PromptInput(
                data=data, user_name="Annabel-Lee Montgomery", history=history,
                budget=budget,
            )
        )  # fmt: skip
        tail = prompt.messages[-1]["content"]
        assert all(f"LORE-{i}" in tail for i in range(3)), budget
        assert "Stay in character as Mira." in tail
        assert prompt.tokens <= budget


def test_history_is_cut_in_chunks_so_the_prefix_is_stable() -> None:
    history: list[Turn] = []
    starts = []
    for i in range(200):
        history.append(
            Turn("user" if i % 2 else "assistant", f"message number {i} " * 8)
        )
        prompt = build_prompt(
            PromptInput(data=card(), user_name="U", history=list(history), budget=2000)
        )
        starts.append(prompt.history_start)
    moves = sum(1 for a, b in itertools.pairwise(starts) if a != b)
    assert starts == sorted(starts)  # the cut only moves forward
    assert 0 < moves < 20  # and rarely (a one-turn window would move ~170 times)


class Chat:
    """A growing history read through ``prompt_from_cut`` the way
    ``chat.generation.prompt_for`` reads a conversation (positions are
    indices here, seqs there), recording what each prompt read."""

    def __init__(self, budget: int = 2000) -> None:
        self.history: list[Turn] = []
        self.cut = HistoryCut()
        self.budget = budget
        self.reads: list[int] = []  # turns read for each prompt

    def read(self, first: int) -> tuple[list[Turn], list[int]]:
        self.reads[-1] += len(self.history) - first
        return self.history[first:], list(range(first, len(self.history)))

    def prompt(self, text: str) -> list[str]:
        self.history.append(
            Turn("user" if len(self.history) % 2 else "assistant", text)
        )
        self.reads.append(0)
        prompt, _, self.cut = prompt_from_cut(
            self.cut,
            self.read,
            lambda turns: PromptInput(
                data=card(), user_name="U", history=turns, budget=self.budget
            ),
        )
        assert prompt.tokens <= self.budget
        return [m["content"] for m in prompt.messages[1:-1]]  # the history


def test_prompts_read_only_the_history_from_the_kept_cut() -> None:
    """Building a prompt costs what it can hold, not the chat's length: the
    history is read from the conversation's kept cut on, and the cut moves
    forward a chunk at a time."""
    chat = Chat()
    firsts = []
    for i in range(600):
        shown = chat.prompt(f"message number {i} " * 8)
        assert shown[-1] == chat.history[-1].text  # the newest is in
        firsts.append(chat.cut.first)
    assert firsts == sorted(firsts) and 0 < len(set(firsts)) < 60
    assert chat.cut.first > 500
    # The whole chat is read until the first cut; after it, at most a room's
    # worth (~40 turns of this size) plus the chunk waiting to be dropped.
    assert max(chat.reads[100:]) < 80


def test_a_kept_cut_is_read_again_from_the_start_when_the_room_grew() -> None:
    """A bigger plan (or a shorter persona) leaves room for older turns: the
    history is read from the start again instead of staying short."""
    chat = Chat(budget=1000)
    for i in range(200):
        before = chat.prompt(f"message number {i} " * 8)
    small = chat.cut
    chat.budget = 4000
    shown = chat.prompt("and now a bigger plan")
    assert chat.reads[-1] == len(chat.history) * 2 - small.first  # read twice
    assert chat.cut.first < small.first and chat.cut.room > small.room
    assert len(shown) > 2 * len(before)
    again = chat.reads[-1]
    chat.prompt("one more")
    assert chat.reads[-1] < again  # from the new cut


turns = st.lists(
    st.builds(
        Turn,
        st.sampled_from(["user", "assistant"]),
        st.text(min_size=1, max_size=3000),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    history=turns,
    budget=st.integers(min_value=64, max_value=8192),
    description=st.text(max_size=20000),
    examples=st.text(max_size=8000),
    post=st.text(max_size=3000),
    lore=st.lists(st.text(min_size=1, max_size=2000), max_size=5),
)
def test_budget_is_never_exceeded_and_the_newest_message_is_included(
    history: list[Turn],
    budget: int,
    description: str,
    examples: str,
    post: str,
    lore: list[str],
) -> None:
    data = card(
        description=description,
        mes_example=examples,
        post_history_instructions=post,
        character_book=book(
            [entry(["a"], text, constant=i % 2 == 0) for i, text in enumerate(lore)]
        ),
    )
    prompt = build_prompt(
        PromptInput(data=data, user_name="U", history=history, budget=budget)
    )
    assert prompt.tokens <= budget
    assert (
        sum(estimate_tokens(m["content"]) + 4 for m in prompt.messages) == prompt.tokens
    )
    newest = history[-1].text
    history_part = [
        m for m in prompt.messages[1:] if m["role"] in ("user", "assistant")
    ]
    if history[-1].role in ("user", "assistant"):
        last = history_part[-1]["content"]
        # Whole, or (when it alone is larger than the room) its end.
        assert last and newest.endswith(last)


def test_chinese_japanese_and_korean_text_counts_more_tokens_per_character() -> None:
    """About one token a character in current tokenizers (more in older
    ones): counted as a third, a Chinese chat's prompt would overflow the
    model's context several times over."""
    assert estimate_tokens("abcdef") == 2
    assert estimate_tokens("你好世界") == 6  # 1.5 each
    assert estimate_tokens("こんにちは") == 8
    assert estimate_tokens("안녕하세요") == 8
    assert estimate_tokens("Hi 你好") == 4  # 3 narrow (1) + 2 wide (3)


@given(
    history=st.lists(
        st.builds(
            Turn,
            st.sampled_from(["user", "assistant"]),
            st.text(
                alphabet="你好世界海风灯塔船长の가나 abc", min_size=1, max_size=3000
            ),
        ),
        min_size=1,
        max_size=30,
    ),
    budget=st.integers(min_value=64, max_value=4096),
)
def test_a_chinese_chat_stays_within_the_budget(
    history: list[Turn], budget: int
) -> None:
    prompt = build_prompt(
        PromptInput(data=card(), user_name="U", history=history, budget=budget)
    )
    assert prompt.tokens <= budget
    newest = history[-1].text
    last = [m for m in prompt.messages if m["role"] in ("user", "assistant")][-1]
    assert last["content"] and newest.endswith(last["content"])
