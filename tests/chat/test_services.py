"""Services and stats against the real database (no socket)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from characters.models import Character
from chat.models import Alternative, Author, Conversation, Message
from chat.services import ChatError, message_send, reply_rate
from chat.stats import messages_by_character, reply_star_distribution
from community.models import User

pytestmark = pytest.mark.django_db


def test_send_counts_messages_on_the_character(
    user: User, conversation: Conversation, character: Character
) -> None:
    message_send(conversation=conversation, user=user, client_id="a", text="hi")
    character.refresh_from_db()
    assert character.messages_count == 2  # the user's message and the reply


def test_daily_quota(user: User, conversation: Conversation, settings: Any) -> None:
    settings.FREE_DAILY_MESSAGES = 3
    settings.FREE_MESSAGES_PER_MINUTE = 100
    for i in range(3):
        message_send(conversation=conversation, user=user, client_id=f"d{i}", text="hi")
        # Finish the pending reply so the next send is allowed.
        Alternative.objects.filter(status="pending").update(status="complete")
    with pytest.raises(ChatError) as exc:
        message_send(conversation=conversation, user=user, client_id="d9", text="hi")
    assert exc.value.code == "daily_limit"
    assert "3 free messages" in exc.value.message
    assert Message.objects.filter(author=Author.USER).count() == 3


def test_send_to_someone_elses_conversation_is_refused(
    other_user: User, conversation: Conversation
) -> None:
    with pytest.raises(ChatError):
        message_send(
            conversation=conversation, user=other_user, client_id="x", text="hi"
        )
    assert Message.objects.count() == 1  # the greeting


def test_stats(
    user: User, other_user: User, conversation: Conversation, character: Character
) -> None:
    message_send(conversation=conversation, user=user, client_id="a", text="hi")
    reply = Message.objects.get(author=Author.CHARACTER, is_greeting=False)
    Alternative.objects.filter(message=reply).update(status="complete", text="yo")
    reply_rate(
        conversation=conversation, user=user, message_id=reply.pk, index=0, stars=3
    )
    now = timezone.now()
    hour = timedelta(hours=1)
    assert messages_by_character(start=now - hour, end=now + hour) == {character.pk: 1}
    assert (
        messages_by_character(
            start=now - hour, end=now + hour, user_ids=[other_user.pk]
        )
        == {}
    )
    assert messages_by_character(start=now + hour, end=now + 2 * hour) == {}
    assert reply_star_distribution(character_id=character.pk, since=now - hour) == {
        1: 0,
        2: 0,
        3: 1,
        4: 0,
    }
