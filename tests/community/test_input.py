"""What the community refuses, by field: JSON of the wrong type (nothing is
coerced), text PostgreSQL cannot store (a NUL, a lone surrogate — a DataError,
a 500, before), and text that shows nothing (only zero-width or filler
characters). Shared chats' fields are tested in test_shares.py."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from characters.models import Character
from community import services
from community.models import Board, Comment, FeedEvent, Moment, Post, Profile, User

pytestmark = pytest.mark.django_db

NUL = "a\u0000b"
SURROGATE = "a\ud800b"
UNSTORABLE = {
    NUL: "a NUL character (\\u0000)",
    SURROGATE: "a broken character (a lone UTF-16 surrogate)",
}
# Zero-width space, word joiner, Hangul filler, Braille blank.
INVISIBLE = "\u200b\u2060\u3164\u2800"


def _api(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _post_json(client: APIClient, url: str, payload: object):
    # As a client sends it: json.dumps escapes a lone surrogate ("\ud800"),
    # which the test client's renderer could not encode to UTF-8.
    return client.post(url, json.dumps(payload), content_type="application/json")


def _refused(response, field: str, message: str) -> None:
    assert response.status_code == 400, response.content
    assert response.json() == {"error": message, "fields": {field: [message]}}


def _flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- Posts -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        (
            {"title": "Hi", "body": {"x": 1}},
            "body",
            "“body” must be text, not an object.",
        ),
        ({"title": 123, "body": "x"}, "title", "“title” must be text, not a number."),
        ({"title": None}, "title", "“title” must be text, not null."),
        ({"title": ["Hi"]}, "title", "“title” must be text, not an array."),
        (
            {"title": "Hi", "character": 5},
            "character",
            "“character” must be text, not a number.",
        ),
        (
            {"title": "Hi", "share": "7"},
            "share",
            "“share” must be a shared chat id, not text.",
        ),
        (
            {"title": "Hi", "share": True},
            "share",
            "“share” must be a shared chat id, not true or false.",
        ),
        (
            {"title": "Hi", "share": 10**30},
            "share",
            f"“share” must be a shared chat id; {10**30} is out of range.",
        ),
    ],
)
def test_post_fields_of_the_wrong_type_are_refused_by_name(
    user: User, board: Board, payload: dict[str, object], field: str, message: str
) -> None:
    r = _api(user).post(f"/api/v1/boards/{board.slug}/posts/", payload, format="json")
    _refused(r, field, message)
    assert not Post.objects.exists() and not FeedEvent.objects.exists()


@pytest.mark.parametrize("bad", [NUL, SURROGATE])
def test_post_text_postgres_cannot_store_is_refused_by_name(
    user: User, board: Board, bad: str
) -> None:
    url = f"/api/v1/boards/{board.slug}/posts/"
    r = _post_json(_api(user), url, {"title": bad, "body": "x"})
    _refused(r, "title", f"The title has {UNSTORABLE[bad]}.")
    r = _post_json(_api(user), url, {"title": "ok", "body": f"Hello {bad}"})
    _refused(r, "body", f"The text has {UNSTORABLE[bad]}.")
    assert not Post.objects.exists() and not FeedEvent.objects.exists()


def test_a_title_of_invisible_characters_is_empty_and_such_a_text_is_none(
    user: User, board: Board
) -> None:
    url = f"/api/v1/boards/{board.slug}/posts/"
    r = _api(user).post(url, {"title": INVISIBLE, "body": "x"}, format="json")
    _refused(r, "title", "The title cannot be empty.")
    assert not Post.objects.exists()
    r = _api(user).post(url, {"title": "Hi", "body": f" {INVISIBLE}\n"}, format="json")
    assert r.status_code == 201, r.content
    assert (r.json()["body"], r.json()["body_html"]) == ("", "")


def test_the_post_pages_refuse_a_nul_by_name(user: User, board: Board) -> None:
    client = Client()
    client.force_login(user)
    r = client.post(f"/community/b/{board.slug}/post/", {"title": NUL, "body": "x"})
    assert r.status_code == 400
    assert "The title has a NUL character" in r.content.decode()
    assert not Post.objects.exists()
    post = services.post_create(author=user, board=board, title="Kept", body="same")
    r = client.post(
        f"/community/p/{post.pk}/edit/", {"title": "Kept", "body": f"new {NUL}"}
    )
    assert r.status_code == 400
    assert "The text has a NUL character" in r.content.decode()
    post.refresh_from_db()
    assert (post.title, post.body, post.edited_at) == ("Kept", "same", None)


# --- Comments ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"body": 5}, "body", "“body” must be text, not a number."),
        ({"body": {"text": "hi"}}, "body", "“body” must be text, not an object."),
        (
            {"body": "hi", "parent": "3"},
            "parent",
            "“parent” must be a comment id, not text.",
        ),
        (
            {"body": "hi", "parent": 1.5},
            "parent",
            "“parent” must be a comment id, not a decimal number.",
        ),
        ({"body": NUL}, "body", "A comment has a NUL character (\\u0000)."),
        (
            {"body": SURROGATE},
            "body",
            "A comment has a broken character (a lone UTF-16 surrogate).",
        ),
        ({"body": INVISIBLE}, "body", "A comment cannot be empty."),
    ],
)
def test_bad_comment_fields_are_refused_by_name(
    user: User,
    other_user: User,
    make_character: Callable[..., Character],
    payload: dict[str, object],
    field: str,
    message: str,
) -> None:
    character = make_character(other_user)
    services.comment_create(author=other_user, character=character, body="first")
    r = _post_json(
        _api(user), f"/api/v1/characters/{character.slug}/comments/", payload
    )
    _refused(r, field, message)
    assert Comment.objects.count() == 1


def test_a_comment_edit_refuses_a_nul(user: User, board: Board) -> None:
    post = services.post_create(author=user, board=board, title="Post")
    comment = services.comment_create(author=user, post=post, body="mine")
    client = Client()
    client.force_login(user)
    r = client.post(f"/community/comments/{comment.pk}/edit/", {"body": NUL})
    assert r.status_code == 302
    assert _flash(r) == ["A comment has a NUL character (\\u0000)."]
    comment.refresh_from_db()
    assert (comment.body, comment.edited_at) == ("mine", None)


@pytest.mark.parametrize("parent", ["abc", "²", "-1", "1" * 30])
def test_the_comment_form_does_not_turn_a_bad_reply_into_a_comment(
    user: User, other_user: User, make_character: Callable[..., Character], parent: str
) -> None:
    character = make_character(other_user)
    client = Client()
    client.force_login(user)
    r = client.post(
        f"/community/c/{character.slug}/comments/", {"body": "hi", "parent": parent}
    )
    assert r.status_code == 302
    assert r["Location"] == f"/community/c/{character.slug}/#comments"
    assert _flash(r) == ["Your reply was not posted: “parent” must be a comment id."]
    assert not Comment.objects.exists()
    # A reply and a comment (an empty "parent") are posted as before.
    top = services.comment_create(author=other_user, character=character, body="top")
    url = f"/community/c/{character.slug}/comments/"
    client.post(url, {"body": "a reply", "parent": str(top.pk)})
    client.post(url, {"body": "a comment", "parent": ""})
    assert dict(Comment.objects.values_list("body", "parent")) == {
        "top": None,
        "a reply": top.pk,
        "a comment": None,
    }


# --- Ratings and notifications ----------------------------------------------------


def test_rating_a_text_number_is_refused(
    user: User, other_user: User, make_character: Callable[..., Character]
) -> None:
    character = make_character(other_user)
    r = _api(user).put(
        f"/api/v1/characters/{character.slug}/rating/", {"stars": "5"}, format="json"
    )
    assert r.status_code == 400
    assert r.json()["fields"] == {
        "stars": ["A rating is a whole number of stars from 1 to 5."]
    }


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"all": "yes"}, "all", "“all” must be true or false, not text."),
        ({"all": 1}, "all", "“all” must be true or false, not a number."),
        ({"id": "3"}, "id", "“id” must be a notification id, not text."),
        ({"id": True}, "id", "“id” must be a notification id, not true or false."),
    ],
)
def test_notifications_read_refuses_wrong_types(
    user: User, payload: dict[str, object], field: str, message: str
) -> None:
    r = _api(user).post("/api/v1/notifications/read/", payload, format="json")
    _refused(r, field, message)


def test_a_bad_page_size_is_refused_not_ignored(board: Board) -> None:
    r = _api(None).get(f"/api/v1/boards/{board.slug}/posts/?size=ten")
    assert r.status_code == 400
    assert r.json() == {
        "error": "“size” must be a whole number from 1 to 2147483647.",
        "fields": {},
    }


# --- Moments and profiles -----------------------------------------------------------


@pytest.mark.parametrize("bad", [NUL, SURROGATE])
def test_a_moment_postgres_cannot_store_is_refused_by_name(
    user: User, make_character: Callable[..., Character], bad: str
) -> None:
    character = make_character(user)
    with pytest.raises(ValidationError) as caught:
        services.moment_create(author=user, character=character, body=bad)
    assert caught.value.message_dict == {"body": [f"A moment has {UNSTORABLE[bad]}."]}
    with pytest.raises(ValidationError, match="cannot be empty"):
        services.moment_create(author=user, character=character, body=INVISIBLE)
    assert not Moment.objects.exists()


def test_the_moment_form_refuses_a_nul(
    user: User, make_character: Callable[..., Character]
) -> None:
    character = make_character(user)
    client = Client()
    client.force_login(user)
    r = client.post(f"/community/c/{character.slug}/moments/", {"body": NUL})
    assert r.status_code == 302
    assert _flash(r) == ["A moment has a NUL character (\\u0000)."]
    assert not Moment.objects.exists()


def test_an_invisible_display_name_is_the_handle_and_an_invisible_bio_none(
    user: User,
) -> None:
    client = Client()
    client.force_login(user)
    r = client.post(
        "/settings/profile/",
        {"display_name": INVISIBLE, "handle": "alice", "bio": f"{INVISIBLE}\n"},
    )
    assert r.status_code == 302, r.content
    profile = Profile.objects.get(user=user)
    assert (profile.display_name, profile.bio) == ("alice", "")
    r = Client().post(
        "/accounts/signup/",
        {
            "email": "newcomer@example.com",
            "handle": "newcomer",
            "display_name": "\u200b\u200b",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert r.status_code == 302
    assert Profile.objects.get(handle="newcomer").display_name == "newcomer"
