"""The websocket stack: origin check, session and token authentication."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from community.events import user_unread_broadcast
from community.models import User
from community.services import token_create
from config.asgi import application

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def _session_cookie(user: User) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def _connect(headers: list[tuple[bytes, bytes]]):
    communicator = WebsocketCommunicator(
        application, "/ws/notifications/", headers=headers
    )
    connected, code = await communicator.connect()
    return communicator, connected, code


async def test_foreign_origin_is_refused(user: User) -> None:
    cookie = await database_sync_to_async(_session_cookie)(user)
    communicator, connected, _ = await _connect(
        [(b"origin", b"https://evil.example.net"), (b"cookie", cookie)]
    )
    assert not connected
    await communicator.disconnect()


async def test_own_origin_with_session_connects_and_gets_live_events(
    user: User,
) -> None:
    cookie = await database_sync_to_async(_session_cookie)(user)
    communicator, connected, _ = await _connect(
        [(b"origin", b"http://localhost"), (b"cookie", cookie), (b"host", b"localhost")]
    )
    assert connected
    # On connect the socket reports the current count (none yet).
    assert await communicator.receive_json_from(timeout=5) == {
        "type": "notify.unread",
        "unread": 0,
    }
    await database_sync_to_async(user_unread_broadcast)(user_id=user.pk, unread=3)
    assert await communicator.receive_json_from(timeout=5) == {
        "type": "notify.unread",
        "unread": 3,
    }
    await communicator.disconnect()


async def test_anonymous_is_refused() -> None:
    communicator, connected, code = await _connect([(b"origin", b"http://localhost")])
    assert not connected
    assert code == 4401
    await communicator.disconnect()


async def test_bearer_token_without_origin_connects(user: User) -> None:
    new = await database_sync_to_async(token_create)(user=user, name="bot")
    communicator, connected, _ = await _connect(
        [(b"authorization", f"Bearer {new.secret}".encode())]
    )
    assert connected
    await communicator.disconnect()


async def test_bad_bearer_token_is_refused(user: User) -> None:
    communicator, connected, code = await _connect(
        [(b"authorization", b"Bearer kdr_nope")]
    )
    assert not connected
    assert code == 4401
    await communicator.disconnect()


async def test_bearer_token_does_not_bypass_a_foreign_origin(user: User) -> None:
    """A page elsewhere cannot set Authorization, but if anything sends both, the
    origin check still applies."""
    new = await database_sync_to_async(token_create)(user=user, name="bot")
    communicator, connected, _ = await _connect(
        [
            (b"origin", b"https://evil.example.net"),
            (b"authorization", f"Bearer {new.secret}".encode()),
        ]
    )
    assert not connected
    await communicator.disconnect()
