"""Channel-layer group names and event payloads for per-user live updates.

Group names are built from ids here and nowhere else, never from user text.
"""

from __future__ import annotations

from typing import TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


class NotifyEvent(TypedDict):
    type: str  # "notify.unread"
    unread: int


def user_unread_broadcast(*, user_id: int, unread: int) -> None:
    """Tell every open tab of a user their unread-notification count."""
    layer = get_channel_layer()
    if layer is None:
        return
    event: NotifyEvent = {"type": "notify.unread", "unread": unread}
    async_to_sync(layer.group_send)(user_group(user_id), dict(event))
