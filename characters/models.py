"""Characters: identity and listing columns, immutable published versions, tags.

A character's definition is Character Card V3 ``data`` (see CHARACTER-CARDS.md):
``CharacterVersion.data`` holds it for every published version, unknown
extensions included, so import → export is lossless. ``Character.draft`` holds
the creator's unpublished working copy (``None`` when there is none). The
listing columns on ``Character`` (name, tagline, tags, category, …) mirror the
*published* version, so the catalog never shows an unpublished edit.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse

from community.models import User


class Category(models.TextChoices):
    ANIME = "anime", "Anime"
    GAMES = "games", "Games"
    FILM_TV = "film-tv", "Film & TV"
    BOOKS = "books", "Books"
    HISTORY = "history", "Celebrities & History"
    HELPERS = "helpers", "Helpers"
    ADVENTURE = "adventure", "Text Adventure"
    COMPANION = "companion", "Companion"
    STORY = "story", "Story"
    CHALLENGE = "challenge", "Challenge"
    MBTI = "mbti", "MBTI"
    ORIGINAL = "original", "Original"


class Style(models.TextChoices):
    NONE = "none", "None"
    FRIENDLY = "friendly", "Friendly"
    HUMOROUS = "humorous", "Humorous"
    FORMAL = "formal", "Formal"
    EDUCATIONAL = "educational", "Educational"


class ContentRating(models.TextChoices):
    GENERAL = "general", "General"
    MATURE = "mature", "Mature (18+)"


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public — listed in Discover"
    UNLISTED = "unlisted", "Unlisted — anyone with the link"
    PRIVATE = "private", "Private — only you"


class Tag(models.Model):
    name = models.CharField(max_length=32, unique=True)  # lowercased

    def __str__(self) -> str:
        return self.name


def avatar_path(instance: Character, filename: str) -> str:
    return f"avatars/characters/{instance.pk or 'new'}/{filename}"


class Character(models.Model):
    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="characters")
    slug = models.SlugField(max_length=80, unique=True)

    # Listing columns: mirror the published version (or the first draft until then).
    name = models.CharField(max_length=100)
    tagline = models.CharField(max_length=50, blank=True)
    description = models.TextField(blank=True)  # for search and "similar"
    greeting = models.TextField(blank=True)  # preview on the character page
    tags = models.ManyToManyField(Tag, related_name="characters", blank=True)
    tags_text = models.CharField(
        max_length=700, blank=True
    )  # " ".join(tags) for search
    category = models.CharField(
        max_length=16, choices=Category, default=Category.ORIGINAL
    )
    style = models.CharField(max_length=16, choices=Style, default=Style.NONE)
    language = models.CharField(max_length=12, default="en")
    content_rating = models.CharField(
        max_length=8, choices=ContentRating, default=ContentRating.GENERAL
    )
    avatar = models.ImageField(upload_to=avatar_path, blank=True)

    visibility = models.CharField(
        max_length=8, choices=Visibility, default=Visibility.PUBLIC
    )
    definition_visible = models.BooleanField(
        default=True, help_text="Others may see and export the prompt-facing fields."
    )
    remix_allowed = models.BooleanField(default=True)
    remixed_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="remixes"
    )

    draft = models.JSONField(null=True, blank=True)  # unpublished working copy
    published_version = models.ForeignKey(
        "CharacterVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Counters, kept by services in the same transaction as the rows they count.
    chats_count = models.PositiveIntegerField(default=0)
    messages_count = models.PositiveBigIntegerField(default=0)
    likes_count = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    rating_count = models.PositiveIntegerField(default=0)
    remix_count = models.PositiveIntegerField(default=0)
    trending_score = models.FloatField(default=0.0)
    # Engagement total seen by the last trending refresh (see characters.trending).
    trending_seen = models.FloatField(default=0.0)

    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        indexes = [
            # Keyset pagination for each sort: (sort key, id) descending.
            models.Index(fields=["-trending_score", "-id"], name="char_trending_idx"),
            models.Index(fields=["-chats_count", "-id"], name="char_popular_idx"),
            models.Index(fields=["-published_at", "-id"], name="char_new_idx"),
            models.Index(
                fields=["category", "-trending_score", "-id"], name="char_cat_trend_idx"
            ),
            models.Index(fields=["owner", "-updated_at"], name="char_owner_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating_sum__lte=models.F("rating_count") * 5),
                name="char_rating_sum_bounded",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("characters:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.published_version_id is not None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def rating_average(self) -> float | None:
        return (
            round(self.rating_sum / self.rating_count, 2) if self.rating_count else None
        )

    @property
    def initial(self) -> str:
        return self.name[:1].upper() or "?"

    @property
    def hue(self) -> int:
        """A stable colour for the placeholder avatar (CSS class ``hue-N``)."""
        return sum(self.slug.encode()) % 12


class CharacterVersion(models.Model):
    """An immutable published definition. Chat replies record the version used."""

    character = models.ForeignKey(
        Character, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    data: models.JSONField[dict[str, Any]] = models.JSONField()  # Card V3 ``data``
    meta: models.JSONField[dict[str, Any]] = models.JSONField(
        default=dict
    )  # Kindred fields
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["character", "number"], name="charversion_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.character_id} v{self.number}"
