"""Writes for accounts: users, profiles and access tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from community.models import AccessToken, Profile, User, handle_validator
from config.images import image_clean

RESERVED_HANDLES = frozenset(
    {
        "admin", "api", "accounts", "static", "media", "settings", "healthz",
        "discover", "chats", "community", "create", "kindred", "staff", "support",
        "moderator", "moderation", "billing", "pricing", "ws", "me", "new", "edit",
    }
)  # fmt: skip

TOKEN_PREFIX = "kdr_"  # noqa: S105  (a public marker, not a secret)


def handle_normalize(handle: str) -> str:
    return handle.strip().lstrip("@").lower()


def handle_validate(handle: str, *, exclude_user: User | None = None) -> str:
    """Return the normalised handle or raise ``ValidationError`` saying why not."""
    handle = handle_normalize(handle)
    handle_validator(handle)
    if handle in RESERVED_HANDLES:
        raise ValidationError(f"The handle @{handle} is reserved.", code="reserved")
    taken = Profile.objects.filter(handle=handle)
    if exclude_user is not None:
        taken = taken.exclude(user=exclude_user)
    if taken.exists():
        raise ValidationError(f"The handle @{handle} is taken.", code="taken")
    return handle


def handle_suggest(seed: str) -> str:
    """A free handle derived from ``seed`` (an email's local part, a name)."""
    base = re.sub(r"[^a-z0-9_]", "", seed.lower().replace(".", "_").replace("-", "_"))
    base = (base or "user")[:24]
    if len(base) < 3:
        base = f"{base}___"[:3]
    candidate = base
    while (
        candidate in RESERVED_HANDLES
        or Profile.objects.filter(handle=candidate).exists()
    ):
        candidate = f"{base}_{secrets.randbelow(10_000):04d}"
    return candidate


def profile_create(*, user: User, handle: str, display_name: str = "") -> Profile:
    handle = handle_validate(handle)
    return Profile.objects.create(
        user=user, handle=handle, display_name=display_name.strip() or handle
    )


def profile_ensure(*, user: User) -> Profile:
    """The user's profile, created on first need for accounts made outside sign-up
    (``createsuperuser``, the admin)."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        seed = user.email.split("@")[0] if user.email else user.get_username()
        return profile_create(user=user, handle=handle_suggest(seed))


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    handle: str,
    display_name: str = "",
    email_verified: bool = True,
    is_staff: bool = False,
) -> User:
    """Create a user with a profile and an email address record, as sign-up does.

    Used by ``seed_demo``, operators' commands and tests.
    """
    handle = handle_validate(handle)
    user = User(username=handle, email=email.lower(), is_staff=is_staff)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    EmailAddress.objects.create(
        user=user, email=user.email, primary=True, verified=email_verified
    )
    profile_create(user=user, handle=handle, display_name=display_name)
    return user


@transaction.atomic
def profile_update(
    *,
    profile: Profile,
    display_name: str,
    handle: str,
    bio: str,
    birth_date: dt.date | None,
    avatar: UploadedFile[bytes] | None = None,
    avatar_clear: bool = False,
) -> Profile:
    old_names = (profile.handle, profile.display_name)
    profile.handle = handle_validate(handle, exclude_user=profile.user)
    profile.display_name = display_name.strip() or profile.handle
    profile.bio = bio.strip()
    if birth_date is not None and birth_date > timezone.localdate():
        raise ValidationError({"birth_date": "A birth date cannot be in the future."})
    profile.birth_date = birth_date
    if avatar is not None:
        cleaned = image_clean(avatar, max_side=1024)
        if profile.avatar:
            profile.avatar.delete(save=False)
        profile.avatar.save(cleaned.name or "avatar", cleaned, save=False)
    elif avatar_clear and profile.avatar:
        profile.avatar.delete(save=False)
    profile.full_clean()
    profile.save()
    if (profile.handle, profile.display_name) != old_names:
        # Search finds characters by their creator's handle and name.
        from characters.services import search_vector_refresh

        search_vector_refresh(
            character_ids=list(profile.user.characters.values_list("id", flat=True))
        )
    return profile


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: AccessToken
    secret: str  # shown once, never stored


def token_create(*, user: User, name: str) -> NewToken:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the token a name, e.g. the app using it."})
    if len(name) > 60:
        raise ValidationError({"name": "A token name is at most 60 characters."})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken.objects.create(
        user=user, name=name, prefix=secret[:10], digest=token_digest(secret)
    )
    return NewToken(token=token, secret=secret)


def token_revoke(*, token: AccessToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def token_touch(*, token: AccessToken) -> None:
    """Record use, at most once a minute per token (a write per request is waste)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
