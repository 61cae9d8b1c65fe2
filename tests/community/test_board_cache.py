"""The board rows cache (``selectors.board_posts_page``): every viewer gets
their own votes, blocks and embed visibility from cached rows; what matters is
never stale (new and deleted posts, scores, a character made private, an
unpublished share); pagination walks the same posts with the cache warm."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from characters.models import Character
from characters.services import Settings, character_settings_update
from chat.models import Conversation
from community import services
from community.models import Board, Post, User

# Share creation generates chat replies, which commit.
pytestmark = pytest.mark.django_db(transaction=True)


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _page(client: Client, url: str) -> tuple[str, int]:
    """The page and how many times it read the board rows (0: from the cache)."""
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200, r.status_code
    row_queries = sum(
        'FROM "community_post" INNER JOIN "community_profile"' in q["sql"]
        for q in ctx.captured_queries
    )
    return r.content.decode(), row_queries


def _card(html: str, post: Post) -> str:
    start = html.index(f'id="post-{post.pk}"')
    return html[start : html.index("</article>", start)]


def test_cached_rows_never_carry_one_viewers_state_to_another(
    user: User,
    other_user: User,
    carol: User,
    board: Board,
    make_character: Callable[..., Character],
) -> None:
    bob = other_user
    mira = make_character(bob, "Mira")
    with_mira = services.post_create(
        author=bob, board=board, title="Meet Mira", character=mira
    )
    plain = services.post_create(author=bob, board=board, title="Plain")
    services.post_vote(post=with_mira, user=user)
    url = f"/community/b/{board.slug}/?sort=new"

    alice_html, reads = _page(_client(user), url)
    assert reads == 1  # fills the cache
    carol_html, reads = _page(_client(carol), url)
    anon_html, anon_reads = _page(_client(None), url)
    assert reads == 0 and anon_reads == 0  # both from alice's rows
    # Alice's vote is hers alone; everyone sees the score.
    assert 'aria-label="Remove upvote"' in _card(alice_html, with_mira)
    assert 'aria-label="Upvote"' in _card(alice_html, plain)
    for html in (carol_html, anon_html):
        assert "is-on" not in html and "Remove upvote" not in html
        assert '<span class="vote__score">1</span>' in _card(html, with_mira)
    assert "disabled" in _card(anon_html, plain)
    assert "disabled" not in _card(carol_html, plain)

    # Bob makes Mira private: only Bob still sees the embed, at once.
    character_settings_update(character=mira, switches=Settings(visibility="private"))
    for viewer in (user, carol, None):
        html, reads = _page(_client(viewer), url)
        assert reads == 0
        assert "Mira" not in _card(html, with_mira).replace("Meet Mira", "")
        assert "This character is not available." in _card(html, with_mira)
    html, reads = _page(_client(bob), url)
    assert reads == 0 and f"/community/c/{mira.slug}/" in _card(html, with_mira)


def test_mature_embeds_follow_each_viewer(
    user: User,
    other_user: User,
    board: Board,
    make_character: Callable[..., Character],
) -> None:
    import datetime as dt

    from community.models import Profile

    adult = other_user
    Profile.objects.filter(user=adult).update(
        show_mature=True, birth_date=dt.date(1990, 1, 1)
    )
    spicy = make_character(adult, "Spicy", mature=True)
    post = services.post_create(author=adult, board=board, title="t", character=spicy)
    url = f"/community/b/{board.slug}/"
    for viewer, shown in ((adult, True), (user, False), (adult, True), (None, False)):
        html, _ = _page(_client(viewer), url)
        assert (f"/community/c/{spicy.slug}/" in _card(html, post)) is shown


def test_blocks_hide_posts_both_ways_and_pages_stay_full(
    user: User, other_user: User, carol: User, board: Board
) -> None:
    bob = other_user
    for i in range(3):
        services.post_create(author=bob, board=board, title=f"bob {i}")
        services.post_create(author=carol, board=board, title=f"carol {i}")
    url = f"/community/b/{board.slug}/?sort=new"
    html, _ = _page(_client(user), url)  # the cache now holds everyone's posts
    assert "bob 0" in html and "carol 0" in html
    services.user_block(blocker=carol, blocked=bob)
    carol_html, carol_reads = _page(_client(carol), url)
    bob_html, bob_reads = _page(_client(bob), url)
    assert "bob " not in carol_html and carol_html.count("<article") == 3
    assert "carol " not in bob_html and bob_html.count("<article") == 3
    assert carol_reads == bob_reads == 1  # read again without the cache
    # A block that touches nobody on the page costs nothing more.
    services.user_block(
        blocker=user,
        blocked=services.user_create(
            email="dave@example.com", password=None, handle="dave"
        ),
    )
    html, reads = _page(_client(user), url)
    assert reads == 0 and html.count("<article") == 6
    # A blocker's page is full: three of carol's posts on a page of two.
    api = APIClient()
    api.force_authenticate(carol)
    r = api.get(f"/api/v1/boards/{board.slug}/posts/?sort=new&size=2").json()
    assert [p["title"] for p in r["results"]] == ["carol 2", "carol 1"]


def test_new_deleted_voted_and_commented_posts_show_at_once(
    user: User, other_user: User, carol: User, board: Board
) -> None:
    bob = other_user
    first = services.post_create(author=bob, board=board, title="First")
    url = f"/community/b/{board.slug}/"
    _page(_client(carol), url)  # warm
    second = services.post_create(author=bob, board=board, title="Second")
    html, reads = _page(_client(carol), url)
    assert reads == 1 and "Second" in html  # a new post: a new generation
    _, reads = _page(_client(carol), url)
    assert reads == 0
    # Votes and comments: fresh on every page, cache or not.
    services.post_vote(post=first, user=user)
    services.comment_create(author=carol, post=first, body="nice")
    html, reads = _page(_client(user), url)
    assert reads == 0
    card = _card(html, first)
    assert "is-on" in card and '<span class="vote__score">1</span>' in card
    assert "1 comment</a>" in card
    html, _ = _page(_client(carol), url)
    assert "is-on" not in _card(html, first)
    assert '<span class="vote__score">1</span>' in _card(html, first)
    services.post_vote(post=first, user=user, up=False)
    html, _ = _page(_client(user), url)
    assert "is-on" not in _card(html, first)
    assert '<span class="vote__score">0</span>' in _card(html, first)
    # A deleted post is gone at once.
    services.post_delete(post=second, user=bob)
    html, _ = _page(_client(carol), url)
    assert "Second" not in html and "First" in html


def test_a_post_deleted_behind_the_cache_is_not_shown(
    other_user: User, carol: User, board: Board
) -> None:
    """Even without the services' generation change (a delete in the admin or
    SQL), the post states read on every page hide a deleted post."""
    from django.utils import timezone

    post = services.post_create(author=other_user, board=board, title="Oops")
    url = f"/community/b/{board.slug}/"
    assert "Oops" in _page(_client(carol), url)[0]
    Post.objects.filter(pk=post.pk).update(deleted_at=timezone.now())
    html, reads = _page(_client(carol), url)
    assert reads == 0 and "Oops" not in html


def test_unpublished_share_embed_updates_at_once(
    user: User,
    other_user: User,
    carol: User,
    board: Board,
    make_character: Callable[..., Character],
    make_conversation: Callable[..., Conversation],
) -> None:
    character = make_character(other_user, "Mira")
    share = services.share_create(
        user=user,
        conversation=make_conversation(user, character, turns=1),
        from_seq=1,
        to_seq=3,
        title="Our tale",
    )
    post = services.post_create(author=user, board=board, title="Read", share=share)
    url = f"/community/b/{board.slug}/"
    html, _ = _page(_client(carol), url)
    assert "Our tale" in _card(html, post)
    services.share_unpublish(share=share, user=user)
    html, reads = _page(_client(carol), url)
    assert reads == 0
    assert "Our tale" not in _card(html, post)
    assert "This shared chat was unpublished." in _card(html, post)


@pytest.mark.parametrize("sort", ["hot", "new", "top"])
def test_pagination_is_the_same_with_the_cache_warm(
    user: User, other_user: User, board: Board, sort: str
) -> None:
    posts = [
        services.post_create(author=other_user, board=board, title=f"P{i}")
        for i in range(7)
    ]
    for p in posts[::2]:
        services.post_vote(post=p, user=user)
    api = APIClient()
    api.force_authenticate(user)

    def walk() -> list[tuple[str, bool]]:
        seen: list[tuple[str, bool]] = []
        url = f"/api/v1/boards/{board.slug}/posts/?sort={sort}&t=all&size=3"
        while url:
            body = api.get(url).json()
            seen += [(p["title"], p["voted"]) for p in body["results"]]
            cursor = body["next_cursor"]
            url = (
                f"/api/v1/boards/{board.slug}/posts/?sort={sort}&t=all&size=3"
                f"&cursor={cursor}"
                if cursor
                else ""
            )
        return seen

    cold = walk()
    with CaptureQueriesContext(connection) as ctx:
        warm = walk()
    assert warm == cold
    assert sorted(cold) == sorted((f"P{i}", i % 2 == 0) for i in range(7))
    assert not any(
        'INNER JOIN "community_profile"' in q["sql"] for q in ctx.captured_queries
    )
