"""Reads for accounts and profiles."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from community.models import AccessToken, Profile, User
from community.services import TOKEN_PREFIX, token_digest


def profile_get_by_handle(*, handle: str) -> Profile:
    try:
        return Profile.objects.select_related("user").get(
            handle=handle.lower(), user__is_active=True
        )
    except Profile.DoesNotExist:
        raise Http404("No such profile.") from None


def token_list_for_user(*, user: User) -> QuerySet[AccessToken]:
    return AccessToken.objects.filter(user=user)


def token_get_for_user(*, user: User, token_id: int) -> AccessToken:
    try:
        return AccessToken.objects.get(user=user, pk=token_id)
    except AccessToken.DoesNotExist:
        raise Http404("No such token.") from None


class TokenInvalid(Exception):
    """The presented secret is malformed, unknown or revoked (the message says which
    only in kind, never whether another user's token exists)."""


def token_authenticate(*, secret: str) -> AccessToken:
    if not secret.startswith(TOKEN_PREFIX) or not 20 <= len(secret) <= 100:
        raise TokenInvalid("Malformed access token.")
    try:
        token = AccessToken.objects.select_related("user").get(
            digest=token_digest(secret)
        )
    except AccessToken.DoesNotExist:
        raise TokenInvalid("Invalid access token.") from None
    if token.revoked_at is not None:
        raise TokenInvalid("This access token has been revoked.")
    if not token.user.is_active:
        raise TokenInvalid("Invalid access token.")
    return token
