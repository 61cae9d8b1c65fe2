"""Sockets that do not outlive their credential (groups in ``community.events``).

Every consumer calls ``credential_groups_join`` when it connects and
``credential_groups_leave`` when it disconnects, and closes with 4401 on the
``auth.revoked`` event (its handler ``auth_revoked``): revoking a token closes
the sockets opened with it, logging out closes those of the session.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async

from community.events import session_group, token_group
from community.models import AccessToken

CLOSE_UNAUTHENTICATED = 4401


def _groups(scope: dict[str, Any]) -> list[str]:
    token_id = scope.get("token_id")
    if token_id is not None:
        return [token_group(token_id)]
    # A browser socket: its session key is read from the cookie, without a
    # query (the session itself was loaded to find the user).
    key = getattr(scope.get("session"), "session_key", None)
    return [session_group(key)] if key else []


def _token_live(token_id: int) -> bool:
    return AccessToken.objects.filter(pk=token_id, revoked_at__isnull=True).exists()


async def credential_groups_join(consumer: Any) -> bool:
    """Join the groups of the credential ``consumer``'s socket was opened with.
    False when its token was revoked between the handshake and the join (the
    close event reached no member): the caller closes 4401. One indexed read
    for token sockets, at connect only; nothing for browser sockets."""
    groups = _groups(consumer.scope)
    consumer.credential_groups = groups
    for group in groups:
        await consumer.channel_layer.group_add(group, consumer.channel_name)
    token_id = consumer.scope.get("token_id")
    if token_id is None:
        return True
    return bool(await database_sync_to_async(_token_live)(token_id))


async def credential_groups_leave(consumer: Any) -> None:
    for group in getattr(consumer, "credential_groups", ()):
        await consumer.channel_layer.group_discard(group, consumer.channel_name)
