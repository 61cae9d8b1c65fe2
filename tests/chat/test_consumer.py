"""The conversation socket: every frame type, bad frames, owner-only access."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.utils import timezone

from characters.models import Character
from chat import events
from chat.models import Alternative, Conversation, Message, Rating
from chat.services import conversation_start
from community.models import User
from community.services import token_create
from tests.chat.wsutil import Transcript, connect, is_final_update, read_until

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fast_chat"),
]


@database_sync_to_async
def counts(conversation: Conversation) -> tuple[int, int, int]:
    return (
        Message.objects.filter(conversation=conversation).count(),
        Alternative.objects.filter(message__conversation=conversation).count(),
        Rating.objects.count(),
    )


@database_sync_to_async
def alternatives(message_id: int) -> list[tuple[int, str, str]]:
    return list(
        Alternative.objects.filter(message_id=message_id)
        .order_by("index")
        .values_list("index", "status", "text")
    )


async def send_and_finish(
    comm, text: str, client_id: str
) -> tuple[list[dict[str, Any]], int, int]:
    await comm.send_json_to(
        {"type": "message.send", "client_id": client_id, "text": text}
    )
    frames = await read_until(comm, is_final_update)
    created = [f["message"] for f in frames if f["type"] == "message.created"]
    user_msg = next(m for m in created if m["author"] == "user")
    reply = next(m for m in created if m["author"] == "character")
    return frames, user_msg["id"], reply["id"]


async def test_send_streams_a_reply_in_batches_and_persists_it(
    user: User, conversation: Conversation, character: Character
) -> None:
    comm, ok, _ = await connect(user, conversation.pk)
    assert ok
    frames, _, reply_id = await send_and_finish(comm, "Do you like the sea?", "c-1")
    transcript = Transcript.of(frames)
    deltas = [f for f in frames if f["type"] == "reply.delta"]
    assert deltas, "the reply must stream"
    done = next(f for f in frames if f["type"] == "reply.done")
    assert done["status"] == "complete" and done["finish_reason"] == "stop"
    final = frames[-1]["message"]["alternatives"][0]
    # In character: the example line about the sea, with {{user}} filled.
    assert "born on a ship, Alice" in final["text"]
    assert final["html"].startswith("<p>")
    assert transcript.text[(reply_id, 0)] == final["text"]
    # Fewer layer messages than words: deltas are batched.
    assert len(deltas) <= len(final["text"].split())
    [(_, status, text)] = await alternatives(reply_id)
    assert (status, text) == ("complete", final["text"])
    alt = await database_sync_to_async(
        lambda: Alternative.objects.select_related("message").get(message_id=reply_id)
    )()
    assert alt.character_version_id == character.published_version_id
    assert alt.message.seq == 3 and alt.completion_tokens
    await comm.disconnect()


async def test_resending_a_client_id_creates_nothing_new(
    user: User, conversation: Conversation
) -> None:
    comm, ok, _ = await connect(user, conversation.pk)
    assert ok
    _, user_id, reply_id = await send_and_finish(comm, "Hello there", "same-id")
    assert user_id != reply_id
    before = await counts(conversation)
    await comm.send_json_to(
        {"type": "message.send", "client_id": "same-id", "text": "Hello there"}
    )
    again = [await comm.receive_json_from(timeout=5) for _ in range(2)]
    assert [f["type"] for f in again] == ["message.created", "message.created"]
    assert {f["message"]["id"] for f in again} == {user_id, reply_id}
    assert await counts(conversation) == before
    await comm.disconnect()


BAD_FRAMES: list[tuple[str, Any, str]] = [
    ("not json", "{nope", "bad_json"),
    ("array", "[1, 2]", "bad_frame"),
    ("no type", json.dumps({"text": "x"}), "missing_field"),
    ("unknown type", json.dumps({"type": "message.explode"}), "unknown_type"),
    ("missing client_id", json.dumps({"type": "message.send", "text": "x"}), "missing_field"),
    ("missing text", json.dumps({"type": "message.send", "client_id": "a"}), "missing_field"),
    ("text not a string", json.dumps({"type": "message.send", "client_id": "a", "text": 5}), "invalid_field"),
    ("empty text", json.dumps({"type": "message.send", "client_id": "a", "text": "  "}), "invalid_field"),
    # PostgreSQL stores neither NUL nor half a UTF-16 pair: named, not a dead handler.
    ("NUL in text", json.dumps({"type": "message.send", "client_id": "a", "text": "a\u0000b"}), "invalid_field"),
    ("lone surrogate in text", '{"type": "message.send", "client_id": "a", "text": "\\ud800"}', "invalid_field"),
    ("NUL in client_id", json.dumps({"type": "message.send", "client_id": "a\u0000", "text": "x"}), "invalid_field"),
    ("zero-width text", json.dumps({"type": "message.send", "client_id": "a", "text": "\u200b\ufeff"}), "invalid_field"),
    ("text too long", json.dumps({"type": "message.send", "client_id": "a", "text": "x" * 4001}), "text_too_long"),
    ("frame too large", json.dumps({"type": "message.send", "client_id": "a", "text": "x" * 70000}), "frame_too_large"),
    ("message_id a string", json.dumps({"type": "message.delete", "message_id": "1"}), "invalid_field"),
    ("message_id a bool", json.dumps({"type": "generation.stop", "message_id": True}), "invalid_field"),
    ("edit without text", json.dumps({"type": "message.edit", "message_id": 1}), "missing_field"),
    ("select without index", json.dumps({"type": "reply.select", "message_id": 1}), "missing_field"),
    ("rate without stars", json.dumps({"type": "reply.rate", "message_id": 1, "index": 0}), "missing_field"),
    ("rate feedback not text", json.dumps({"type": "reply.rate", "message_id": 1, "index": 0, "stars": 3, "feedback": 7}), "invalid_field"),
    ("resume without after_seq", json.dumps({"type": "resume"}), "missing_field"),
    ("regenerate without id", json.dumps({"type": "reply.regenerate"}), "missing_field"),
    ("rewind without id", json.dumps({"type": "message.rewind"}), "missing_field"),
    ("unknown message", json.dumps({"type": "message.delete", "message_id": 999999}), "not_found"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("label", "raw", "code"), BAD_FRAMES, ids=[b[0] for b in BAD_FRAMES]
)
async def test_bad_frames_get_an_error_and_change_nothing(
    user: User, conversation: Conversation, label: str, raw: str, code: str
) -> None:
    comm, ok, _ = await connect(user, conversation.pk)
    assert ok
    before = await counts(conversation)
    await comm.send_to(text_data=raw)
    frame = await comm.receive_json_from(timeout=5)
    assert frame["type"] == "error"
    assert frame["code"] == code
    assert frame["message"]
    assert await comm.receive_nothing(timeout=0.3)
    assert await counts(conversation) == before
    await comm.disconnect()


async def test_binary_frame_is_refused(user: User, conversation: Conversation) -> None:
    comm, ok, _ = await connect(user, conversation.pk)
    assert ok
    await comm.send_to(bytes_data=b"\x00\x01")
    frame = await comm.receive_json_from(timeout=5)
    assert (frame["type"], frame["code"]) == ("error", "bad_frame")
    await comm.disconnect()


async def test_edit_delete_and_rewind(user: User, conversation: Conversation) -> None:
    comm, ok, _ = await connect(user, conversation.pk)
    assert ok
    _, first_user, first_reply = await send_and_finish(
        comm, "Tell me about your sword", "a"
    )
    _, second_user, second_reply = await send_and_finish(
        comm, "What is your favourite food?", "b"
    )

    await comm.send_json_to(
        {"type": "message.edit", "message_id": second_user, "text": "Edited!"}
    )
    frame = await comm.receive_json_from(timeout=5)
    assert frame["type"] == "message.updated"
    assert frame["message"]["alternatives"][0]["text"] == "Edited!"
    assert frame["message"]["edited_at"]

    # Only one's own messages can be edited, not the character's.
    await comm.send_json_to(
        {"type": "message.edit", "message_id": second_reply, "text": "x"}
    )
    frame = await comm.receive_json_from(timeout=5)
    assert (frame["type"], frame["code"]) == ("error", "forbidden")

    await comm.send_json_to({"type": "message.delete", "message_id": second_reply})
    frame = await comm.receive_json_from(timeout=5)
    assert frame == {"type": "message.deleted", "message_ids": [second_reply]}

    await comm.send_json_to({"type": "message.rewind", "message_id": first_user})
    frame = await comm.receive_json_from(timeout=5)
    assert frame["type"] == "message.deleted"
    assert set(frame["message_ids"]) == {first_reply, second_user}
    ids = await database_sync_to_async(
        lambda: list(
            Message.objects.filter(conversation=conversation).values_list(
                "id", flat=True
            )
        )
    )()
    assert first_user in ids and len(ids) == 2  # greeting + first user message
    await comm.disconnect()


async def test_regenerate_select_and_rate(
    user: User, conversation: Conversation
) -> None:
    comm, ok, _ = await connect(user, conversation.pk)
    assert ok
    _, _, reply_id = await send_and_finish(comm, "Do you like the sea?", "a")
    await comm.send_json_to({"type": "reply.regenerate", "message_id": reply_id})
    frames = await read_until(comm, lambda f: is_final_update(f, reply_id))
    first_update = next(f for f in frames if f["type"] == "message.updated")
    assert first_update["message"]["selected"] == 1
    final = frames[-1]["message"]
    assert [a["index"] for a in final["alternatives"]] == [0, 1]
    assert final["alternatives"][1]["status"] == "complete"
    # Swipes differ: the regenerate picks another line.
    assert final["alternatives"][0]["text"] != final["alternatives"][1]["text"]

    await comm.send_json_to(
        {"type": "reply.select", "message_id": reply_id, "index": 0}
    )
    frame = await comm.receive_json_from(timeout=5)
    assert frame["type"] == "message.updated" and frame["message"]["selected"] == 0

    await comm.send_json_to(
        {"type": "reply.select", "message_id": reply_id, "index": 7}
    )
    frame = await comm.receive_json_from(timeout=5)
    assert (frame["type"], frame["code"]) == ("error", "not_found")

    await comm.send_json_to(
        {
            "type": "reply.rate",
            "message_id": reply_id,
            "index": 1,
            "stars": 4,
            "feedback": "Great",
        }
    )
    frame = await comm.receive_json_from(timeout=5)
    assert frame["type"] == "message.updated"
    assert frame["message"]["alternatives"][1]["stars"] == 4
    assert frame["message"]["alternatives"][1]["feedback"] == "Great"
    for stars in (0, 5):
        await comm.send_json_to(
            {"type": "reply.rate", "message_id": reply_id, "index": 1, "stars": stars}
        )
        frame = await comm.receive_json_from(timeout=5)
        assert (frame["type"], frame["code"]) == ("error", "invalid_field")
    rating = await database_sync_to_async(lambda: Rating.objects.get())()
    assert (rating.stars, rating.feedback) == (4, "Great")
    await comm.disconnect()


async def test_greeting_swipes_and_is_not_regenerated(
    user: User, conversation: Conversation
) -> None:
    comm, ok, _ = await connect(user, conversation.pk)
    assert ok
    await comm.send_json_to({"type": "resume", "after_seq": 0})
    greeting = (await comm.receive_json_from(timeout=5))["message"]
    assert greeting["is_greeting"]
    texts = [a["text"] for a in greeting["alternatives"]]
    assert texts == [
        "*Captain Mira wipes the counter.* Welcome aboard, Alice!",
        "Ahoy, Alice. Sit, the stew is hot.",
    ]
    await comm.receive_json_from(timeout=5)  # resume.done
    await comm.send_json_to(
        {"type": "reply.select", "message_id": greeting["id"], "index": 1}
    )
    assert (await comm.receive_json_from(timeout=5))["message"]["selected"] == 1
    await comm.send_json_to({"type": "reply.regenerate", "message_id": greeting["id"]})
    frame = await comm.receive_json_from(timeout=5)
    assert (frame["type"], frame["code"]) == ("error", "invalid_field")
    await comm.disconnect()


async def test_stop_keeps_the_partial_text_as_stopped(
    user: User, conversation: Conversation, settings: Any
) -> None:
    settings.LLM_OFFLINE_WORD_DELAY = 0.2
    comm, ok, _ = await connect(user, conversation.pk)
    assert ok
    await comm.send_json_to(
        {"type": "message.send", "client_id": "s", "text": "Do you like the sea?"}
    )
    frames = await read_until(comm, lambda f: f["type"] == "reply.delta")
    reply_id = frames[-1]["message_id"]
    # A second send while a reply is being written is refused.
    await comm.send_json_to(
        {"type": "message.send", "client_id": "t", "text": "Hello?"}
    )
    frames += await read_until(comm, lambda f: f["type"] == "error")
    assert frames[-1]["code"] == "busy"
    await comm.send_json_to({"type": "generation.stop", "message_id": reply_id})
    frames += await read_until(comm, lambda f: is_final_update(f, reply_id))
    done = next(f for f in frames if f["type"] == "reply.done")
    assert (done["status"], done["finish_reason"]) == ("stopped", "stopped")
    await asyncio.sleep(0.6)  # the worker notices at its next write and ends
    [(_, status, text)] = await alternatives(reply_id)
    assert status == "stopped"
    transcript = Transcript.of(frames)
    assert text == transcript.text[(reply_id, 0)]
    assert "Salt is in my blood" not in text  # stopped before the end
    await comm.disconnect()


async def test_resume_after_disconnect_mid_stream_has_no_gap_or_duplicate(
    user: User, conversation: Conversation, settings: Any
) -> None:
    settings.LLM_OFFLINE_WORD_DELAY = 0.05
    settings.CHAT_FLUSH_INTERVAL = 0.0  # a delta per word: the hardest case
    first, ok, _ = await connect(user, conversation.pk)
    assert ok
    await first.send_json_to(
        {"type": "message.send", "client_id": "r", "text": "Tell me about your sword"}
    )
    seen = await read_until(first, lambda f: f["type"] == "reply.delta")
    reply_id = seen[-1]["message_id"]
    # Generation starts before the broadcast, so the first delta may overtake
    # the reply's ``message.created``: read on until it is there too.
    if not any(
        f["type"] == "message.created" and f["message"]["id"] == reply_id for f in seen
    ):
        seen += await read_until(
            first,
            lambda f: f["type"] == "message.created" and f["message"]["id"] == reply_id,
        )
    last_seq = max(f["message"]["seq"] for f in seen if f["type"] == "message.created")
    await first.disconnect()  # the tab closes mid-reply
    await asyncio.sleep(0.12)

    second, ok, _ = await connect(user, conversation.pk)
    assert ok
    await second.send_json_to({"type": "resume", "after_seq": last_seq})
    frames = await read_until(second, lambda f: is_final_update(f, reply_id))
    snapshot = next(f for f in frames if f["type"] == "message.updated")
    assert snapshot["message"]["alternatives"][0]["status"] == "streaming"
    transcript = Transcript.of(frames)  # asserts every delta continues exactly
    [(_, status, text)] = await alternatives(reply_id)
    assert status == "complete"
    assert transcript.text[(reply_id, 0)] == text
    await second.disconnect()


@database_sync_to_async
def streaming_reply(conversation: Conversation) -> tuple[int, int]:
    """A reply being written whose first text is not stored yet: (its id, the
    seq before it)."""
    seq = conversation.last_seq + 1
    Conversation.objects.filter(pk=conversation.pk).update(last_seq=seq)
    message = Message.objects.create(
        conversation=conversation, seq=seq, author="character",
        character=conversation.character,
    )  # fmt: skip
    Alternative.objects.create(message=message, index=0, status="streaming")
    return message.pk, seq - 1


async def test_a_snapshot_that_missed_the_first_text_is_repaired(
    user: User, conversation: Conversation
) -> None:
    """The first delta is sent before its text is written: a socket whose
    snapshot was read in between sees the next delta start past what it has,
    and gets the missing text from the database instead of a gap."""
    from channels.layers import get_channel_layer

    from chat.events import conversation_group

    reply_id, before = await streaming_reply(conversation)
    comm, ok, _ = await connect(user, conversation.pk)
    assert ok
    await comm.send_json_to({"type": "resume", "after_seq": before})
    frames = await read_until(comm, lambda f: f["type"] == "resume.done")
    [snapshot] = [f for f in frames if f["type"] == "message.created"]
    assert snapshot["message"]["alternatives"][0]["text"] == ""
    # "Hello" went out (this socket missed it), then " world" was written and
    # sent.
    await database_sync_to_async(
        Alternative.objects.filter(message_id=reply_id).update
    )(text="Hello world")
    layer = get_channel_layer()
    group = conversation_group(conversation.pk)
    delta = {"type": "chat.delta", "message_id": reply_id, "index": 0}
    await layer.group_send(group, {**delta, "offset": 5, "text": " world"})
    frame = await comm.receive_json_from(timeout=5)
    assert (frame["type"], frame["offset"], frame["text"]) == (
        "reply.delta", 0, "Hello world",
    )  # fmt: skip
    # Already covered by the repair: nothing more.
    await layer.group_send(group, {**delta, "offset": 5, "text": " world"})
    assert await comm.receive_nothing(timeout=0.3)
    # A stop overtakes a delta: the late delta is dropped.
    await layer.group_send(
        group,
        {"type": "chat.done", "message_id": reply_id, "index": 0, "status": "stopped",
         "finish_reason": "stopped", "error": "", "message": None},
    )  # fmt: skip
    assert (await comm.receive_json_from(timeout=5))["type"] == "reply.done"
    await layer.group_send(group, {**delta, "offset": 11, "text": "!"})
    assert await comm.receive_nothing(timeout=0.3)
    await comm.disconnect()


async def test_two_tabs_see_the_same_stream(
    user: User, conversation: Conversation
) -> None:
    a, ok_a, _ = await connect(user, conversation.pk)
    b, ok_b, _ = await connect(user, conversation.pk)
    assert ok_a and ok_b
    await a.send_json_to(
        {"type": "message.send", "client_id": "x", "text": "Do you like the sea?"}
    )
    frames_a = await read_until(a, is_final_update)
    frames_b = await read_until(b, is_final_update)
    assert frames_a == frames_b
    await a.disconnect()
    await b.disconnect()


async def test_resume_sends_messages_after_seq(
    user: User, conversation: Conversation
) -> None:
    comm, ok, _ = await connect(user, conversation.pk)
    assert ok
    _, user_id, reply_id = await send_and_finish(comm, "Hi", "a")
    await comm.send_json_to({"type": "resume", "after_seq": 1})
    frames = await read_until(comm, lambda f: f["type"] == "resume.done")
    assert [f["message"]["id"] for f in frames[:-1]] == [user_id, reply_id]
    assert frames[-1]["last_seq"] == 3
    await comm.disconnect()


async def test_resume_digests_only_from_the_oldest_message_the_client_shows(
    user: User, conversation: Conversation
) -> None:
    """A long chat's page holds its newest messages: resume's from_seq keeps
    the digest (each message read with its alternatives) to those, instead of
    the whole chat on every connect."""
    comm, ok, _ = await connect(user, conversation.pk)
    assert ok
    for i in range(3):
        await send_and_finish(comm, f"Hi {i}", f"c{i}")
    await comm.send_json_to({"type": "resume", "after_seq": 7, "from_seq": 5})
    done = (await read_until(comm, lambda f: f["type"] == "resume.done"))[-1]
    assert [row[1] for row in done["digest"]] == [5, 6, 7]
    assert done["from_seq"] == 5 and done["last_seq"] == 7
    await comm.send_json_to({"type": "resume", "after_seq": 7})
    done = (await read_until(comm, lambda f: f["type"] == "resume.done"))[-1]
    assert [row[1] for row in done["digest"]] == [1, 2, 3, 4, 5, 6, 7]
    await comm.send_json_to({"type": "resume", "after_seq": 7, "from_seq": -1})
    error = await comm.receive_json_from(timeout=5)
    assert (error["type"], error["code"]) == ("error", "invalid_field")
    await comm.disconnect()


async def test_a_frame_after_a_send_is_handled_once_the_send_is_saved(
    user: User, conversation: Conversation
) -> None:
    """A send is saved in the background of the socket (which goes on relaying
    events), but the frames a client sends are still handled in order: a
    resume right behind a send sees the messages it saved."""
    comm, ok, _ = await connect(user, conversation.pk)
    assert ok
    await comm.send_json_to({"type": "message.send", "client_id": "o", "text": "Hi"})
    await comm.send_json_to({"type": "resume", "after_seq": 1})
    frames = await read_until(comm, lambda f: f["type"] == "resume.done")
    assert frames[-1]["last_seq"] == 3  # the user's message (2) and the reply (3)
    await read_until(comm, is_final_update)
    # A refused send answers with its error before the next frame's answer.
    await comm.send_json_to({"type": "message.send", "client_id": "p", "text": ""})
    await comm.send_to(text_data="not JSON")
    errors = [await comm.receive_json_from(timeout=5) for _ in range(2)]
    assert [(e["type"], e["code"]) for e in errors] == [
        ("error", "invalid_field"),
        ("error", "bad_json"),
    ]
    await comm.disconnect()


async def test_resume_digest_shows_what_changed_or_went_away_while_away(
    user: User, conversation: Conversation
) -> None:
    """A second tab edits, rates and deletes while the first is disconnected:
    resume.done's digest lets the first find each change without a reload."""
    first, ok, _ = await connect(user, conversation.pk)
    assert ok
    frames, user_id, reply_id = await send_and_finish(first, "Hi", "d1")
    _, user2_id, reply2_id = await send_and_finish(first, "Again", "d2")
    shown = {}  # what the first tab holds: id -> rev of the last payload
    for f in frames + (await _resume(first, 0))[0]:
        if f["type"] in ("message.created", "message.updated"):
            shown[f["message"]["id"]] = f["message"]["rev"]
    await first.disconnect()

    second, ok, _ = await connect(user, conversation.pk)
    assert ok
    await second.send_json_to(
        {"type": "message.edit", "message_id": user_id, "text": "Hello there"}
    )
    await read_until(second, lambda f: f["type"] == "message.updated")
    await second.send_json_to(
        {"type": "reply.rate", "message_id": reply_id, "index": 0, "stars": 4}
    )
    await read_until(second, lambda f: f["type"] == "message.updated")
    await second.send_json_to({"type": "message.rewind", "message_id": reply_id})
    await read_until(second, lambda f: f["type"] == "message.deleted")
    await second.disconnect()

    back, ok, _ = await connect(user, conversation.pk)
    assert ok
    _, done = await _resume(back, 5)
    assert done["after_seq"] == 5
    digest = {row[0]: (row[1], row[2]) for row in done["digest"]}
    assert user2_id not in digest and reply2_id not in digest  # rewound away
    assert digest[user_id][1] != shown[user_id]  # edited
    assert digest[reply_id][1] != shown[reply_id]  # rated
    greeting = next(i for i, (seq, _) in digest.items() if seq == 1)
    assert digest[greeting][1] == shown[greeting]  # untouched
    # Resuming from the oldest changed message brings payloads whose revs
    # match the digest: the client converges in one more round trip.
    frames, done = await _resume(back, digest[user_id][0] - 1)
    got = {f["message"]["id"]: f["message"]["rev"] for f in frames}
    assert got == {user_id: digest[user_id][1], reply_id: digest[reply_id][1]}
    await back.disconnect()


async def _resume(
    comm: Any, after_seq: int
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    await comm.send_json_to({"type": "resume", "after_seq": after_seq})
    frames = await read_until(comm, lambda f: f["type"] == "resume.done")
    return frames[:-1], frames[-1]


# --- Who may connect -------------------------------------------------------------


async def test_other_users_and_missing_conversations_get_4404(
    user: User, other_user: User, conversation: Conversation
) -> None:
    for who, pk in ((other_user, conversation.pk), (user, conversation.pk + 1000)):
        comm, ok, _ = await connect(who, pk)
        assert ok  # accepted, then closed with the code (test_socket_protocol)
        assert (await comm.receive_output(timeout=5))["code"] == 4404
        await comm.disconnect()


async def test_anonymous_is_refused(conversation: Conversation) -> None:
    comm, ok, _ = await connect(None, conversation.pk)
    assert ok
    assert (await comm.receive_output(timeout=5))["code"] == 4401
    await comm.disconnect()


async def test_foreign_origin_is_refused(
    user: User, conversation: Conversation
) -> None:
    comm, ok, _ = await connect(
        user, conversation.pk, origin=b"https://evil.example.net"
    )
    assert not ok
    await comm.disconnect()


async def test_bearer_token_client_can_chat(
    user: User, conversation: Conversation
) -> None:
    from channels.testing import WebsocketCommunicator

    from config.asgi import application

    new = await database_sync_to_async(token_create)(user=user, name="bot")
    comm = WebsocketCommunicator(
        application,
        f"/ws/conversations/{conversation.pk}/",
        headers=[(b"authorization", f"Bearer {new.secret}".encode())],
    )
    ok, _ = await comm.connect()
    assert ok
    _, _, reply_id = await send_and_finish(comm, "Do you like the sea?", "bot-1")
    assert (await alternatives(reply_id))[0][1] == "complete"
    await comm.disconnect()


async def test_deleted_characters_chat_is_read_only(
    user: User, conversation: Conversation, character: Character
) -> None:
    await database_sync_to_async(
        lambda: Character.objects.filter(pk=character.pk).update(
            deleted_at=timezone.now()
        )
    )()
    comm, ok, _ = await connect(user, conversation.pk)
    assert ok  # the history stays readable
    before = await counts(conversation)
    await comm.send_json_to(
        {"type": "message.send", "client_id": "z", "text": "Hello?"}
    )
    frame = await comm.receive_json_from(timeout=5)
    assert (frame["type"], frame["code"]) == ("error", "read_only")
    assert await counts(conversation) == before
    await comm.disconnect()


async def test_per_minute_quota_gives_a_clear_error(
    user: User, conversation: Conversation, settings: Any
) -> None:
    settings.FREE_MESSAGES_PER_MINUTE = 2
    comm, ok, _ = await connect(user, conversation.pk)
    assert ok
    await send_and_finish(comm, "one", "q1")
    await send_and_finish(comm, "two", "q2")
    before = await counts(conversation)
    await comm.send_json_to(
        {"type": "message.send", "client_id": "q3", "text": "three"}
    )
    frame = await comm.receive_json_from(timeout=5)
    assert (frame["type"], frame["code"]) == ("error", "rate_limited")
    assert "2 messages a minute" in frame["message"]
    assert await counts(conversation) == before
    await comm.disconnect()


async def test_private_character_of_someone_else_cannot_be_chatted_with(
    user: User, make_character: Callable[..., Character], other_user: User
) -> None:
    from characters.models import Visibility

    character = await database_sync_to_async(make_character)(other_user, name="Hidden")
    conv = await database_sync_to_async(conversation_start)(
        user=user, character=character
    )
    await database_sync_to_async(
        lambda: Character.objects.filter(pk=character.pk).update(
            visibility=Visibility.PRIVATE
        )
    )()
    comm, ok, _ = await connect(user, conv.pk)
    assert ok
    await comm.send_json_to({"type": "message.send", "client_id": "p", "text": "Hi"})
    frame = await comm.receive_json_from(timeout=5)
    assert (frame["type"], frame["code"]) == ("error", "unavailable")
    await comm.disconnect()


async def test_a_creator_chats_with_an_unpublished_draft(user: User) -> None:
    """A character with only a draft (its creator trying it out): the reply
    is written from the draft card, which the send's read leaves out."""
    from characters.definition import definition_empty
    from characters.services import character_create

    def make() -> Conversation:
        data = definition_empty("Draft Dana")
        data["first_mes"] = "Hello from the draft."
        data["mes_example"] = (
            "<START>\n{{user}}: Do you like the sea?\n{{char}}: Only in drafts, {{user}}.\n"
        )
        character = character_create(owner=user, data=data, publish=False)
        assert character.published_version_id is None
        return conversation_start(user=user, character=character)

    draft_chat = await database_sync_to_async(make)()
    comm, ok, _ = await connect(user, draft_chat.pk)
    assert ok
    frames, _, reply_id = await send_and_finish(comm, "Do you like the sea?", "d")
    transcript = Transcript.of(frames)
    assert "Only in drafts" in transcript.text[(reply_id, 0)]
    await comm.disconnect()


async def test_events_are_relayed_while_the_database_thread_is_busy(
    user: User, conversation: Conversation
) -> None:
    """Relaying an event needs no database, so it does not wait for the
    thread-sensitive executor that runs the database calls (channels'
    dispatch awaits a hop there before every message), where a send's last
    steps may still be running when its reply's first text arrives."""
    comm, ok, _ = await connect(user, conversation.pk)
    assert ok
    busy, release = threading.Event(), threading.Event()

    def hold() -> None:
        busy.set()
        release.wait(10)

    holder = asyncio.ensure_future(sync_to_async(hold)())  # thread-sensitive
    try:
        assert await asyncio.to_thread(busy.wait, 5)
        await get_channel_layer().group_send(
            events.conversation_group(conversation.pk),
            {"type": "chat.delta", "message_id": 7, "index": 0, "offset": 0,
             "text": "Ahoy"},
        )  # fmt: skip
        frame = await comm.receive_json_from(timeout=2)
    finally:
        release.set()
        await holder
    assert frame == {
        "type": "reply.delta", "message_id": 7, "index": 0, "offset": 0,
        "text": "Ahoy",
    }  # fmt: skip
    await comm.disconnect()


# --- Replies left "being written" by a process that is gone ------------------------


@database_sync_to_async
def reply_left_live(
    conversation: Conversation, *, status: str, text: str, seconds_ago: float
) -> int:
    """A user message and a reply whose row stands as a server left it when it
    stopped mid-reply (thread mode: nothing will ever write it again), its
    last write ``seconds_ago``."""
    seq = conversation.last_seq + 1
    Conversation.objects.filter(pk=conversation.pk).update(last_seq=seq + 1)
    said = Message.objects.create(
        conversation=conversation, seq=seq, author="user", user=conversation.owner
    )
    Alternative.objects.create(message=said, index=0, text="Tell me a story")
    reply = Message.objects.create(
        conversation=conversation, seq=seq + 1, author="character",
        character=conversation.character,
    )  # fmt: skip
    Alternative.objects.create(message=reply, index=0, status=status, text=text)
    Alternative.objects.filter(message=reply).update(
        updated_at=timezone.now() - timedelta(seconds=seconds_ago)
    )
    return reply.pk


async def test_a_reply_left_streaming_by_a_restart_fails_and_the_chat_goes_on(
    user: User, conversation: Conversation
) -> None:
    """A restart mid-reply left it streaming: on connect it is marked failed
    (interrupted, its text kept), every socket hears so, Retry works, and
    the next send is accepted instead of "Wait for the current reply"."""
    reply_id = await reply_left_live(
        conversation, status="streaming", text="Once upon a", seconds_ago=600
    )
    comm, ok, _ = await connect(user, conversation.pk)
    assert ok
    frames = await read_until(comm, lambda f: is_final_update(f, reply_id))
    done = next(f for f in frames if f["type"] == "reply.done")
    assert (done["message_id"], done["status"], done["finish_reason"]) == (
        reply_id, "failed", "interrupted",
    )  # fmt: skip
    assert done["error"]
    assert frames[-1]["message"]["alternatives"][0]["text"] == "Once upon a"
    assert await alternatives(reply_id) == [(0, "failed", "Once upon a")]
    # Retry: a new alternative, written as usual.
    await comm.send_json_to({"type": "reply.regenerate", "message_id": reply_id})
    await read_until(comm, lambda f: is_final_update(f, reply_id))
    assert [s for _, s, _ in await alternatives(reply_id)] == ["failed", "complete"]
    _, _, next_reply = await send_and_finish(comm, "Do you like the sea?", "after")
    assert (await alternatives(next_reply))[0][1] == "complete"
    await comm.disconnect()


async def test_a_send_behind_a_dead_reply_is_accepted(
    user: User, conversation: Conversation
) -> None:
    """The send's busy check applies the rule too (a socket that stayed
    connected while a Celery worker died): the dead reply is failed and
    broadcast, the message is saved."""
    comm, ok, _ = await connect(user, conversation.pk)
    assert ok
    reply_id = await reply_left_live(
        conversation, status="pending", text="", seconds_ago=600
    )
    await comm.send_json_to(
        {"type": "message.send", "client_id": "s", "text": "Do you like the sea?"}
    )
    frames = await read_until(
        comm, lambda f: is_final_update(f) and f["message"]["id"] != reply_id
    )
    assert frames[-1]["message"]["alternatives"][0]["status"] == "complete"
    done = next(
        f for f in frames if f["type"] == "reply.done" and f["message_id"] == reply_id
    )
    assert (done["status"], done["finish_reason"]) == ("failed", "interrupted")
    assert await alternatives(reply_id) == [(0, "failed", "")]
    await comm.disconnect()


async def test_a_reply_being_written_elsewhere_is_left_alone(
    user: User, conversation: Conversation
) -> None:
    """A reply whose row moved recently has a writer (another server process
    may be streaming it): connecting and resuming leave it live, and a send
    is still refused as busy."""
    reply_id = await reply_left_live(
        conversation, status="streaming", text="Once upon a", seconds_ago=2
    )
    comm, ok, _ = await connect(user, conversation.pk)
    assert ok
    assert await comm.receive_nothing(timeout=0.3)
    frames, _ = await _resume(comm, 0)
    shown = next(f for f in frames if f["message"]["id"] == reply_id)
    assert shown["message"]["alternatives"][0]["status"] == "streaming"
    await comm.send_json_to({"type": "message.send", "client_id": "b", "text": "Hi"})
    frame = await comm.receive_json_from(timeout=5)
    assert (frame["type"], frame["code"]) == ("error", "busy")
    assert await alternatives(reply_id) == [(0, "streaming", "Once upon a")]
    await comm.disconnect()


async def test_regenerate_with_your_last_message_writes_a_new_reply_to_it(
    user: User, conversation: Conversation
) -> None:
    """A delete left the user's message last: reply.regenerate with its id
    creates a new reply (message.created, pending) and writes it as usual."""
    comm, ok, _ = await connect(user, conversation.pk)
    assert ok
    _, user_id, reply_id = await send_and_finish(comm, "Do you like the sea?", "a")
    await comm.send_json_to({"type": "message.delete", "message_id": reply_id})
    await read_until(comm, lambda f: f["type"] == "message.deleted")
    await comm.send_json_to({"type": "reply.regenerate", "message_id": user_id})
    frames = await read_until(comm, is_final_update)
    created = next(f for f in frames if f["type"] == "message.created")["message"]
    assert created["author"] == "character" and created["id"] != reply_id
    assert created["alternatives"][0]["status"] == "pending"
    assert frames[-1]["message"]["id"] == created["id"]
    assert "born on a ship" in frames[-1]["message"]["alternatives"][0]["text"]
    await comm.disconnect()
