from __future__ import annotations

import re

import pytest
from django.test import Client

from characters.models import Character
from characters.services import character_create
from tests.characters.conftest import definition

pytestmark = pytest.mark.django_db


def _form(**over: str | list[str]) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {
        "name": "Studio Sam",
        "nickname": "",
        "tagline": "A friendly test",
        "category": "companion",
        "style": "friendly",
        "language": "en",
        "content_rating": "general",
        "visibility": "public",
        "definition_visible": "on",
        "remix_allowed": "on",
        "description": "Sam runs the night bakery.",
        "personality": "warm",
        "scenario": "",
        "first_mes": "Hello {{user}}, I'm {{char}}!",
        "alternate_greetings": ["Evening!", "Back again?"],
        "group_only_greetings": [],
        "mes_example": "<START>\n{{user}}: hi\n{{char}}: hello",
        "system_prompt": "",
        "post_history_instructions": "",
        "creator_notes": "",
        "tags": "Baking, cozy",
        "character_version": "",
        "publish_note": "",
        "entry-TOTAL_FORMS": "0",
        "entry-INITIAL_FORMS": "0",
        "entry-MIN_NUM_FORMS": "0",
        "entry-MAX_NUM_FORMS": "200",
    }
    data.update(over)
    return data


def test_create_draft_then_publish(user_client, user) -> None:
    response = user_client.post("/create/", _form(action="draft"))
    assert response.status_code == 302
    character = Character.objects.get()
    assert not character.is_published
    assert character.draft["data"]["alternate_greetings"] == ["Evening!", "Back again?"]
    assert character.draft["data"]["tags"] == ["baking", "cozy"]
    assert (
        Client().get(f"/c/{character.slug}/").status_code == 404
    )  # drafts are private

    response = user_client.post(
        f"/c/{character.slug}/edit/", _form(action="publish", publish_note="v1")
    )
    assert response.status_code == 302
    character.refresh_from_db()
    assert character.published_version.number == 1
    page = Client().get(f"/c/{character.slug}/").content.decode()
    assert (
        "Hello you, I&#x27;m Studio Sam!" in page
        or "Hello you, I'm Studio Sam!" in page
    )


def test_inline_errors_and_nothing_saved(user_client) -> None:
    response = user_client.post(
        "/create/", _form(action="publish", tagline="x" * 51, description="d" * 32_100)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The tagline is 51 characters; the limit is 50." in html
    assert "the limit is 32,000" in html
    assert not Character.objects.exists()


def test_lorebook_edit_keeps_unknown_fields(user_client, user) -> None:
    book = {
        "scan_depth": 3,
        "extensions": {"x": 1},
        "entries": [
            {
                "keys": ["moon"],
                "content": "The moon is hollow.",
                "extensions": {"keep": True},
                "enabled": True,
                "insertion_order": 1,
                "future": "yes",
            },
            {
                "keys": ["sun"],
                "content": "The sun sings.",
                "extensions": {},
                "enabled": True,
                "insertion_order": 2,
            },
        ],
    }
    character = character_create(
        owner=user, data=definition("Lore", character_book=book), publish=True
    )
    page = user_client.get(f"/c/{character.slug}/edit/").content.decode()
    assert "The moon is hollow." in page
    form = _form(
        action="publish",
        name="Lore",
        lorebook_scan_depth="5",
        **{
            "entry-TOTAL_FORMS": "3",
            "entry-INITIAL_FORMS": "2",
            "entry-0-original": "0",
            "entry-0-keys": "moon, lunar",
            "entry-0-content": "The moon is hollow and warm.",
            "entry-0-enabled": "on",
            "entry-0-insertion_order": "1",
            "entry-1-original": "1",
            "entry-1-keys": "sun",
            "entry-1-content": "The sun sings.",
            "entry-1-DELETE": "on",
            "entry-1-insertion_order": "2",
            "entry-2-keys": "stars",
            "entry-2-content": "Stars are lanterns.",
            "entry-2-enabled": "on",
            "entry-2-insertion_order": "3",
        },
    )
    response = user_client.post(f"/c/{character.slug}/edit/", form)
    assert response.status_code == 302, re.findall(
        r"field__error[^>]*>([^<]+)", response.content.decode()
    )
    character.refresh_from_db()
    saved = character.published_version.data["character_book"]
    assert saved["scan_depth"] == 5
    assert saved["extensions"] == {"x": 1}
    assert [e["keys"] for e in saved["entries"]] == [["moon", "lunar"], ["stars"]]
    assert saved["entries"][0]["future"] == "yes"
    assert saved["entries"][0]["extensions"] == {"keep": True}


def test_other_users_cannot_edit(client, other_user, user) -> None:
    character = character_create(owner=user, data=definition("Mine"), publish=True)
    client.force_login(other_user)
    assert (
        client.post(f"/c/{character.slug}/edit/", _form(action="publish")).status_code
        == 404
    )
    assert client.post(f"/c/{character.slug}/delete/").status_code == 404
    character.refresh_from_db()
    assert character.deleted_at is None


def test_versions_compare_and_rollback(user_client, user) -> None:
    character = character_create(
        owner=user, data=definition("Ver", personality="shy"), publish=True
    )
    user_client.post(
        f"/c/{character.slug}/edit/",
        _form(action="publish", name="Ver", personality="loud"),
    )
    page = user_client.get(f"/c/{character.slug}/versions/?a=1&b=2").content.decode()
    assert "shy" in page and "loud" in page
    # Field by field (not a JSON dump); a multi-line greeting reads as lines.
    assert "personality:" in page and '"personality"' not in page
    user_client.post(
        f"/c/{character.slug}/edit/",
        _form(
            action="publish", name="Ver", personality="loud", first_mes="Ahoy!\r\nSit."
        ),
    )
    page = user_client.get(f"/c/{character.slug}/versions/?a=2&b=3").content.decode()
    assert "\\r\\n" not in page and "\\n" not in page
    lines = [
        re.sub(r"<[^>]+>", "", line)
        for line in re.findall(r'<div class="vdiff__line">(.*?)</div>', page)
    ]
    assert "  Ahoy!" in lines and "  Sit." in lines
    # Without a choice the page offers the previous version against the newest.
    page = user_client.get(f"/c/{character.slug}/versions/").content.decode()
    assert re.search(r'name="a">.*?<option value="2" selected>', page, re.S)
    assert re.search(r'name="b"><option value="3" selected>', page)
    assert user_client.get(f"/c/{character.slug}/versions/?a=1&b=9").status_code == 404
    response = user_client.post(f"/c/{character.slug}/versions/1/rollback/")
    assert response.status_code == 302
    character.refresh_from_db()
    assert character.published_version.number == 4
    assert character.published_version.data["personality"] == "shy"


def test_greeting_preview_renders_markdown_safely(user_client) -> None:
    response = user_client.post(
        "/create/greeting-preview/",
        {
            "first_mes": "*waves* <script>alert(1)</script> [x](javascript:alert(1)) {{char}}",
            "name": "Ava",
        },
    )
    html = response.content.decode()
    assert "<em>waves</em>" in html
    assert "<script>" not in html
    assert 'href="javascript:' not in html  # left as inert text
    assert "Ava" in html


def test_delete_removes_from_catalog(user_client, user) -> None:
    character = character_create(owner=user, data=definition("Bye"), publish=True)
    response = user_client.post(f"/c/{character.slug}/delete/")
    assert response.status_code == 302
    assert Client().get(f"/c/{character.slug}/").status_code == 404
    assert "Bye" not in Client().get("/discover/").content.decode()


def test_studio_lists_own_characters_only(user_client, user, other_user) -> None:
    character_create(owner=user, data=definition("Mine A"), publish=False)
    character_create(owner=other_user, data=definition("Theirs B"), publish=True)
    html = user_client.get("/studio/").content.decode()
    assert "Mine A" in html and "Theirs B" not in html


def test_a_remix_says_whose_it_is_in_the_editor(user, other_user) -> None:
    original = character_create(
        owner=other_user, data=definition("Original Olga"), publish=True
    )
    client = Client()
    client.force_login(user)
    r = client.post(f"/c/{original.slug}/remix/")
    assert r.status_code == 302
    editor = client.get(r["Location"]).content.decode()
    assert "A remix of <a href=" in editor and "Original Olga</a> by @bob" in editor
    # Listed as a draft among the creator's characters on the earnings page.
    earnings = client.get("/creators/alice/earnings/").content.decode()
    assert re.search(
        r'Original Olga <span class="badge badge--warning">draft</span>', earnings
    )
