"""Channel-layer group names and the events generation sends to sockets.

Group names are built from ids here and nowhere else. Events are small typed
payloads; the consumer turns them into client frames.

In the quick start the layer is in-memory and lives on the server's event loop,
while generation runs in a background thread: sending from that thread must
hop onto the server loop (``remember_loop`` is called by the consumer).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any, TypedDict

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer

log = logging.getLogger(__name__)

_server_loop: asyncio.AbstractEventLoop | None = None


def remember_loop(loop: asyncio.AbstractEventLoop) -> None:
    global _server_loop
    _server_loop = loop


def conversation_group(conversation_id: int) -> str:
    return f"chat.conversation.{conversation_id}"


class DeltaEvent(TypedDict):
    type: str  # "chat.delta"
    message_id: int
    index: int
    offset: int
    text: str


class MessageEvent(TypedDict):
    """Messages were created or changed; ``messages`` are their full payloads
    (``chat.selectors.message_payload``) in seq order, relayed one frame each as
    ``message.created`` / ``message.updated``. One event for all of them: each
    event costs a channel-layer round trip per socket."""

    type: str  # "chat.message"
    kind: str  # "created" | "updated"
    messages: list[dict[str, Any]]


class DoneEvent(TypedDict):
    """A reply alternative finished; ``message``, when set, is the message's
    payload afterwards, relayed as ``message.updated`` right after
    ``reply.done`` (one event for both)."""

    type: str  # "chat.done"
    message_id: int
    index: int
    status: str
    finish_reason: str
    error: str
    message: dict[str, Any] | None


class DeletedEvent(TypedDict):
    type: str  # "chat.deleted"
    message_ids: list[int]


class ConversationDeletedEvent(TypedDict):
    """The conversation is gone: its sockets send ``conversation.deleted`` and
    close 4404."""

    type: str  # "chat.conversation_deleted"
    conversation_id: int


Event = DeltaEvent | MessageEvent | DoneEvent | DeletedEvent | ConversationDeletedEvent


class Sender:
    """Sends many events from one sync thread (a generation) over one private
    event loop, so the Redis layer keeps its connections between events
    instead of opening one per event (``async_to_sync`` makes a loop per call).
    ``close()`` releases the loop and its connections.

    Long-lived worker threads (the generation pool, a Celery worker) use
    ``thread_sender()``: one sender per thread, never closed, so its Redis
    connections stay warm from one reply to the next."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None

    def send(self, conversation_id: int, event: Event) -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        if isinstance(layer, InMemoryChannelLayer):
            send(conversation_id, event)  # must run on the server's loop
            return
        if self.loop is None:
            self.loop = asyncio.new_event_loop()
        self.loop.run_until_complete(
            layer.group_send(conversation_group(conversation_id), dict(event))
        )

    def close(self) -> None:
        if self.loop is not None:
            self.loop.close()  # channels-redis wraps close() to flush its pool
            self.loop = None


_local = threading.local()


def thread_sender() -> Sender:
    """This thread's persistent sender. Only for threads that live as long as
    the process (worker pools): its loop and connections are never closed."""
    sender: Sender | None = getattr(_local, "sender", None)
    if sender is None:
        sender = _local.sender = Sender()
    return sender


class _Outbox:
    """Events from the server's sync code (services run by sockets and views
    in threads), sent in order by one task on the server's loop. The caller
    does not wait for the channel layer: a socket handler whose send has
    committed is free to relay the reply's first delta at once instead of
    after the broadcast's Redis round trip.

    With the Redis layer (``config.channel_layers``) this process's sockets
    get the event from the caller's thread at once (queued on their loop in
    the order of the calls), and only the other processes' wait for the task:
    a send's ``message.created`` reaches its sockets before its reply's first
    text, which the generation thread sends the same way."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.queue: asyncio.Queue[tuple[str, dict[str, Any], list[str] | None]] = (
            asyncio.Queue()
        )
        self.task: asyncio.Task[None] | None = None

    def put(self, group: str, payload: dict[str, Any]) -> None:
        """From any thread but the loop's."""
        layer = get_channel_layer()
        local = getattr(layer, "group_send_local", None)
        served = local(group, payload) if local is not None else None
        self.loop.call_soon_threadsafe(self._put, group, payload, served)

    def _put(
        self, group: str, payload: dict[str, Any], served: list[str] | None
    ) -> None:
        self.queue.put_nowait((group, payload, served))
        if self.task is None or self.task.done():
            self.task = self.loop.create_task(self._run())

    async def _run(self) -> None:
        layer = get_channel_layer()
        while not self.queue.empty():
            group, payload, served = self.queue.get_nowait()
            try:
                if served is None:
                    await layer.group_send(group, payload)
                else:
                    await layer.group_send_remote(group, payload, served)
            except Exception:
                log.exception("sending %s to %s failed", payload.get("type"), group)


_outbox: _Outbox | None = None
_outbox_lock = threading.Lock()


def _outbox_for(loop: asyncio.AbstractEventLoop) -> _Outbox:
    global _outbox
    with _outbox_lock:
        if _outbox is None or _outbox.loop is not loop:
            _outbox = _Outbox(loop)
        return _outbox


def send(conversation_id: int, event: Event) -> None:
    """Send one event to every socket on the conversation (from sync code).
    On the server (a socket's loop is running, and this is another thread)
    it is queued for that loop, in order, without waiting (``_Outbox``);
    elsewhere (a Celery worker, a command) it is sent before returning."""
    layer = get_channel_layer()
    if layer is None:
        return
    payload: dict[str, Any] = dict(event)
    group = conversation_group(conversation_id)
    loop = _server_loop
    if loop is not None and loop.is_running():
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is not loop:
            try:
                _outbox_for(loop).put(group, payload)
                return
            except RuntimeError:  # the loop closed meanwhile
                pass
    async_to_sync(layer.group_send)(group, payload)
