"""The conversation socket: /ws/conversations/<id>/ (protocol in docs/chat.md).

Thin: parse a frame, call one service through ``database_sync_to_async``, and
relay the conversation group's events. Generation never runs here.

Relaying keeps, per reply alternative still being written, the text this socket
has been sent; deltas are trimmed against it, so a client that resumed (and got
a snapshot) never sees a duplicate or a gap, even though deltas queued during the
snapshot overlap it. A reply's first delta is sent before its text is written
(``chat.generation``), so a snapshot may lack it: the next delta then starts
past what this socket has, and the socket reads the persisted text, which by
then covers that delta (``_repair``). Deltas of an alternative this socket has
seen end (a stop that overtook them) are dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any, NoReturn

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.http import Http404

from chat import events, services
from chat.models import LIVE_STATUSES, Conversation
from chat.selectors import (
    alternative_text,
    conversation_get_for_user,
    message_payload,
    messages_for_resume,
)
from community.events import RevokedEvent
from community.models import User
from community.sockets import (
    CLOSE_UNAUTHENTICATED,
    credential_groups_join,
    credential_groups_leave,
)

CLOSE_NOT_FOUND = 4404  # not the owner's, or no such conversation (or deleted)

# type → required fields and their JSON types
FRAMES: dict[str, dict[str, type]] = {
    "message.send": {"client_id": str, "text": str},
    "message.edit": {"message_id": int, "text": str},
    "message.delete": {"message_id": int},
    "message.rewind": {"message_id": int},
    "reply.regenerate": {"message_id": int},
    "reply.select": {"message_id": int, "index": int},
    "reply.rate": {"message_id": int, "index": int, "stars": int},
    "generation.stop": {"message_id": int},
    "resume": {"after_seq": int},
}
_TYPE_NAMES = {str: "a string", int: "a whole number"}
MAX_CLIENT_ID = 64


class FrameError(Exception):
    def __init__(
        self, code: str, message: str, *, echo: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.echo = echo or {}


def echo_ids(frame: dict[str, Any]) -> dict[str, Any]:
    """What an error frame repeats of the frame it refuses, so a client can
    tell which of its frames it answers: ``frame`` (its type, when it is one
    of ours), ``message_id`` (when a whole number) and ``client_id`` (when a
    string of at most 64 characters)."""
    echo: dict[str, Any] = {}
    kind = frame.get("type")
    if isinstance(kind, str) and kind in FRAMES:
        echo["frame"] = kind
    message_id = frame.get("message_id")
    if isinstance(message_id, int) and not isinstance(message_id, bool):
        echo["message_id"] = message_id
    client_id = frame.get("client_id")
    if isinstance(client_id, str) and len(client_id) <= MAX_CLIENT_ID:
        echo["client_id"] = client_id
    return echo


def parse_frame(raw: str | None, limit: int) -> tuple[str, dict[str, Any]]:
    """Validate a client frame; raises ``FrameError`` naming the problem."""
    if raw is None:
        raise FrameError("bad_frame", "Frames must be JSON text, not binary.")
    if len(raw.encode()) > limit:
        raise FrameError("frame_too_large", f"Frames are limited to {limit:,} bytes.")
    try:
        frame = json.loads(raw)
    except ValueError:
        raise FrameError("bad_json", "The frame is not valid JSON.") from None
    if not isinstance(frame, dict):
        raise FrameError("bad_frame", "A frame must be a JSON object.")
    echo = echo_ids(frame)
    kind = frame.get("type")
    if not isinstance(kind, str):
        raise FrameError("missing_field", "The frame has no “type”.", echo=echo)
    spec = FRAMES.get(kind)
    if spec is None:
        raise FrameError(
            "unknown_type", f"Unknown frame type “{kind[:40]}”.", echo=echo
        )
    for name, expected in spec.items():
        if name not in frame:
            raise FrameError("missing_field", f"“{kind}” needs “{name}”.", echo=echo)
        value = frame[name]
        if isinstance(value, bool) or not isinstance(value, expected):
            wanted = _TYPE_NAMES.get(expected, "valid")
            raise FrameError("invalid_field", f"“{name}” must be {wanted}.", echo=echo)
    if "feedback" in frame and not isinstance(frame["feedback"], str | None):
        raise FrameError("invalid_field", "“feedback” must be a string.", echo=echo)
    # resume's optional from_seq: the oldest message the client shows.
    from_seq = frame.get("from_seq") if kind == "resume" else None
    if from_seq is not None and (
        isinstance(from_seq, bool) or not isinstance(from_seq, int) or from_seq < 0
    ):
        raise FrameError(
            "invalid_field", "“from_seq” must be a whole number, 0 or more.", echo=echo
        )
    return kind, frame


class ConversationConsumer(AsyncWebsocketConsumer):
    conversation: Conversation | None = None
    group: str | None = None
    sending: asyncio.Future[None] | None = None  # a message.send being saved

    async def connect(self) -> None:
        self.live: dict[tuple[int, int], str] = {}
        self.ended: set[tuple[int, int]] = set()
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.refuse(CLOSE_UNAUTHENTICATED)
            return
        self.user: User = user
        try:
            pk = int(self.scope["url_route"]["kwargs"]["pk"])
            self.conversation = await database_sync_to_async(conversation_get_for_user)(
                pk=pk, user=user
            )
        except (Http404, ValueError):
            await self.refuse(CLOSE_NOT_FOUND)
            return
        if not await credential_groups_join(self):
            await self.refuse(CLOSE_UNAUTHENTICATED)
            return
        events.remember_loop(asyncio.get_running_loop())
        self.group = events.conversation_group(self.conversation.pk)
        # Accepted right after joining: a client that sees the socket open
        # misses no event, and few reach it before it can send its resume.
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        # A reply left "being written" by a process that is gone (a restart
        # mid-reply) would show its cursor and block every send for good:
        # fail it now, as this socket listens (its reply.done comes here too).
        await database_sync_to_async(services.replies_interrupt_dead)(
            conversation=self.conversation
        )

    async def refuse(self, code: int) -> None:
        """Accept, then close with ``code``: a close before the accept reaches
        the client as an HTTP 403 at the handshake, which cannot tell an
        expired token (4401) from a deleted chat (4404)."""
        await self.accept()
        await self.close(code=code)

    async def disconnect(self, code: int) -> None:
        if self.sending is not None:
            # Let a send being saved finish (it is committed or refused
            # either way; a message is never half saved).
            with contextlib.suppress(Exception):
                await self.sending
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
        await credential_groups_leave(self)

    async def dispatch(self, message: dict[str, Any]) -> None:
        """As channels' ``AsyncConsumer.dispatch``, without the
        ``aclose_old_connections()`` it awaits before every message (since
        channels 4.2): a hop to the thread-sensitive executor, which the
        database calls share, so each relayed delta waited behind whatever
        database work was running there — a send's last steps while its
        reply's first text arrived (1.8 ms at the median in the bench's
        trace). Every database call of this consumer goes through
        ``database_sync_to_async``, which closes stale connections before
        and after itself."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def send_frame(self, frame: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(frame, ensure_ascii=False))

    async def error(self, code: str, message: str, **extra: Any) -> None:
        await self.send_frame(
            {"type": "error", "code": code, "message": message, **extra}
        )

    # --- Client frames ----------------------------------------------------------

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None
    ) -> None:
        if self.sending is not None:
            # Frames are answered in the order they came: the next one waits
            # for a send still being saved (its errors are reported there).
            await self.sending
            self.sending = None
        try:
            kind, frame = parse_frame(text_data, settings.CHAT_MAX_FRAME_BYTES)
        except FrameError as exc:
            await self.error(exc.code, exc.message, **exc.echo)
            return
        if kind == "message.send":
            # Saved in the background of the socket, which meanwhile goes on
            # relaying events: once the send commits, the reply's first text
            # reaches this client without waiting for the rest of the send's
            # work (its broadcast, the return from the database thread).
            self.sending = asyncio.ensure_future(self._handle(kind, frame))
            return
        await self._handle(kind, frame)

    async def _handle(self, kind: str, frame: dict[str, Any]) -> None:
        handler = getattr(self, "on_" + kind.replace(".", "_"))
        try:
            await handler(frame)
        except services.ChatError as exc:
            await self.error(exc.code, exc.message, **echo_ids(frame))

    async def _refresh(self) -> Conversation:
        if self.conversation is None:
            raise services.ChatError("not_found", "No such conversation.")
        try:
            self.conversation = await database_sync_to_async(conversation_get_for_user)(
                pk=self.conversation.pk, user=self.user
            )
        except Http404:
            await self._gone()
        return self.conversation

    async def _gone(self) -> NoReturn:
        await self.close(code=CLOSE_NOT_FOUND)
        raise services.ChatError("not_found", "This conversation was deleted.")

    async def on_message_send(self, frame: dict[str, Any]) -> None:
        if self.conversation is None:
            raise services.ChatError("not_found", "No such conversation.")
        # No separate refresh: message_send reads the conversation again with
        # its lock (one round trip less before the reply starts).
        try:
            result = await database_sync_to_async(services.message_send)(
                conversation=self.conversation, user=self.user,
                client_id=frame["client_id"], text=frame["text"],
            )  # fmt: skip
        except services.ChatError as exc:
            if exc.code == "not_found":
                await self._gone()
            raise
        self.conversation = result.conversation
        if not result.created:
            # A re-sent frame: tell this socket what the first one created.
            await self._send_messages(
                [m.pk for m in (result.user_message, result.reply) if m is not None],
                "message.created",
            )

    async def on_message_edit(self, frame: dict[str, Any]) -> None:
        conversation = await self._refresh()
        await database_sync_to_async(services.message_edit)(
            conversation=conversation,
            message_id=frame["message_id"],
            text=frame["text"],
        )

    async def on_message_delete(self, frame: dict[str, Any]) -> None:
        conversation = await self._refresh()
        await database_sync_to_async(services.message_delete)(
            conversation=conversation, message_id=frame["message_id"]
        )

    async def on_message_rewind(self, frame: dict[str, Any]) -> None:
        conversation = await self._refresh()
        await database_sync_to_async(services.conversation_rewind)(
            conversation=conversation, message_id=frame["message_id"]
        )

    async def on_reply_regenerate(self, frame: dict[str, Any]) -> None:
        conversation = await self._refresh()
        await database_sync_to_async(services.reply_regenerate)(
            conversation=conversation, user=self.user, message_id=frame["message_id"]
        )

    async def on_reply_select(self, frame: dict[str, Any]) -> None:
        conversation = await self._refresh()
        await database_sync_to_async(services.reply_select)(
            conversation=conversation,
            message_id=frame["message_id"],
            index=frame["index"],
        )

    async def on_reply_rate(self, frame: dict[str, Any]) -> None:
        conversation = await self._refresh()
        await database_sync_to_async(services.reply_rate)(
            conversation=conversation, user=self.user, message_id=frame["message_id"],
            index=frame["index"], stars=frame["stars"], feedback=frame.get("feedback") or "",
        )  # fmt: skip

    async def on_generation_stop(self, frame: dict[str, Any]) -> None:
        conversation = await self._refresh()
        await database_sync_to_async(services.generation_stop)(
            conversation=conversation, message_id=frame["message_id"]
        )

    async def on_resume(self, frame: dict[str, Any]) -> None:
        conversation = await self._refresh()
        after = max(0, frame["after_seq"])

        def snapshot() -> tuple[
            list[dict[str, Any]], list[dict[str, Any]], list[tuple[int, int, str]]
        ]:
            # A dead reply is shown failed, not resumed (see connect).
            services.replies_interrupt_dead(conversation=conversation)
            new, live, digest = messages_for_resume(
                conversation=conversation,
                after_seq=after,
                from_seq=frame.get("from_seq"),
            )
            return (
                [dict(message_payload(conversation, m)) for m in new],
                [dict(message_payload(conversation, m)) for m in live],
                digest,
            )

        # Deltas arriving meanwhile wait in this consumer's queue (handlers run
        # one at a time) and are trimmed against the snapshot afterwards.
        new, live, digest = await database_sync_to_async(snapshot)()
        for payload in new:
            await self._relay_message("message.created", payload)
        for payload in live:
            await self._relay_message("message.updated", payload)
        await self.send_frame(
            {
                "type": "resume.done",
                # The conversation's, not ``after``: a client that asked
                # from past the end learns where the end is.
                "last_seq": max([conversation.last_seq, *[p["seq"] for p in new]]),
                "after_seq": after,
                "from_seq": frame.get("from_seq"),
                "digest": [list(row) for row in digest],
            }
        )

    async def _send_messages(self, ids: list[int], frame_type: str) -> None:
        conversation = await self._refresh()

        def load() -> list[dict[str, Any]]:
            from chat.selectors import _messages

            return [
                dict(message_payload(conversation, m))
                for m in _messages(conversation).filter(pk__in=ids).order_by("seq")
            ]

        for payload in await database_sync_to_async(load)():
            await self._relay_message(frame_type, payload)

    async def _relay_message(self, frame_type: str, payload: dict[str, Any]) -> None:
        for alt in payload["alternatives"]:
            key = (payload["id"], alt["index"])
            if alt["status"] in LIVE_STATUSES:
                have = self.live.get(key)
                # A snapshot read before this socket relayed some deltas may be
                # shorter than what the client already has: never go backwards.
                if (
                    have is not None
                    and len(have) > len(alt["text"])
                    and have.startswith(alt["text"])
                ):
                    alt["text"] = have
                self.live[key] = alt["text"]
            else:
                self.live.pop(key, None)
                self.ended.add(key)
        await self.send_frame({"type": frame_type, "message": payload})

    # --- Group events -------------------------------------------------------------

    async def chat_delta(self, event: events.DeltaEvent) -> None:
        key = (event["message_id"], event["index"])
        if key in self.ended:
            return  # stopped or finished meanwhile: its final text was sent
        offset, text = event["offset"], event["text"]
        have = self.live.get(key)
        if have is None:
            if offset == 0:
                self.live[key] = text
            await self.send_frame(
                {"type": "reply.delta", **_delta(event, offset, text)}
            )
            return
        end = offset + len(text)
        if end <= len(have):
            return  # already sent (in a snapshot)
        if offset > len(have):
            await self._repair(event, have)
            return
        fresh = text[len(have) - offset :]
        await self.send_frame(
            {"type": "reply.delta", **_delta(event, len(have), fresh)}
        )
        self.live[key] = have + fresh

    async def _repair(self, event: events.DeltaEvent, have: str) -> None:
        """``event`` starts past the ``have`` this socket sent (its snapshot
        was read before the reply's first text was written). Every delta after
        the first is written before it is sent, so the persisted text covers
        ``event``: send what the client lacks from it."""
        key = (event["message_id"], event["index"])
        end = event["offset"] + len(event["text"])
        persisted = None
        if self.conversation is not None:
            persisted = await database_sync_to_async(alternative_text)(
                conversation_id=self.conversation.pk,
                message_id=event["message_id"],
                index=event["index"],
            )
        if persisted is None or len(persisted) < end or not persisted.startswith(have):
            # Not what the invariant promises (deleted meanwhile): do not
            # guess; the client sees the gap and asks for a fresh snapshot.
            self.live.pop(key, None)
            await self.send_frame(
                {"type": "reply.delta", **_delta(event, event["offset"], event["text"])}
            )
            return
        self.live[key] = persisted
        await self.send_frame(
            {"type": "reply.delta", **_delta(event, len(have), persisted[len(have) :])}
        )

    async def chat_done(self, event: events.DoneEvent) -> None:
        key = (event["message_id"], event["index"])
        have = self.live.pop(key, None)
        self.ended.add(key)
        message = event.get("message")
        if have is not None and message is not None:
            # The end of the text rides on the done event: send this client
            # what it lacks of it as the last delta.
            final = next(
                (a["text"] for a in message["alternatives"] if a["index"] == key[1]),
                "",
            )
            if len(final) > len(have) and final.startswith(have):
                await self.send_frame(
                    {
                        "type": "reply.delta",
                        **_delta(event, len(have), final[len(have) :]),
                    }
                )
        await self.send_frame(
            {
                "type": "reply.done",
                "message_id": event["message_id"],
                "index": event["index"],
                "status": event["status"],
                "finish_reason": event["finish_reason"],
                "error": event["error"],
            }
        )
        if message is not None:
            await self._relay_message("message.updated", dict(message))

    async def chat_message(self, event: events.MessageEvent) -> None:
        for message in event["messages"]:
            await self._relay_message(f"message.{event['kind']}", dict(message))

    async def chat_conversation_deleted(
        self, event: events.ConversationDeletedEvent
    ) -> None:
        """The conversation was deleted (a reply being written stops with it):
        say so, then close as for a conversation that does not exist."""
        await self.send_frame(
            {
                "type": "conversation.deleted",
                "conversation_id": event["conversation_id"],
            }
        )
        await self.close(code=CLOSE_NOT_FOUND)

    async def auth_revoked(self, event: RevokedEvent) -> None:
        """The token or session this socket was opened with is gone."""
        await self.close(code=CLOSE_UNAUTHENTICATED)

    async def chat_deleted(self, event: events.DeletedEvent) -> None:
        for mid in event["message_ids"]:
            for key in [k for k in self.live if k[0] == mid]:
                self.live.pop(key, None)
        await self.send_frame(
            {"type": "message.deleted", "message_ids": event["message_ids"]}
        )


def _delta(
    event: events.DeltaEvent | events.DoneEvent, offset: int, text: str
) -> dict[str, Any]:
    return {
        "message_id": event["message_id"],
        "index": event["index"],
        "offset": offset,
        "text": text,
    }
