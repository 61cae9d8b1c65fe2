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


async def _closed_with(communicator: WebsocketCommunicator) -> int | None:
    """The code of the close that comes next (a timeout when none comes)."""
    while True:
        output = await communicator.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            code: int | None = output.get("code")
            return code


async def test_anonymous_is_accepted_then_closed_4401() -> None:
    """Accepted, then closed with the documented code: a close before the
    accept is an HTTP 403 at the handshake, which a client cannot tell from
    any other refusal."""
    communicator, connected, _ = await _connect(
        [(b"origin", b"http://localhost"), (b"host", b"localhost")]
    )
    assert connected
    assert await _closed_with(communicator) == 4401
    await communicator.disconnect()


async def test_bearer_token_without_origin_connects(user: User) -> None:
    new = await database_sync_to_async(token_create)(user=user, name="bot")
    communicator, connected, _ = await _connect(
        [(b"authorization", f"Bearer {new.secret}".encode())]
    )
    assert connected
    await communicator.disconnect()


async def test_bad_bearer_token_is_closed_4401(user: User) -> None:
    communicator, connected, _ = await _connect(
        [(b"authorization", b"Bearer kdr_nope")]
    )
    assert connected
    assert await _closed_with(communicator) == 4401
    await communicator.disconnect()


async def test_revoking_a_token_closes_the_sockets_opened_with_it(
    user: User,
) -> None:
    """The token is checked at the handshake only: revoking it must close the
    sockets it opened (4401), and only those — the user's browser tab stays."""
    new = await database_sync_to_async(token_create)(user=user, name="bot")
    other = await database_sync_to_async(token_create)(user=user, name="other")
    bot, ok, _ = await _connect([(b"authorization", f"Bearer {new.secret}".encode())])
    assert ok
    kept, ok_kept, _ = await _connect(
        [(b"authorization", f"Bearer {other.secret}".encode())]
    )
    assert ok_kept
    cookie = await database_sync_to_async(_session_cookie)(user)
    tab, ok_tab, _ = await _connect(
        [(b"origin", b"http://localhost"), (b"cookie", cookie), (b"host", b"localhost")]
    )
    assert ok_tab
    for communicator in (bot, kept, tab):
        assert (await communicator.receive_json_from(timeout=5))["unread"] == 0

    def revoke() -> int:
        client = Client()
        client.force_login(user)
        return client.post(f"/settings/tokens/{new.token.pk}/revoke/").status_code

    assert await database_sync_to_async(revoke)() == 302
    assert await _closed_with(bot) == 4401
    await database_sync_to_async(user_unread_broadcast)(user_id=user.pk, unread=2)
    for communicator in (kept, tab):
        assert await communicator.receive_json_from(timeout=5) == {
            "type": "notify.unread",
            "unread": 2,
        }
    for communicator in (bot, kept, tab):
        await communicator.disconnect()


async def test_logging_out_closes_that_sessions_sockets(user: User) -> None:
    leaving, staying = Client(), Client()

    def login(client: Client) -> bytes:
        client.force_login(user)
        return f"sessionid={client.cookies['sessionid'].value}".encode()

    sockets = []
    for client in (leaving, staying):
        cookie = await database_sync_to_async(login)(client)
        communicator, ok, _ = await _connect(
            [
                (b"origin", b"http://localhost"),
                (b"cookie", cookie),
                (b"host", b"localhost"),
            ]
        )
        assert ok
        await communicator.receive_json_from(timeout=5)
        sockets.append(communicator)
    response = await database_sync_to_async(leaving.post)("/accounts/logout/")
    assert response.status_code == 302
    assert await _closed_with(sockets[0]) == 4401
    # The other session's socket is still open and live.
    await database_sync_to_async(user_unread_broadcast)(user_id=user.pk, unread=1)
    assert (await sockets[1].receive_json_from(timeout=5))["unread"] == 1
    for communicator in sockets:
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
