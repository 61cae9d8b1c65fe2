"""Daily chat activity per character for the creator dashboard (community).
Added by the community work next to ``chat.stats``; reads chat's own tables."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.db.models.functions import TruncDate

from chat.models import Author, Conversation, Message


def daily_activity(
    *, character_id: int, since: dt.datetime
) -> dict[dt.date, tuple[int, int, int]]:
    """``{day: (chats started, messages, unique chatters)}`` since ``since``.
    Counts only — never which conversations or whose."""
    chats = {
        row["day"]: row["n"]
        for row in Conversation.objects.filter(
            character_id=character_id, created_at__gte=since
        )
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .values("day", "n")
    }
    msgs = {
        row["day"]: (row["n"], row["chatters"])
        for row in Message.objects.filter(
            conversation__character_id=character_id, created_at__gte=since
        )
        .exclude(author=Author.SYSTEM)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(
            n=Count("pk"), chatters=Count("conversation__owner_id", distinct=True)
        )
        .values("day", "n", "chatters")
    }
    days = set(chats) | set(msgs)
    return {day: (chats.get(day, 0), *msgs.get(day, (0, 0))) for day in sorted(days)}


def unique_chatters(*, character_id: int, since: dt.datetime) -> int:
    return (
        Conversation.objects.filter(
            character_id=character_id, messages__created_at__gte=since
        )
        .values("owner_id")
        .distinct()
        .count()
    )
