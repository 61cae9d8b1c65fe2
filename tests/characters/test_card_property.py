"""Property: any valid card (V2 or V3, as JSON or PNG) comes back identical after
import and export, whatever text, tags, lorebook entries and unknown keys or
extensions it carries. Kindred only adds its own ``extensions.kindred``."""

from __future__ import annotations

import copy
import json
from typing import Any, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from characters.card_services import character_export, character_import
from characters.cards import V3_FIELDS, card_build, card_parse
from community.models import User
from tests.characters.cardkit import card_from_png, media_tmp, png_card, with_kindred

__all__ = ["media_tmp"]

# Any character PostgreSQL can store (no NUL; Hypothesis never makes surrogates).
TEXT = st.text(st.characters(exclude_characters="\x00", codec="utf-8"), max_size=30)
KEY = st.text(
    st.characters(exclude_characters="\x00", codec="utf-8"), min_size=1, max_size=12
)
TAG = st.text(
    st.sampled_from("abcXYZ -_龍ドラゴン🐉é"), min_size=1, max_size=10
).filter(lambda t: t.strip())
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63)
    # PostgreSQL's jsonb keeps numbers as exact decimals: a float of 1e16 or more
    # (written by Python in exponent form) comes back as the integer literal of
    # its shortest repr, which JSON readers load as the same double, but Python
    # compares int and float exactly. So the floats here stay below 1e15.
    | st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15)
    | TEXT,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(KEY, children, max_size=3)
    ),
    max_leaves=8,
)
EXTENSIONS = st.dictionaries(
    KEY.filter(lambda k: k != "kindred"), JSON_VALUES, max_size=4
)
UNKNOWN_KEYS = st.dictionaries(
    KEY.map(lambda k: "x_" + k).filter(lambda k: k not in V3_FIELDS),
    JSON_VALUES,
    max_size=3,
)


@st.composite
def entries(draw: st.DrawFn, v3: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "keys": draw(st.lists(TEXT, max_size=3)),
        "content": draw(
            st.one_of(TEXT, TEXT.map(lambda t: "@@depth 4\n@@unknown_deco x\n" + t))
        ),
        "extensions": draw(EXTENSIONS),
        "enabled": draw(st.booleans()),
        "insertion_order": draw(st.integers(-1000, 1000)),
    }
    optional = {
        "case_sensitive": st.booleans(),
        "name": TEXT,
        "priority": st.integers(0, 100),
        "id": st.one_of(st.integers(0, 10**6), TEXT),
        "comment": TEXT,
        "selective": st.booleans(),
        "secondary_keys": st.lists(TEXT, max_size=2),
        "constant": st.booleans(),
        "position": st.sampled_from(["before_char", "after_char"]),
    }
    if v3:
        optional["use_regex"] = st.booleans()
    for key, strategy in optional.items():
        if draw(st.booleans()):
            entry[key] = draw(strategy)
    entry.update(draw(UNKNOWN_KEYS))
    return entry


@st.composite
def cards(draw: st.DrawFn) -> dict[str, Any]:
    v3 = draw(st.booleans())
    name = draw(
        st.text(st.sampled_from("Ab 名🌸"), min_size=1, max_size=20).filter(str.strip)
    )
    data: dict[str, Any] = {
        "name": name,
        **{
            f: draw(TEXT)
            for f in (
                "description",
                "personality",
                "scenario",
                "first_mes",
                "mes_example",
                "creator_notes",
                "system_prompt",
                "post_history_instructions",
                "creator",
                "character_version",
            )
        },
        "alternate_greetings": draw(st.lists(TEXT, max_size=3)),
        "tags": draw(st.lists(TAG, max_size=8)),
        "extensions": draw(EXTENSIONS),
    }
    if draw(st.booleans()):
        book: dict[str, Any] = {
            "extensions": draw(EXTENSIONS),
            "entries": draw(st.lists(entries(v3), max_size=4)),
        }
        for key, strategy in {
            "name": TEXT,
            "description": TEXT,
            "scan_depth": st.integers(0, 50),
            "token_budget": st.integers(0, 5000),
            "recursive_scanning": st.booleans(),
        }.items():
            if draw(st.booleans()):
                book[key] = draw(strategy)
        data["character_book"] = book
    if v3:
        data["group_only_greetings"] = draw(st.lists(TEXT, max_size=2))
        optional = {
            "nickname": TEXT,
            "creator_notes_multilingual": st.dictionaries(
                st.sampled_from(["en", "ja", "zh", "ko", "fr"]), TEXT, max_size=3
            ),
            "source": st.lists(TEXT, max_size=2),
            "creation_date": st.integers(0, 2**31),
            "modification_date": st.integers(0, 2**31),
            "assets": st.lists(
                st.fixed_dictionaries(
                    {
                        "type": st.sampled_from(["background", "emotion", "x_thing"]),
                        "uri": TEXT,
                        "name": TEXT,
                        "ext": st.sampled_from(["png", "webp", "unknown"]),
                    }
                ),
                max_size=2,
            ),
        }
        for key, strategy in optional.items():
            if draw(st.booleans()):
                data[key] = draw(strategy)
    data.update(draw(UNKNOWN_KEYS))
    spec = "chara_card_v3" if v3 else "chara_card_v2"
    return {"spec": spec, "spec_version": "3.0" if v3 else "2.0", "data": data}


@settings(max_examples=150, deadline=None)
@given(card=cards())
def test_parse_then_build_gives_the_card_back(card: dict[str, Any]) -> None:
    raw = json.dumps(card, ensure_ascii=False).encode()
    parsed = card_parse(raw)
    spec: Literal["v2", "v3"] = "v3" if card["spec"] == "chara_card_v3" else "v2"
    expected = with_kindred(card)
    expected["data"]["extensions"]["kindred"] = {}
    assert card_build(parsed.data, parsed.meta, spec=spec) == expected


@pytest.mark.django_db
@pytest.mark.usefixtures("media_tmp")
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(card=cards(), as_png=st.booleans())
def test_import_then_export_is_lossless(
    user: User, card: dict[str, Any], as_png: bool
) -> None:
    spec = "v3" if card["spec"] == "chara_card_v3" else "v2"
    upload = (
        (png_card(ccv3=card) if spec == "v3" else png_card(chara=card))
        if as_png
        else json.dumps(card, ensure_ascii=False).encode()
    )
    character = character_import(owner=user, upload=upload, publish=True)
    content, _, _ = character_export(character=character, user=user, fmt=spec)
    assert json.loads(content) == with_kindred(card)
    png, _, _ = character_export(character=character, user=user, fmt="png")
    assert card_from_png(png, "ccv3" if spec == "v3" else "chara") == with_kindred(
        copy.deepcopy(card)
    )
