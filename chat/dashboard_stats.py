"""Daily chat activity per character for the creator dashboard (community).
Added by the community work next to ``chat.stats``; reads chat's own tables and
counts what ``chat.stats`` says counts, as the character's page does."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from chat.models import Author, Conversation
from chat.stats import counted_messages, sent_messages


def daily_activity(
    *, character_id: int, since: dt.datetime
) -> dict[dt.date, tuple[int, int, int]]:
    """``{day: (chats started, messages, unique chatters)}`` since ``since``.
    Counts only — never which conversations or whose. A chat opened and
    left without a word is a chat, but neither a message (its greeting) nor
    a chatter."""
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
        for row in counted_messages()
        .filter(conversation__character_id=character_id, created_at__gte=since)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(
            n=Count("pk"),
            # Who sent (in a group chat, not only its owner).
            chatters=Count("user_id", filter=Q(author=Author.USER), distinct=True),
        )
        .values("day", "n", "chatters")
    }
    days = set(chats) | set(msgs)
    return {day: (chats.get(day, 0), *msgs.get(day, (0, 0))) for day in sorted(days)}


def unique_chatters(*, character_id: int, since: dt.datetime) -> int:
    """People who sent at least one message to the character since ``since``."""
    counted: int = (
        sent_messages()
        .filter(conversation__character_id=character_id, created_at__gte=since)
        .aggregate(n=Count("user_id", distinct=True))["n"]
    )
    return counted
