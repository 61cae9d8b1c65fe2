"""Conversations, their participants, messages and reply alternatives, personas.

A conversation is a set of participants (users with a persona, characters) and an
ordered list of messages. A 1:1 chat is a conversation with one user and one
character participant; a group room (a later issue) is the same tables with more
participants, so messages, the consumer and the generation pipeline are shared.

Every message has one or more *alternatives* (rows of ``Alternative``): a user
message has exactly one (its text, edited in place); a character message has one
per generation ("swipes") and the greeting has one per greeting. ``selected`` says
which alternative the chat continues from.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from characters.models import Character, CharacterVersion
from community.models import User

MAX_TEXT = 4000  # characters in one user message
MAX_PERSONA_DESCRIPTION = 2000
MAX_FEEDBACK = 1000


class Persona(models.Model):
    """Who the user plays in a chat; ``{{user}}`` resolves to its name."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="personas")
    name = models.CharField(max_length=60)
    description = models.TextField(max_length=MAX_PERSONA_DESCRIPTION, blank=True)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(is_default=True),
                name="persona_one_default",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Conversation(models.Model):
    class Kind(models.TextChoices):
        DIRECT = "direct", "Chat"
        ROOM = "room", "Room"

    kind = models.CharField(max_length=8, choices=Kind, default=Kind.DIRECT)
    owner = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="conversations"
    )
    # The main character (a 1:1 chat's only one; a room's first).
    character = models.ForeignKey(
        Character, on_delete=models.CASCADE, related_name="conversations"
    )
    persona = models.ForeignKey(
        Persona, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=120, blank=True)
    # Sequence numbers are handed out from here under a row lock.
    last_seq = models.PositiveIntegerField(default=0)
    last_message_at = models.DateTimeField(null=True, blank=True)
    preview = models.CharField(max_length=160, blank=True)
    # Where the prompt's history starts (chat.prompting.HistoryCut): the seq of
    # the first message the last prompt included (0: the start) and the history
    # room it was chosen for. Prompts read the history from there on.
    history_from = models.PositiveIntegerField(default=0)
    history_room = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["owner", "-last_message_at", "-id"], name="conv_owner_recent"
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"Chat {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("chat:detail", kwargs={"pk": self.pk})

    @property
    def display_title(self) -> str:
        return self.title or self.character.name


class Participant(models.Model):
    class Kind(models.TextChoices):
        USER = "user", "User"
        CHARACTER = "character", "Character"

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    kind = models.CharField(max_length=10, choices=Kind)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    character = models.ForeignKey(
        Character, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    persona = models.ForeignKey(
        Persona, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="user", user__isnull=False, character__isnull=True)
                    | models.Q(
                        kind="character", character__isnull=False, user__isnull=True
                    )
                ),
                name="participant_kind_matches",
            ),
            models.UniqueConstraint(
                fields=["conversation", "user"], name="participant_unique_user"
            ),
            models.UniqueConstraint(
                fields=["conversation", "character"],
                name="participant_unique_character",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} in {self.conversation_id}"


class Author(models.TextChoices):
    USER = "user", "User"
    CHARACTER = "character", "Character"
    SYSTEM = "system", "System"


class Status(models.TextChoices):
    PENDING = "pending", "Pending"
    STREAMING = "streaming", "Streaming"
    COMPLETE = "complete", "Complete"
    STOPPED = "stopped", "Stopped"
    FAILED = "failed", "Failed"


LIVE_STATUSES = (Status.PENDING, Status.STREAMING)
# The finish reason of turns copied from a shared chat log into a new chat
# ("continue this story", ``chat.sharing``): nobody wrote them in that chat,
# so they are not counted there (``chat.stats``).
SHARED_FINISH = "shared"


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    seq = models.PositiveIntegerField()
    author = models.CharField(max_length=10, choices=Author)
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Denormalised from the participant for quotas and statistics.
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    character = models.ForeignKey(
        Character, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Null for messages without one (unique only when set).
    client_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    selected = models.PositiveSmallIntegerField(default=0)
    is_greeting = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "seq"], name="message_unique_seq"
            ),
            models.UniqueConstraint(
                fields=["conversation", "client_id"],
                condition=models.Q(client_id__isnull=False),
                name="message_unique_client_id",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "created_at"], name="message_user_time"),
            models.Index(fields=["created_at"], name="message_time"),
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id}#{self.seq}"


class Alternative(models.Model):
    """One version of a message's text: a swipe of a reply, a greeting, or a user
    message's (editable) text. Replies are persisted here as they stream."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="alternatives"
    )
    index = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.COMPLETE)
    finish_reason = models.CharField(max_length=32, blank=True)
    error = models.CharField(max_length=300, blank=True)
    prompt_tokens = models.PositiveIntegerField(null=True, blank=True)
    completion_tokens = models.PositiveIntegerField(null=True, blank=True)
    provider = models.CharField(max_length=40, blank=True)
    model = models.CharField(max_length=120, blank=True)
    character_version = models.ForeignKey(
        CharacterVersion,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Who asked for this generation when no message of theirs did: a
    # regenerate (also a Retry) or a new reply to their last message. These
    # are LLM calls too and count toward the free plan's quotas with the
    # messages sent (``chat.services._sent_since``); a send's reply is
    # counted by its user message and leaves this empty.
    requested_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # alternative_requested_time serves its look-ups
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["index"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "index"], name="alternative_unique_index"
            ),
        ]
        indexes = [
            # "Is a reply still being written here?" — asked by every send.
            # Without it PostgreSQL scanned every alternative for the few live
            # ones; with it the answer is a look at a tiny index.
            models.Index(
                fields=["message"],
                name="alternative_live",
                condition=models.Q(status__in=LIVE_STATUSES),
            ),
            # The quotas' count of generations asked for (few rows: only
            # regenerations), as message_user_time serves messages sent.
            models.Index(
                fields=["requested_by", "created_at"],
                name="alternative_requested_time",
                condition=models.Q(requested_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_id}/{self.index}"


class Rating(models.Model):
    """1–4 stars on one reply alternative (Character.AI's scheme)."""

    alternative = models.ForeignKey(
        Alternative, on_delete=models.CASCADE, related_name="ratings"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    character = models.ForeignKey(
        Character, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    stars = models.PositiveSmallIntegerField()
    feedback = models.TextField(max_length=MAX_FEEDBACK, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["alternative", "user"], name="rating_one_per_user"
            ),
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=4),
                name="rating_stars_1_4",
            ),
        ]
        indexes = [
            models.Index(fields=["character", "created_at"], name="rating_char_time"),
        ]

    def __str__(self) -> str:
        return f"{self.stars}★ on {self.alternative_id}"
