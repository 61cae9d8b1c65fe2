"""Accounts: the user, their public profile and their personal access tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from config.links import cached_reverse

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


def account_display(user: User) -> str:
    """How allauth names a user on its pages and in its messages ("signed in
    as …", "an email address for user …"): the handle they chose, never the
    internal username."""
    profile = getattr(user, "profile", None)
    return f"@{profile.handle}" if profile is not None else user.email


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
        return cached_reverse("community:profile", handle=self.handle)

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


# --- Community: follows, likes, ratings, comments, boards, moments, feed ------
# Models below reference ``characters.Character`` by string: characters imports
# community (for ``User``), so a direct import would be circular.


class Follow(models.Model):
    """``follower`` follows the creator ``followee``."""

    follower = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    followee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["follower", "followee"], name="follow_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(follower=models.F("followee")),
                name="follow_not_self",
            ),
        ]
        indexes = [models.Index(fields=["followee", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.follower_id} → {self.followee_id}"


class CharacterFollow(models.Model):
    """Following a character ("adding it as a friend")."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    character = models.ForeignKey(
        "characters.Character", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "character"], name="charfollow_unique"
            ),
        ]
        indexes = [models.Index(fields=["character", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} follows character {self.character_id}"


class CharacterLike(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    character = models.ForeignKey(
        "characters.Character", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "character"], name="like_unique"),
        ]
        indexes = [models.Index(fields=["character", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} likes character {self.character_id}"


class CharacterRating(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    character = models.ForeignKey(
        "characters.Character", on_delete=models.CASCADE, related_name="+"
    )
    stars = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "character"], name="rating_unique"),
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5),
                name="rating_stars_range",
            ),
        ]
        indexes = [models.Index(fields=["character", "-updated_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} rates character {self.character_id}: {self.stars}"


class Block(models.Model):
    """``blocker`` blocks ``blocked``: neither sees the other in feeds; the blocked
    user cannot follow, comment on or mention the blocker."""

    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")),
                name="block_not_self",
            ),
        ]
        indexes = [models.Index(fields=["blocked"])]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class Board(models.Model):
    """A staff-created topic community (Discord-style)."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    staff_only_posts = models.BooleanField(
        default=False, help_text="Only staff may post (e.g. Announcements)."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return cached_reverse("community:board", slug=self.slug)


class Post(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    # The author's profile joined straight on ``author_id`` (a profile's
    # ``user_id`` is unique): no column of its own. Lists show the profile and
    # never the user row; joining through community_user as well made
    # PostgreSQL plan a board page's row query ~2 ms longer and run it ~1 ms
    # longer (bench/community.py).
    author_profile = models.ForeignObject(
        Profile,
        on_delete=models.DO_NOTHING,
        from_fields=["author"],
        to_fields=["user"],
        related_name="+",
    )
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    body_html = models.TextField(blank=True)  # sanitized render of ``body``
    character = models.ForeignKey(
        "characters.Character",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    share = models.ForeignKey(
        "SharedChat",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    score = models.IntegerField(default=0)  # upvotes
    hot = models.FloatField(default=0.0)  # time-decayed score, see services.hot_score
    comments_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["board", "-hot", "-id"], name="post_board_hot_idx"),
            models.Index(
                fields=["board", "-created_at", "-id"], name="post_board_new_idx"
            ),
            models.Index(fields=["board", "-score", "-id"], name="post_board_top_idx"),
            models.Index(fields=["-hot", "-id"], name="post_hot_idx"),
            models.Index(fields=["author", "-created_at"], name="post_author_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return cached_reverse("community:post", post_id=self.pk)


class PostVote(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="postvote_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} upvotes post {self.post_id}"


def moment_image_path(instance: Moment, filename: str) -> str:
    return f"moments/{instance.character_id}/{filename}"


class Moment(models.Model):
    """A short update a creator posts on a character (动态)."""

    character = models.ForeignKey(
        "characters.Character", on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=2000)
    body_html = models.TextField(blank=True)
    image = models.ImageField(upload_to=moment_image_path, blank=True)
    version = models.OneToOneField(
        "characters.CharacterVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )  # set when posted automatically for a new version (one per version)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["character", "-created_at"])]

    def __str__(self) -> str:
        return self.body[:60]


class SharedChat(models.Model):
    """A published snapshot of a range of a conversation ("shared chat log").

    ``turns`` is a copy (``[{"author", "name", "text"}]``): later edits or
    deletion of the conversation never change it. ``conversation`` is kept
    only so the author can find their source; it is never shown to others."""

    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    character = models.ForeignKey(
        "characters.Character", on_delete=models.CASCADE, related_name="+"
    )
    conversation = models.ForeignKey(
        "chat.Conversation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(max_length=200)
    note = models.TextField(max_length=2000, blank=True)
    note_html = models.TextField(blank=True)
    from_seq = models.PositiveIntegerField()
    to_seq = models.PositiveIntegerField()
    hide_persona = models.BooleanField(default=False)
    turns: models.JSONField[list[dict[str, str]]] = models.JSONField(default=list)
    likes_count = models.PositiveIntegerField(default=0)
    comments_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    unpublished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["author", "-created_at"], name="share_author_idx"),
            models.Index(fields=["character", "-created_at"], name="share_char_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return cached_reverse("community:share", share_id=self.pk)


class SharedChatLike(models.Model):
    share = models.ForeignKey(SharedChat, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["share", "user"], name="sharelike_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} likes share {self.share_id}"


class Comment(models.Model):
    """A comment on a character or a post (exactly one target); one level of
    replies (``parent`` is always a top-level comment)."""

    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    character = models.ForeignKey(
        "characters.Character",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    share = models.ForeignKey(
        SharedChat, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    body = models.TextField(max_length=5000)
    body_html = models.TextField()
    pinned = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Deleted by its author (or staff) while others' replies hang under it:
    # its text and author are gone, the replies stay.
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        character__isnull=False, post__isnull=True, share__isnull=True
                    )
                    | models.Q(
                        character__isnull=True, post__isnull=False, share__isnull=True
                    )
                    | models.Q(
                        character__isnull=True, post__isnull=True, share__isnull=False
                    )
                ),
                name="comment_one_target",
            ),
            models.UniqueConstraint(
                fields=["character"],
                condition=models.Q(pinned=True),
                name="comment_one_pin_per_character",
            ),
            models.UniqueConstraint(
                fields=["post"],
                condition=models.Q(pinned=True),
                name="comment_one_pin_per_post",
            ),
            models.UniqueConstraint(
                fields=["share"],
                condition=models.Q(pinned=True),
                name="comment_one_pin_per_share",
            ),
        ]
        indexes = [
            models.Index(fields=["character", "-created_at", "-id"]),
            models.Index(fields=["post", "-created_at", "-id"]),
            models.Index(fields=["share", "-created_at", "-id"]),
        ]

    def __str__(self) -> str:
        return self.body[:60]


class FeedKind(models.TextChoices):
    CHARACTER = "character", "New character"
    MOMENT = "moment", "Moment"
    POST = "post", "Post"
    SHARE = "share", "Shared chat"


class FeedEvent(models.Model):
    """One row per feed-worthy thing, so every feed is one keyset index scan.

    ``actor`` is who did it; ``character`` is the character it is about (for
    followers of characters and for the visibility check at read time: a private
    or deleted character's events never show, whenever it became private)."""

    kind = models.CharField(max_length=12, choices=FeedKind)
    actor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    character = models.ForeignKey(
        "characters.Character",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    moment = models.OneToOneField(
        Moment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    post = models.OneToOneField(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    share = models.OneToOneField(
        SharedChat, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["actor", "-created_at", "-id"], name="feed_actor_idx"),
            models.Index(
                fields=["character", "-created_at", "-id"], name="feed_char_idx"
            ),
            models.Index(fields=["-created_at", "-id"], name="feed_new_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.actor_id}"


class NotificationKind(models.TextChoices):
    FOLLOW = "follow", "New follower"
    COMMENT = "comment", "Comment"
    REPLY = "reply", "Reply"
    LIKE = "like", "Likes"
    MOMENT = "moment", "Moment"
    MENTION = "mention", "Mention"


class Notification(models.Model):
    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=10, choices=NotificationKind)
    actor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    character = models.ForeignKey(
        "characters.Character",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    moment = models.ForeignKey(
        Moment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    share = models.ForeignKey(
        SharedChat, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Likes are grouped per item per day: one row, ``count`` grows.
    group_key = models.CharField(  # noqa: DJ001  (NULL for ungrouped rows: the unique constraint skips NULLs)
        max_length=80, null=True, blank=True
    )
    count = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "group_key"], name="notification_group_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at", "-id"], name="notif_recent_idx"
            ),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notif_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"
