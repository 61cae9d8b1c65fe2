"""Accounts: the user, their public profile and their personal access tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

HANDLE_RE = r"^[a-z0-9_]{3,30}$"
handle_validator = RegexValidator(
    HANDLE_RE,
    "A handle is 3 to 30 characters: lowercase letters, digits and underscores.",
)


class User(AbstractUser):
    """Django's user with a unique email (allauth logs in by email).

    ``username`` is an internal identifier filled in by allauth; the public name
    of a user is their profile's handle.
    """

    email = models.EmailField("email address", unique=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]


def avatar_path(instance: Profile, filename: str) -> str:
    return f"avatars/users/{instance.user_id}/{filename}"


class Profile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    handle = models.CharField(max_length=30, unique=True, validators=[handle_validator])
    display_name = models.CharField(max_length=60)
    avatar = models.ImageField(upload_to=avatar_path, blank=True)
    bio = models.TextField(max_length=1000, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    show_mature = models.BooleanField(
        default=False, help_text="Show mature (18+) characters. Adults only."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(handle__regex=HANDLE_RE),
                name="profile_handle_format",
            ),
        ]

    def __str__(self) -> str:
        return f"@{self.handle}"

    def get_absolute_url(self) -> str:
        return reverse("community:profile", kwargs={"handle": self.handle})

    @property
    def age(self) -> int | None:
        if self.birth_date is None:
            return None
        today = timezone.localdate()
        before_birthday = (today.month, today.day) < (
            self.birth_date.month,
            self.birth_date.day,
        )
        return today.year - self.birth_date.year - before_birthday

    @property
    def sees_mature(self) -> bool:
        """Mature content needs a stated age of 18+ and an explicit opt-in."""
        age = self.age
        return self.show_mature and age is not None and age >= 18

    @property
    def initial(self) -> str:
        return (self.display_name or self.handle)[:1].upper()


class AccessToken(models.Model):
    """A personal access token for API and websocket clients.

    Only a SHA-256 digest of the secret is stored: tokens are 256-bit random
    strings, so a fast hash is enough (no dictionary to attack) and keeps
    authentication to one indexed lookup.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(max_length=60)
    prefix = models.CharField(max_length=12, help_text="Shown to tell tokens apart.")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
