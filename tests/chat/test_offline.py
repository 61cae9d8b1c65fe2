"""The offline engine: deterministic, in character, streamed word by word."""

from __future__ import annotations

from chat.llm import Delta, Finish, OfflineContext
from chat.llm.offline import OfflineProvider, compose_reply

CTX = OfflineContext(
    char_name="Mira",
    user_name="Ann",
    greeting="Welcome aboard, Ann!",
    description="Mira is a retired pirate. She has a parrot named Bolt.",
    personality="Gruff and warm.",
    examples=[
        "Ann: Do you like the sea?\nMira: Born on a ship, Ann.",
        "Ann: What do you eat?\nMira: Grilled fish with lemon.",
    ],
)


def ctx(**kw: object) -> OfflineContext:
    return OfflineContext(**{**CTX.__dict__, **kw})


def test_answers_with_the_best_matching_example_line() -> None:
    assert (
        compose_reply(ctx(user_text="Do you like the sea?")) == "Born on a ship, Ann."
    )
    assert compose_reply(ctx(user_text="What food do you eat?")).endswith(
        "Grilled fish with lemon."
    )


def test_a_message_no_example_is_about_gets_a_line_from_the_card() -> None:
    """Not an arbitrary example line (a goodbye answered a question about
    the weather): the card's own description and personality."""
    examples = [
        "Ann: Do you like the sea?\nMira: Born on a ship, Ann.",
        "Ann: Bye!\nMira: Fair winds, see you later!",
    ]
    card_lines = (
        "I am a retired pirate.",
        "I have a parrot named Bolt.",
        "gruff and warm",
    )
    for v in range(4):
        reply = compose_reply(
            ctx(examples=examples, user_text="Storm tonight?", variant=v)
        )
        assert "see you later" not in reply and "Born on a ship" not in reply
        assert any(line in reply for line in card_lines), reply
    # A message an example is about still gets that example's line.
    assert (
        compose_reply(ctx(examples=examples, user_text="Do you like the sea?"))
        == "Born on a ship, Ann."
    )


def test_is_deterministic_and_swipes_differ() -> None:
    a = compose_reply(ctx(user_text="Do you like the sea?"))
    assert a == compose_reply(ctx(user_text="Do you like the sea?"))
    assert a != compose_reply(ctx(user_text="Do you like the sea?", variant=1))


def test_without_examples_speaks_from_the_card_in_first_person() -> None:
    replies = {
        compose_reply(ctx(examples=[], user_text="parrot?", variant=v))
        for v in range(4)
    }
    assert any("I have a parrot named Bolt." in r for r in replies)
    assert any("I am a retired pirate." in r for r in replies)


def test_streams_word_by_word() -> None:
    items = list(
        OfflineProvider().stream(
            [{"role": "user", "content": "x"}],
            offline=ctx(user_text="Do you like the sea?"),
        )
    )
    deltas = [i.text for i in items if isinstance(i, Delta)]
    assert deltas == ["Born ", "on ", "a ", "ship, ", "Ann."]
    assert isinstance(items[-1], Finish) and items[-1].finish_reason == "stop"
