"""The conversation socket as a third-party client sees it: close codes a
client can act on, sockets that do not outlive their token or their
conversation, frame limits in characters, ids echoed back."""

from __future__ import annotations

import json
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from rest_framework.test import APIClient

from chat.models import Conversation
from community.models import User
from community.services import token_create
from config.asgi import application
from tests.chat.wsutil import connect, is_final_update, read_until

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fast_chat"),
]


async def closed_with(comm: WebsocketCommunicator) -> tuple[list[Any], int | None]:
    """The frames before the close that comes next, and its code (a timeout
    when none comes)."""
    frames: list[Any] = []
    while True:
        output = await comm.receive_output(timeout=10)
        if output["type"] == "websocket.close":
            return frames, output.get("code")
        frames.append(json.loads(output["text"]))


async def bearer(path: str, secret: str) -> tuple[WebsocketCommunicator, bool]:
    comm = WebsocketCommunicator(
        application, path, headers=[(b"authorization", f"Bearer {secret}".encode())]
    )
    ok, _ = await comm.connect(timeout=5)
    return comm, ok


# --- Close codes -------------------------------------------------------------------


async def test_refusals_are_accepted_then_closed_with_their_code(
    user: User, other_user: User, conversation: Conversation
) -> None:
    """A close before the accept reaches the client as an HTTP 403 at the
    handshake: an expired token and a deleted chat looked the same."""
    cases = [
        (None, conversation.pk, 4401),
        (other_user, conversation.pk, 4404),
        (user, conversation.pk + 1000, 4404),
    ]
    for who, pk, code in cases:
        comm, ok, _ = await connect(who, pk)
        assert ok, (who, pk)
        assert await closed_with(comm) == ([], code)
        await comm.disconnect()


async def test_a_bad_token_is_closed_4401(conversation: Conversation) -> None:
    comm, ok = await bearer(f"/ws/conversations/{conversation.pk}/", "kdr_" + "x" * 40)
    assert ok
    assert await closed_with(comm) == ([], 4401)
    await comm.disconnect()


@pytest.mark.parametrize(
    "path", ["/ws/conversations/abc/", "/ws/nothing/", "/ws/conversations/1/x/"]
)
async def test_unknown_socket_paths_close_4404_instead_of_failing(
    user: User, path: str
) -> None:
    new = await database_sync_to_async(token_create)(user=user, name="bot")
    comm, ok = await bearer(path, new.secret)
    assert ok
    assert await closed_with(comm) == ([], 4404)
    await comm.disconnect()


async def test_a_foreign_origin_is_still_refused_at_the_handshake(
    user: User, conversation: Conversation
) -> None:
    comm, ok, _ = await connect(user, conversation.pk, origin=b"https://evil.test")
    assert not ok
    await comm.disconnect()


# --- Revoked tokens -------------------------------------------------------------


async def test_revoking_a_token_closes_its_open_conversation_sockets(
    user: User, conversation: Conversation
) -> None:
    """The token is checked at the handshake: after a revoke the REST API
    answered 401 while the open socket went on chatting."""
    new = await database_sync_to_async(token_create)(user=user, name="bot")
    path = f"/ws/conversations/{conversation.pk}/"
    bot, ok = await bearer(path, new.secret)
    assert ok
    tab, ok, _ = await connect(user, conversation.pk)
    assert ok

    def revoke() -> tuple[int, int]:
        page = Client()
        page.force_login(user)
        revoked = page.post(f"/settings/tokens/{new.token.pk}/revoke/").status_code
        rest = APIClient(headers={"Authorization": f"Bearer {new.secret}"})
        return revoked, rest.get("/api/v1/me/").status_code

    assert await database_sync_to_async(revoke)() == (302, 401)
    assert await closed_with(bot) == ([], 4401)
    # The browser's socket (a session, not the token) is still there.
    await tab.send_json_to({"type": "resume", "after_seq": 1})
    assert (await tab.receive_json_from(timeout=5))["type"] == "resume.done"
    await bot.disconnect()
    await tab.disconnect()


async def test_a_revoked_token_cannot_open_a_socket(
    user: User, conversation: Conversation
) -> None:
    new = await database_sync_to_async(token_create)(user=user, name="bot")
    from community.services import token_revoke

    await database_sync_to_async(token_revoke)(token=new.token)
    comm, ok = await bearer(f"/ws/conversations/{conversation.pk}/", new.secret)
    assert ok
    assert await closed_with(comm) == ([], 4401)
    await comm.disconnect()


# --- A deleted conversation -----------------------------------------------------


async def test_deleting_a_conversation_mid_stream_tells_and_closes_its_sockets(
    user: User, conversation: Conversation, settings: Any
) -> None:
    settings.LLM_OFFLINE_WORD_DELAY = 0.05  # still streaming when deleted
    a, ok_a, _ = await connect(user, conversation.pk)
    b, ok_b, _ = await connect(user, conversation.pk)
    assert ok_a and ok_b
    await a.send_json_to({"type": "message.send", "client_id": "d", "text": "Hi"})
    await read_until(a, lambda f: f["type"] == "reply.delta")

    def delete() -> int:
        client = APIClient()
        client.force_authenticate(user)
        return client.delete(f"/api/v1/conversations/{conversation.pk}/").status_code

    assert await database_sync_to_async(delete)() == 204
    for comm in (a, b):
        frames, code = await closed_with(comm)
        assert code == 4404
        assert frames[-1] == {
            "type": "conversation.deleted",
            "conversation_id": conversation.pk,
        }
        await comm.disconnect()


# --- Resume -------------------------------------------------------------------------


async def test_resume_past_the_end_reports_the_real_last_seq(
    user: User, conversation: Conversation
) -> None:
    comm, ok, _ = await connect(user, conversation.pk)
    assert ok
    await comm.send_json_to({"type": "resume", "after_seq": 1_000_000})
    done = await comm.receive_json_from(timeout=5)
    assert (done["type"], done["last_seq"]) == ("resume.done", 1)  # the greeting
    await comm.disconnect()


# --- Frame size: characters, however JSON escapes them --------------------------


async def test_a_cjk_message_escaped_by_json_dumps_is_accepted(
    user: User, conversation: Conversation
) -> None:
    text = "海" * 3000
    raw = json.dumps({"type": "message.send", "client_id": "cjk", "text": text})
    assert len(raw.encode()) > 18_000  # \u6d77 per character
    comm, ok, _ = await connect(user, conversation.pk)
    assert ok
    await comm.send_to(text_data=raw)
    frame = await comm.receive_json_from(timeout=10)
    assert frame["type"] == "message.created", frame
    assert frame["message"]["alternatives"][0]["text"] == text
    await read_until(comm, is_final_update)
    await comm.disconnect()


async def test_the_longest_text_in_the_worst_escaping_fits_a_frame(
    user: User, conversation: Conversation
) -> None:
    """4,000 astral characters, each escaped as a surrogate pair (12 bytes),
    with a 64-character astral client_id: the byte limit admits every text
    the character limit admits; one character more is text_too_long."""
    client_id = "😀" * 64
    text = "😀" * 4000
    raw = json.dumps({"type": "message.send", "client_id": client_id, "text": text})
    assert len(raw.encode()) > 48_000
    comm, ok, _ = await connect(user, conversation.pk)
    assert ok
    await comm.send_to(text_data=raw)
    frame = await comm.receive_json_from(timeout=10)
    assert frame["type"] == "message.created", frame
    assert frame["message"]["alternatives"][0]["text"] == text
    await read_until(comm, is_final_update)
    await comm.send_to(
        text_data=json.dumps(
            {"type": "message.send", "client_id": "more", "text": text + "😀"}
        )
    )
    error = await comm.receive_json_from(timeout=5)
    assert (error["type"], error["code"]) == ("error", "text_too_long")
    await comm.disconnect()


# --- Ids a client matches its frames by -----------------------------------------


async def test_message_created_carries_the_client_id_of_the_users_message(
    user: User, conversation: Conversation
) -> None:
    comm, ok, _ = await connect(user, conversation.pk)
    assert ok
    await comm.send_json_to({"type": "message.send", "client_id": "k-1", "text": "Hi"})
    frames = await read_until(comm, is_final_update)
    created = [f["message"] for f in frames if f["type"] == "message.created"]
    assert [(m["author"], m["client_id"]) for m in created] == [
        ("user", "k-1"),
        ("character", None),
    ]
    # And wherever the message is read again: resume, the REST history.
    await comm.send_json_to({"type": "resume", "after_seq": 1})
    frames = await read_until(comm, lambda f: f["type"] == "resume.done")
    assert frames[0]["message"]["client_id"] == "k-1"

    def history() -> list[Any]:
        client = APIClient()
        client.force_authenticate(user)
        url = f"/api/v1/conversations/{conversation.pk}/messages/"
        return [m["client_id"] for m in client.get(url).json()["results"]]

    assert await database_sync_to_async(history)() == [None, "k-1", None]
    await comm.disconnect()


async def test_errors_echo_the_message_id_or_client_id_of_their_frame(
    user: User, conversation: Conversation
) -> None:
    comm, ok, _ = await connect(user, conversation.pk)
    assert ok
    frames: list[tuple[dict[str, Any], dict[str, Any]]] = [
        (
            {"type": "message.delete", "message_id": 999_999},
            {"code": "not_found", "message_id": 999_999},
        ),
        (
            {"type": "message.send", "client_id": "e-1", "text": "x" * 4001},
            {"code": "text_too_long", "client_id": "e-1"},
        ),
        (
            {"type": "message.send", "client_id": "e-2", "text": 5},
            {"code": "invalid_field", "client_id": "e-2"},
        ),
        (
            {"type": "reply.select", "message_id": 7},
            {"code": "missing_field", "message_id": 7},
        ),
    ]
    for frame, expected in frames:
        await comm.send_json_to(frame)
        error = await comm.receive_json_from(timeout=5)
        assert error["type"] == "error"
        assert {k: error.get(k) for k in expected} == expected, error
        assert error["frame"] == frame["type"]
    # Nothing to echo: not JSON, or ids of the wrong type.
    await comm.send_to(text_data="{nope")
    error = await comm.receive_json_from(timeout=5)
    assert "message_id" not in error and "client_id" not in error
    await comm.send_json_to({"type": "message.delete", "message_id": "1"})
    error = await comm.receive_json_from(timeout=5)
    assert error["code"] == "invalid_field" and "message_id" not in error
    await comm.disconnect()
