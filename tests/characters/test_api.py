from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from characters.models import Character
from community.services import token_create
from tests.characters.conftest import definition

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(user) -> APIClient:
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Bearer {token_create(user=user, name='t').secret}"
    )
    return client


def test_create_publish_get_patch_flow(api, user) -> None:
    response = api.post(
        "/api/v1/characters/",
        {
            "definition": definition("Api Keeper"),
            "tagline": "made by API",
            "category": "story",
            "publish": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    slug = body["slug"]
    assert body["version"] == 1
    assert body["category"] == "story"
    assert response["Location"] == f"/api/v1/characters/{slug}/"

    response = api.patch(
        f"/api/v1/characters/{slug}/",
        {"definition": {"personality": "bold"}},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["has_unpublished_changes"] is True
    assert response.json()["version"] == 1
    public = APIClient().get(f"/api/v1/characters/{slug}/").json()
    assert (
        public["definition"]["personality"] == "patient, curious"
    )  # still v1 for others

    response = api.patch(
        f"/api/v1/characters/{slug}/",
        {"publish": True, "note": "bolder"},
        format="json",
    )
    assert response.json()["version"] == 2
    public = APIClient().get(f"/api/v1/characters/{slug}/").json()
    assert public["definition"]["personality"] == "bold"
    versions = api.get(f"/api/v1/characters/{slug}/versions/").json()["results"]
    assert [(v["number"], v["note"], v["live"]) for v in versions] == [
        (2, "bolder", True),
        (1, "First version", False),
    ]
    # Publishing again with nothing new, and a setting: the setting applies,
    # no third version (a client may send "publish": true with every save).
    response = api.patch(
        f"/api/v1/characters/{slug}/",
        {"publish": True, "remix_allowed": False},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert response.json()["remix_allowed"] is False
    assert len(api.get(f"/api/v1/characters/{slug}/versions/").json()["results"]) == 2


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({}, "definition", "This field is required."),
        ({"definition": {"name": ""}}, "name", "Name is required."),
        (
            {"definition": definition("X"), "category": "nonsense"},
            "category",
            "is not a valid choice",
        ),
        (
            {"definition": definition("X"), "tagline": "t" * 60},
            "tagline",
            "the limit is 50",
        ),
        (
            {"definition": {**definition("X"), "description": "d" * 33000}},
            "definition",
            "the limit is 32,000",
        ),
        ({"definition": "not an object"}, "definition", "dictionary"),
        # What PostgreSQL cannot store is refused by name, not a 500.
        (
            {"definition": {**definition("X"), "description": "a\u0000b"}},
            "definition",
            "NUL character (\\u0000) in the definition.description",
        ),
        (
            {"definition": {**definition("X"), "extensions": {"k\u0000": 1}}},
            "definition",
            "NUL character (\\u0000) in a key of the definition.extensions",
        ),
        # A name nobody can see: zero-width space, soft hyphen, BOM, fillers.
        ({"definition": definition("\u200b")}, "name", "Name is required."),
        ({"definition": definition("\u00ad\ufeff")}, "name", "Name is required."),
        ({"definition": definition("\u2800\u3164")}, "name", "Name is required."),
        (
            {"definition": definition("X"), "language": "<b>"},
            "language",
            "Language is a code",
        ),
    ],
)
def test_bad_input_is_400_with_named_field_and_nothing_saved(
    api, payload, field, message
) -> None:
    response = api.post("/api/v1/characters/", payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert field in body["fields"], body
    assert any(message in m for m in body["fields"][field]), body
    assert body["error"]
    assert not Character.objects.exists()


def test_a_lone_surrogate_is_refused_by_name(api) -> None:
    """JSON may escape half a UTF-16 pair; no UTF-8 column can store it."""
    body = (
        json.dumps({"definition": definition("X")})[:-2] + ', "scenario": "\\ud800"}}'
    )
    response = api.post("/api/v1/characters/", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["fields"]["definition"] == [
        "The definition has a broken character (a lone UTF-16 surrogate) in "
        "the definition.scenario."
    ]
    assert not Character.objects.exists()


def test_patch_bad_input_keeps_the_character(api, user, make_character) -> None:
    character = make_character(user, "Stable")
    response = api.patch(
        f"/api/v1/characters/{character.slug}/",
        {"definition": {"tags": ["x" * 40]}},
        format="json",
    )
    assert response.status_code == 400
    assert "the limit is 32" in response.json()["fields"]["tags"][0]
    character.refresh_from_db()
    assert character.draft is None


def test_remix_via_api(api, other_user, make_character) -> None:
    original = make_character(other_user, "Remixable")
    response = api.post(f"/api/v1/characters/{original.slug}/remix/")
    assert response.status_code == 201
    assert response.json()["remixed_from"] == original.slug
    closed = make_character(other_user, "Closed", remix_allowed=False)
    response = api.post(f"/api/v1/characters/{closed.slug}/remix/")
    assert response.status_code == 400
    assert response.json()["error"] == "This character cannot be remixed."


def test_anonymous_cannot_create() -> None:
    response = APIClient().post(
        "/api/v1/characters/", {"definition": definition("X")}, format="json"
    )
    assert response.status_code in (401, 403)
    assert not Character.objects.exists()


def test_list_filters_and_cursor(api, user, make_character) -> None:
    for i in range(5):
        make_character(user, f"L{i}", category="games" if i % 2 else "anime")
    page = (
        APIClient()
        .get("/api/v1/characters/?category=games&sort=new&page_size=1")
        .json()
    )
    assert len(page["results"]) == 1
    second = APIClient().get(page["next"]).json()
    assert len(second["results"]) == 1
    assert second["results"][0]["slug"] != page["results"][0]["slug"]
    assert APIClient().get("/api/v1/characters/?sort=bogus").status_code == 400
    bad = APIClient().get("/api/v1/characters/?page_size=abc")
    assert bad.status_code == 400
    assert (
        bad.json()["error"]
        == "“page_size” must be a whole number from 0 to 2147483647."
    )


def test_schema_and_docs_are_served() -> None:
    assert APIClient().get("/api/schema/").status_code == 200
    docs = APIClient().get("/api/docs/")
    assert docs.status_code == 200
