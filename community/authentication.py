"""Personal-access-token authentication for the API (DRF) and websockets."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

from community.models import AccessToken, User
from community.selectors import TokenInvalid, token_authenticate
from community.services import token_touch

# ASGI's own types are plain dicts and callables.
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def bearer_secret(header: str) -> str | None:
    """The token in an ``Authorization`` header, or ``None`` if it is not Bearer."""
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip()


class BearerTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer kdr_…``; any problem with a presented token is a 401."""

    def authenticate(self, request: HttpRequest) -> tuple[User, AccessToken] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        secret = bearer_secret(header)
        if secret is None:
            return None
        if not secret:
            raise AuthenticationFailed("Malformed access token.")
        try:
            token = token_authenticate(secret=secret)
        except TokenInvalid as exc:
            raise AuthenticationFailed(str(exc)) from None
        token_touch(token=token)
        return token.user, token

    def authenticate_header(self, request: HttpRequest) -> str:
        return 'Bearer realm="api"'


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin1")
    return None


@database_sync_to_async
def _token_for_secret(secret: str) -> AccessToken | None:
    try:
        token = token_authenticate(secret=secret)
    except TokenInvalid:
        return None
    token_touch(token=token)
    return token


class BearerTokenWebsocketMiddleware:
    """Sets ``scope["user"]`` from a bearer token when the handshake carries one,
    and ``scope["token_id"]``: the socket joins the token's group, so revoking
    the token closes it (``community.sockets``).

    A presented but invalid token leaves the user anonymous; consumers close
    anonymous sockets with 4401, the same way for every bad token.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        header = _header(scope, b"authorization")
        if header is not None:
            secret = bearer_secret(header)
            if secret is not None:
                from django.contrib.auth.models import AnonymousUser

                token = await _token_for_secret(secret)
                if token is None:
                    scope = dict(scope, user=AnonymousUser(), token_id=None)
                else:
                    scope = dict(scope, user=token.user, token_id=token.pk)
        await self.app(scope, receive, send)


class NonBrowserBearerRouter:
    """Routes a handshake with a bearer token and no ``Origin`` (only non-browser
    clients can send that) past the origin check; everything else goes through it."""

    def __init__(self, *, browser: ASGIApp, bearer: ASGIApp) -> None:
        self.browser = browser
        self.bearer = bearer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if _header(scope, b"origin") is None and _header(scope, b"authorization"):
            await self.bearer(scope, receive, send)
        else:
            await self.browser(scope, receive, send)


class BearerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]  # drf-spectacular ships no types
    """Documents the bearer scheme in the OpenAPI schema."""

    target_class = "community.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token (settings → Access tokens).",
        }


def signed_in_user(request: HttpRequest) -> User:
    """The request's user, for views behind ``login_required`` (which makes the
    refusal below unreachable; it narrows the type and fails closed)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
