"""Channel-layer group names and event payloads for per-user live updates.

Group names are built from ids here and nowhere else, never from user text.
"""

from __future__ import annotations

import hashlib
from typing import TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.http import HttpRequest


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


# --- Sockets bound to a credential ----------------------------------------------
# A socket is authenticated once, at its handshake. So that it does not outlive
# its credential, it joins the credential's group on connect (a token's id, or a
# digest of its session's key) and the service that ends the credential sends
# the group ``auth.revoked`` on commit: the socket closes 4401. Nothing is
# checked per frame.


def token_group(token_id: int) -> str:
    return f"auth.token.{token_id}"


def session_group(session_key: str) -> str:
    # A digest, not the key: group names end up in Redis keys and logs, and a
    # session key is a credential.
    return "auth.session." + hashlib.sha256(session_key.encode()).hexdigest()[:40]


class RevokedEvent(TypedDict):
    type: str  # "auth.revoked"


def credential_sockets_close(group: str) -> None:
    """Close every socket opened with the credential of ``group`` (4401)."""
    layer = get_channel_layer()
    if layer is None:
        return
    event: RevokedEvent = {"type": "auth.revoked"}
    async_to_sync(layer.group_send)(group, dict(event))


def logout_sockets_close(
    sender: object, request: HttpRequest, **kwargs: object
) -> None:
    """``user_logged_out`` receiver: the session's sockets close with it (Django
    sends the signal before it flushes the session, so the key is still there).
    Other sessions of the user keep theirs."""
    key = request.session.session_key
    if key:
        group = session_group(key)
        transaction.on_commit(lambda: credential_sockets_close(group))
