"""Generation run directly (no socket): the reply is claimed before any text
goes out, every delta after the first is written before it is sent, and a task
that comes again for a reply that is taken, stopped or interrupted does no
harm."""

from __future__ import annotations

from typing import Any

import pytest

from chat import events
from chat.generation import reply_generate
from chat.models import Alternative, Conversation, Status
from chat.services import message_send
from community.models import User

# Transactions for real: generation hands its pooled connection back between
# flushes, which a test wrapped in one transaction cannot do.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fast_chat"),
]


@pytest.fixture(autouse=True)
def no_queue(monkeypatch: pytest.MonkeyPatch, settings: Any, fast_chat: None) -> None:
    """Each test runs the generation itself, as a Celery worker would (so the
    send does not start the request itself, as it does for its own threads)."""
    settings.CHAT_GENERATION_MODE = "celery"
    monkeypatch.setattr("chat.services.generation_queue", lambda **kwargs: None)


class Recorder(events.Sender):
    """Records the events, and what the database held when each was sent."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[dict[str, Any], str]] = []
        self.statuses: list[str] = []

    def send(self, conversation_id: int, event: events.Event) -> None:
        payload: dict[str, Any] = dict(event)
        if payload["type"] == "chat.delta":
            row = Alternative.objects.get(
                message_id=payload["message_id"], index=payload["index"]
            )
            stored = row.text
            self.statuses.append(row.status)
        else:
            stored = ""
        self.sent.append((payload, stored))


def pending_reply(user: User, conversation: Conversation) -> Alternative:
    result = message_send(
        conversation=conversation, user=user, client_id="g", text="Do you like the sea?"
    )
    assert result.reply is not None
    return result.reply.alternatives.get(index=0)


def test_text_is_stored_before_each_delta_and_done_comes_last(
    user: User, conversation: Conversation
) -> None:
    alt = pending_reply(user, conversation)
    recorder = Recorder()
    reply_generate(alternative_id=alt.pk, sender=recorder)
    alt.refresh_from_db()
    assert alt.status == Status.COMPLETE and alt.text, alt.error
    assert alt.provider == "offline"
    deltas = [(e, stored) for e, stored in recorder.sent if e["type"] == "chat.delta"]
    assert len(deltas) >= 2
    # Claimed before the first text went out; that text is written just after
    # it is sent, every later delta's before.
    assert recorder.statuses[0] == Status.STREAMING and deltas[0][1] == ""
    text = ""
    for n, (event, stored) in enumerate(deltas):
        assert event["offset"] == len(text)
        text += event["text"]
        if n:
            assert stored.startswith(text)  # persisted before it was sent
    # The rest rides on the done event (each socket sends it as a last delta).
    done = recorder.sent[-1][0]
    assert done["type"] == "chat.done" and done["status"] == Status.COMPLETE
    assert done["message"]["alternatives"][0]["text"] == alt.text
    assert alt.text.startswith(text)


def test_a_second_task_for_a_finished_reply_changes_nothing(
    user: User, conversation: Conversation
) -> None:
    alt = pending_reply(user, conversation)
    reply_generate(alternative_id=alt.pk, sender=Recorder())
    alt.refresh_from_db()
    again = Recorder()
    reply_generate(alternative_id=alt.pk, sender=again)
    assert again.sent == []
    assert Alternative.objects.get(pk=alt.pk).text == alt.text


def test_a_reply_stopped_before_its_first_token_stays_stopped(
    user: User, conversation: Conversation
) -> None:
    alt = pending_reply(user, conversation)
    Alternative.objects.filter(pk=alt.pk).update(status=Status.STOPPED)
    recorder = Recorder()
    reply_generate(alternative_id=alt.pk, sender=recorder)
    alt.refresh_from_db()
    assert (alt.status, alt.text, recorder.sent) == (Status.STOPPED, "", [])


def test_a_redelivered_task_for_a_streaming_reply_fails_it(
    user: User, conversation: Conversation
) -> None:
    alt = pending_reply(user, conversation)
    Alternative.objects.filter(pk=alt.pk).update(status=Status.STREAMING, text="Half a")
    recorder = Recorder()
    reply_generate(alternative_id=alt.pk, sender=recorder)
    alt.refresh_from_db()
    assert alt.status == Status.FAILED and alt.text == "Half a"
    assert "interrupted" in alt.error
    assert [e["type"] for e, _ in recorder.sent] == ["chat.done"]
