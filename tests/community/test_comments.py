"""Comments: markdown, limits, one level of replies, edit/delete own, pin."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from rest_framework.test import APIClient

from characters.models import Character
from community import services
from community.models import Board, Comment, Post, User

pytestmark = pytest.mark.django_db


def _api(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_comment_and_reply_via_api(
    user: User, other_user: User, make_character: Callable[..., Character]
) -> None:
    character = make_character(other_user)
    url = f"/api/v1/characters/{character.slug}/comments/"
    r = _api(user).post(url, {"body": "Love *her*"}, format="json")
    assert r.status_code == 201
    top = r.json()["id"]
    assert r.json()["body_html"] == "<p>Love <em>her</em></p>\n"
    r = _api(other_user).post(url, {"body": "thanks!", "parent": top}, format="json")
    assert r.status_code == 201
    reply = r.json()["id"]
    r = _api(user).post(url, {"body": "deeper", "parent": reply}, format="json")
    assert r.status_code == 400 and "one level" in r.json()["error"]
    body = _api(None).get(url).json()
    assert [c["id"] for c in body["results"]] == [top]
    assert [c["id"] for c in body["results"][0]["replies"]] == [reply]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "cannot be empty"),
        ("  \n ", "cannot be empty"),
        ("x" * 5001, "limit is 5,000"),
    ],
)
def test_bad_comments_refused(
    user: User,
    other_user: User,
    make_character: Callable[..., Character],
    body: str,
    message: str,
) -> None:
    character = make_character(other_user)
    r = _api(user).post(
        f"/api/v1/characters/{character.slug}/comments/", {"body": body}, format="json"
    )
    assert r.status_code == 400 and message in r.json()["error"]
    assert not Comment.objects.exists()


def test_edit_delete_own_only_and_pin_by_creator(
    user: User, other_user: User, carol: User, board: Board
) -> None:
    post = services.post_create(author=other_user, board=board, title="Bob's post")
    a = services.comment_create(author=user, post=post, body="first")
    b = services.comment_create(author=carol, post=post, body="second")
    with pytest.raises(PermissionDenied):
        services.comment_edit(comment=a, user=carol, body="hacked")
    services.comment_edit(comment=a, user=user, body="first, edited")
    a.refresh_from_db()
    assert a.body == "first, edited" and a.edited_at is not None
    with pytest.raises(PermissionDenied):
        services.comment_pin(comment=a, user=user)
    services.comment_pin(comment=a, user=other_user)
    services.comment_pin(comment=b, user=other_user)  # moves the pin
    assert list(Comment.objects.filter(pinned=True)) == [b]
    with pytest.raises(PermissionDenied):
        services.comment_delete(comment=b, user=user)
    reply = services.comment_create(author=user, post=post, parent=b, body="re")
    with pytest.raises(ValidationError):
        services.comment_pin(comment=reply, user=other_user)
    post.refresh_from_db()
    assert post.comments_count == 3
    # Carol deletes hers: the reply under it is someone else's, so it stays,
    # under a placeholder without her text, her name or the pin.
    services.comment_delete(comment=b, user=carol)
    post.refresh_from_db()
    b.refresh_from_db()
    assert post.comments_count == 2
    assert b.deleted_at is not None and b.body == b.body_html == "" and not b.pinned
    with pytest.raises(ValidationError):
        services.comment_edit(comment=b, user=carol, body="back")
    services.comment_delete(comment=b, user=carol)  # again: nothing changes
    post.refresh_from_db()
    assert post.comments_count == 2
    # The last reply goes, and the placeholder with it.
    services.comment_delete(comment=reply, user=user)
    post.refresh_from_db()
    assert post.comments_count == 1
    assert list(Comment.objects.all()) == [a]


def test_comment_pages_edit_delete_pin(
    user: User, other_user: User, make_character: Callable[..., Character]
) -> None:
    character = make_character(user)
    bob = Client()
    bob.force_login(other_user)
    r = bob.post(f"/community/c/{character.slug}/comments/", {"body": "Hi <b>x</b>"})
    assert r.status_code == 302
    comment = Comment.objects.get()
    assert comment.body_html == "<p>Hi &lt;b&gt;x&lt;/b&gt;</p>\n"
    page = bob.get(f"/community/c/{character.slug}/").content.decode()
    assert "Hi &lt;b&gt;x&lt;/b&gt;" in page
    bob.post(f"/community/comments/{comment.pk}/edit/", {"body": "edited"})
    comment.refresh_from_db()
    assert comment.body == "edited"
    alice = Client()
    alice.force_login(user)
    alice.post(f"/community/comments/{comment.pk}/pin/", {"pinned": "1"})
    comment.refresh_from_db()
    assert comment.pinned
    r = alice.post(f"/community/comments/{comment.pk}/edit/", {"body": "not mine"})
    assert r.status_code == 403
    bob.post(f"/community/comments/{comment.pk}/delete/")
    assert not Comment.objects.exists()


def test_comments_on_deleted_post_refused(user: User, board: Board) -> None:
    post = services.post_create(author=user, board=board, title="gone")
    services.post_delete(post=post, user=user)
    with pytest.raises(ValidationError, match="deleted"):
        services.comment_create(author=user, post=post, body="hello")
    assert Post.objects.get().deleted_at is not None
    assert _api(None).get(f"/community/p/{post.pk}/").status_code == 404


def test_a_deleted_comment_keeps_its_replies_on_the_page_and_in_the_api(
    user: User, other_user: User, make_character: Callable[..., Character]
) -> None:
    character = make_character(other_user)
    top = services.comment_create(
        author=user, character=character, body="my secret words"
    )
    services.comment_create(
        author=other_user, character=character, parent=top, body="bob says"
    )
    me = Client()
    me.force_login(user)
    url = f"/community/c/{character.slug}/"
    page = me.get(url).content.decode()
    assert 'data-confirm="Delete this comment? The replies under it stay."' in page
    me.post(f"/community/comments/{top.pk}/delete/")
    page = me.get(url).content.decode()
    assert "Deleted comment" in page and "bob says" in page
    assert "my secret words" not in page
    data = _api(other_user).get(f"/api/v1/characters/{character.slug}/comments/").json()
    first = data["results"][0] if "results" in data else data[0]
    assert first["deleted"] is True and first["author"] is None
    assert first["body"] == "" and first["replies"][0]["body"] == "bob says"
