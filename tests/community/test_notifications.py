"""Notifications: kinds, grouping of likes, privacy, mark read, live badge."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from pytest_django import DjangoAssertNumQueries
from rest_framework.test import APIClient

from characters.models import Character
from characters.services import character_draft_save, character_publish
from community import services
from community.models import Board, Moment, Notification, User
from config.asgi import application


def _api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _kinds(user: User) -> list[tuple[str, int]]:
    body = _api(user).get("/api/v1/notifications/").json()
    return [(n["kind"], n["count"]) for n in body["results"]]


@pytest.mark.django_db
def test_each_kind_is_notified(
    user: User,
    other_user: User,
    carol: User,
    board: Board,
    make_character: Callable[..., Character],
) -> None:
    character = make_character(user, "Aria")
    services.user_follow(follower=other_user, followee=user)
    comment = services.comment_create(author=other_user, character=character, body="hi")
    services.comment_create(
        author=carol, character=character, parent=comment, body="hey @alice"
    )
    services.character_like(user=other_user, character=character)
    services.character_like(user=carol, character=character)
    post = services.post_create(author=carol, board=board, title="Shout to @alice")
    assert post.pk
    assert _kinds(user) == [
        ("mention", 1),
        ("like", 2),  # two likes today on the same character: one row
        # Carol's reply on Alice's character also mentions her: one
        # notification per event, not two.
        ("comment", 1),
        ("comment", 1),
        ("follow", 1),
    ]
    assert _kinds(other_user) == [("reply", 1)]


@pytest.mark.django_db
def test_moments_reach_followers_including_automatic_version_moments(
    user: User, other_user: User, make_character: Callable[..., Character]
) -> None:
    character = make_character(user, "Aria")
    services.character_follow(user=other_user, character=character)
    services.moment_create(author=user, character=character, body="New outfit!")
    character_draft_save(
        character=character,
        data={"name": "Aria", "description": "v2", "first_mes": "Hi again"},
    )
    # Publishing posts the automatic moment itself.
    version = character_publish(character=character, by=user, note="better memory")
    moment = Moment.objects.filter(character=character).order_by("-pk").first()
    assert moment is not None and "Version 2" in moment.body
    assert services.moment_post_for_version(version=version) is None  # once
    assert Moment.objects.count() == 2
    assert _kinds(other_user) == [("moment", 1), ("moment", 1)]
    with pytest.raises(Exception, match="Only the creator"):
        services.moment_create(author=other_user, character=character, body="x")


@pytest.mark.django_db
def test_private_characters_notify_nobody_and_old_notifications_vanish(
    user: User, other_user: User, make_character: Callable[..., Character]
) -> None:
    character = make_character(user, "Aria")
    services.character_follow(user=other_user, character=character)
    services.character_like(user=other_user, character=character)
    assert _kinds(user) == [("like", 1)]
    Character.objects.filter(pk=character.pk).update(visibility="private")
    character.refresh_from_db()
    services.moment_create(author=user, character=character, body="secret")
    assert _kinds(other_user) == []
    # The owner still sees notifications about their own private character.
    assert _kinds(user) == [("like", 1)]


@pytest.mark.django_db
def test_mark_one_and_all_read(user: User, other_user: User, carol: User) -> None:
    services.user_follow(follower=other_user, followee=user)
    services.user_follow(follower=carol, followee=user)
    body = _api(user).get("/api/v1/notifications/").json()
    assert body["unread"] == 2
    first = body["results"][0]["id"]
    r = _api(user).post("/api/v1/notifications/read/", {"id": first}, format="json")
    assert r.json() == {"unread": 1}
    # Someone else's notification: 404.
    r = _api(other_user).post(
        "/api/v1/notifications/read/", {"id": first}, format="json"
    )
    assert r.status_code == 404
    client = Client()
    client.force_login(user)
    page = client.post("/community/notifications/read-all/")
    assert page.status_code == 302
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    r = _api(user).post("/api/v1/notifications/read/", {}, format="json")
    assert r.status_code == 400


def _session_cookie(user: User) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_unread_badge_updates_live_over_the_socket(
    user: User, other_user: User
) -> None:
    cookie = await database_sync_to_async(_session_cookie)(user)
    communicator = WebsocketCommunicator(
        application,
        "/ws/notifications/",
        headers=[
            (b"origin", b"http://localhost"),
            (b"host", b"localhost"),
            (b"cookie", cookie),
        ],
    )
    connected, _ = await communicator.connect()
    assert connected
    assert await communicator.receive_json_from(timeout=5) == {
        "type": "notify.unread",
        "unread": 0,
    }
    await database_sync_to_async(services.user_follow)(
        follower=other_user, followee=user
    )
    assert await communicator.receive_json_from(timeout=5) == {
        "type": "notify.unread",
        "unread": 1,
    }
    await database_sync_to_async(services.notifications_mark_all_read)(user=user)
    assert await communicator.receive_json_from(timeout=5) == {
        "type": "notify.unread",
        "unread": 0,
    }
    await communicator.disconnect()


def _badge_and_list(user: User) -> tuple[int, int, str]:
    """What the pages say: the badge (the socket's and the API's count), how
    many unread notifications the list shows, and the Notifications page."""
    from community import selectors

    shown = selectors.notifications_page(user=user).items
    client = Client()
    client.force_login(user)
    return (
        selectors.unread_count(user=user),
        sum(1 for n in shown if n.read_at is None),
        client.get("/community/notifications/").content.decode(),
    )


@pytest.mark.django_db
def test_the_badge_counts_what_the_list_shows_after_deletions_and_blocks(
    user: User,
    other_user: User,
    board: Board,
    make_character: Callable[..., Character],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    """Alice mentions @bob in comments and a post and replies to his comment,
    deletes the post; Bob blocks her. His badge said 4 over "No notifications
    yet": it counted every unread row, the list hid the deleted post and the
    blocked actor."""
    from community import selectors

    character = make_character(user, "Aria")
    bobs = services.comment_create(author=other_user, character=character, body="hi")
    services.comment_create(
        author=user, character=character, parent=bobs, body="thanks @bob"
    )
    services.comment_create(author=user, character=character, body="@bob look")
    post = services.post_create(author=user, board=board, title="Hello @bob")
    body = _api(other_user).get("/api/v1/notifications/").json()
    assert (selectors.unread_count(user=other_user), len(body["results"])) == (3, 3)

    services.post_delete(post=post, user=user)
    badge, listed, _ = _badge_and_list(other_user)
    assert (badge, listed) == (2, 2)
    assert _api(other_user).get("/api/v1/notifications/").json()["unread"] == 2

    services.user_block(blocker=other_user, blocked=user)
    badge, listed, html = _badge_and_list(other_user)
    assert "No notifications yet" in html
    assert (badge, listed) == (0, 0)
    assert _api(other_user).get("/api/v1/notifications/").json()["unread"] == 0
    # Blocked the other way round, the same.
    services.user_unblock(blocker=other_user, blocked=user)
    assert selectors.unread_count(user=other_user) == 2
    # The socket counts up to what the badge can show ("99+").
    assert selectors.unread_count_by_id(user_id=other_user.pk, at_most=1) == 1
    services.user_block(blocker=user, blocked=other_user)
    assert selectors.unread_count(user=other_user) == 0
    # The badge runs on every page a member opens (the socket's first frame):
    # one statement, however many notifications.
    with django_assert_num_queries(1):
        selectors.unread_count_by_id(user_id=other_user.pk, at_most=100)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_sockets_badge_leaves_out_hidden_notifications(
    user: User, other_user: User, board: Board
) -> None:
    """The number the socket sends on connect follows the list's rule."""
    post = await database_sync_to_async(services.post_create)(
        author=user, board=board, title="Hello @bob"
    )
    await database_sync_to_async(services.user_follow)(
        follower=user, followee=other_user
    )
    await database_sync_to_async(services.post_delete)(post=post, user=user)
    cookie = await database_sync_to_async(_session_cookie)(other_user)
    communicator = WebsocketCommunicator(
        application,
        "/ws/notifications/",
        headers=[
            (b"origin", b"http://localhost"),
            (b"host", b"localhost"),
            (b"cookie", cookie),
        ],
    )
    connected, _ = await communicator.connect()
    assert connected
    assert await communicator.receive_json_from(timeout=5) == {
        "type": "notify.unread",
        "unread": 1,  # the follow; the mention in the deleted post is hidden
    }
    await communicator.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_live_badge_follows_deletions_and_blocks(
    user: User, other_user: User, board: Board
) -> None:
    """The counts the socket sends after a write follow the list's rule too,
    and a write that hides notifications (a deleted post, a block) sends one."""
    cookie = await database_sync_to_async(_session_cookie)(other_user)
    communicator = WebsocketCommunicator(
        application,
        "/ws/notifications/",
        headers=[
            (b"origin", b"http://localhost"),
            (b"host", b"localhost"),
            (b"cookie", cookie),
        ],
    )
    connected, _ = await communicator.connect()
    assert connected

    async def unread() -> int:
        frame = await communicator.receive_json_from(timeout=5)
        assert frame["type"] == "notify.unread"
        return int(frame["unread"])

    assert await unread() == 0
    post = await database_sync_to_async(services.post_create)(
        author=user, board=board, title="Hello @bob"
    )
    assert await unread() == 1
    await database_sync_to_async(services.post_delete)(post=post, user=user)
    assert await unread() == 0
    await database_sync_to_async(services.user_follow)(
        follower=user, followee=other_user
    )
    assert await unread() == 1
    await database_sync_to_async(services.user_block)(blocker=other_user, blocked=user)
    assert await unread() == 0
    await database_sync_to_async(services.user_unblock)(
        blocker=other_user, blocked=user
    )
    assert await unread() == 1  # her follow shows again
    assert await communicator.receive_nothing(timeout=0.2)
    await communicator.disconnect()
