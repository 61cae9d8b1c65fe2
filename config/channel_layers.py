"""The Redis channel layer, with ``group_send`` in two round trips instead of
four, and events for this process's own sockets handed over in memory.

channels-redis sends to a group with four sequential Redis commands: expire
stale members, list the members, expire stale messages of each member's
channel, then a script that queues the message. A streamed reply sends a group
event per batch of text, from a worker that has already written it to the
database: every round trip here is added to the delay before the client sees
the text. This subclass pipelines the first two and folds the third into the
script. Members, messages, capacity and expiry behave exactly as upstream
(the same keys, the same serialised message per channel).

Receiving is reshaped to allow that: one task per process pops this process's
channels' messages from Redis into their buffers (upstream, whichever
receiver holds a lock pops, and would not notice a message put into its own
buffer meanwhile), and every receiver waits on its own buffer.

Members of the group that are this process's own channels (a socket of this
server, when the generation runs on its threads) get the message in memory:
it is put straight into the receive buffer their consumer reads from, on the
event loop that receives, instead of going to Redis and back (a queueing
script, a blocking pop, a backup clean-up, two serialisations — most of the
CPU a relayed batch costs, and a few milliseconds on the way to the first
token). Each member gets its own copy, made by the layer's serializer as if it
had crossed Redis; a full buffer drops the new message, as Redis does; order
from one sender is kept (one loop's callbacks run in order). The layer keeps
its own channels' group memberships as they join and leave, so they are
served before Redis is asked who else is in the group. Channels of other
processes — Celery workers' events to sockets of any server — go through
Redis as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from typing import Any, cast

from channels_redis.core import RedisChannelLayer as UpstreamRedisChannelLayer

log = logging.getLogger("channels_redis.core")

_SEND = """
local over_capacity = 0
local current_time = ARGV[#ARGV - 1]
local expiry = ARGV[#ARGV]
local stale = math.floor(tonumber(current_time)) - tonumber(expiry)
for i=1,#KEYS do
    redis.call('ZREMRANGEBYSCORE', KEYS[i], 0, stale)
    if redis.call('ZCOUNT', KEYS[i], '-inf', '+inf') < tonumber(ARGV[i + #KEYS]) then
        redis.call('ZADD', KEYS[i], current_time, ARGV[i])
        redis.call('EXPIRE', KEYS[i], expiry)
    else
        over_capacity = over_capacity + 1
    end
end
return over_capacity
"""


class RedisChannelLayer(UpstreamRedisChannelLayer):
    # Upstream blocks 5 s in BZPOPMIN, and redis-py 8 (what installs today) times out
    # a socket read after 5 s by default: an idle process's pop and its
    # socket timeout raced, and a lost race closed sockets (1011). Shorter.
    brpop_timeout = 2

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The loop this process's channels are received on (upstream allows
        # one): where their consumers live. Set when one is made.
        self.home_loop: asyncio.AbstractEventLoop | None = None
        self.local_marker = f".{self.client_prefix}!"
        self.pump: asyncio.Task[None] | None = None
        self.receiving_loop: asyncio.AbstractEventLoop | None = None
        # This process's channels in each group, as they joined and left:
        # they are sent to before Redis is asked who else is in the group.
        self.local_groups: dict[str, set[str]] = {}
        self.local_groups_lock = threading.Lock()

    async def receive(self, channel: str) -> dict[str, Any]:
        """The next message for ``channel``. This process's channels ("…!…")
        read their buffer, which the pump (from Redis) and local senders
        fill; other channels as upstream."""
        if "!" not in channel:
            return cast(dict[str, Any], await super().receive(channel))
        self.require_valid_channel_name(channel)  # raises on an invalid name
        real_channel = self.non_local_name(channel)
        if not real_channel.endswith(self.client_prefix + "!"):
            raise ValueError(f"{channel!r} is not a channel of this process.")
        loop = asyncio.get_running_loop()
        if self.receiving_loop is not loop:
            if self.receive_count:
                raise RuntimeError(
                    "Two event loops are trying to receive() on one channel layer at once!"
                )
            self._stop_pump()  # one of a loop that has finished (tests)
            self.receiving_loop = loop
        self.receive_count += 1
        buffer = self.receive_buffer[channel]
        try:
            if self.pump is None or self.pump.done():
                self.pump = loop.create_task(self._pump(real_channel))
            return cast(dict[str, Any], await buffer.get())
        finally:
            if buffer.empty() and self.receive_buffer.get(channel) is buffer:
                del self.receive_buffer[channel]
            self.receive_count -= 1
            if self.receive_count == 0:
                # Between two events of a socket nobody may be waiting for a
                # moment: stop the pump only if that lasts (stopping cancels
                # its blocking pop, and the connection is made again).
                loop.call_later(self.brpop_timeout, self._stop_pump_if_idle, loop)

    async def _pump(self, real_channel: str) -> None:
        """Move this process's messages from Redis into their channels'
        buffers while anyone receives. A Redis error is logged and the pump
        carries on (the messages wait in Redis; the sockets stay open)."""
        while True:
            try:
                target, message = await self.receive_single(real_channel)
            except Exception:
                log.exception("receiving from Redis failed; retrying")
                await asyncio.sleep(0.5)
                continue
            names = target if isinstance(target, list) else [target]
            self._local_put([(name, message) for name in names], "")

    def _stop_pump_if_idle(self, loop: asyncio.AbstractEventLoop) -> None:
        if self.receive_count == 0 and self.receiving_loop is loop:
            self.receiving_loop = None
            self._stop_pump()

    def _stop_pump(self) -> None:
        pump, self.pump = self.pump, None
        if pump is not None and not pump.done():
            # A closed loop's task raises: nothing runs it anyway.
            with contextlib.suppress(RuntimeError):
                pump.cancel()

    async def flush(self) -> None:
        self._stop_pump()
        await super().flush()

    async def new_channel(self, prefix: str = "specific") -> str:
        self.home_loop = asyncio.get_running_loop()
        return str(await super().new_channel(prefix))

    def _local_put(self, copies: list[tuple[str, dict[str, Any]]], group: str) -> None:
        """On the home loop: queue each copy for its channel of this process
        (the buffer ``receive`` reads), dropping it when the buffer is full."""
        for channel, message in copies:
            buffer = self.receive_buffer[channel]
            if buffer.full():
                log.info(
                    "channel %s over capacity%s",
                    channel,
                    group and f" in group {group}",
                )
                continue
            buffer.put_nowait(message)

    def _deliver_locally(
        self, channels: list[str], message: dict[str, Any], group: str
    ) -> bool:
        """Hand ``message`` to this process's ``channels`` in memory; False
        when their loop is not running (then Redis carries it)."""
        loop = self.home_loop
        if loop is None or loop.is_closed() or not loop.is_running():
            return False
        serializer = self._serializer
        raw = serializer.as_bytes(message)
        copies = [(channel, serializer.from_bytes(raw)) for channel in channels]
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._local_put(copies, group)
            return True
        try:
            loop.call_soon_threadsafe(self._local_put, copies, group)
        except RuntimeError:  # closed meanwhile (a test's loop)
            return False
        return True

    async def group_add(self, group: str, channel: str) -> None:
        await super().group_add(group, channel)
        if self.local_marker in channel:
            with self.local_groups_lock:
                self.local_groups.setdefault(group, set()).add(channel)

    async def group_discard(self, group: str, channel: str) -> None:
        with self.local_groups_lock:
            members = self.local_groups.get(group)
            if members is not None:
                members.discard(channel)
                if not members:
                    del self.local_groups[group]
        await super().group_discard(group, channel)

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        # This process's members first, in memory, before the round trip
        # that asks Redis for the others: a sender that waits for Redis's
        # answer waits for the GIL after it too, and a reply's first delta
        # would wait with it (3 ms in the bench's trace).
        served = self.group_send_local(group, message)
        await self.group_send_remote(group, message, served)

    def group_send_local(self, group: str, message: dict[str, Any]) -> list[str]:
        """The first half of ``group_send``, from any thread: hand ``message``
        to this process's members of ``group`` (queued on their loop from
        another thread, in the order of the calls) and return the channels
        served, for ``group_send_remote``."""
        self.require_valid_group_name(group)  # raises on an invalid name
        with self.local_groups_lock:
            local = list(self.local_groups.get(group, ()))
        if not (local and self._deliver_locally(local, message, group)):
            return []
        return local

    async def group_send_remote(
        self, group: str, message: dict[str, Any], served: list[str]
    ) -> None:
        """The second half of ``group_send``: the members Redis knows of,
        but those in ``served``."""
        key = self._group_key(group)
        connection = self.connection(self.consistent_hash(group))
        pipe = connection.pipeline(transaction=False)
        pipe.zremrangebyscore(key, min=0, max=int(time.time()) - self.group_expiry)
        pipe.zrange(key, 0, -1)
        _, members = await pipe.execute()
        done = set(served)
        channel_names = [n for m in members if (n := m.decode("utf8")) not in done]
        if not channel_names:
            return
        by_connection, messages, capacities = self._map_channel_keys_to_connection(
            channel_names, message
        )
        for index, channel_keys in by_connection.items():
            args = [messages[k] for k in channel_keys]
            args += [capacities[k] for k in channel_keys]
            args += [time.time(), self.expiry]
            over = await self.connection(index).eval(
                _SEND, len(channel_keys), *channel_keys, *args
            )
            if over > 0:
                log.info(
                    "%s of %s channels over capacity in group %s",
                    over, len(channel_names), group,
                )  # fmt: skip
