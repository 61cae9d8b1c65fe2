"""Aggregates other apps read (billing's revenue share, community statistics)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Count

from chat.models import Author, Message, Rating


def messages_by_character(
    *, start: datetime, end: datetime, user_ids: Iterable[int] | None = None
) -> dict[int, int]:
    """User-authored messages per character id, created in ``[start, end)``,
    optionally only those sent by ``user_ids``."""
    qs = Message.objects.filter(
        author=Author.USER, created_at__gte=start, created_at__lt=end
    )
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
