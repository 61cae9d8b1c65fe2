"""Reads for chat, permission-aware: a conversation exists only for its owner."""

from __future__ import annotations

import functools
import hashlib
import json
from typing import TypedDict

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from chat.models import (
    LIVE_STATUSES,
    Alternative,
    Author,
    Conversation,
    Message,
    Persona,
    Rating,
)
from community.models import User
from config.compiled import CompiledQuery
from config.cursors import cursor_decode, cursor_encode
from config.markdown import render_markdown

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class AlternativePayload(TypedDict, total=False):
    index: int
    text: str
    status: str
    finish_reason: str
    error: str
    stars: int | None
    feedback: str
    html: str  # only for finished alternatives


class MessagePayload(TypedDict):
    id: int
    seq: int
    author: str
    name: str
    selected: int
    is_greeting: bool
    created_at: str
    edited_at: str | None
    alternatives: list[AlternativePayload]
    rev: str  # changes whenever anything a client shows of the message changes
    # The sender's id for the message (user messages sent over the socket):
    # the browser keeps a typed text until its message.created comes back.
    client_id: str | None


def conversation_get_for_user(*, pk: int, user: User | AnonymousUser) -> Conversation:
    """The conversation if ``user`` owns it, else ``Http404`` (never 403: others
    must not learn that it exists)."""
    if not user.is_authenticated:
        raise Http404("No such conversation.")
    try:
        return Conversation.objects.select_related(
            "character__published_version", "persona", "owner__profile"
        ).get(pk=pk, owner_id=user.pk)
    except Conversation.DoesNotExist:
        raise Http404("No such conversation.") from None


# Most recent first; a chat with no message yet first of all, on every
# database (PostgreSQL's DESC puts NULLs first, SQLite's last).
_RECENT = (F("last_message_at").desc(nulls_first=True), F("pk").desc())


def conversation_list(*, user: User) -> QuerySet[Conversation]:
    """The user's conversations, most recent first."""
    return (
        Conversation.objects.filter(owner=user)
        .select_related("character")
        .order_by(*_RECENT)
    )


def conversation_page(
    *, user: User, cursor: str | None, size: int
) -> tuple[list[Conversation], str | None]:
    """A page of ``conversation_list`` after ``cursor`` and the next page's
    cursor (None on the last page). Keyset, not offset: a chat that moves to
    the top while a client pages (a new message) is neither shown twice nor
    makes another skipped."""
    qs = conversation_list(user=user)
    if cursor:
        when, pk = cursor_decode(cursor, "recent", when=True, nullable=True)
        if when is None:
            qs = qs.filter(
                Q(last_message_at__isnull=True, pk__lt=pk)
                | Q(last_message_at__isnull=False)
            )
        else:
            qs = qs.filter(
                Q(last_message_at__lt=when) | Q(last_message_at=when, pk__lt=pk)
            )
    rows = list(qs[: size + 1])
    if len(rows) <= size:
        return rows, None
    last = rows[size - 1]
    return rows[:size], cursor_encode("recent", last.last_message_at, last.pk)


def _messages(conversation: Conversation) -> QuerySet[Message]:
    return Message.objects.filter(conversation=conversation).prefetch_related(
        Prefetch("alternatives", queryset=Alternative.objects.order_by("index")),
        Prefetch(
            "alternatives__ratings",
            queryset=Rating.objects.filter(user_id=conversation.owner_id),
        ),
    )


def message_page(
    *,
    conversation: Conversation,
    before_seq: int | None = None,
    after_seq: int | None = None,
    limit: int = PAGE_SIZE,
) -> list[Message]:
    """Up to ``limit`` messages in seq order: the newest ones (or those before
    ``before_seq``), or the ones after ``after_seq``."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    qs = _messages(conversation)
    if after_seq is not None:
        return list(qs.filter(seq__gt=after_seq).order_by("seq")[:limit])
    if before_seq is not None:
        qs = qs.filter(seq__lt=before_seq)
    return list(reversed(qs.order_by("-seq")[:limit]))


def messages_for_resume(
    *, conversation: Conversation, after_seq: int, from_seq: int | None = None
) -> tuple[list[Message], list[Message], list[tuple[int, int, str]]]:
    """What a reconnecting client missed: (messages after ``after_seq``,
    earlier messages with a reply still generating, and the digest — (id, seq,
    rev) — of the messages from ``from_seq`` up to ``after_seq``, so the client
    can find what changed or went away while it was disconnected: edits,
    swipes, ratings, deletions, other tabs). ``from_seq`` is the oldest
    message the client shows (None: from the chat's first): a long chat's
    page holds its newest messages only, and the digest of the rest — every
    message read with its alternatives on each connect — is work and bytes
    for nothing the client could use."""
    qs = _messages(conversation).order_by("seq")
    new = list(qs.filter(seq__gt=after_seq))
    window = qs.filter(seq__lte=after_seq)
    if from_seq is not None:
        window = window.filter(seq__gte=from_seq)
    live: list[Message] = []
    digest: list[tuple[int, int, str]] = []
    for m in window:
        alternatives = _alternatives(m, html=False)
        if any(a["status"] in LIVE_STATUSES for a in alternatives):
            live.append(m)
        digest.append((m.pk, m.seq, _rev(m, alternatives)))
    if from_seq is not None and from_seq > 0:
        # A reply still being written before the window (rare: only the
        # chat's last reply is ever live) is sent all the same.
        live[:0] = qs.filter(
            seq__lt=from_seq, alternatives__status__in=LIVE_STATUSES
        ).distinct()
    return new, live, digest


def alternative_text(
    *, conversation_id: int, message_id: int, index: int
) -> str | None:
    """The persisted text of one alternative of the conversation (None: gone)."""
    return (
        Alternative.objects.filter(
            message_id=message_id,
            message__conversation_id=conversation_id,
            index=index,
        )
        .values_list("text", flat=True)
        .first()
    )


def message_get(*, conversation: Conversation, message_id: int) -> Message:
    try:
        return _messages(conversation).get(pk=message_id)
    except Message.DoesNotExist:
        raise Http404("No such message.") from None


def speaker_name(conversation: Conversation, message: Message) -> str:
    if message.author == Author.CHARACTER:
        return conversation.character.name
    if message.author == Author.SYSTEM:
        return "Kindred"
    return user_name(user=conversation.owner, persona=conversation.persona)


def user_name(*, user: User, persona: Persona | None) -> str:
    """What ``{{user}}`` means for ``user`` speaking as ``persona``: the
    persona's name, else their display name. The one rule for the chat, its
    greeting and every preview of a greeting outside a chat."""
    if persona is not None:
        return persona.name
    profile = getattr(user, "profile", None)
    return profile.display_name if profile is not None else "You"


def persona_default(*, user: User) -> Persona | None:
    """The persona a chat ``user`` starts now speaks as, if they chose one."""
    return Persona.objects.filter(user=user, is_default=True).first()


def user_name_in_new_chat(*, user: User) -> str:
    """What ``{{user}}`` will mean in a chat ``user`` starts now (one query
    for the default persona; the profile is usually loaded with the user)."""
    return user_name(user=user, persona=persona_default(user=user))


OUTLINE_LIMIT = 1000  # messages a range picker lists; longer chats type numbers


def message_outline(conversation: Conversation) -> list[tuple[int, str, str]] | None:
    """(seq, speaker, selected text) of each message, oldest first, for
    picking a range of them (sharing); None past ``OUTLINE_LIMIT`` messages."""
    rows = list(
        Alternative.objects.filter(
            message__conversation=conversation, index=F("message__selected")
        )
        .order_by("message__seq")
        .values_list("message__seq", "message__author", "text")[: OUTLINE_LIMIT + 1]
    )
    if len(rows) > OUTLINE_LIMIT:
        return None
    names = {
        author: speaker_name(conversation, Message(author=author))
        for author in {a for _, a, _ in rows}
    }
    return [(seq, names[author], text) for seq, author, text in rows]


def _alternative_payload(
    alt: Alternative, stars: int | None, feedback: str, *, html: bool = True
) -> AlternativePayload:
    item: AlternativePayload = {
        "index": alt.index,
        "text": alt.text,
        "status": alt.status,
        "finish_reason": alt.finish_reason,
        "error": alt.error,
        "stars": stars,
        "feedback": feedback,
    }
    if html and alt.status not in LIVE_STATUSES:
        item["html"] = str(render_markdown(alt.text, breaks=True))
    return item


def _rev(message: Message, alternatives: list[AlternativePayload]) -> str:
    """A fingerprint of what a client shows of a message (the rendered HTML
    follows from the text): equal revs, nothing to refresh."""
    edited_at = message.edited_at.isoformat() if message.edited_at else None
    shown = [
        [a.get(k) for k in ("index", "text", "status", "finish_reason", "error",
                            "stars", "feedback")]
        for a in alternatives
    ]  # fmt: skip
    raw = json.dumps([edited_at, message.selected, shown], ensure_ascii=False)
    return hashlib.blake2b(raw.encode(), digest_size=8).hexdigest()


def message_payload(conversation: Conversation, message: Message) -> MessagePayload:
    """A message as sent to clients (frames and the REST API). Expects the
    alternatives and the owner's ratings prefetched (``_messages``)."""
    return _payload(conversation, message, _alternatives(message))


def _alternatives(message: Message, *, html: bool = True) -> list[AlternativePayload]:
    """The payloads of a message's alternatives, with the owner's rating of
    each (prefetched by ``_messages``)."""
    out: list[AlternativePayload] = []
    for alt in message.alternatives.all():
        ratings = list(alt.ratings.all())
        rating = ratings[0] if ratings else None
        out.append(
            _alternative_payload(
                alt,
                rating.stars if rating else None,
                rating.feedback if rating else "",
                html=html,
            )
        )
    return out


_MESSAGE_STAND_IN = 7_351_902_480  # stand-ins (config.compiled)
_OWNER_STAND_IN = 7_351_902_481


@functools.cache
def _message_alternatives() -> CompiledQuery[Alternative]:
    """A message's alternatives with the message and the owner's rating of
    each, compiled once (``config.compiled``)."""
    rating = Rating.objects.filter(
        alternative_id=OuterRef("pk"), user_id=_OWNER_STAND_IN
    )
    return CompiledQuery(
        Alternative.objects.filter(message_id=_MESSAGE_STAND_IN)
        .select_related("message")
        .annotate(
            stars=Subquery(rating.values("stars")[:1]),
            feedback=Subquery(rating.values("feedback")[:1]),
        )
        .order_by("index"),
        {"message": _MESSAGE_STAND_IN, "owner": _OWNER_STAND_IN},
    )


def message_payload_by_id(
    conversation: Conversation, message_id: int
) -> MessagePayload | None:
    """``message_payload`` of one message of ``conversation``, read in one
    compiled query (its alternatives with the message and the owner's
    ratings) instead of three: the payload that ends every reply. None when
    the message is gone."""
    alternatives = _message_alternatives().objects(
        message=message_id, owner=conversation.owner_id
    )
    if not alternatives or alternatives[0].message.conversation_id != conversation.pk:
        return None
    return _payload(
        conversation,
        alternatives[0].message,
        [
            _alternative_payload(a, getattr(a, "stars"), getattr(a, "feedback") or "")  # noqa: B009  # annotations
            for a in alternatives
        ],
    )


def new_message_payload(
    conversation: Conversation, message: Message, alternatives: list[Alternative]
) -> MessagePayload:
    """``message_payload`` of a message just created with ``alternatives`` (no
    ratings yet), without reading anything back."""
    return _payload(
        conversation, message, [_alternative_payload(a, None, "") for a in alternatives]
    )


def _payload(
    conversation: Conversation,
    message: Message,
    alternatives: list[AlternativePayload],
) -> MessagePayload:
    return {
        "id": message.pk,
        "seq": message.seq,
        "author": message.author,
        "name": speaker_name(conversation, message),
        "selected": message.selected,
        "is_greeting": message.is_greeting,
        "created_at": message.created_at.isoformat(),
        "edited_at": message.edited_at.isoformat() if message.edited_at else None,
        "alternatives": alternatives,
        "rev": _rev(message, alternatives),
        "client_id": message.client_id,
    }


def persona_list(*, user: User) -> QuerySet[Persona]:
    return Persona.objects.filter(user=user).order_by("-is_default", "name", "pk")


def persona_get_for_user(*, pk: int, user: User | AnonymousUser) -> Persona:
    if not user.is_authenticated:
        raise Http404("No such persona.")
    try:
        return Persona.objects.get(pk=pk, user_id=user.pk)
    except Persona.DoesNotExist:
        raise Http404("No such persona.") from None
