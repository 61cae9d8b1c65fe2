"""Boards and posts: limits, staff-only boards, votes and the hot score, sorts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from characters.models import Character
from community import services
from community.models import Board, FeedEvent, Post, PostVote, User
from community.tasks import posts_hot_refresh_task

pytestmark = pytest.mark.django_db


def _api(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_post_create_and_list(user: User, board: Board) -> None:
    r = _api(user).post(
        f"/api/v1/boards/{board.slug}/posts/",
        {"title": "Hello", "body": "Hi **all**"},
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["body_html"] == "<p>Hi <strong>all</strong></p>\n"
    r = _api(None).get(f"/api/v1/boards/{board.slug}/posts/?sort=new")
    assert [p["title"] for p in r.json()["results"]] == ["Hello"]
    assert FeedEvent.objects.filter(post__title="Hello").count() == 1


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"title": "", "body": "x"}, "title", "cannot be empty"),
        ({"title": "   ", "body": "x"}, "title", "cannot be empty"),
        (
            {"title": "t" * 201, "body": "x"},
            "title",
            "201 characters; the limit is 200",
        ),
        (
            {"title": "ok", "body": "b" * 20_001},
            "body",
            "20,001 characters; the limit is 20,000",
        ),
        ({"title": "ok", "character": "no-such-char"}, "character", "No such"),
    ],
)
def test_bad_posts_are_refused_with_nothing_saved(
    user: User, board: Board, payload: dict[str, str], field: str, message: str
) -> None:
    r = _api(user).post(f"/api/v1/boards/{board.slug}/posts/", payload, format="json")
    assert r.status_code == 400
    assert message in " ".join(r.json()["fields"][field])
    assert not Post.objects.exists()
    assert not FeedEvent.objects.exists()


def test_private_character_cannot_be_embedded_by_others(
    user: User, other_user: User, board: Board, make_character: Callable[..., Character]
) -> None:
    secret = make_character(other_user, "Secret", visibility="private")
    r = _api(user).post(
        f"/api/v1/boards/{board.slug}/posts/",
        {"title": "look", "character": secret.slug},
        format="json",
    )
    assert r.status_code == 400 and not Post.objects.exists()
    own_secret = make_character(user, "Mine", visibility="private")
    r = _api(user).post(
        f"/api/v1/boards/{board.slug}/posts/",
        {"title": "look", "character": own_secret.slug},
        format="json",
    )
    assert r.status_code == 400
    assert "private" in r.json()["error"]


def test_only_staff_post_in_announcements(
    user: User, staff_user: User, announcements: Board
) -> None:
    r = _api(user).post(
        f"/api/v1/boards/{announcements.slug}/posts/", {"title": "hi"}, format="json"
    )
    assert r.status_code == 400 and "Only staff" in r.json()["error"]
    r = _api(staff_user).post(
        f"/api/v1/boards/{announcements.slug}/posts/", {"title": "hi"}, format="json"
    )
    assert r.status_code == 201


def test_votes_move_score_and_hot(
    user: User, other_user: User, carol: User, board: Board
) -> None:
    post = services.post_create(author=user, board=board, title="A")
    hot0 = post.hot
    r = _api(other_user).post(f"/api/v1/posts/{post.pk}/vote/")
    assert r.json()["score"] == 1 and r.json()["hot"] > hot0
    _api(other_user).post(f"/api/v1/posts/{post.pk}/vote/")  # idempotent
    _api(carol).post(f"/api/v1/posts/{post.pk}/vote/")
    post.refresh_from_db()
    assert post.score == 2 == PostVote.objects.filter(post=post).count()
    r = _api(carol).delete(f"/api/v1/posts/{post.pk}/vote/")
    assert r.json()["score"] == 1


def test_hot_sort_decays_with_age_and_refresh_task(
    user: User, other_user: User, carol: User, board: Board
) -> None:
    old = services.post_create(author=user, board=board, title="Old popular")
    for voter in (other_user, carol):
        services.post_vote(post=old, user=voter)
    fresh = services.post_create(author=user, board=board, title="Fresh")
    r = _api(None).get(f"/api/v1/boards/{board.slug}/posts/?sort=hot")
    assert [p["title"] for p in r.json()["results"]] == ["Old popular", "Fresh"]
    # Two days later the old post's votes count for little: the periodic
    # refresh puts the fresher post first.
    Post.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=2)
    )
    assert posts_hot_refresh_task.apply().get() == 2
    r = _api(None).get(f"/api/v1/boards/{board.slug}/posts/?sort=hot")
    assert [p["title"] for p in r.json()["results"]] == ["Fresh", "Old popular"]
    assert fresh.pk


def test_top_ranges_and_pagination(user: User, other_user: User, board: Board) -> None:
    posts = [
        services.post_create(author=user, board=board, title=f"P{i}") for i in range(5)
    ]
    services.post_vote(post=posts[0], user=other_user)
    Post.objects.filter(pk=posts[0].pk).update(
        created_at=timezone.now() - dt.timedelta(days=3)
    )
    day = _api(None).get(f"/api/v1/boards/{board.slug}/posts/?sort=top&t=day").json()
    assert "P0" not in [p["title"] for p in day["results"]]
    week = _api(None).get(f"/api/v1/boards/{board.slug}/posts/?sort=top&t=week")
    assert week.json()["results"][0]["title"] == "P0"
    seen: list[str] = []
    url = f"/api/v1/boards/{board.slug}/posts/?sort=new&size=2"
    while url:
        body = _api(None).get(url).json()
        seen += [p["title"] for p in body["results"]]
        nxt = body["next_cursor"]
        url = (
            f"/api/v1/boards/{board.slug}/posts/?sort=new&size=2&cursor={nxt}"
            if nxt
            else ""
        )
    assert sorted(seen) == [f"P{i}" for i in range(5)] and len(seen) == 5
    r = _api(None).get(f"/api/v1/boards/{board.slug}/posts/?sort=sideways")
    assert r.status_code == 400 and "Unknown sort" in r.json()["error"]
    r = _api(None).get(f"/api/v1/boards/{board.slug}/posts/?cursor=garbage")
    assert r.status_code == 400


def test_board_list_and_unknown_board(board: Board, announcements: Board) -> None:
    r = _api(None).get("/api/v1/boards/")
    assert [b["slug"] for b in r.json()["results"]] == ["announcements", "anime-games"]
    assert _api(None).get("/api/v1/boards/nope/posts/").status_code == 404


def test_only_staff_create_boards(user: User) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.board_create(by=user, slug="x", name="X")


def test_boards_sidebar_is_cached_and_a_new_board_shows_at_once(
    user: User, staff_user: User, board: Board
) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    web = Client()
    web.force_login(user)

    def board_queries(url: str) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as ctx:
            r = web.get(url)
        assert r.status_code == 200
        n = sum('FROM "community_board"' in q["sql"] for q in ctx.captured_queries)
        return n, r.content.decode()

    assert board_queries("/community/")[0] == 1
    n, html = board_queries(f"/community/b/{board.slug}/")
    assert n == 0 and f"/community/b/{board.slug}/" in html  # from the cache
    services.board_create(by=staff_user, slug="fresh-news", name="Fresh news")
    n, html = board_queries("/community/b/fresh-news/")
    assert n == 1 and "Fresh news" in html
    assert web.get("/community/b/no-such-board/").status_code == 404


def test_board_rows_load_what_the_cards_show(
    user: User, other_user: User, board: Board, make_character: Callable[..., Character]
) -> None:
    """With FETCH_RAISE any lazy fetch while rendering a row raises: the board
    rows come with the author's profile (joined on author_id, no user row), the
    character and the share."""
    from django.db.models import FETCH_RAISE
    from django.template.loader import render_to_string

    from community import selectors

    c = make_character(other_user, "Bobby")
    services.post_create(author=other_user, board=board, title="p", character=c)
    services.post_create(author=user, board=board, title="q", body="*hi*")
    page = selectors.board_posts_page(board=board, user=user, sort="new")
    for row in page.items:
        for obj in (row.post, row.author, row.post.character, row.post.share):
            if obj is not None:
                obj._state.fetch_mode = FETCH_RAISE
    html = render_to_string("community/board_detail.html#post_items", {"page": page})
    assert [r.author.handle for r in page.items] == ["alice", "bob"]
    assert "@alice" in html and "@bob" in html and "Bobby" in html


def test_an_author_without_a_profile_gets_one_and_is_listed(board: Board) -> None:
    """Accounts made outside sign-up have no profile until needed; posting is
    such a need (board rows join the profile)."""
    from community.models import Profile

    admin = User.objects.create_user(
        username="root", email="root@example.com", password="x" * 12
    )
    assert not Profile.objects.filter(user=admin).exists()
    services.post_create(author=admin, board=board, title="From the admin")
    r = _api(None).get(f"/api/v1/boards/{board.slug}/posts/?sort=new").json()
    assert [p["title"] for p in r["results"]] == ["From the admin"]
    assert r["results"][0]["author"]["handle"] == Profile.objects.get(user=admin).handle
