"""Saving in the studio editor keeps a card as it came: the page's own form,
submitted unchanged the way a browser submits it, gives back every field
(lorebook keys with commas or regex braces, greetings holding --- lines,
whitespace at either end), with \\n line endings, and leaves no draft when
nothing changed. Settings that apply at once say so."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from characters.card_services import character_import
from characters.definition import PROMPT_BUDGET
from characters.models import Character
from characters.services import (
    Settings,
    character_definition,
    character_draft_save,
)
from community.models import User
from tests.characters.cardkit import V3_CARD, image_png, media_tmp, with_kindred
from tests.characters.formkit import form_values
from tests.characters.test_card_property import cards

__all__ = ["media_tmp"]

pytestmark = pytest.mark.django_db

OWL_CARD: dict[str, Any] = copy.deepcopy(V3_CARD)
OWL_CARD["data"].update(
    {
        "name": "Owl Keeper",
        "first_mes": "  *The owl blinks.*\n\nHoo.\n",
        "description": "\nStarts with a blank line and ends with two.\n\n",
        "alternate_greetings": ["Hi!\n---\nA divider above.", " Leading space", "---"],
        "group_only_greetings": ["All of you?\n\n---\n\nFine."],
        "tags": ["owls", "smith, john"],
    }
)
OWL_CARD["data"]["character_book"]["entries"] = [
    {
        "keys": ["\\d{1,3} owls"],
        "content": "Owls come in parliaments.\n",
        "extensions": {},
        "enabled": True,
        "insertion_order": 1,
        "use_regex": True,
    },
    {
        "keys": ["Smith, John"],
        "secondary_keys": ["a, b", "c"],
        "content": "@@depth 2\nThe keeper's real name.",
        "extensions": {"x": 1},
        "enabled": True,
        "insertion_order": 2,
        "use_regex": False,
        "name": "",
    },
    {
        "keys": ["^(owl|hoot){2,}$", "night, day", " spaced "],
        "content": "Two regexes and a comma.",
        "extensions": {},
        "enabled": False,
        "insertion_order": 3,
        "use_regex": True,
        "position": "after_char",
    },
]


def _import(user: User, card: dict[str, Any], *, publish: bool = True) -> Character:
    raw = json.dumps(card, ensure_ascii=False).encode()
    return character_import(owner=user, upload=raw, publish=publish)


def _save_unchanged(client: Client, slug: str, action: str = "draft") -> Any:
    """GET the editor and submit its form as a browser would, untouched."""
    page = client.get(f"/c/{slug}/edit/")
    assert page.status_code == 200
    values = form_values(page.content.decode(), "studio__form")
    values["action"] = [action]
    return client.post(f"/c/{slug}/edit/", values)


def _errors(response: Any) -> list[str]:
    return re.findall(r'field__error"[^>]*>([^<]+)', response.content.decode())


def _export(client: Client, slug: str, fmt: str = "v3") -> dict[str, Any]:
    response = client.get(f"/c/{slug}/card.{fmt}")
    assert response.status_code == 200
    card: dict[str, Any] = json.loads(response.content)
    return card


@pytest.mark.usefixtures("media_tmp")
def test_a_save_without_edits_gives_the_imported_card_back(
    user: User, user_client: Client
) -> None:
    character = _import(user, OWL_CARD)
    before = copy.deepcopy(character.published_version.data)
    response = _save_unchanged(user_client, character.slug)
    assert response.status_code == 302, _errors(response)
    character.refresh_from_db()
    assert character_definition(character)[0] == before
    exported = _export(user_client, character.slug)
    assert exported == with_kindred(OWL_CARD)
    book = exported["data"]["character_book"]["entries"]
    assert [e["keys"] for e in book] == [
        ["\\d{1,3} owls"],
        ["Smith, John"],
        ["^(owl|hoot){2,}$", "night, day", " spaced "],
    ]
    assert exported["data"]["alternate_greetings"][0] == "Hi!\n---\nA divider above."
    # A draft that was never published round-trips too, and stays a draft.
    draft = _import(
        user, {**OWL_CARD, "data": {**OWL_CARD["data"], "name": "Owl 2"}}, publish=False
    )
    before = copy.deepcopy(draft.draft["data"])
    response = _save_unchanged(user_client, draft.slug)
    assert response.status_code == 302, _errors(response)
    draft.refresh_from_db()
    assert draft.draft is not None and draft.draft["data"] == before


@pytest.mark.usefixtures("media_tmp")
def test_odd_but_valid_entry_fields_survive_a_save(
    user: User, user_client: Client
) -> None:
    card = copy.deepcopy(OWL_CARD)
    entry = card["data"]["character_book"]["entries"][0]
    entry.update(
        insertion_order=1.5,  # the spec says a number
        priority=None,
        constant=None,
        position="an",  # not one of the spec's two, but a card's
    )
    character = _import(user, card)
    response = _save_unchanged(user_client, character.slug)
    assert response.status_code == 302, _errors(response)
    assert _export(user_client, character.slug) == with_kindred(card)


def _without_cr(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\r", "")
    if isinstance(value, list):
        return [_without_cr(v) for v in value]
    if isinstance(value, dict):
        return {_without_cr(k): _without_cr(v) for k, v in value.items()}
    return value


def _browser_safe(card: dict[str, Any]) -> dict[str, Any]:
    """What a browser can carry at all: no CR anywhere (the HTML parser turns
    it into LF) and no line breaks in one-line inputs (their values lose them)."""
    out: dict[str, Any] = _without_cr(card)
    data = out["data"]
    for key in ("nickname", "character_version"):
        if key in data:
            data[key] = data[key].replace("\n", "")
    for entry in (data.get("character_book") or {}).get("entries", []):
        if "name" in entry:
            entry["name"] = entry["name"].replace("\n", "")
    return out


@pytest.mark.usefixtures("media_tmp")
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(card=cards(), publish=st.booleans())
def test_any_card_survives_a_save_in_the_studio(
    user: User, card: dict[str, Any], publish: bool
) -> None:
    card = _browser_safe(card)
    client = Client()
    client.force_login(user)
    character = _import(user, card, publish=publish)
    before = copy.deepcopy(character_definition(character)[0])
    response = _save_unchanged(client, character.slug)
    assert response.status_code == 302, _errors(response)
    character.refresh_from_db()
    assert character_definition(character)[0] == before
    assert (character.draft is None) == publish
    spec = "v3" if card["spec"] == "chara_card_v3" else "v2"
    assert _export(client, character.slug, spec) == with_kindred(card)


def _post(client: Client, slug: str, **over: Any) -> Any:
    """The editor's own form for ``slug`` with some fields replaced."""
    page = client.get(f"/c/{slug}/edit/")
    values: dict[str, Any] = form_values(page.content.decode(), "studio__form")
    values.update({"action": ["draft"], **over})
    return client.post(f"/c/{slug}/edit/", values)


@pytest.mark.usefixtures("media_tmp")
def test_typed_keys_one_per_line_or_comma_separated(
    user: User, user_client: Client
) -> None:
    character = _import(user, OWL_CARD)
    response = _post(
        user_client,
        character.slug,
        **{
            "entry-0-keys": "\\d{1,3} owls, or more",  # a regex: never split
            "entry-0-secondary_keys": "a{2,}\r\nb",
            "entry-1-keys": "moon, lunar ,, luna",  # one line: the old comma form
            "entry-1-secondary_keys": "",
            "entry-2-keys": "Smith, John\r\n\r\n  Jane  \r\n",  # one per line
        },
    )
    assert response.status_code == 302, _errors(response)
    character.refresh_from_db()
    entries = character.draft["data"]["character_book"]["entries"]
    assert entries[0]["keys"] == ["\\d{1,3} owls, or more"]
    assert entries[0]["secondary_keys"] == ["a{2,}", "b"]
    assert entries[1]["keys"] == ["moon", "lunar", "luna"]
    assert entries[1]["secondary_keys"] == []
    assert entries[2]["keys"] == ["Smith, John", "Jane"]
    # Shown one per line; a lone key holding a comma keeps a line of its own.
    page = user_client.get(f"/c/{character.slug}/edit/").content.decode()
    assert 'name="entry-2-keys"' in page
    assert ">\nSmith, John\nJane</textarea>" in page
    response = _post(user_client, character.slug, **{"entry-1-keys": "Smith, John\n"})
    character.refresh_from_db()
    assert character.draft["data"]["character_book"]["entries"][1]["keys"] == [
        "Smith, John"
    ]
    page = user_client.get(f"/c/{character.slug}/edit/").content.decode()
    assert ">\nSmith, John\n</textarea>" in page


@pytest.mark.usefixtures("media_tmp")
def test_greetings_are_one_box_each(user: User, user_client: Client) -> None:
    character = _import(user, OWL_CARD)
    page = user_client.get(f"/c/{character.slug}/edit/").content.decode()
    boxes = re.findall(
        r'<textarea name="alternate_greetings"[^>]*>\n([^<]*)</textarea>', page
    )
    assert boxes == ["Hi!\n---\nA divider above.", " Leading space", "---"]
    response = _post(
        user_client,
        character.slug,
        alternate_greetings=["Hi!\r\n---\r\nA divider above.", "", "  ", "New one\r\n"],
        group_only_greetings=[],
    )
    assert response.status_code == 302, _errors(response)
    character.refresh_from_db()
    data = character.draft["data"]
    assert data["alternate_greetings"] == ["Hi!\n---\nA divider above.", "New one\n"]
    assert data["group_only_greetings"] == []


@pytest.mark.usefixtures("media_tmp")
def test_line_breaks_are_saved_as_newlines(user: User, user_client: Client) -> None:
    character = _import(user, OWL_CARD)
    crlf = "One\r\ntwo\r\n\r\nthree\r"
    response = _post(
        user_client,
        character.slug,
        first_mes=crlf,
        mes_example=crlf,
        description=crlf,
        creator_notes=crlf,
        alternate_greetings=[crlf],
        **{"entry-0-content": crlf},
    )
    assert response.status_code == 302, _errors(response)
    character.refresh_from_db()
    data = character.draft["data"]
    lf = "One\ntwo\n\nthree\n"
    assert [data[f] for f in ("first_mes", "mes_example", "description")] == [lf] * 3
    assert data["creator_notes"] == lf
    assert data["alternate_greetings"] == [lf]
    assert data["character_book"]["entries"][0]["content"] == lf
    assert "\r" not in json.dumps(_export(user_client, character.slug))


def test_the_budget_counts_a_line_break_once(user: User, user_client: Client) -> None:
    """The meter counts the textarea's value (\\n); the browser sends \\r\\n. A
    definition at 31,995 by the meter is not refused as 35,000-odd."""
    character = character_import(
        owner=user, upload=json.dumps({"name": "Long"}).encode(), publish=True
    )
    line = "x" * 9 + "\r\n"  # 10 characters in the editor, 11 on the wire
    description = line * 3_199 + "x" * 5  # 31,995 once saved
    response = _post(user_client, character.slug, description=description)
    assert response.status_code == 302, _errors(response)
    character.refresh_from_db()
    assert len(character.draft["data"]["description"]) == 31_995 <= PROMPT_BUDGET
    response = _post(user_client, character.slug, description=description + "x" * 6)
    assert response.status_code == 200
    assert "is 32,001 characters; the limit is 32,000" in response.content.decode()


@pytest.mark.usefixtures("media_tmp")
def test_no_draft_without_changes(user: User, user_client: Client) -> None:
    character = _import(user, OWL_CARD)
    response = _save_unchanged(user_client, character.slug)
    assert response.status_code == 302
    character.refresh_from_db()
    assert character.draft is None
    page = user_client.get(f"/c/{character.slug}/edit/").content.decode()
    assert "You have unpublished changes" not in page
    assert "No changes: the definition is the same as version 1." in page

    # An edit is a draft; editing it back clears it.
    _post(user_client, character.slug, personality="bolder")
    character.refresh_from_db()
    assert character.draft is not None
    page = user_client.get(f"/c/{character.slug}/edit/").content.decode()
    assert "You have unpublished changes" in page
    assert "Definition changes saved as a draft" in page
    _post(user_client, character.slug, personality=OWL_CARD["data"]["personality"])
    character.refresh_from_db()
    assert character.draft is None

    # Publish with nothing new makes no version (and no moment for followers).
    response = _save_unchanged(user_client, character.slug, action="publish")
    assert response.status_code == 302
    character.refresh_from_db()
    assert character.versions.count() == 1
    page = user_client.get(f"/c/{character.slug}/edit/").content.decode()
    assert "Nothing new to publish: the definition is the same as version 1." in page


@pytest.mark.usefixtures("media_tmp")
def test_settings_say_they_apply_on_save(user: User, user_client: Client) -> None:
    character = _import(user, OWL_CARD)
    page = user_client.get(f"/c/{character.slug}/edit/").content.decode()
    settings_card = page[page.index('id="settings-heading"') :]
    settings_card = settings_card[: settings_card.index("</section>")]
    assert "Apply as soon as you save" in settings_card
    assert (
        'name="visibility"' in settings_card
        and 'name="content_rating"' not in settings_card
    )

    response = _post(
        user_client,
        character.slug,
        visibility=["unlisted"],
        remix_allowed=[],
        personality="bolder",
    )
    assert response.status_code == 302, _errors(response)
    character.refresh_from_db()
    assert (character.visibility, character.remix_allowed) == ("unlisted", False)
    assert character.published_version.data["personality"] != "bolder"
    message = user_client.get(f"/c/{character.slug}/edit/").content.decode()
    assert (
        "Applied now: visibility is unlisted — anyone with the link; remixing is "
        "off. Definition changes saved as a draft: publish when you are ready for "
        "others to see them."
    ) in message

    # Only a setting: it applies, and there is still nothing to publish.
    _post(user_client, character.slug, personality=OWL_CARD["data"]["personality"])
    response = _post(user_client, character.slug, visibility=["public"])
    character.refresh_from_db()
    assert character.visibility == "public" and character.draft is None
    message = user_client.get(f"/c/{character.slug}/edit/").content.decode()
    assert (
        "Applied now: visibility is public — listed in Discover. Nothing to "
        "publish: the definition is the same as version 1."
    ) in message
    # So does a new avatar.
    _post(user_client, character.slug, avatar=SimpleUploadedFile("a.png", image_png()))
    message = user_client.get(f"/c/{character.slug}/edit/").content.decode()
    assert "Applied now: the new avatar shows. Nothing to publish" in message


@pytest.mark.usefixtures("media_tmp")
def test_draft_save_service_reports_what_applied(user: User) -> None:
    character = _import(user, OWL_CARD)
    live = character.published_version
    saved = character_draft_save(
        character=character,
        data=copy.deepcopy(live.data),
        meta=dict(live.meta),
        switches=Settings(visibility="private", definition_visible=True),
    )
    assert saved.applied == ["visibility"]
    assert character.draft is None
    edited = {**copy.deepcopy(live.data), "scenario": "Elsewhere."}
    assert character_draft_save(character=character, data=edited).applied == []
    assert character.draft is not None
    character_draft_save(
        character=character, data=copy.deepcopy(live.data), meta=dict(live.meta)
    )
    character.refresh_from_db()
    assert character.draft is None
