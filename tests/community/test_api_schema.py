"""The OpenAPI schema (/api/schema/) describes what the API answers: each call
below — characters, chat and community, successes and errors — is made with
the test client and its real body validated against the schema's response
for the status it answered (jsonschema, after turning OpenAPI 3.0's
``nullable`` into JSON Schema). Objects are closed: a key the schema does not
name fails too, so a field added to a view must be documented."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from jsonschema import (  # type: ignore[import-untyped]  # no stubs installed
    Draft202012Validator,
)
from rest_framework.test import APIClient

from characters.models import Character
from chat.models import Conversation
from community import services
from community.models import Board, User


def _json_schema(node: Any) -> Any:
    """OpenAPI 3.0 → JSON Schema: ``nullable`` becomes a null type, and an
    object with properties admits no others unless it says so."""
    if isinstance(node, list):
        return [_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _json_schema(v) for k, v in node.items()}
    if out.get("type") == "object" and "properties" in out:
        out.setdefault("additionalProperties", False)
    if out.pop("nullable", False):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        else:
            return {"anyOf": [out, {"type": "null"}]}
    return out


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    # drf-spectacular ships no types.
    generator = SchemaGenerator()  # type: ignore[no-untyped-call]
    generated = generator.get_schema(request=None, public=True)  # type: ignore[no-untyped-call]
    loaded: dict[str, Any] = json.loads(json.dumps(generated, default=str))
    return loaded


def _check(
    spec: dict[str, Any],
    client: APIClient,
    method: str,
    template: str,
    status: int,
    data: object = None,
    **kwargs: object,
) -> Any:
    url = template.format(**kwargs)
    r = (
        getattr(client, method)(url, data, format="json")
        if data is not None
        else (getattr(client, method)(url))
    )
    assert r.status_code == status, (method, url, r.status_code, r.content[:300])
    operation = spec["paths"][template.partition("?")[0]][method]
    responses = operation["responses"]
    assert str(status) in responses, (
        f"{method.upper()} {template} answered {status}; the schema documents "
        f"{sorted(responses)}"
    )
    documented = responses[str(status)]
    if "content" not in documented:
        assert not r.content, (method, url, "documented without a body")
        return None
    body = r.json()
    schema = _json_schema(documented["content"]["application/json"]["schema"])
    schema["components"] = _json_schema(spec["components"])
    errors = sorted(
        Draft202012Validator(schema).iter_errors(body), key=lambda e: list(e.path)
    )
    assert not errors, f"{method.upper()} {url} ({status}): " + "; ".join(
        f"{list(e.path)}: {e.message}" for e in errors[:5]
    )
    return body


def _client(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.django_db(transaction=True)  # chat generation commits
def test_real_answers_match_the_schema(
    spec: dict[str, Any],
    user: User,
    other_user: User,
    carol: User,
    board: Board,
    make_character: Callable[..., Character],
    make_conversation: Callable[..., Conversation],
) -> None:
    alice, bob, anon = _client(user), _client(other_user), _client(None)
    mira = make_character(other_user, "Mira")
    own = make_character(user, "Iris")
    slug = {"slug": mira.slug}

    def check(
        client: APIClient, method: str, template: str, status: int, **kw: Any
    ) -> Any:
        return _check(spec, client, method, f"/api/v1/{template}", status, **kw)

    # Characters.
    check(anon, "get", "characters/", 200)
    check(alice, "get", "characters/{slug}/", 200, **slug)
    check(anon, "get", "characters/{slug}/", 404, slug="no-such-character")
    check(alice, "get", "characters/{slug}/versions/", 200, slug=own.slug)
    check(alice, "post", "characters/", 400, data={"definition": 5})
    check(anon, "post", "characters/", 401, data={"definition": {}})

    # Chat.
    conversation = check(
        alice, "post", "conversations/", 201, data={"character": mira.slug}
    )
    assert conversation["persona"] is None
    check(alice, "post", "conversations/", 400, data={})
    check(alice, "get", "conversations/", 200)
    check(anon, "get", "conversations/", 401)
    check(alice, "get", "conversations/{id}/", 200, id=conversation["id"])
    check(bob, "get", "conversations/{id}/", 404, id=conversation["id"])
    check(alice, "get", "conversations/{id}/messages/", 200, id=conversation["id"])
    persona = check(alice, "post", "personas/", 201, data={"name": "Wren"})
    check(alice, "get", "personas/", 200)
    check(alice, "patch", "personas/{id}/", 200, id=persona["id"], data={"name": "W"})

    # Community: characters and people.
    check(alice, "get", "me/", 200)
    check(alice, "post", "characters/{slug}/like/", 201, **slug)
    check(alice, "post", "characters/{slug}/like/", 200, **slug)
    check(alice, "delete", "characters/{slug}/like/", 200, **slug)
    check(alice, "put", "characters/{slug}/rating/", 200, data={"stars": 4}, **slug)
    check(alice, "put", "characters/{slug}/rating/", 400, data={"stars": 9}, **slug)
    check(alice, "delete", "characters/{slug}/rating/", 204, **slug)
    check(alice, "post", "characters/{slug}/follow/", 201, **slug)
    check(alice, "delete", "characters/{slug}/follow/", 200, **slug)
    check(alice, "post", "users/{handle}/follow/", 201, handle="bob")
    check(alice, "delete", "users/{handle}/follow/", 200, handle="bob")
    check(alice, "post", "users/{handle}/follow/", 201, handle="bob")
    check(alice, "post", "users/{handle}/block/", 201, handle="carol")
    check(alice, "delete", "users/{handle}/block/", 200, handle="carol")
    check(anon, "post", "users/{handle}/block/", 401, handle="carol")
    top = check(
        bob, "post", "characters/{slug}/comments/", 201, data={"body": "Hi"}, **slug
    )
    check(
        alice,
        "post",
        "characters/{slug}/comments/",
        201,
        data={"body": "Hello @bob", "parent": top["id"]},
        **slug,
    )
    check(alice, "post", "characters/{slug}/comments/", 400, data={"body": 1}, **slug)
    check(anon, "get", "characters/{slug}/comments/", 200, **slug)

    # Boards, posts, the feed.
    check(anon, "get", "boards/", 200)
    post = check(
        bob,
        "post",
        "boards/{slug}/posts/",
        201,
        slug=board.slug,
        data={"title": "On Mira", "body": "Ahoy", "character": mira.slug},
    )
    check(anon, "post", "boards/{slug}/posts/", 401, slug=board.slug, data={})
    check(alice, "get", "boards/{slug}/posts/", 200, slug=board.slug)
    check(alice, "get", "boards/{slug}/posts/?sort=best", 400, slug=board.slug)
    check(alice, "post", "posts/{post_id}/vote/", 200, post_id=post["id"])
    check(alice, "delete", "posts/{post_id}/vote/", 200, post_id=post["id"])
    check(alice, "post", "posts/{post_id}/vote/", 404, post_id=10**9)
    check(anon, "get", "posts/{post_id}/", 200, post_id=post["id"])
    check(alice, "get", "posts/{post_id}/", 404, post_id=10**9)
    first = check(
        alice,
        "post",
        "posts/{post_id}/comments/",
        201,
        post_id=post["id"],
        data={"body": "Nice"},
    )
    check(
        bob,
        "post",
        "posts/{post_id}/comments/",
        201,
        post_id=post["id"],
        data={"body": "Thanks", "parent": first["id"]},
    )
    check(
        bob,
        "post",
        "posts/{post_id}/comments/",
        400,
        post_id=post["id"],
        data={"body": None},
    )
    check(anon, "get", "posts/{post_id}/comments/", 200, post_id=post["id"])
    for kind in ("home", "new", "trending"):
        check(alice, "get", f"feed/?kind={kind}", 200)
    check(anon, "get", "feed/?kind=home", 401)
    check(alice, "get", "feed/?kind=best", 400)

    # Shared chats.
    chat = make_conversation(user, mira, turns=1)
    share = check(
        alice,
        "post",
        "shares/",
        201,
        data={"conversation": chat.pk, "from_seq": 1, "to_seq": 3, "title": "Tale"},
    )
    check(alice, "post", "shares/", 400, data=[])
    check(bob, "get", "shares/{share_id}/", 200, share_id=share["id"])
    check(bob, "post", "shares/{share_id}/like/", 201, share_id=share["id"])
    check(bob, "delete", "shares/{share_id}/like/", 200, share_id=share["id"])
    check(
        bob,
        "post",
        "shares/{share_id}/comments/",
        201,
        share_id=share["id"],
        data={"body": "Lovely"},
    )
    check(anon, "get", "shares/{share_id}/comments/", 200, share_id=share["id"])
    check(bob, "post", "shares/{share_id}/continue/", 201, share_id=share["id"])
    check(alice, "delete", "shares/{share_id}/", 204, share_id=share["id"])
    check(bob, "get", "shares/{share_id}/", 404, share_id=share["id"])

    # Notifications (Bob's comment, mention, like, follow).
    services.comment_create(author=other_user, character=own, body="x")
    check(alice, "get", "notifications/", 200)
    check(alice, "post", "notifications/read/", 200, data={"all": True})
    check(alice, "post", "notifications/read/", 400, data={})


def test_schema_documents_errors_and_no_false_defaults(spec: dict[str, Any]) -> None:
    """Every documented error is the one error body; a PATCH's omitted field
    has no default (omitting is_default leaves it as it is)."""
    error_ref = "#/components/schemas/Error"
    errors = 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status in ("400", "401", "404"):
                    errors += 1
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": error_ref}, (method, path, status)
            if "{" in path:
                assert "404" in operation["responses"], (method, path)
    assert errors > 50
    patch = spec["paths"]["/api/v1/personas/{id}/"]["patch"]
    ref = patch["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = spec["components"]["schemas"][ref.rpartition("/")[2]]
    assert all("default" not in f for f in body["properties"].values())
    assert not body.get("required")
