"""config.channel_layers.RedisChannelLayer: the leaner group_send behaves as
channels-redis's (every member once, in order; a full channel drops the
message; expired members are dropped)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest
import pytest_asyncio
from django.conf import settings

from config.channel_layers import RedisChannelLayer

pytestmark = [pytest.mark.asyncio]


LayerFactory = Callable[..., RedisChannelLayer]


@pytest_asyncio.fixture
async def make_layer() -> AsyncIterator[LayerFactory]:
    """Layers on the test's Redis (each one a process of its own), flushed
    afterwards."""
    made: list[RedisChannelLayer] = []

    def make(**config: object) -> RedisChannelLayer:
        layer = RedisChannelLayer(
            hosts=[settings.REDIS_URL], prefix="kindred-test-layer", **config
        )
        made.append(layer)
        return layer

    yield make
    for layer in made:
        await layer.flush()


async def test_every_member_gets_each_message_once_in_order(
    make_layer: LayerFactory,
) -> None:
    layer = make_layer()
    a, b = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("g", a)
    await layer.group_add("g", b)
    for n in range(3):
        await layer.group_send("g", {"type": "t.x", "n": n})
    for channel in (a, b):
        got = [(await layer.receive(channel))["n"] for _ in range(3)]
        assert got == [0, 1, 2]
    await layer.group_discard("g", b)
    await layer.group_send("g", {"type": "t.x", "n": 3})
    assert (await layer.receive(a))["n"] == 3
    with pytest.raises(TimeoutError):  # b left the group
        await asyncio.wait_for(layer.receive(b), 0.3)


async def test_a_full_channel_drops_the_message(make_layer: LayerFactory) -> None:
    layer = make_layer(capacity=1)
    a = await layer.new_channel()
    await layer.group_add("g", a)
    await layer.group_send("g", {"type": "t.x", "n": 1})
    await layer.group_send("g", {"type": "t.x", "n": 2})  # over capacity
    assert (await layer.receive(a))["n"] == 1
    await layer.group_send("g", {"type": "t.x", "n": 3})
    assert (await layer.receive(a))["n"] == 3


async def test_expired_members_are_dropped(make_layer: LayerFactory) -> None:
    layer = make_layer(group_expiry=1)
    a = await layer.new_channel()
    await layer.group_add("g", a)
    connection = layer.connection(layer.consistent_hash("g"))
    # Backdate the membership past the group expiry.
    await connection.zadd(layer._group_key("g"), {a: 0})
    await layer.group_send("g", {"type": "t.x", "n": 1})
    assert await connection.zcard(layer._group_key("g")) == 0


# --- This process's channels get group messages in memory --------------------


async def _redis_keys(layer: RedisChannelLayer) -> list[bytes]:
    connection = layer.connection(0)
    return [k for k in await connection.keys(layer.prefix + "*") if b":group:" not in k]


async def test_this_process_members_get_messages_without_redis(
    make_layer: LayerFactory,
) -> None:
    layer = make_layer()
    a, b = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("g", a)
    await layer.group_add("g", b)
    await layer.group_send("g", {"type": "t.x", "n": 1})
    assert await _redis_keys(layer) == []  # nothing was queued in Redis
    got_a, got_b = await layer.receive(a), await layer.receive(b)
    assert got_a == got_b == {"type": "t.x", "n": 1}
    got_a["n"] = 99  # each member has its own copy, as if from Redis
    assert got_b["n"] == 1


async def test_a_sender_on_another_thread_reaches_the_receiving_loop(
    make_layer: LayerFactory,
) -> None:
    """A generation thread sends from its own loop; the message lands in the
    buffer on the loop that receives, in the order sent."""
    layer = make_layer()
    a = await layer.new_channel()
    await layer.group_add("g", a)

    def send_from_thread() -> None:
        async def sends() -> None:
            for n in range(5):
                await layer.group_send("g", {"type": "t.x", "n": n})

        asyncio.run(sends())

    await asyncio.to_thread(send_from_thread)
    got = [(await asyncio.wait_for(layer.receive(a), 5))["n"] for _ in range(5)]
    assert got == [0, 1, 2, 3, 4]
    assert await _redis_keys(layer) == []


async def test_other_processes_channels_still_go_through_redis(
    make_layer: LayerFactory,
) -> None:
    """Two layers are two processes: each gets the other's messages via
    Redis, its own in memory, from one group_send."""
    here, there = make_layer(), make_layer()
    mine, theirs = await here.new_channel(), await there.new_channel()
    await here.group_add("g", mine)
    await here.group_add("g", theirs)
    await here.group_send("g", {"type": "t.x", "n": 1})
    keys = await _redis_keys(here)
    assert len(keys) == 1 and there.client_prefix.encode() in keys[0]
    assert (await asyncio.wait_for(there.receive(theirs), 5))["n"] == 1
    assert (await asyncio.wait_for(here.receive(mine), 5))["n"] == 1
    await there.group_send("g", {"type": "t.x", "n": 2})
    assert (await asyncio.wait_for(here.receive(mine), 5))["n"] == 2
    assert (await asyncio.wait_for(there.receive(theirs), 5))["n"] == 2


async def test_a_full_local_buffer_drops_the_new_message(
    make_layer: LayerFactory,
) -> None:
    layer = make_layer(capacity=2)
    a = await layer.new_channel()
    await layer.group_add("g", a)
    for n in range(3):
        await layer.group_send("g", {"type": "t.x", "n": n})
    assert [(await layer.receive(a))["n"] for _ in range(2)] == [0, 1]
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(layer.receive(a), 0.3)


async def test_a_receiver_idle_longer_than_the_socket_timeout_keeps_working(
    caplog: pytest.LogCaptureFixture, make_layer: LayerFactory
) -> None:
    """redis-py times a socket read out after 5 s; upstream channels-redis
    blocked 5 s in BZPOPMIN, so a quiet socket's receive raised TimeoutError
    (its consumer closed with 1011). The pop is now shorter than that."""
    here, there = make_layer(), make_layer()
    mine = await here.new_channel()
    await here.group_add("g", mine)
    waiting = asyncio.ensure_future(here.receive(mine))
    await asyncio.sleep(6)
    assert not waiting.done()
    await there.group_send("g", {"type": "t.x", "n": 7})
    assert (await asyncio.wait_for(waiting, 5))["n"] == 7
    # Not even a retried error on the way (the pump would carry on).
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


async def test_the_pump_outlives_the_moments_nobody_waits(
    make_layer: LayerFactory,
) -> None:
    """Between two events of a socket nobody is waiting; stopping the pump
    then would cancel its blocking pop and reconnect for every event."""
    here, there = make_layer(), make_layer()
    mine = await here.new_channel()
    await here.group_add("g", mine)
    pumps = set()
    for n in range(3):
        waiting = asyncio.ensure_future(here.receive(mine))
        await asyncio.sleep(0.05)
        await there.group_send("g", {"type": "t.x", "n": n})
        assert (await asyncio.wait_for(waiting, 5))["n"] == n
        pumps.add(id(here.pump))
    assert len(pumps) == 1 and here.pump is not None and not here.pump.done()
