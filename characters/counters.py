"""Counters on ``Character`` kept by other apps' services, in their transaction.

F() updates: concurrent chats never lose an increment.
"""

from __future__ import annotations

from django.db.models import F

from characters.models import Character


def character_chat_started(*, character_id: int) -> None:
    Character.objects.filter(pk=character_id).update(chats_count=F("chats_count") + 1)


def character_messages_added(*, character_id: int, count: int) -> None:
    if count:
        Character.objects.filter(pk=character_id).update(
            messages_count=F("messages_count") + count
        )
