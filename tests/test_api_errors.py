"""One error body for the whole API: {"error": a sentence, "fields": {name:
[messages]}, "code"?} — from our views, from DRF's own exceptions (malformed
JSON, serializer errors, 401/403/404/405, media types) and for addresses
under /api/ that no view answers."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import SuspiciousOperation
from django.test import Client, RequestFactory
from rest_framework.exceptions import Throttled
from rest_framework.test import APIClient

from characters.models import Character
from chat.models import Conversation
from community.models import Board, Comment, Notification, Post, SharedChat, User
from community.services import board_create
from config.api_errors import exception_handler
from config.views import bad_request, server_error

pytestmark = pytest.mark.django_db


def _api(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _shape(body: dict[str, object]) -> None:
    """Every error body: a sentence, fields by name, maybe a code; no other key."""
    assert set(body) <= {"error", "fields", "code"}, body
    assert isinstance(body["error"], str) and body["error"].endswith("."), body
    assert isinstance(body["fields"], dict), body
    assert all(
        isinstance(msgs, list) and all(isinstance(m, str) for m in msgs)
        for msgs in body["fields"].values()
    ), body


@pytest.fixture
def board(staff_user: User) -> Board:
    return board_create(by=staff_user, slug="general", name="General", position=1)


@pytest.fixture
def write_urls(board: Board, published_character: Character) -> list[str]:
    """A JSON write of each app's API."""
    return [
        f"/api/v1/boards/{board.slug}/posts/",
        f"/api/v1/characters/{published_character.slug}/comments/",
        "/api/v1/characters/",
        "/api/v1/conversations/",
        "/api/v1/personas/",
        "/api/v1/shares/",
        "/api/v1/notifications/read/",
    ]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            '{"title": "Hi", "body": "x"',
            "The request body is not valid JSON: expecting ',' delimiter at "
            "line 1, column 28.",
        ),
        (
            '{"title": "Hi",\n "body": }',
            "The request body is not valid JSON: expecting value at line 2, column 10.",
        ),
        (
            '{"title": "unterminated',
            "The request body is not valid JSON: unterminated string starting "
            "at line 1, column 11.",
        ),
        ("", None),  # no body at all is not malformed: the view says what it needs
    ],
)
def test_malformed_json_says_where_in_every_app(
    other_user: User, write_urls: list[str], raw: str, message: str | None
) -> None:
    client = _api(other_user)
    for url in write_urls:
        r = client.post(url, raw, content_type="application/json")
        assert r.status_code == 400, (url, r.content)
        body = r.json()
        _shape(body)
        if message is None:
            assert "JSON" not in body["error"], (url, body)
            continue
        assert body == {"error": message, "fields": {}, "code": "parse_error"}, url
    assert not Post.objects.exists() and not Comment.objects.exists()
    assert Character.objects.count() == 1 and not Conversation.objects.exists()


def test_a_body_that_is_not_utf8_is_named_as_such(
    other_user: User, board: Board
) -> None:
    r = _api(other_user).post(
        f"/api/v1/boards/{board.slug}/posts/",
        b'{"title": "caf\xe9"}',
        content_type="application/json",
    )
    assert r.status_code == 400
    assert r.json() == {
        "error": "The request body is not valid JSON: it is not UTF-8 text "
        "(byte 15 cannot be decoded).",
        "fields": {},
        "code": "parse_error",
    }


@pytest.mark.parametrize("payload", [[{"title": "Hi", "body": "x"}], "Hi", 7, None])
def test_a_body_that_is_not_an_object_is_refused_in_every_app(
    other_user: User, write_urls: list[str], payload: object
) -> None:
    """Community's views took an array for {} ("The title cannot be empty.");
    the serializers' "Expected a dictionary, but got list." spoke Python."""
    kind = {list: "an array", str: "text", int: "a number", type(None): "null"}[
        type(payload)
    ]
    client = _api(other_user)
    for url in write_urls:
        r = client.post(url, json.dumps(payload), content_type="application/json")
        assert r.status_code == 400, (url, r.content)
        assert r.json() == {
            "error": 'The request body must be a JSON object ({"name": value, …}), '
            f"not {kind}.",
            "fields": {},
        }, url
    assert not Post.objects.exists() and not Comment.objects.exists()
    assert not SharedChat.objects.exists() and not Conversation.objects.exists()


def test_rating_and_share_comments_refuse_an_array_too(
    other_user: User, published_character: Character
) -> None:
    r = _api(other_user).put(
        f"/api/v1/characters/{published_character.slug}/rating/",
        "[5]",
        content_type="application/json",
    )
    assert r.status_code == 400
    assert r.json()["error"].startswith("The request body must be a JSON object")
    published_character.refresh_from_db()
    assert published_character.rating_count == 0


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/no-such-thing/",
        "/api/v1/posts/abc/vote/",  # the route takes a number
        "/api/v2/characters/",
        "/api/",
    ],
)
def test_an_address_no_view_answers_gets_the_body_too(path: str) -> None:
    r = Client().get(path)
    assert r.status_code == 404
    assert r["Content-Type"] == "application/json"
    assert r.json() == {
        "error": f"There is nothing at {path}: check the address against the "
        "API's routes at /api/docs/.",
        "fields": {},
        "code": "not_found",
    }
    # Pages keep their HTML 404.
    r = Client().get(path.replace("/api/", "/no-such-page/", 1))
    assert r.status_code == 404 and r["Content-Type"].startswith("text/html")


def test_what_you_may_not_see_is_404_with_the_selectors_sentence(
    user: User, other_user: User
) -> None:
    for r, message in (
        (_api(user).get("/api/v1/shares/999999/"), "No such shared chat."),
        (_api(user).get("/api/v1/characters/nobody-here/"), "No such character."),
        (_api(user).get("/api/v1/conversations/999999/"), "No such conversation."),
        (_api(user).post("/api/v1/users/nobody_here/follow/"), "No such profile."),
    ):
        assert r.status_code == 404
        assert r.json() == {"error": message, "fields": {}, "code": "not_found"}


def test_method_not_allowed_names_the_methods_it_takes(
    user: User, board: Board
) -> None:
    r = _api(user).put(f"/api/v1/boards/{board.slug}/posts/", {}, format="json")
    assert r.status_code == 405
    assert r.json() == {
        "error": "PUT is not allowed here; this address takes GET, POST.",
        "fields": {},
        "code": "method_not_allowed",
    }
    assert "POST" in r["Allow"]
    r = _api(user).delete("/api/v1/boards/")
    assert r.status_code == 405
    assert r.json()["error"] == "DELETE is not allowed here; this address takes GET."


def test_signing_in_is_explained(board: Board) -> None:
    r = APIClient().post(
        f"/api/v1/boards/{board.slug}/posts/", {"title": "x"}, format="json"
    )
    assert r.status_code == 401  # as before: the bearer scheme is offered
    assert r["WWW-Authenticate"].startswith("Bearer")
    body = r.json()
    _shape(body)
    assert body["code"] == "not_authenticated"
    assert body["error"].startswith("Sign in first")
    assert "Authorization: Bearer" in body["error"]
    # A view's own reason is kept.
    r = APIClient().get("/api/v1/feed/?kind=home")
    assert r.status_code == 401
    assert r.json() == {
        "error": "The home feed needs a login.",
        "fields": {},
        "code": "not_authenticated",
    }


def test_a_failed_csrf_check_says_what_to_send(user: User, board: Board) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    r = client.post(
        f"/api/v1/boards/{board.slug}/posts/", {"title": "Hi"}, format="json"
    )
    assert r.status_code == 403
    body = r.json()
    assert body["code"] == "permission_denied"
    assert body["error"].startswith("The CSRF check failed (CSRF cookie not set)")
    assert "X-CSRFToken" in body["error"]
    assert not Post.objects.exists()


def test_an_unsupported_body_type_says_what_to_send(user: User, board: Board) -> None:
    r = _api(user).post(
        f"/api/v1/boards/{board.slug}/posts/", "title=Hi", content_type="text/plain"
    )
    assert r.status_code == 415
    body = r.json()
    assert body["code"] == "unsupported_media_type"
    assert body["error"].startswith("This address does not take a “text/plain” body")
    assert "application/json" in body["error"]


def test_serializer_errors_become_fields_named_in_the_sentence(user: User) -> None:
    r = _api(user).post(
        "/api/v1/personas/", {"name": "", "is_default": "maybe"}, format="json"
    )
    assert r.status_code == 400
    body = r.json()
    assert set(body["fields"]) == {"name", "is_default"}
    assert body["fields"]["name"] == ["This field may not be blank."]
    assert "“name”: This field may not be blank." in body["error"]
    assert "“is_default”: " in body["error"]
    assert "code" not in body
    r = _api(user).post(
        "/api/v1/characters/", {"visibility": "sideways"}, format="json"
    )
    assert r.status_code == 400
    assert r.json()["fields"] == {"visibility": ['"sideways" is not a valid choice.']}


def test_chat_keeps_its_codes(user: User) -> None:
    r = _api(user).post(
        "/api/v1/conversations/", {"character": "nobody-here"}, format="json"
    )
    assert r.status_code == 400
    assert r.json() == {
        "error": "No such character.",
        "fields": {"character": ["No such character."]},
        "code": "invalid_field",
    }
    r = _api(user).post("/api/v1/personas/", {"name": "\u200b"}, format="json")
    assert r.status_code == 400
    assert r.json()["code"] == "invalid_field"


def test_notifications_read_says_what_to_send(user: User) -> None:
    r = _api(user).post("/api/v1/notifications/read/", {}, format="json")
    assert r.status_code == 400
    assert r.json() == {
        "error": 'Send {"id": <notification id>} or {"all": true}.',
        "fields": {},
    }
    r = _api(user).post("/api/v1/notifications/read/", {"all": "yes"}, format="json")
    assert r.status_code == 400
    assert r.json() == {
        "error": "“all” must be true or false, not text.",
        "fields": {"all": ["“all” must be true or false, not text."]},
    }
    assert not Notification.objects.exists()


def test_throttling_says_when_to_come_back() -> None:
    response = exception_handler(Throttled(wait=4.2), {})
    assert response is not None and response.status_code == 429
    assert response["Retry-After"] == "5"
    assert response.data == {
        "error": "Too many requests: try again in 5 seconds.",
        "fields": {},
        "code": "throttled",
    }


def test_server_and_request_errors_under_api_are_json() -> None:
    request = RequestFactory().get("/api/v1/characters/")
    response = server_error(request)
    assert response.status_code == 500
    assert json.loads(response.content) == {
        "error": "Something went wrong on our side; nothing you sent is at fault. "
        "Try again in a moment.",
        "fields": {},
        "code": "server_error",
    }
    page = server_error(RequestFactory().get("/discover/"))
    assert page.status_code == 500 and b"<html" in page.content.lower()
    # What Django refuses before a view (a SuspiciousOperation) is a 400 body.
    refused = bad_request(request, SuspiciousOperation("too many fields"))
    assert refused.status_code == 400
    body = json.loads(refused.content)
    assert body["code"] == "bad_request" and body["fields"] == {}
