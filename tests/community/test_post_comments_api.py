"""Posts and their comments in the API (/api/v1/posts/<id>/ and …/comments/):
the post page's rules — a deleted post, or one a block stands between, is a
404 — and the character comments API's shape, one level of replies."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from community import services
from community.models import Board, Comment, Notification, Post, User

pytestmark = pytest.mark.django_db


def _api(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def post(other_user: User, board: Board) -> Post:
    return services.post_create(
        author=other_user, board=board, title="Harbour stories", body="Tell me"
    )


def _comments(user: User | None, post: Post) -> list[dict[str, Any]]:
    r = _api(user).get(f"/api/v1/posts/{post.pk}/comments/")
    assert r.status_code == 200, r.content
    results: list[dict[str, Any]] = r.json()["results"]
    return results


def test_members_and_visitors_read_the_post_and_its_comments(
    user: User, other_user: User, post: Post
) -> None:
    top = services.comment_create(author=user, post=post, body="First!")
    services.comment_create(author=other_user, post=post, parent=top, body="Thanks")
    services.post_vote(post=post, user=user)
    for viewer, voted in ((other_user, False), (user, True), (None, False)):
        r = _api(viewer).get(f"/api/v1/posts/{post.pk}/")
        assert r.status_code == 200, r.content
        body = r.json()
        assert (body["id"], body["title"], body["voted"]) == (
            post.pk,
            "Harbour stories",
            voted,
        )
        assert body["comments_count"] == 2
        [comment] = _comments(viewer, post)
        assert (comment["id"], comment["body"], comment["parent"]) == (
            top.pk,
            "First!",
            None,
        )
        assert comment["author"]["handle"] == "alice"
        assert [(r["body"], r["parent"]) for r in comment["replies"]] == [
            ("Thanks", top.pk)
        ]


def test_a_member_comments_and_replies_and_the_author_is_notified(
    user: User, other_user: User, post: Post
) -> None:
    r = _api(user).post(
        f"/api/v1/posts/{post.pk}/comments/", {"body": "Once, a **storm**"}, "json"
    )
    assert r.status_code == 201, r.content
    created = r.json()
    assert created["body_html"] == "<p>Once, a <strong>storm</strong></p>\n"
    # The notification points at the post and the comment the API now serves.
    note = Notification.objects.get(recipient=other_user)
    assert (note.post_id, note.comment_id) == (post.pk, created["id"])
    reply = _api(other_user).post(
        f"/api/v1/posts/{post.pk}/comments/",
        {"body": "And then?", "parent": created["id"]},
        "json",
    )
    assert reply.status_code == 201, reply.content
    assert reply.json()["parent"] == created["id"]
    [top] = _comments(None, post)
    assert [r["id"] for r in top["replies"]] == [reply.json()["id"]]


def test_anonymous_visitors_cannot_comment(post: Post) -> None:
    r = _api(None).post(f"/api/v1/posts/{post.pk}/comments/", {"body": "hi"}, "json")
    assert r.status_code == 401
    assert r.json()["code"] == "not_authenticated"
    assert not Comment.objects.exists()


@pytest.mark.parametrize("who_blocks", ["author", "reader"])
def test_a_block_either_way_hides_the_post_and_its_comments(
    user: User, other_user: User, post: Post, who_blocks: str
) -> None:
    services.comment_create(author=other_user, post=post, body="mine")
    assert [c["body"] for c in _comments(user, post)] == ["mine"]
    if who_blocks == "author":
        services.user_block(blocker=other_user, blocked=user)
    else:
        services.user_block(blocker=user, blocked=other_user)
    client = _api(user)
    for r in (
        client.get(f"/api/v1/posts/{post.pk}/"),
        client.get(f"/api/v1/posts/{post.pk}/comments/"),
        client.post(f"/api/v1/posts/{post.pk}/comments/", {"body": "hi"}, "json"),
    ):
        assert r.status_code == 404
        assert r.json()["fields"] == {}
        assert r.json()["code"] == "not_found"
    assert Comment.objects.count() == 1


def test_a_blocked_commenters_comments_are_left_out(
    user: User, other_user: User, carol: User, post: Post
) -> None:
    services.comment_create(author=carol, post=post, body="from carol")
    services.comment_create(author=other_user, post=post, body="from bob")
    services.user_block(blocker=user, blocked=carol)
    assert [c["body"] for c in _comments(user, post)] == ["from bob"]
    assert [c["body"] for c in _comments(other_user, post)] == [
        "from bob",
        "from carol",
    ]


def test_a_deleted_post_is_a_404_for_everyone(
    user: User, other_user: User, post: Post
) -> None:
    services.comment_create(author=user, post=post, body="early")
    assert _api(None).get(f"/api/v1/posts/{post.pk}/").status_code == 200
    services.post_delete(post=post, user=other_user)
    for viewer in (other_user, user, None):
        client = _api(viewer)
        assert client.get(f"/api/v1/posts/{post.pk}/").status_code == 404
        assert client.get(f"/api/v1/posts/{post.pk}/comments/").status_code == 404
    r = _api(other_user).post(
        f"/api/v1/posts/{post.pk}/comments/", {"body": "late"}, "json"
    )
    assert r.status_code == 404
    assert Comment.objects.count() == 1
    assert _api(user).get("/api/v1/posts/999999/").status_code == 404


def test_bad_comments_are_refused_naming_the_field(
    user: User, other_user: User, board: Board, post: Post
) -> None:
    elsewhere = services.post_create(author=user, board=board, title="Other")
    foreign = services.comment_create(author=user, post=elsewhere, body="there")
    top = services.comment_create(author=user, post=post, body="top")
    reply = services.comment_create(author=other_user, post=post, parent=top, body="r")
    url = f"/api/v1/posts/{post.pk}/comments/"
    cases: list[tuple[object, str, str]] = [
        ({"body": 5}, "body", "“body” must be text, not a number."),
        ({"body": "   "}, "body", ""),
        ({"body": "hi", "parent": "x"}, "parent", "“parent” must be a comment id"),
        (
            {"body": "hi", "parent": foreign.pk},
            "parent",
            "That comment is not under this post.",
        ),
        ({"body": "hi", "parent": reply.pk}, "parent", "Replies go one level deep"),
    ]
    before = Comment.objects.count()
    for data, field, message in cases:
        r = _api(user).post(url, data, "json")
        assert r.status_code == 400, (data, r.content)
        body = r.json()
        assert field in body["fields"], (data, body)
        assert message in body["error"], (data, body)
    assert Comment.objects.count() == before
    assert _api(user).get(f"{url}?cursor=nonsense").status_code == 400


def test_the_comments_list_runs_a_constant_number_of_queries(
    user: User, other_user: User, carol: User, post: Post
) -> None:
    for i in range(14):
        top = services.comment_create(author=user, post=post, body=f"c{i}")
        services.comment_create(author=carol, post=post, parent=top, body=f"r{i}")
    client = _api(other_user)

    def count(size: int) -> int:
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(f"/api/v1/posts/{post.pk}/comments/?size={size}")
        assert r.status_code == 200
        assert len(r.json()["results"]) == size
        return len(ctx.captured_queries)

    assert count(2) == count(12)
