"""config.channel_layers.RedisChannelLayer: the leaner group_send behaves as
channels-redis's (every member once, in order; a full channel drops the
message; expired members are dropped)."""

from __future__ import annotations

import pytest
from django.conf import settings

from config.channel_layers import RedisChannelLayer

pytestmark = [pytest.mark.asyncio]


def make_layer(**config: object) -> RedisChannelLayer:
    return RedisChannelLayer(
        hosts=[settings.REDIS_URL], prefix="kindred-test-layer", **config
    )


async def test_every_member_gets_each_message_once_in_order() -> None:
    layer = make_layer()
    try:
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
    finally:
        await layer.flush()


async def test_a_full_channel_drops_the_message() -> None:
    layer = make_layer(capacity=1)
    try:
        a = await layer.new_channel()
        await layer.group_add("g", a)
        await layer.group_send("g", {"type": "t.x", "n": 1})
        await layer.group_send("g", {"type": "t.x", "n": 2})  # over capacity
        assert (await layer.receive(a))["n"] == 1
        await layer.group_send("g", {"type": "t.x", "n": 3})
        assert (await layer.receive(a))["n"] == 3
    finally:
        await layer.flush()


async def test_expired_members_are_dropped() -> None:
    layer = make_layer(group_expiry=1)
    try:
        a = await layer.new_channel()
        await layer.group_add("g", a)
        connection = layer.connection(layer.consistent_hash("g"))
        # Backdate the membership past the group expiry.
        await connection.zadd(layer._group_key("g"), {a: 0})
        await layer.group_send("g", {"type": "t.x", "n": 1})
        assert await connection.zcard(layer._group_key("g")) == 0
    finally:
        await layer.flush()
