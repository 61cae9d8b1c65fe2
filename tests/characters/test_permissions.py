"""Who sees what, as a matrix of routes × roles × character states."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from characters.selectors import catalog_page, similar_characters
from characters.services import character_delete
from community.models import Profile

pytestmark = pytest.mark.django_db

ROLES = ("owner", "other", "anonymous", "staff")


@pytest.fixture
def clients(user, other_user, staff_user) -> dict[str, Client]:
    out: dict[str, Client] = {"anonymous": Client()}
    for role, who in (("owner", user), ("other", other_user), ("staff", staff_user)):
        c = Client()
        c.force_login(who)
        out[role] = c
    return out


@pytest.fixture
def api_clients(user, other_user, staff_user) -> dict[str, APIClient]:
    out: dict[str, APIClient] = {"anonymous": APIClient()}
    for role, who in (("owner", user), ("other", other_user), ("staff", staff_user)):
        c = APIClient()
        c.force_authenticate(who)
        out[role] = c
    return out


def _state(make_character, user, state: str):
    if state == "public":
        return make_character(user, "Pub")
    if state == "unlisted":
        return make_character(user, "Unl", visibility="unlisted")
    if state == "private":
        return make_character(user, "Priv", visibility="private")
    if state == "draft":
        return make_character(user, "Drafty", publish=False)
    if state == "deleted":
        c = make_character(user, "Gone")
        character_delete(character=c)
        return c
    raise AssertionError(state)


# Expected status of GET on the character page and the API detail.
VIEW = {
    "public": {"owner": 200, "other": 200, "anonymous": 200, "staff": 200},
    "unlisted": {"owner": 200, "other": 200, "anonymous": 200, "staff": 200},
    "private": {"owner": 200, "other": 404, "anonymous": 404, "staff": 404},
    "draft": {"owner": 200, "other": 404, "anonymous": 404, "staff": 404},
    "deleted": {"owner": 404, "other": 404, "anonymous": 404, "staff": 404},
}


@pytest.mark.parametrize("state", list(VIEW))
@pytest.mark.parametrize("role", ROLES)
def test_view_matrix(user, make_character, clients, api_clients, state, role) -> None:
    character = _state(make_character, user, state)
    expected = VIEW[state][role]
    assert clients[role].get(f"/c/{character.slug}/").status_code == expected
    assert (
        api_clients[role].get(f"/api/v1/characters/{character.slug}/").status_code
        == expected
    )


@pytest.mark.parametrize("state", ["public", "private", "draft"])
@pytest.mark.parametrize("role", ROLES)
def test_owner_only_routes(
    user, make_character, clients, api_clients, state, role
) -> None:
    character = _state(make_character, user, state)
    slug = character.slug
    edit = clients[role].get(f"/c/{slug}/edit/")
    versions = clients[role].get(f"/c/{slug}/versions/")
    api_versions = api_clients[role].get(f"/api/v1/characters/{slug}/versions/")
    patch = api_clients[role].patch(
        f"/api/v1/characters/{slug}/", {"tagline": "hijacked"}, format="json"
    )
    if role == "owner":
        assert (
            edit.status_code,
            versions.status_code,
            api_versions.status_code,
            patch.status_code,
        ) == (200, 200, 200, 200)
    elif role == "anonymous":
        assert edit.status_code == 302 and edit["Location"].startswith(
            "/accounts/login/"
        )
        assert api_versions.status_code in (401, 403)
        assert patch.status_code in (401, 403)
    else:
        assert (
            edit.status_code,
            versions.status_code,
            api_versions.status_code,
            patch.status_code,
        ) == (404, 404, 404, 404)
    character.refresh_from_db()
    draft_tagline = (character.draft or {}).get("meta", {}).get("tagline")
    assert (draft_tagline == "hijacked") == (role == "owner")


@pytest.mark.parametrize("role", ["other", "staff"])
def test_private_and_missing_are_indistinguishable(
    user, make_character, clients, api_clients, role
) -> None:
    private = _state(make_character, user, "private")
    for path in ("/c/{}/", "/c/{}/edit/", "/c/{}/versions/"):
        real = clients[role].get(path.format(private.slug))
        fake = clients[role].get(path.format("no-such-character-x1"))
        assert real.status_code == fake.status_code == 404
    real = api_clients[role].get(f"/api/v1/characters/{private.slug}/")
    fake = api_clients[role].get("/api/v1/characters/no-such-character-x1/")
    assert real.status_code == fake.status_code == 404
    assert real.json() == fake.json()


@pytest.mark.parametrize("role", ROLES)
def test_delete_matrix(user, make_character, clients, api_clients, role) -> None:
    character = _state(make_character, user, "public")
    response = api_clients[role].delete(f"/api/v1/characters/{character.slug}/")
    character.refresh_from_db()
    if role == "owner":
        assert response.status_code == 204
        assert character.deleted_at is not None
    else:
        assert response.status_code in (401, 403, 404)
        assert character.deleted_at is None


@pytest.mark.parametrize("state", list(VIEW))
@pytest.mark.parametrize("role", ROLES)
def test_only_public_published_characters_are_listed(
    user, other_user, staff_user, make_character, clients, state, role
) -> None:
    character = _state(make_character, user, state)
    listed_for = {"owner": user, "other": other_user, "staff": staff_user}
    from django.contrib.auth.models import AnonymousUser

    viewer = listed_for.get(role) or AnonymousUser()
    names = [c.name for c in catalog_page(user=viewer).items]
    searched = [c.name for c in catalog_page(user=viewer, q=character.name).items]
    discover = clients[role].get("/discover/").content.decode()
    api = APIClient().get("/api/v1/characters/").json()["results"]
    visible = state == "public"
    assert (character.name in names) == visible
    assert (character.name in searched) == visible
    assert (f"/c/{character.slug}/" in discover) == visible
    assert (character.slug in [r["slug"] for r in api]) == visible
    anchor = make_character(other_user, "Anchor")
    assert (character in similar_characters(character=anchor, user=viewer)) == visible


def _adult(profile: Profile, opted_in: bool) -> None:
    profile.birth_date = dt.date(1990, 1, 1)
    profile.show_mature = opted_in
    profile.save()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 404),
        ("no_birth_date", 404),
        ("minor", 404),
        ("adult_not_opted_in", 404),
        ("adult_opted_in", 200),
        ("owner", 200),
    ],
)
def test_mature_rule(user, other_user, make_character, who, expected) -> None:
    character = make_character(user, "Noir", content_rating="mature")
    client = Client()
    profile = other_user.profile
    if who == "minor":
        today = timezone.localdate()
        profile.birth_date = dt.date(today.year - 15, 1, 1)
        profile.show_mature = True
        profile.save()
    elif who == "adult_not_opted_in":
        _adult(profile, False)
    elif who == "adult_opted_in":
        _adult(profile, True)
    if who == "owner":
        client.force_login(user)
    elif who != "anonymous":
        client.force_login(other_user)
    assert client.get(f"/c/{character.slug}/").status_code == expected
    listed = "Noir" in client.get("/discover/").content.decode()
    assert listed == (who == "adult_opted_in")


@pytest.mark.parametrize("role", ROLES)
def test_hidden_definition_only_for_owner(
    user, make_character, api_clients, clients, role
) -> None:
    character = make_character(
        user,
        "Secretive",
        definition_visible=False,
        description="SECRET-DESC zanzibarquux",
        mes_example="<START>\nSECRET-EX",
    )
    data = api_clients[role].get(f"/api/v1/characters/{character.slug}/").json()
    page = clients[role].get(f"/c/{character.slug}/").content.decode()
    if role == "owner":
        assert data["definition"]["description"] == "SECRET-DESC zanzibarquux"
        assert "SECRET-EX" in page
    else:
        assert "description" not in data["definition"]
        assert "mes_example" not in data["definition"]
        assert "SECRET-DESC" not in str(data) and "SECRET-EX" not in page
        assert "SECRET-DESC" not in page
        assert "keeps this character" in page
    from django.contrib.auth.models import AnonymousUser

    # Search must not reveal words that only the hidden description contains.
    assert catalog_page(user=AnonymousUser(), q="zanzibarquux").items == []
