"""Per-user live updates (the unread badge), one socket per open tab."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from community.events import NotifyEvent, RevokedEvent, user_group
from community.sockets import (
    CLOSE_UNAUTHENTICATED,
    credential_groups_join,
    credential_groups_leave,
)


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    group: str | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.refuse()
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        if not await credential_groups_join(self):
            await self.refuse()
            return
        await self.accept()
        # The page does not render the count (no query on every page): the
        # socket tells it at once, then on every change.
        unread = await database_sync_to_async(_unread)(user.pk)
        await self.send_json({"type": "notify.unread", "unread": unread})

    async def refuse(self) -> None:
        """Accept, then close 4401: a close before the accept is an HTTP 403
        at the handshake, and the client could not tell why."""
        await self.accept()
        await self.close(code=CLOSE_UNAUTHENTICATED)

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
        await credential_groups_leave(self)

    async def notify_unread(self, event: NotifyEvent) -> None:
        await self.send_json({"type": "notify.unread", "unread": event["unread"]})

    async def auth_revoked(self, event: RevokedEvent) -> None:
        """The token or session this socket was opened with is gone."""
        await self.close(code=CLOSE_UNAUTHENTICATED)


def _unread(user_id: int) -> int:
    # The list's rule (selectors.unread_count_by_id), not every unread row:
    # the badge must never count what the Notifications page hides.
    from community.selectors import BADGE_MAX, unread_count_by_id

    return unread_count_by_id(user_id=user_id, at_most=BADGE_MAX)
