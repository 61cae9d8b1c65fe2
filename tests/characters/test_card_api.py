"""Card import/export over the API and the studio pages: status codes, error
bodies, and who may export what (routes × {owner, other user, anonymous, staff})."""

from __future__ import annotations

import copy
import html
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import Client, RequestFactory

from characters.models import Character, Visibility
from characters.services import Settings, character_create
from community.models import User
from community.services import token_create
from tests.characters.cardkit import (
    V2_CARD,
    V3_CARD,
    card_from_png,
    media_tmp,
    png_card,
    with_kindred,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_tmp")]
__all__ = ["media_tmp"]

IMPORT_URL = "/api/v1/characters/import/"


def upload(card: object, name: str = "card.json") -> SimpleUploadedFile:
    raw = card if isinstance(card, bytes) else json.dumps(card).encode()
    return SimpleUploadedFile(name, raw, content_type="application/octet-stream")


# --- API import --------------------------------------------------------------------


def test_api_import_creates_a_character(user_client: Client, user: User) -> None:
    response = user_client.post(IMPORT_URL, {"file": upload(V3_CARD)})
    assert response.status_code == 201, response.content
    body = response.json()
    character = Character.objects.get(slug=body["slug"])
    assert body["name"] == "Lantern Keeper V3" == character.name
    assert (
        body["url"].startswith("http://testserver/") and character.slug in body["url"]
    )
    assert character.owner == user and not character.is_published


def test_api_import_with_publish_and_a_bearer_token(user: User) -> None:
    secret = token_create(user=user, name="bot").secret
    response = Client().post(
        IMPORT_URL,
        {"file": upload(png_card(ccv3=V3_CARD), "k.png"), "publish": "true"},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 201, response.content
    assert Character.objects.get(slug=response.json()["slug"]).is_published


def test_api_import_refuses_a_publish_that_is_neither_yes_nor_no(
    user_client: Client,
) -> None:
    """ "maybe" was read as no: a client that meant to publish got a draft."""
    response = user_client.post(
        IMPORT_URL,
        {"file": upload(png_card(ccv3=V3_CARD), "k.png"), "publish": "maybe"},
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"publish": ["Send true or false."]}
    assert not Character.objects.exists()


def test_api_import_refuses_bad_cards_with_a_json_error(user_client: Client) -> None:
    response = user_client.post(IMPORT_URL, {"file": upload(b"{nope")})
    assert response.status_code == 400
    body = response.json()
    assert body["error"].startswith("The file is not valid JSON")
    assert body["fields"] == {"file": [body["error"]]}

    too_long = copy.deepcopy(V2_CARD)
    too_long["data"]["description"] = "x" * 40_000
    body = user_client.post(IMPORT_URL, {"file": upload(too_long)}).json()
    assert "the limit is 32,000" in body["error"]
    assert list(body["fields"]) == ["definition"]

    response = user_client.post(IMPORT_URL, {})
    assert response.status_code == 400
    assert (
        response.json()["error"]
        == "No file: send the card as the multipart field “file”."
    )
    assert Character.objects.count() == 0


def test_oversized_uploads_are_refused_from_their_length(user_client: Client) -> None:
    big = upload(b" " * (11 * 1024 * 1024), "big.json")
    response = user_client.post(IMPORT_URL, {"file": big})
    assert response.status_code == 400
    assert response.json()["error"].startswith("The upload is 11.0 MB; the limit")
    big.seek(0)
    response = user_client.post("/create/import/", {"file": big})
    assert response.status_code == 400
    assert "the limit for a character card is 10 MB" in response.content.decode()
    assert Character.objects.count() == 0


def test_import_page_without_a_file(user_client: Client) -> None:
    response = user_client.post("/create/import/", {"publish": "on"})
    assert response.status_code == 400
    assert "Choose a card file to import." in response.content.decode()


def test_api_import_needs_a_user() -> None:
    response = Client().post(IMPORT_URL, {"file": upload(V2_CARD)})
    assert response.status_code in (401, 403)
    assert Character.objects.count() == 0


# --- Export permissions matrix -------------------------------------------------------


def _make(owner: User, kind: str) -> Character:
    switches = Settings()
    publish = True
    content_rating = "general"
    if kind == "unlisted":
        switches = Settings(visibility=Visibility.UNLISTED)
    elif kind == "private":
        switches = Settings(visibility=Visibility.PRIVATE)
    elif kind == "hidden-definition":
        switches = Settings(definition_visible=False)
    elif kind == "draft":
        publish = False
    elif kind == "mature":
        content_rating = "mature"
    data = copy.deepcopy(V2_CARD["data"])
    data["name"] = f"Keeper {kind}"
    return character_create(
        owner=owner,
        data=data,
        meta={"content_rating": content_rating},
        switches=switches,
        publish=publish,
    )


KINDS = ["public", "unlisted", "private", "hidden-definition", "draft", "mature"]
# Expected status per (kind, role); staff see what the public sees.
EXPECTED: dict[str, dict[str, int]] = {
    "public": {"owner": 200, "other": 200, "anonymous": 200, "staff": 200},
    "unlisted": {"owner": 200, "other": 200, "anonymous": 200, "staff": 200},
    "private": {"owner": 200, "other": 404, "anonymous": 404, "staff": 404},
    "hidden-definition": {"owner": 200, "other": 403, "anonymous": 403, "staff": 403},
    "draft": {"owner": 200, "other": 404, "anonymous": 404, "staff": 404},
    "mature": {"owner": 200, "other": 404, "anonymous": 404, "staff": 404},
}


@pytest.fixture
def clients(user: User, other_user: User, staff_user: User) -> dict[str, Client]:
    out = {"anonymous": Client()}
    for role, who in (("owner", user), ("other", other_user), ("staff", staff_user)):
        out[role] = Client()
        out[role].force_login(who)
    return out


def _api(slug: str, fmt: str) -> str:
    return f"/api/v1/characters/{slug}/export/?format={fmt}"


def _page(slug: str, fmt: str) -> str:
    return f"/c/{slug}/card.{fmt}"


@pytest.mark.parametrize("route", [_api, _page], ids=["api", "page"])
def test_export_permission_matrix(
    route: Callable[[str, str], str], user: User, clients: dict[str, Client]
) -> None:
    characters = {kind: _make(user, kind) for kind in KINDS}
    for kind, character in characters.items():
        for role, client in clients.items():
            for fmt in ("png", "v2", "v3"):
                response = client.get(route(character.slug, fmt))
                expected = EXPECTED[kind][role]
                assert response.status_code == expected, (kind, role, fmt)
                if expected == 200:
                    assert response["Content-Disposition"].startswith("attachment;")
                    body = response.content
                    card = (
                        card_from_png(body, "ccv3")
                        if fmt == "png"
                        else json.loads(body)
                    )
                    assert card["data"]["name"] == f"Keeper {kind}"
                elif expected == 403:
                    text = html.unescape(response.content.decode())
                    assert "keeps this character's definition private" in text
                else:
                    assert b"Keeper" not in response.content  # no leak
    assert clients["owner"].get(route("no-such-slug", "v2")).status_code == 404


def test_api_export_formats_and_errors(user: User, user_client: Client) -> None:
    character = _make(user, "public")
    response = user_client.get(f"/api/v1/characters/{character.slug}/export/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    response = user_client.get(_api(character.slug, "v3"))
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{character.slug}.v3.json"'
    )
    assert json.loads(response.content)["spec"] == "chara_card_v3"
    response = user_client.get(_api(character.slug, "docx"))
    assert response.status_code == 400
    assert response.json()["error"] == "Unknown format “docx”; use one of: png, v2, v3."
    assert user_client.get(f"/c/{character.slug}/card.docx").status_code == 404
    hidden = _make(user, "hidden-definition")
    body = Client().get(_api(hidden.slug, "v2")).json()
    assert body["error"].startswith(
        "The creator keeps this character's definition private"
    )


# --- Studio pages ------------------------------------------------------------------------


def test_import_page_needs_login() -> None:
    response = Client().get("/create/import/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_import_page_imports_and_redirects(user_client: Client, user: User) -> None:
    page = user_client.get("/create/import/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'enctype="multipart/form-data"' in text and "Publish now" in text
    response = user_client.post(
        "/create/import/",
        {
            "file": upload(png_card(ccv3=with_kindred(V3_CARD, tagline="Hi")), "k.png"),
            "publish": "on",
        },
    )
    character = Character.objects.get(owner=user)
    assert response.status_code == 302
    assert character.slug in response["Location"]
    assert character.is_published and character.tagline == "Hi" and character.avatar


def test_import_page_shows_errors_inline_and_saves_nothing(user_client: Client) -> None:
    response = user_client.post(
        "/create/import/", {"file": upload(b"\x89PNG\r\n\x1a\nshort", "bad.png")}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This card was not imported." in page
    assert "The PNG is truncated" in page
    assert Character.objects.count() == 0


def test_import_page_satisfies_the_content_security_policy(user_client: Client) -> None:
    response = user_client.get("/create/import/")
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce
    page = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert any("card-import.js" in tag for tag in scripts)
    for tag in scripts:
        assert "src=" in tag and f'nonce="{nonce.group(1)}"' in tag
    assert not re.search(r"\sstyle=", page)
    assert not re.search(r"\son[a-z]+=", page)


def _render_partial(character: Character, user: Any) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template('{% include "characters/_card_export.html" %}').render(
        Context({"character": character, "request": request})
    )


def test_export_partial_links_or_explains(user: User, other_user: User) -> None:
    public = _make(user, "public")
    page = _render_partial(public, other_user)
    for fmt in ("png", "v2", "v3"):
        assert f'href="/c/{public.slug}/card.{fmt}"' in page
    hidden = _make(user, "hidden-definition")
    assert "/card." not in _render_partial(hidden, other_user)
    assert "keeps this character's definition private" in html.unescape(
        _render_partial(hidden, other_user)
    )
    assert f'href="/c/{hidden.slug}/card.png"' in _render_partial(hidden, user)
