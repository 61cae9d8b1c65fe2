"""Community pages: the route × role matrix, page content, CSP cleanliness."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from characters.models import Character
from chat.models import Conversation
from community import selectors, services
from community.models import Board, CharacterLike, Comment, Post, User

pytestmark = pytest.mark.django_db

ROLES = ("owner", "other", "blocked", "anonymous", "staff")


@pytest.fixture
def world(
    user: User,
    other_user: User,
    staff_user: User,
    make_user: Callable[..., User],
    board: Board,
    make_character: Callable[..., Character],
) -> dict[str, object]:
    blocked = make_user("mallory")
    public = make_character(user, "Aria")
    private = make_character(user, "Hidden", visibility="private")
    post = services.post_create(
        author=user, board=board, title="Alice's post", character=public
    )
    services.user_block(blocker=user, blocked=blocked)
    clients: dict[str, Client] = {}
    for role, who in (
        ("owner", user),
        ("other", other_user),
        ("blocked", blocked),
        ("staff", staff_user),
    ):
        clients[role] = Client()
        clients[role].force_login(who)
    clients["anonymous"] = Client()
    return {
        "clients": clients,
        "public": public,
        "private": private,
        "post": post,
        "board": board,
    }


def _expect(**by_role: int) -> dict[str, int]:
    default = by_role.pop("default", 200)
    return {role: by_role.get(role, default) for role in ROLES}


def test_get_matrix(world: dict[str, object]) -> None:
    public = world["public"]
    private = world["private"]
    post = world["post"]
    board = world["board"]
    assert isinstance(public, Character) and isinstance(private, Character)
    assert isinstance(post, Post) and isinstance(board, Board)
    clients = world["clients"]
    assert isinstance(clients, dict)
    matrix = {
        "/community/": _expect(),
        f"/community/b/{board.slug}/": _expect(),
        f"/community/b/{board.slug}/?sort=top&t=day": _expect(),
        f"/community/b/{board.slug}/post/": _expect(anonymous=302),
        f"/community/p/{post.pk}/": _expect(blocked=404),
        # A block hides posts and profiles, not characters (their page
        # shows them): the community page too; its buttons refuse.
        f"/community/c/{public.slug}/": _expect(),
        f"/community/c/{private.slug}/": _expect(default=404, owner=200),
        f"/community/c/{public.slug}/dashboard/": _expect(
            default=404, owner=200, anonymous=302
        ),
        f"/community/c/{private.slug}/dashboard/": _expect(
            default=404, owner=200, anonymous=302
        ),
        "/community/notifications/": _expect(anonymous=302),
        "/@alice": _expect(blocked=404),
        f"/api/v1/characters/{public.slug}/comments/": _expect(),
        f"/api/v1/characters/{private.slug}/comments/": _expect(default=404, owner=200),
        f"/api/v1/boards/{board.slug}/posts/": _expect(),
        "/api/v1/boards/": _expect(),
        "/api/v1/feed/?kind=new": _expect(),
        "/api/v1/feed/?kind=home": _expect(anonymous=401),
        "/api/v1/notifications/": _expect(anonymous=401),
    }
    failures = []
    for url, expected in matrix.items():
        for role, status in expected.items():
            got = clients[role].get(url).status_code
            if got != status:
                failures.append((url, role, status, got))
    assert failures == []


def test_post_matrix_refuses_and_saves_nothing(world: dict[str, object]) -> None:
    public = world["public"]
    private = world["private"]
    post = world["post"]
    assert isinstance(public, Character) and isinstance(private, Character)
    assert isinstance(post, Post)
    clients = world["clients"]
    assert isinstance(clients, dict)
    for role in ("other", "blocked", "staff"):
        c = clients[role]
        assert c.post(f"/community/c/{private.slug}/like/").status_code == 404
        assert (
            c.post(f"/community/c/{private.slug}/comments/", {"body": "x"}).status_code
            == 404
        )
        assert (
            c.post(f"/community/c/{public.slug}/moments/", {"body": "x"}).status_code
            == 404
        )
    blocked = clients["blocked"]
    assert (
        blocked.post(f"/community/p/{post.pk}/comments/", {"body": "x"}).status_code
        == 404
    )
    assert blocked.post(f"/community/p/{post.pk}/vote/").status_code == 404
    assert blocked.post("/@alice/follow/").status_code == 404  # as /@alice is
    assert blocked.post(f"/community/c/{public.slug}/like/").status_code == 302
    anon = clients["anonymous"]
    for url in (
        f"/community/c/{public.slug}/like/",
        f"/community/p/{post.pk}/vote/",
        "/@alice/follow/",
    ):
        assert anon.post(url).status_code == 302  # to the login page
    assert not CharacterLike.objects.exists()
    assert not Comment.objects.exists()
    post.refresh_from_db()
    assert post.score == 0


def test_profile_shows_counts_without_private_characters(
    user: User, other_user: User, make_character: Callable[..., Character]
) -> None:
    public = make_character(user, "Aria")
    private = make_character(user, "Hidden", visibility="private")
    Character.objects.filter(pk=public.pk).update(chats_count=7)
    Character.objects.filter(pk=private.pk).update(chats_count=1000)
    services.user_follow(follower=other_user, followee=user)
    html = Client().get("/@alice").content.decode()
    assert "Aria" in html and "Hidden" not in html
    assert "<strong>7</strong> chats with their characters" in html
    assert "<strong>1</strong> follower" in html
    assert "1000" not in html


def test_dashboard_has_table_and_svg_chart(
    user: User, other_user: User, make_character: Callable[..., Character]
) -> None:
    character = make_character(user, "Aria")
    services.character_like(user=other_user, character=character)
    services.character_rate(user=other_user, character=character, stars=4)
    services.character_follow(user=other_user, character=character)
    client = Client()
    client.force_login(user)
    html = client.get(f"/community/c/{character.slug}/dashboard/").content.decode()
    assert '<svg class="chart"' in html
    assert "<polyline" in html
    assert "4.0★" in html
    assert html.count("<tr>") >= 30 + 5  # 30 days + 5 star rows


def test_home_page_empty_state_suggests_creators(
    user: User, other_user: User, make_character: Callable[..., Character]
) -> None:
    make_character(other_user, "Bobby")
    client = Client()
    client.force_login(user)
    html = client.get("/community/").content.decode()
    assert "Your feed is quiet" in html
    assert "@bob" in html and "Creators to follow" in html
    client.post("/@bob/follow/")
    html = client.get("/community/").content.decode()
    assert "Bobby" in html and "Your feed is quiet" not in html


def test_htmx_infinite_scroll_returns_only_items(user: User, board: Board) -> None:
    for i in range(25):
        services.post_create(author=user, board=board, title=f"Post {i}")
    client = Client()
    first = client.get("/community/?feed=new").content.decode()
    cursor = re.search(r'hx-get="\?feed=new&amp;cursor=([^"]+)"', first)
    assert cursor is not None
    more = client.get(
        f"/community/?feed=new&cursor={cursor.group(1)}", headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in more
    assert "Post 4" in more and "Post 24" not in more


def test_post_form_shows_clear_errors(user_client: Client, board: Board) -> None:
    r = user_client.post(f"/community/b/{board.slug}/post/", {"title": "", "body": "x"})
    assert r.status_code == 400
    assert "The title cannot be empty." in r.content.decode()
    # Everything wrong is said at once, and nothing is saved.
    r = user_client.post(
        f"/community/b/{board.slug}/post/",
        {
            "title": "t" * 400,
            "body": "b" * 25_000,
            "character": "nobody-x1",
            "share": "99",
        },
    )
    html = r.content.decode()
    assert r.status_code == 400
    assert "The title is 400 characters" in html and "The text is 25,000" in html
    assert "No such character" in html and "No such shared chat" in html
    assert not Post.objects.exists()
    r = user_client.post(
        f"/community/b/{board.slug}/post/",
        {"title": "Hi", "body": "<script>x</script>"},
    )
    assert r.status_code == 302
    html = user_client.get(r["Location"]).content.decode()
    assert "&lt;script&gt;" in html and "<script>x" not in html


def test_community_pages_satisfy_csp(world: dict[str, object], user: User) -> None:
    public = world["public"]
    post = world["post"]
    board = world["board"]
    assert isinstance(public, Character) and isinstance(post, Post)
    assert isinstance(board, Board)
    clients = world["clients"]
    assert isinstance(clients, dict)
    services.comment_create(author=user, post=post, body="hi")
    for path in (
        "/community/",
        f"/community/b/{board.slug}/",
        f"/community/b/{board.slug}/post/",
        f"/community/p/{post.pk}/",
        f"/community/c/{public.slug}/",
        f"/community/c/{public.slug}/dashboard/",
        "/community/notifications/",
        "/@alice",
    ):
        html = clients["owner"].get(path).content.decode()
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag, f"inline script on {path}: {tag}"
        assert not re.search(r"\sstyle=", html), path
        assert not re.search(r"\son[a-z]+=", html), path


def test_post_form_embeds_a_character_by_its_link(
    user_client: Client,
    board: Board,
    user: User,
    make_character: Callable[..., Character],
) -> None:
    character = make_character(user, "Linked")
    for given in (
        f"http://testserver/c/{character.slug}/",
        f"http://testserver/community/c/{character.slug}/?tab=moments",
        character.slug,
    ):
        r = user_client.post(
            f"/community/b/{board.slug}/post/", {"title": "See", "character": given}
        )
        assert r.status_code == 302, given
    assert Post.objects.filter(character=character).count() == 3


def test_authors_edit_their_posts(
    user: User, other_user: User, board: Board, user_client: Client
) -> None:
    post = services.post_create(
        author=user, board=board, title="Old", body="old *text*"
    )
    url = f"/community/p/{post.pk}/edit/"
    page = user_client.get(post.get_absolute_url()).content.decode()
    assert f'href="{url}">Edit post</a>' in page
    form = user_client.get(url).content.decode()
    assert (
        'value="Old"' in form
        and "old *text*" in form
        and 'name="character"' not in form
    )
    # Bad input: every problem named, nothing changed.
    r = user_client.post(url, {"title": " ", "body": "b" * 25_000})
    html = r.content.decode()
    assert r.status_code == 400
    assert "The title cannot be empty." in html and "The text is 25,000" in html
    post.refresh_from_db()
    assert post.title == "Old" and post.edited_at is None
    r = user_client.post(url, {"title": "New", "body": "new **text**"})
    assert r.status_code == 302 and r["Location"] == post.get_absolute_url()
    post.refresh_from_db()
    assert post.title == "New" and "<strong>text</strong>" in post.body_html
    page = user_client.get(post.get_absolute_url()).content.decode()
    assert "· edited" in page and "Post updated." in page
    # Someone else sees the post but may not edit it; nobody sees a deleted one.
    bob = Client()
    bob.force_login(other_user)
    assert "Edit post" not in bob.get(post.get_absolute_url()).content.decode()
    assert bob.get(url).status_code == 403
    assert bob.post(url, {"title": "Mine now"}).status_code == 403
    services.post_delete(post=post, user=user)
    assert user_client.get(url).status_code == 404
    post.refresh_from_db()
    assert post.title == "New"


def _links(html: str, prefix: str) -> set[str]:
    return set(re.findall(rf'href="({re.escape(prefix)}[^"#]*)"', html))


def test_block_asks_first_and_the_blockers_view_lists_only_what_opens(
    user: User,
    other_user: User,
    board: Board,
    make_character: Callable[..., Character],
    make_conversation: Callable[..., Conversation],
) -> None:
    """The Block button acted on one click although it also ends follows;
    after it, Bob's profile still listed his shared chats and posts, each a
    404 for Alice. Now the form asks, saying what blocking does, and her view
    says she blocked him, with Unblock, and lists only what she can open."""
    aria = make_character(other_user, "Aria")
    # The greeting is enough (a generated reply needs a transactional test).
    conversation = make_conversation(other_user, aria, turns=0)
    share = services.share_create(
        user=other_user, conversation=conversation, from_seq=1, to_seq=1, title="Storm"
    )
    post = services.post_create(author=other_user, board=board, title="Bob's post")
    alice = Client()
    alice.force_login(user)
    html = alice.get("/@bob").content.decode()
    assert share.get_absolute_url() in html and post.get_absolute_url() in html
    block_form = re.search(r'<form[^>]*action="/@bob/block/"[^>]*>', html)
    assert block_form is not None
    assert re.search(
        r'data-confirm="Block @bob\? You stop following each other, neither of '
        r"you sees the other(&#x27;|')s posts, shared chats or comments",
        block_form.group(0),
    ), block_form.group(0)

    services.user_block(blocker=user, blocked=other_user)
    html = alice.get("/@bob").content.decode()
    assert "You blocked @bob" in html
    assert re.search(
        r'<input type="hidden" name="on" value="0"><button[^>]*>Unblock @bob</button>',
        html,
    )
    assert "Follow</button>" not in html and ">Block</button>" not in html
    # No shared chat or post listed: each is a 404 for her. Every link left
    # opens (his characters stay readable for a blocker).
    assert share.get_absolute_url() not in html
    assert post.get_absolute_url() not in html
    assert "No shared chats yet" not in html and "No posts yet" not in html
    assert alice.get(share.get_absolute_url()).status_code == 404
    assert alice.get(post.get_absolute_url()).status_code == 404
    view = selectors.profile_view(handle="bob", viewer=user)
    assert (view.shares, view.posts, view.characters) == ([], [], [aria])
    links = _links(html, "/community/") | _links(html, "/c/")
    assert f"/community/c/{aria.slug}/" in links
    for link in links:
        assert alice.get(link).status_code == 200, link
    # Bob's shared chat is still listed to others, as the share page shows it.
    carol = Client()
    assert share.get_absolute_url() in carol.get("/@bob").content.decode()
    # Unblocked, all is back.
    assert alice.post("/@bob/block/", {"on": "0"}).status_code == 302
    html = alice.get("/@bob").content.decode()
    assert share.get_absolute_url() in html and "You blocked" not in html
