"""Feeds: who sees what, blocks, keyset pagination, constant query counts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries
from rest_framework.test import APIClient

from characters.models import Character
from chat.models import Conversation
from community import services
from community.models import Board, User

pytestmark = pytest.mark.django_db


def _api(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _feed(user: User | None, kind: str, size: int = 50) -> list[dict[str, Any]]:
    r = _api(user).get(f"/api/v1/feed/?kind={kind}&size={size}")
    assert r.status_code == 200, r.content
    results: list[dict[str, Any]] = r.json()["results"]
    return results


def test_home_feed_shows_followed_creators_and_characters(
    user: User,
    other_user: User,
    carol: User,
    board: Board,
    make_character: Callable[..., Character],
) -> None:
    bob_char = make_character(other_user, "Bobby")
    carol_char = make_character(carol, "Caro")
    make_character(carol, "Other Caro")
    services.post_create(author=other_user, board=board, title="Bob posts")
    services.moment_create(author=carol, character=carol_char, body="Caro says hi")
    services.post_create(author=carol, board=board, title="Carol posts")
    assert _feed(user, "home") == []
    services.user_follow(follower=user, followee=other_user)
    services.character_follow(user=user, character=carol_char)
    items = _feed(user, "home")
    summary = [
        (
            i["kind"],
            (i["post"] or {}).get("title") or (i["character"] or {}).get("name"),
        )
        for i in items
    ]
    assert summary == [
        ("moment", "Caro"),
        ("post", "Bob posts"),
        ("character", "Caro"),
        ("character", "Bobby"),
    ]
    assert bob_char.pk


def test_private_and_mature_characters_never_leak(
    user: User, other_user: User, board: Board, make_character: Callable[..., Character]
) -> None:
    services.user_follow(follower=user, followee=other_user)
    public = make_character(other_user, "Public")
    secret = make_character(other_user, "Secret", visibility="private")
    services.moment_create(author=other_user, character=secret, body="secret moment")
    services.character_follow(user=user, character=public)
    make_character(other_user, "Spicy", mature=True)
    post = services.post_create(
        author=other_user, board=board, title="Look", character=public
    )
    # The character becomes private after being embedded and followed.
    Character.objects.filter(pk=public.pk).update(visibility="private")
    for kind in ("home", "new"):
        text = str(_feed(user, kind))
        assert "Secret" not in text and "secret moment" not in text
        assert "Spicy" not in text
        assert "Public" not in text
    board_posts = _api(user).get(f"/api/v1/boards/{board.slug}/posts/").json()
    assert [p["id"] for p in board_posts["results"]] == [post.pk]
    assert board_posts["results"][0]["character"] is None  # embed hidden
    page = Client().get(f"/community/b/{board.slug}/").content.decode()
    assert "This character is not available" in page
    assert "Public" not in page


def test_blocked_users_vanish_from_feeds_boards_and_comments(
    user: User, other_user: User, board: Board, make_character: Callable[..., Character]
) -> None:
    services.user_follow(follower=user, followee=other_user)
    mine = make_character(user, "Mine")
    services.post_create(author=other_user, board=board, title="Bob's post")
    services.comment_create(author=other_user, character=mine, body="Bob comments")
    services.user_block(blocker=other_user, blocked=user)  # Bob blocks Alice
    for viewer in (user, other_user):
        other = other_user if viewer == user else user
        handle = other.profile.handle
        for kind in ("home", "trending", "new"):
            assert handle not in str(_feed(viewer, kind))
    r = _api(user).get(f"/api/v1/boards/{board.slug}/posts/").json()
    assert r["results"] == []
    r = _api(user).get(f"/api/v1/characters/{mine.slug}/comments/").json()
    assert r["results"] == []
    # Alice cannot open Bob's profile; Bob (the blocker) still can open hers.
    alice = Client()
    alice.force_login(user)
    assert alice.get("/@bob").status_code == 404
    bob = Client()
    bob.force_login(other_user)
    assert bob.get("/@alice").status_code == 200


def test_pagination_walks_everything_once(user: User, board: Board) -> None:
    for i in range(7):
        services.post_create(author=user, board=board, title=f"P{i}")
    for kind in ("new", "trending"):
        seen: list[int] = []
        cursor = ""
        while True:
            r = _api(None).get(f"/api/v1/feed/?kind={kind}&size=3&cursor={cursor}")
            body = r.json()
            seen += [i["post"]["id"] for i in body["results"]]
            if not body["next_cursor"]:
                break
            cursor = body["next_cursor"]
        assert len(seen) == 7 == len(set(seen))
    assert _api(None).get("/api/v1/feed/?kind=sideways").status_code == 400
    assert _api(None).get("/api/v1/feed/?kind=new&cursor=zzz").status_code == 400


def _queries(client: Client | APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200, (url, r.status_code)
    return len(ctx.captured_queries)


@pytest.mark.django_db(transaction=True)  # chat generation commits (see shares)
def test_lists_run_a_constant_number_of_queries(
    user: User,
    make_user: Callable[..., User],
    board: Board,
    make_character: Callable[..., Character],
    django_assert_num_queries: DjangoAssertNumQueries,
    make_conversation: Callable[..., Conversation],
) -> None:
    creators = [make_user(f"maker{i}") for i in range(4)]
    characters = []
    for i, creator in enumerate(creators):
        services.user_follow(follower=user, followee=creator)
        c = make_character(creator, f"Char{i}")
        characters.append(c)
        services.character_follow(user=user, character=c)
        services.moment_create(author=creator, character=c, body=f"moment {i}")
        for j in range(3):
            p = services.post_create(
                author=creator, board=board, title=f"post {i}-{j}", character=c
            )
            services.post_vote(post=p, user=user)
            services.comment_create(author=creator, character=characters[0], body="c")
            services.comment_create(author=creator, post=p, body="hello @alice")
    shares = []
    for i, creator in enumerate(creators):
        conv = make_conversation(creator, characters[(i + 1) % 4], turns=1)
        share = services.share_create(
            user=creator, conversation=conv, from_seq=1, to_seq=3, title=f"Tale {i}"
        )
        shares.append(share)
        services.comment_create(author=creator, share=shares[0], body="nice @alice")
        services.post_create(author=creator, board=board, title=f"s{i}", share=share)
    top = services.comment_create(author=user, character=characters[0], body="top")
    for creator in creators:
        services.comment_create(
            author=creator, character=characters[0], parent=top, body="re"
        )
    client = APIClient()
    client.force_authenticate(user)
    web = Client()
    web.force_login(user)
    urls = [
        "/api/v1/feed/?kind=home&size={n}",
        "/api/v1/feed/?kind=trending&size={n}",
        "/api/v1/feed/?kind=new&size={n}",
        f"/api/v1/boards/{board.slug}/posts/?sort=hot&size={{n}}",
        f"/api/v1/boards/{board.slug}/posts/?sort=top&t=all&size={{n}}",
        f"/api/v1/characters/{characters[0].slug}/comments/?size={{n}}",
        "/api/v1/notifications/?size={n}",
        f"/api/v1/shares/{shares[0].pk}/comments/?size={{n}}",
    ]
    for url in urls:
        small = _queries(client, url.format(n=2))
        large = _queries(client, url.format(n=12))
        assert small == large, (url, small, large)
    page_urls = [
        "/community/?feed=home",
        "/community/?feed=new",
        "/community/?feed=trending",
        f"/community/b/{board.slug}/",
        "/community/notifications/",
        f"/community/c/{characters[0].slug}/",
        f"/community/s/{shares[0].pk}/",
        "/@maker0",
    ]
    for u in page_urls:  # the first page caches the boards (selectors.board_list)
        _queries(web, u)
    counts = {u: _queries(web, u) for u in page_urls}
    # More rows, same number of queries.
    for i in range(3):
        p = services.post_create(
            author=creators[0], board=board, title=f"more {i}", character=characters[1]
        )
        services.comment_create(author=creators[1], post=p, body="@alice more")
        services.comment_create(author=creators[2], character=characters[0], body="x")
    board_url = f"/community/b/{board.slug}/"
    # New posts make the cached board rows stale: the next board page reads
    # them again (one query more), and the one after is back to the count.
    assert _queries(web, board_url) == counts[board_url] + 1
    for u in page_urls:
        assert _queries(web, u) == counts[u], u
    with django_assert_num_queries(counts["/community/?feed=home"]):
        web.get("/community/?feed=home")


def test_fetch_raise_guard_finds_no_lazy_loads(
    user: User, other_user: User, board: Board, make_character: Callable[..., Character]
) -> None:
    """With Django's FETCH_RAISE any lazy related fetch while building a page
    raises: the selectors load everything they hand out."""
    from django.db.models import FETCH_RAISE

    from community import selectors

    services.user_follow(follower=user, followee=other_user)
    c = make_character(other_user, "Bobby")
    services.character_follow(user=user, character=c)
    services.moment_create(author=other_user, character=c, body="m")
    services.post_create(author=other_user, board=board, title="p", character=c)
    services.comment_create(author=other_user, character=c, body="hey @alice")
    page = selectors.feed_page(user=user, kind="home")
    for item in page.items:
        for obj in (item.actor, item.character, item.moment, item.post):
            if obj is not None:
                obj._state.fetch_mode = FETCH_RAISE
        assert item.actor.profile.handle == "bob"
        if item.post is not None:
            assert item.post.board.name and (
                item.post.character is None or item.post.character.name
            )
            assert item.post.author.profile.handle == "bob"
        if item.character is not None:
            # What an embed shows (rows load only these columns).
            c = item.character
            assert (c.slug, c.name, c.tagline, c.hue, c.rating_average) is not None
    notes = selectors.notifications_page(user=user).items
    for n in notes:
        n._state.fetch_mode = FETCH_RAISE
        assert n.actor.profile.handle
        _ = n.character, n.post, n.moment, n.comment
    assert notes


def test_feed_posts_say_whether_the_viewer_upvoted_them(
    user: User, other_user: User, board: Board
) -> None:
    """The feed's posts carry the viewer's vote, as the board list does: a
    client drew every post in the feed unvoted and its upvote undid nothing."""
    services.user_follow(follower=user, followee=other_user)
    voted = services.post_create(author=other_user, board=board, title="voted")
    services.post_create(author=other_user, board=board, title="not voted")
    services.post_vote(post=voted, user=user)
    board_rows = _api(user).get(f"/api/v1/boards/{board.slug}/posts/").json()
    expected = {p["title"]: p["voted"] for p in board_rows["results"]}
    assert expected == {"voted": True, "not voted": False}
    for kind in ("home", "new", "trending"):
        posts = {i["post"]["title"]: i["post"]["voted"] for i in _feed(user, kind)}
        assert posts == expected, kind
    # Someone else's vote is not the viewer's.
    for viewer, kind in ((other_user, "new"), (None, "new"), (None, "trending")):
        theirs = {i["post"]["title"]: i["post"]["voted"] for i in _feed(viewer, kind)}
        assert theirs == {"voted": False, "not voted": False}, (viewer, kind)
