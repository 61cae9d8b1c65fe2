"""How the community pages name people and order their headings, and where
their forms send you back to."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

import pytest
from django.test import Client

from characters.models import Character
from chat.models import Conversation
from community import services
from community.models import Board, User

pytestmark = pytest.mark.django_db


def _headings(html: str) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])\b", html)]


def _assert_no_skipped_level(html: str, path: str) -> None:
    """Screen-reader users move by headings: each one is at most one level
    below the one before it (an h3 straight under the h1 hides where it is)."""
    levels = _headings(html)
    assert levels and levels[0] == 1, (path, levels)
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"{path}: h{after} after h{before} ({levels})"


@pytest.fixture
def quietfox(make_user: Callable[..., User]) -> User:
    return services.user_create(
        email="fox@example.com", password="correct horse battery",
        handle="quietfox", display_name="Quiet Fox", email_verified=True,
    )  # fmt: skip


@pytest.fixture
def alice_reads(make_user: Callable[..., User]) -> User:
    # No display name given: the profile stores the handle as the name.
    return services.user_create(
        email="reads@example.com", password="correct horse battery",
        handle="alice_reads", email_verified=True,
    )  # fmt: skip


FOX = (
    '<span class="author"><strong class="author__name">Quiet Fox</strong>'
    ' <span class="author__handle">@quietfox</span></span>'
)
READS = '<span class="author"><strong class="author__name">@alice_reads</strong></span>'


def test_authors_are_named_the_same_way_everywhere(
    quietfox: User, alice_reads: User, board: Board, user_client: Client
) -> None:
    """The display name then the @handle; the handle alone for someone
    without a display name (the post header read "alice_reads @alice_reads",
    board cards "@quietfox" and the feed "Quiet Fox")."""
    post = services.post_create(author=quietfox, board=board, title="Foxes")
    mine = services.post_create(author=alice_reads, board=board, title="Books")
    services.comment_create(author=alice_reads, post=post, body="Nice")
    services.comment_create(author=quietfox, post=mine, body="Thanks")
    pages = {
        f"/community/b/{board.slug}/?sort=new": (FOX, READS),
        "/community/?feed=new": (FOX, READS),
        post.get_absolute_url(): (FOX, READS),  # header, comment
        mine.get_absolute_url(): (READS, FOX),
    }
    for path, names in pages.items():
        html = user_client.get(path).content.decode()
        for name in names:
            assert name in html, (path, name)
        assert "alice_reads @alice_reads" not in html, path


def test_an_htmx_vote_gives_back_a_form_that_returns_to_the_page(
    user: User, other_user: User, board: Board, user_client: Client
) -> None:
    post = services.post_create(author=other_user, board=board, title="Vote me")
    page = f"/community/b/{board.slug}/?sort=new"
    response = user_client.post(
        f"/community/p/{post.pk}/vote/",
        {"up": "1", "next": page},
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{page}"},
    )
    html = response.content.decode()
    assert 'class="vote__btn is-on"' in html
    next_value = re.search(r'name="next" value="([^"]*)"', html)
    assert next_value is not None
    assert next_value.group(1) == "/community/b/anime-games/?sort=new"
    # Voting again with the swapped form (no JavaScript: a full page post)
    # lands back on the board, not on the vote endpoint.
    again = user_client.post(f"/community/p/{post.pk}/vote/", {"up": "0", "next": page})
    assert again["Location"] == page


def test_community_pages_keep_their_heading_levels(
    user: User, other_user: User, board: Board, user_client: Client,
    make_character: Callable[..., Character],
) -> None:  # fmt: skip
    services.user_follow(follower=user, followee=other_user)
    make_character(other_user, "Captain Mira")
    services.post_create(author=other_user, board=board, title="A post")
    for path in [
        "/community/",
        "/community/?feed=new",
        "/community/?feed=trending",
        f"/community/b/{board.slug}/",
    ]:
        response = user_client.get(path)
        assert response.status_code == 200
        _assert_no_skipped_level(response.content.decode(), path)
    # An empty feed with its suggestions, too.
    html = Client().get("/community/?feed=home").content.decode()
    _assert_no_skipped_level(html, "/community/ (visitor)")


@pytest.mark.django_db(transaction=True)  # chat generation commits
def test_a_shared_chat_in_the_feed_shows_its_title_once(
    user: User, other_user: User, user_client: Client,
    make_character: Callable[..., Character],
    make_conversation: Callable[..., Conversation],
) -> None:  # fmt: skip
    character = make_character(other_user, "Captain Mira")
    conversation = make_conversation(other_user, character, turns=1)
    services.share_create(
        user=other_user, conversation=conversation, from_seq=1,
        to_seq=conversation.last_seq, title="The storm at sea",
    )  # fmt: skip
    html = user_client.get("/community/?feed=new").content.decode()
    feed = html[html.index('id="feed"') :]
    assert feed.count("The storm at sea") == 1
    assert "A shared chat · 3 messages" in feed


def test_comment_badges_name_the_creator_or_the_author(
    user: User, other_user: User, board: Board,
    make_character: Callable[..., Character],
) -> None:  # fmt: skip
    character = make_character(user, "Captain Mira")
    services.comment_create(author=user, character=character, body="From the maker")
    post = services.post_create(author=other_user, board=board, title="My post")
    services.comment_create(author=other_user, post=post, body="From the poster")
    client = Client()
    client.force_login(other_user)
    html = client.get(f"/community/c/{character.slug}/").content.decode()
    assert '<span class="badge badge--accent">Creator</span>' in html
    html = client.get(post.get_absolute_url()).content.decode()
    assert '<span class="badge badge--accent">Author</span>' in html
    assert ">Creator</span>" not in html
    # The post's author pins comments under it, as a creator does.
    assert ">Pin</button>" in html
