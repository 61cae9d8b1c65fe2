"""Per-user live updates (the unread badge), one socket per open tab."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from community.events import NotifyEvent, user_group


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    group: str | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        # The page does not render the count (no query on every page): the
        # socket tells it at once, then on every change.
        unread = await database_sync_to_async(_unread)(user.pk)
        await self.send_json({"type": "notify.unread", "unread": unread})

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def notify_unread(self, event: NotifyEvent) -> None:
        await self.send_json({"type": "notify.unread", "unread": event["unread"]})


def _unread(user_id: int) -> int:
    # The list's rule (selectors.unread_count_by_id), not every unread row:
    # the badge must never count what the Notifications page hides.
    from community.selectors import BADGE_MAX, unread_count_by_id

    return unread_count_by_id(user_id=user_id, at_most=BADGE_MAX)
