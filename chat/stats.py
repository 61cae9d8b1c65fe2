"""Aggregates other apps read (billing's revenue share, community statistics).

What counts, wherever Kindred counts chat activity — the character's
``messages_count`` (``characters.counters``, two per exchange), the creator
dashboard (``chat.dashboard_stats``) and the creator fund's weights (here):

- a **message** is one a person wrote, or the reply generated for it. Not the
  greeting a chat opens with (it is there before anyone types), not a system
  note, and not the turns copied from a shared chat log into a "continue this
  story" chat (they were counted in the chat they came from);
- a **chatter** is someone who sent at least one message;
- a **chat** is a conversation opened (``chats_count``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from chat.models import SHARED_FINISH, Alternative, Author, Message, Rating


def counted_messages() -> QuerySet[Message]:
    """The messages that count (see the module doc)."""
    copied = Alternative.objects.filter(
        message=OuterRef("pk"), index=0, finish_reason=SHARED_FINISH
    )
    return Message.objects.filter(
        Q(author=Author.USER) | Q(author=Author.CHARACTER, is_greeting=False)
    ).exclude(Exists(copied))


def sent_messages() -> QuerySet[Message]:
    """The counted messages people wrote (``user_id`` is who): a chatter is
    someone with one of these."""
    return counted_messages().filter(author=Author.USER)


def messages_by_character(
    *, start: datetime, end: datetime, user_ids: Iterable[int] | None = None
) -> dict[int, int]:
    """Messages people sent, per character id, created in ``[start, end)``,
    optionally only those sent by ``user_ids``. The fund weighs what its
    Pro users wrote: each has one reply, so counting replies too would only
    double every weight."""
    qs = sent_messages().filter(created_at__gte=start, created_at__lt=end)
    if user_ids is not None:
        qs = qs.filter(user_id__in=list(user_ids))
    rows = qs.values("conversation__character_id").annotate(n=Count("pk"))
    return {row["conversation__character_id"]: row["n"] for row in rows}


def reply_star_distribution(*, character_id: int, since: datetime) -> dict[int, int]:
    """How many reply ratings of each star value (1–4) a character got since
    ``since``; every star value is present."""
    out = dict.fromkeys(range(1, 5), 0)
    rows = (
        Rating.objects.filter(character_id=character_id, updated_at__gte=since)
        .values("stars")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        out[row["stars"]] = row["n"]
    return out
