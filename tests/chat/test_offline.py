"""The offline engine: deterministic, in character, streamed word by word."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from chat.llm import Delta, Finish, OfflineContext
from chat.llm.offline import OfflineProvider, _first_person, _pronoun, compose_reply

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


VEX = ctx(
    char_name="Vex",
    user_name="Sam",
    greeting=(
        "*The crate lid hisses open. A small drone rises, its optic focusing on"
        " you.* Boot sequence complete. Hello, partner. I am VX-7, tactical scout"
        " unit. *It orbits your head once.* Please don't... step on the tripwire."
    ),
    description="Vex is a scout drone. It keeps a file on its partner.",
    personality="Dry and loyal.",
    examples=[
        "Sam: What are you?\nVex: Scout drone VX-7, rated for vacuum.",
        "Sam: Bye!\nVex: Saving progress. *It bobs once.* Rest well.",
    ],
)


def test_a_message_of_small_words_finds_the_example_asked_alike() -> None:
    # Every word of "Who are you?" is a stop word; most of "What are you?" match.
    reply = compose_reply(replace(VEX, user_text="Hi there! Who are you?"))
    assert reply == "Hello, Sam! Scout drone VX-7, rated for vacuum."


def test_an_example_question_asked_with_an_extra_word_still_matches() -> None:
    """ "Where are we going, captain?" is the example "Where are we going?" with a
    form of address; "captain" in another example's reply must not win."""
    mirela = ctx(
        char_name="Mirela",
        examples=[
            "Ann: Who are you?\nMirela: Captain Mirela Voss, and this is my sky.",
            "Ann: Where are we going?\nMirela: Caldera's behind us, kid. North.",
            "Ann: Is it dangerous?\nMirela: Everything worth doing is.",
        ],
    )
    for text in ("Where are we going, captain?", "So where are we going now?"):
        assert compose_reply(replace(mirela, user_text=text)).endswith(
            "Caldera's behind us, kid. North."
        ), text
    # A word of the message in an example's question still counts most.
    assert compose_reply(replace(mirela, user_text="Is the storm dangerous?")).endswith(
        "Everything worth doing is."
    )


def test_replies_keep_actions_whole_and_topics_are_words() -> None:
    """The greeting's sentences are lines, but an *action* spanning two
    sentences stays whole (no stray asterisk), a contraction or "yourself" is
    no topic to echo, and the greeting is not split before a lower-case word."""
    seen = set()
    for text in (
        "What's your favourite thing to do on a rainy day?",
        "Tell me about yourself.",
        "I'm sad today.",
        "Tell me about where you live.",
        "Do you like music?",
        "Hello!",
    ):
        for variant in range(6):
            reply = compose_reply(replace(VEX, user_text=text, variant=variant))
            seen.add(reply)
            assert reply.count("*") % 2 == 0, reply
            # A verb or a contraction is no topic to echo ("Ah, live.").
            assert not re.match(
                r"(Hmm, |Ah, )?(what's|yourself|today|live)\b", reply, re.I
            ), reply
            assert "Please don't..." not in reply or "step on" in reply, reply
    # The card's lines were used: the description in the first person, the
    # greeting's words (not its actions) after a nod.
    assert any("I keep a file on" in r for r in seen), seen
    assert any("*Vex nods.* I am VX-7, tactical scout unit." in r for r in seen), seen
    assert not any("hisses open" in r for r in seen), seen


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


@pytest.mark.parametrize(
    ("sentence", "name", "pronoun", "expected"),
    [
        (
            "She speaks in clipped, practical sentences, turns red at compliments"
            " and softens only when she talks about home.",
            "Rei", "she",
            "I speak in clipped, practical sentences, turn red at compliments and"
            " soften only when I talk about home.",
        ),
        (
            "Rei (天霧レイ) is a pilot who keeps a tally of every game she has lost"
            " to her mechanic.",
            "Rei", "she",
            "I am a pilot who keeps a tally of every game I have lost to my mechanic.",
        ),
        (
            "In the cockpit Rei is ice-cold; outside it she never stays calm.",
            "Rei", "she", "In the cockpit I am ice-cold; outside it I never stay calm.",
        ),
        (
            "Every adventurer passes through, and Mossbottom remembers the ones who"
            " tried to sell Mossbottom a bucket of rocks.",
            "Mossbottom", "he",
            "Every adventurer passes through, and I remember the ones who tried to"
            " sell me a bucket of rocks.",
        ),
        (
            "He is short and green, wears three pairs of spectacles and haggles"
            " like it is a sport.",
            "Mossbottom", "he",
            "I am short and green, wear three pairs of spectacles and haggle like it"
            " is a sport.",
        ),
        (
            "It claims to find organics inefficient but quietly keeps a file on"
            " its partner. When it is dramatic, it refers to itself as 'this unit.'",
            "Vex", "it",
            "I claim to find organics inefficient but quietly keep a file on my"
            " partner. When I am dramatic, I refer to myself as 'this unit.'",
        ),
        (
            # Nouns in a list stay nouns; another character's "his" stays his.
            "She knows astronomy, from constellations and planets to meteor"
            " showers, and explains it to his brother.",
            "Nanami", "she",
            "I know astronomy, from constellations and planets to meteor showers,"
            " and explain it to his brother.",
        ),
        (
            "They listen well, tease gently and always keep a seat for their friends.",
            "Sam", "they",
            "I listen well, tease gently and always keep a seat for my friends.",
        ),
        (
            # A clause whose subject is not the character keeps its verbs.
            "Her silver armor is pixelated and jingles when she bows.",
            "Pellham", "she",
            "My silver armor is pixelated and jingles when I bow.",
        ),
        (
            # A list of verbs, with or without the serial comma; nouns stay.
            "She gasps, weeps and swoons at blood; she gasps, weeps, and faints"
            " at rats, cats, and dogs.",
            "Ada", "she",
            "I gasp, weep and swoon at blood; I gasp, weep, and faint at rats,"
            " cats, and dogs.",
        ),
        (
            # "her" before a bare -ed word is the object, before a noun "my".
            "Her mother wants her settled; she rubs her tired eyes.",
            "Eleanor", "she",
            "My mother wants me settled; I rub my tired eyes.",
        ),
        (
            # The verbs of a relative clause belong to its own subject.
            "Mira is a pirate who sails the seas and drinks rum, and tells tales.",
            "Mira", "she",
            "I am a pirate who sails the seas and drinks rum, and tells tales.",
        ),
    ],
)  # fmt: skip
def test_third_person_card_lines_are_turned_to_the_first_person(
    sentence: str, name: str, pronoun: str, expected: str
) -> None:
    assert _first_person(sentence, name, pronoun) == expected


def test_the_pronoun_is_the_cards_most_used_for_its_character() -> None:
    assert (
        _pronoun("Rei pilots a mech. She is nineteen; her mechanic is Gonta.") == "she"
    )
    assert _pronoun("Vex is a drone. It hovers; its optic glows.") == "it"
    assert _pronoun("Sam runs a cafe. They listen; their apron is floury.") == "they"
    assert _pronoun("A cafe on the corner.") is None


def test_the_traits_line_stops_at_the_first_clause_break() -> None:
    reply = {
        compose_reply(
            ctx(
                examples=[], description="", greeting="",
                personality="Terse, sharp and loyal; hides a soft heart.",
                user_text="you?", variant=v,
            )
        )
        for v in range(2)
    }  # fmt: skip
    assert any("People say I'm terse, sharp and loyal." in r for r in reply), reply
    assert not any("hides" in r for r in reply)
