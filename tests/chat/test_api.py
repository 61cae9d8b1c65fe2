"""REST API: conversations, history paging, personas — as a matrix of roles."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytest_django import DjangoAssertNumQueries
from rest_framework.test import APIClient

from characters.models import Character
from chat.models import Conversation, Message, Persona
from chat.services import message_send
from community.models import User

pytestmark = pytest.mark.django_db


def api(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_create_conversation_returns_its_id_and_greeting(
    user: User, character: Character
) -> None:
    response = api(user).post(
        "/api/v1/conversations/", {"character": character.slug}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    conversation = Conversation.objects.get(pk=body["id"])
    assert conversation.owner == user and body["character"] == character.slug
    assert body["socket"] == f"/ws/conversations/{body['id']}/"
    character.refresh_from_db()
    assert character.chats_count == 1
    history = api(user).get(f"/api/v1/conversations/{body['id']}/messages/").json()
    assert [m["author"] for m in history["results"]] == ["character"]
    assert len(history["results"][0]["alternatives"]) == 2  # greeting + alternate


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "character"),
        ({"character": "no-such-one"}, "character"),
        ({"character": "Not a slug!"}, "character"),
    ],
)
def test_create_with_bad_input_saves_nothing(
    user: User, payload: dict[str, str], field: str
) -> None:
    response = api(user).post("/api/v1/conversations/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not Conversation.objects.exists()


def test_anonymous_cannot_create(character: Character) -> None:
    response = api(None).post(
        "/api/v1/conversations/", {"character": character.slug}, format="json"
    )
    assert response.status_code in (401, 403)
    assert not Conversation.objects.exists()


ROUTES = [
    ("get", "/api/v1/conversations/{pk}/"),
    ("patch", "/api/v1/conversations/{pk}/"),
    ("get", "/api/v1/conversations/{pk}/messages/"),
    ("delete", "/api/v1/conversations/{pk}/"),
]


@pytest.mark.parametrize(("method", "route"), ROUTES)
@pytest.mark.parametrize("role", ["owner", "other", "staff", "anonymous"])
def test_conversation_routes_by_role(
    method: str, route: str, role: str, conversation: Conversation,
    user: User, other_user: User, staff_user: User,
) -> None:  # fmt: skip
    who = {"owner": user, "other": other_user, "staff": staff_user, "anonymous": None}[
        role
    ]
    response = getattr(api(who), method)(
        route.format(pk=conversation.pk), {"title": "T"}, format="json"
    )
    expected = {
        "owner": {200, 204},
        "other": {404},
        "staff": {404},
        "anonymous": {401, 403},
    }[role]
    assert response.status_code in expected
    assert Conversation.objects.filter(pk=conversation.pk).exists() == (
        not (role == "owner" and method == "delete")
    )


def test_rename_and_bad_rename(conversation: Conversation, user: User) -> None:
    url = f"/api/v1/conversations/{conversation.pk}/"
    assert (
        api(user).patch(url, {"title": "Storm night"}, format="json").json()["title"]
        == "Storm night"
    )
    response = api(user).patch(url, {"title": "x" * 121}, format="json")
    assert response.status_code == 400 and "title" in response.json()["fields"]
    conversation.refresh_from_db()
    assert conversation.title == "Storm night"


def test_list_most_recent_first_with_preview_and_constant_queries(
    user: User, character: Character, make_character: Callable[..., Character],
    other_user: User, django_assert_num_queries: DjangoAssertNumQueries,
) -> None:  # fmt: skip
    client = api(user)
    ids = [
        client.post(
            "/api/v1/conversations/", {"character": c.slug}, format="json"
        ).json()["id"]
        for c in [
            character,
            *(make_character(other_user, name=f"C{i}") for i in range(4)),
        ]
    ]
    first = Conversation.objects.get(pk=ids[0])
    message_send(conversation=first, user=user, client_id="a", text="Newest words")
    with django_assert_num_queries(1):  # one query for the page
        small = client.get("/api/v1/conversations/?limit=2").json()
    with django_assert_num_queries(1):
        big = client.get("/api/v1/conversations/?limit=50").json()
    assert isinstance(small["next_cursor"], str) and big["next_cursor"] is None
    assert big["results"][0]["id"] == ids[0]
    assert big["results"][0]["preview"] == "Newest words"
    assert [r["id"] for r in big["results"][1:]] == sorted(ids[1:], reverse=True)


def test_messages_page_backwards_with_constant_queries(
    user: User,
    conversation: Conversation,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    from chat.models import Alternative, Author

    for i in range(30):
        m = Message.objects.create(
            conversation=conversation, seq=i + 2, author=Author.USER, user=user
        )
        Alternative.objects.create(message=m, index=0, text=f"m{i}")
    url = f"/api/v1/conversations/{conversation.pk}/messages/"
    with django_assert_num_queries(4):  # conversation, messages, alternatives, ratings
        page = api(user).get(url + "?limit=10").json()
    with django_assert_num_queries(4):
        api(user).get(url + "?limit=31").json()
    assert [m["seq"] for m in page["results"]] == list(range(22, 32))
    before = page["previous_before_seq"]
    older = api(user).get(url + f"?limit=10&before_seq={before}").json()
    assert [m["seq"] for m in older["results"]] == list(range(12, 22))
    assert api(user).get(url + "?limit=abc").status_code == 400


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("limit=99999999999999999999", "limit"),
        ("limit=abc", "limit"),
        ("limit=1e3", "limit"),
    ],
)
def test_conversation_list_refuses_bad_numbers_by_name(
    user: User, conversation: Conversation, query: str, name: str
) -> None:
    response = api(user).get(f"/api/v1/conversations/?{query}")
    assert response.status_code == 400
    assert response.json() == {
        "error": f"“{name}” must be a whole number from 0 to 2147483647.",
        "fields": {},
    }


def test_conversation_pages_neither_repeat_nor_skip_a_chat_that_moves_up(
    user: User, other_user: User, make_character: Callable[..., Character]
) -> None:
    """The list pages by a cursor on (last activity, id): with offsets, a chat
    that got a message while a client paged moved to the top and the rest
    shifted down a place — the next page showed one of them again."""
    client = api(user)
    ids = [
        client.post(
            "/api/v1/conversations/",
            {"character": make_character(other_user, name=f"K{i}").slug},
            format="json",
        ).json()["id"]
        for i in range(5)
    ]
    first = client.get("/api/v1/conversations/?limit=2").json()
    assert [r["id"] for r in first["results"]] == [ids[4], ids[3]]
    # The oldest chat gets a message: it moves to the top.
    oldest = Conversation.objects.get(pk=ids[0])
    message_send(conversation=oldest, user=user, client_id="z", text="Back again")
    seen = [r["id"] for r in first["results"]]
    cursor = first["next_cursor"]
    while cursor:
        page = client.get(f"/api/v1/conversations/?limit=2&cursor={cursor}").json()
        seen += [r["id"] for r in page["results"]]
        cursor = page["next_cursor"]
    assert seen == [ids[4], ids[3], ids[2], ids[1]]  # none twice, none skipped
    # The moved chat is at the top of a fresh first page.
    top = client.get("/api/v1/conversations/?limit=1").json()["results"][0]
    assert top["id"] == ids[0]
    bad = client.get("/api/v1/conversations/?cursor=nonsense")
    assert bad.status_code == 400
    assert bad.json()["error"] == (
        "The cursor is not valid; start again from the first page."
    )


def test_message_page_refuses_huge_sequence_numbers(
    user: User, conversation: Conversation
) -> None:
    url = f"/api/v1/conversations/{conversation.pk}/messages/"
    response = api(user).get(url + "?after_seq=99999999999999999999")
    assert response.status_code == 400 and "after_seq" in response.json()["error"]
    assert api(user).get(url + "?after_seq=0").status_code == 200


def test_personas_crud_and_default(user: User, other_user: User) -> None:
    client = api(user)
    first = client.post(
        "/api/v1/personas/", {"name": "Ann", "description": "A sailor"}, format="json"
    ).json()
    assert first["is_default"] is True  # the first one is the default
    second = client.post(
        "/api/v1/personas/", {"name": "Bo", "is_default": True}, format="json"
    ).json()
    assert [p["name"] for p in client.get("/api/v1/personas/").json()] == ["Bo", "Ann"]
    assert Persona.objects.get(pk=first["id"]).is_default is False
    too_long = client.post(
        "/api/v1/personas/", {"name": "X", "description": "d" * 2001}, format="json"
    )
    assert too_long.status_code == 400
    assert "description" in too_long.json()["fields"]
    invisible = client.post(
        "/api/v1/personas/", {"name": "\u200b\u3164"}, format="json"
    )
    assert invisible.status_code == 400
    assert "needs a name" in invisible.json()["error"]
    assert invisible.json()["code"] == "invalid_field"
    assert Persona.objects.filter(user=user).count() == 2
    assert api(other_user).get(f"/api/v1/personas/{second['id']}/").status_code == 404
    assert (
        api(other_user).delete(f"/api/v1/personas/{second['id']}/").status_code == 404
    )
    assert (
        client.patch(
            f"/api/v1/personas/{second['id']}/", {"name": "Bob"}, format="json"
        ).json()["name"]
        == "Bob"
    )
    assert client.delete(f"/api/v1/personas/{second['id']}/").status_code == 204


def test_conversation_uses_the_default_persona_and_can_switch(
    user: User, other_user: User, character: Character
) -> None:
    client = api(user)
    ann = client.post("/api/v1/personas/", {"name": "Ann"}, format="json").json()
    body = client.post(
        "/api/v1/conversations/", {"character": character.slug}, format="json"
    ).json()
    assert body["persona"] == ann["id"]
    history = client.get(f"/api/v1/conversations/{body['id']}/messages/").json()
    assert "Welcome aboard, Ann!" in history["results"][0]["alternatives"][0]["text"]
    foreign = Persona.objects.create(user=other_user, name="Theirs")
    response = client.patch(
        f"/api/v1/conversations/{body['id']}/", {"persona": foreign.pk}, format="json"
    )
    assert response.status_code == 400
    assert Conversation.objects.get(pk=body["id"]).persona_id == ann["id"]
