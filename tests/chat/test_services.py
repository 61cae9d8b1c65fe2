"""Services and stats against the real database (no socket)."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from characters.models import Character
from chat.models import Alternative, Author, Conversation, Message, Rating
from chat.services import (
    ChatError,
    conversation_rewind,
    exchange_append,
    generation_stop,
    message_delete,
    message_edit,
    message_send,
    reply_rate,
    reply_regenerate,
)
from chat.stats import messages_by_character, reply_star_distribution
from community.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_send_counts_messages_on_the_character(
    user: User, conversation: Conversation, character: Character
) -> None:
    """Counted once the send commits, in the background (not inside its
    transaction, where every send to a popular character would wait on the
    character's row lock, nor before the socket that sent is free)."""

    def count() -> int:
        for _ in range(100):
            character.refresh_from_db()
            if character.messages_count:
                break
            time.sleep(0.02)
        return character.messages_count

    message_send(conversation=conversation, user=user, client_id="a", text="hi")
    assert count() == 2  # the user's message and the reply
    with pytest.raises(ChatError):  # a refused send counts nothing
        message_send(conversation=conversation, user=user, client_id="b", text="")
    time.sleep(0.2)
    assert count() == 2


def test_a_send_writes_what_it_returns(user: User, conversation: Conversation) -> None:
    """The send writes both messages, their alternatives and the
    conversation in one statement of its own (PostgreSQL): what it returns
    is what was stored, field for field, as the ORM would have written it."""
    result = message_send(
        conversation=conversation, user=user, client_id="w", text="Hello there"
    )
    assert result.reply is not None
    for obj in (result.user_message, result.reply):
        stored = Message.objects.get(pk=obj.pk)
        for field in Message._meta.concrete_fields:
            assert getattr(stored, field.attname) == getattr(obj, field.attname), field
    said, reply = (
        Alternative.objects.get(message=result.user_message),
        Alternative.objects.get(message=result.reply),
    )
    assert (said.index, said.text, said.status) == (0, "Hello there", "complete")
    assert (reply.index, reply.text) == (0, "")
    assert reply.character_version_id == conversation.character.published_version_id
    assert said.created_at >= result.user_message.created_at  # set on insert
    conversation.refresh_from_db()
    assert conversation.last_seq == result.reply.seq == result.user_message.seq + 1
    assert conversation.preview == "Hello there"
    assert conversation.last_message_at is not None
    assert conversation.last_message_at <= result.user_message.created_at


def test_deleting_turns_after_the_kept_history_cut_resets_it(
    user: User, conversation: Conversation
) -> None:
    """Prompts read the history from the conversation's kept cut
    (chat.prompting.HistoryCut): once turns from there on are deleted
    (a rewind before it would leave the prompt no history), they read from
    the start again. Deleting older turns changes no prompt and keeps it."""
    for i in range(10):
        exchange_append(
            conversation=conversation, user_text=f"q{i}", reply_text=f"a{i}"
        )

    def cut(first: int = 0) -> int:
        if first:
            Conversation.objects.filter(pk=conversation.pk).update(
                history_from=first, history_room=900
            )
        return Conversation.objects.get(pk=conversation.pk).history_from

    def message(seq: int) -> int:
        return Message.objects.get(conversation=conversation, seq=seq).pk

    cut(12)
    message_delete(conversation=conversation, message_id=message(5))
    assert cut() == 12
    message_delete(conversation=conversation, message_id=message(12))
    assert cut() == 0
    cut(14)
    message_delete(conversation=conversation, message_id=message(21))
    assert cut() == 0
    cut(14)
    conversation_rewind(conversation=conversation, message_id=message(9))
    stored = Conversation.objects.get(pk=conversation.pk)
    assert (stored.history_from, stored.history_room) == (0, 0)


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


@pytest.mark.django_db(transaction=True)
def test_sends_from_many_threads_share_one_compiled_statement(
    user: User, character: Character
) -> None:
    """The send's locking read is compiled once per user and shared by every
    thread: concurrent sends each lock, check and write their own conversation,
    and a check reads the state at the time of the send, not of compiling."""
    from django.db import connection

    from chat.services import conversation_start

    conversations = [
        conversation_start(user=user, character=character) for _ in range(6)
    ]
    barrier = threading.Barrier(len(conversations))
    results: dict[int, Any] = {}

    def send(conversation: Conversation) -> None:
        try:
            barrier.wait(timeout=10)
            result = message_send(
                conversation=conversation, user=user, client_id="same", text="hi"
            )
            results[conversation.pk] = result
        except Exception as exc:  # reported below
            results[conversation.pk] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(c,)) for c in conversations]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    for conversation in conversations:
        result = results[conversation.pk]
        assert not isinstance(result, Exception), result
        assert result.created and result.conversation.pk == conversation.pk
        assert result.user_message.conversation_id == conversation.pk
        assert result.reply.conversation_id == conversation.pk
        assert result.conversation.character == character  # related rows built
    # Compiled already; the character goes private: the next send sees it.
    Alternative.objects.filter(status="pending").update(status="complete")
    Character.objects.filter(pk=character.pk).update(visibility="private")
    with pytest.raises(ChatError) as exc:
        message_send(
            conversation=conversations[0], user=user, client_id="later", text="hi"
        )
    assert exc.value.code == "unavailable"


def test_a_cut_chosen_before_a_deletion_is_not_saved_over_its_reset(
    user: User, conversation: Conversation
) -> None:
    """A worker builds a prompt (cut at 12), a rewind meanwhile resets the
    stored cut; the worker's cut must not land on top of the reset."""
    from chat.generation import save_cut
    from chat.prompting import HistoryCut

    for i in range(10):
        exchange_append(
            conversation=conversation, user_text=f"q{i}", reply_text=f"a{i}"
        )
    Conversation.objects.filter(pk=conversation.pk).update(
        history_from=12, history_room=900
    )
    read = Conversation.objects.get(pk=conversation.pk)  # what the worker read
    later = Message.objects.get(conversation=conversation, seq=5)
    conversation_rewind(conversation=conversation, message_id=later.pk)
    save_cut(read, HistoryCut(first=16, room=900))
    stored = Conversation.objects.get(pk=conversation.pk)
    assert (stored.history_from, stored.history_room) == (0, 0)
    # With nothing in between, a moved cut is saved.
    save_cut(stored, HistoryCut(first=3, room=900))
    stored.refresh_from_db()
    assert (stored.history_from, stored.history_room) == (3, 900)


def test_an_appended_exchange_is_stored_whole(
    user: User, conversation: Conversation
) -> None:
    """Demo data and imported logs: a finished pair after the greeting, the
    conversation's sequence and preview moved on, the next send after it."""
    start = Conversation.objects.get(pk=conversation.pk).last_seq
    said, reply = exchange_append(
        conversation=conversation, user_text=" Ahoy? ", reply_text="Ahoy, traveller."
    )
    assert (said.seq, reply.seq) == (start + 1, start + 2)
    stored = Alternative.objects.get(message=reply)
    assert (stored.text, stored.status, stored.finish_reason, stored.provider) == (
        "Ahoy, traveller.", "complete", "stop", "import",
    )  # fmt: skip
    assert stored.completed_at is not None
    assert Alternative.objects.get(message=said).text == "Ahoy?"
    assert Message.objects.get(pk=said.pk).user_id == user.pk
    conv = Conversation.objects.get(pk=conversation.pk)
    assert (conv.last_seq, conv.preview) == (start + 2, "Ahoy, traveller.")
    result = message_send(conversation=conv, user=user, client_id="n", text="Next")
    assert result.user_message.seq == start + 3


def _reply_left_live(
    conversation: Conversation, *, status: str, text: str, seconds_ago: float
) -> Message:
    """A user message and a reply whose row was last written ``seconds_ago``
    (a server that stopped mid-reply leaves it so)."""
    seq = conversation.last_seq + 1
    Conversation.objects.filter(pk=conversation.pk).update(last_seq=seq + 1)
    said = Message.objects.create(
        conversation=conversation, seq=seq, author="user", user=conversation.owner
    )
    Alternative.objects.create(message=said, index=0, text="Tell me a story")
    reply = Message.objects.create(
        conversation=conversation, seq=seq + 1, author="character",
        character=conversation.character,
    )  # fmt: skip
    Alternative.objects.create(message=reply, index=0, status=status, text=text)
    Alternative.objects.filter(message=reply).update(
        updated_at=timezone.now() - timedelta(seconds=seconds_ago)
    )
    return reply


@pytest.mark.parametrize(
    ("status", "text", "seconds_ago", "dead"),
    [
        # Before its first text a writer may wait LLM_FIRST_TOKEN_TIMEOUT per
        # attempt (30 s, one retry) plus the margin: 75 s.
        ("pending", "", 50, False),
        ("streaming", "", 50, False),
        ("pending", "", 80, True),
        ("streaming", "", 80, True),
        # After it, LLM_IDLE_TIMEOUT (20 s) plus the margin: 35 s.
        ("streaming", "Once upon a", 30, False),
        ("streaming", "Once upon a", 50, True),
    ],
)
def test_a_live_reply_is_dead_once_its_row_stood_still_past_the_provider(
    user: User, conversation: Conversation, settings: Any,
    status: str, text: str, seconds_ago: float, dead: bool,
) -> None:  # fmt: skip
    settings.LLM_FIRST_TOKEN_TIMEOUT, settings.LLM_RETRIES = 30.0, 1
    settings.LLM_IDLE_TIMEOUT = 20.0
    reply = _reply_left_live(
        conversation, status=status, text=text, seconds_ago=seconds_ago
    )
    try:
        message_send(conversation=conversation, user=user, client_id="n", text="Hi")
    except ChatError as exc:
        assert not dead and exc.code == "busy"
    else:
        assert dead
    stored = Alternative.objects.get(message=reply)
    if dead:
        assert (stored.status, stored.finish_reason, stored.text) == (
            "failed", "interrupted", text,
        )  # fmt: skip
        assert stored.error
    else:
        assert (stored.status, stored.text) == (status, text)


def test_retry_of_a_reply_left_streaming_by_a_restart(
    user: User, conversation: Conversation
) -> None:
    """Retry (regenerate) of a reply whose writer is gone: no "still being
    written"; the old alternative is kept as failed, a new one is pending."""
    reply = _reply_left_live(
        conversation, status="streaming", text="Once", seconds_ago=600
    )
    alt = reply_regenerate(conversation=conversation, user=user, message_id=reply.pk)
    assert list(
        Alternative.objects.filter(message=reply)
        .order_by("index")
        .values_list("status", "finish_reason")
    ) == [("failed", "interrupted"), ("pending", "")]
    assert alt.index == 1


def test_the_chat_lists_preview_follows_delete_rewind_and_stop(
    user: User, conversation: Conversation
) -> None:
    """The preview and time are those of the last message left with text to
    show: a deleted or rewound reply no longer shows, a stopped one does."""
    greeting = Message.objects.get(conversation=conversation, is_greeting=True)
    said, reply = exchange_append(
        conversation=conversation, user_text="Ahoy?", reply_text="Ahoy, traveller."
    )

    def shown() -> tuple[str, Any]:
        stored = Conversation.objects.get(pk=conversation.pk)
        return stored.preview, stored.last_message_at

    assert shown()[0] == "Ahoy, traveller."
    message_delete(conversation=conversation, message_id=reply.pk)
    assert shown() == ("Ahoy?", Message.objects.get(pk=said.pk).created_at)
    conversation_rewind(conversation=conversation, message_id=greeting.pk)
    first = Alternative.objects.get(message=greeting, index=0)
    assert shown() == (first.text, first.completed_at)

    result = message_send(
        conversation=conversation, user=user, client_id="s", text="Tell me more"
    )
    assert result.reply is not None
    Alternative.objects.filter(message=result.reply).update(
        status="streaming", text="Once upon a"
    )
    generation_stop(conversation=conversation, message_id=result.reply.pk)
    stopped = Alternative.objects.get(message=result.reply)
    assert shown() == ("Once upon a", stopped.completed_at)


def test_a_message_cannot_be_edited_while_its_reply_is_being_written(
    user: User, conversation: Conversation
) -> None:
    """Its reply answers the old text, and its Regenerate would be refused
    as busy: the edit is refused (busy) until the reply is done or stopped."""
    result = message_send(
        conversation=conversation, user=user, client_id="e", text="Hello"
    )
    assert result.reply is not None
    with pytest.raises(ChatError) as exc:
        message_edit(
            conversation=conversation, message_id=result.user_message.pk, text="Hi"
        )
    assert exc.value.code == "busy"
    said = Alternative.objects.get(message=result.user_message)
    assert said.text == "Hello"
    assert Message.objects.get(pk=result.user_message.pk).edited_at is None
    generation_stop(conversation=conversation, message_id=result.reply.pk)
    message_edit(
        conversation=conversation, message_id=result.user_message.pk, text="Hi"
    )
    said.refresh_from_db()
    assert said.text == "Hi"


@pytest.mark.parametrize(
    ("status", "text", "code"),
    [
        ("pending", "", "busy"),
        ("streaming", "Once upon", "busy"),
        ("failed", "Once upon", "invalid_field"),
        ("failed", "", "invalid_field"),
        ("stopped", "", "invalid_field"),
        ("stopped", "Once upon", None),
        ("complete", "Once upon a time.", None),
    ],
)
def test_only_a_finished_reply_with_text_can_be_rated(
    user: User, conversation: Conversation, status: str, text: str, code: str | None
) -> None:
    result = message_send(
        conversation=conversation, user=user, client_id="r", text="Hello"
    )
    assert result.reply is not None
    Alternative.objects.filter(message=result.reply).update(status=status, text=text)

    def rate() -> None:
        reply_rate(
            conversation=conversation, user=user, message_id=result.reply.pk,
            index=0, stars=4,
        )  # fmt: skip

    if code is None:
        rate()
        assert Rating.objects.get().stars == 4
        return
    with pytest.raises(ChatError) as exc:
        rate()
    assert exc.value.code == code and exc.value.message
    assert not Rating.objects.exists()


def _finish_replies() -> None:
    Alternative.objects.filter(status__in=("pending", "streaming")).update(
        status="complete", text="Aye."
    )


def test_regenerations_count_toward_the_per_minute_quota(
    user: User, conversation: Conversation, settings: Any
) -> None:
    """Each regenerate (or Retry) is an LLM call: with 3 a minute, a send and
    two regenerations use them up; the next regenerate and the next send are
    refused with the quota's error, and nothing is written."""
    settings.FREE_MESSAGES_PER_MINUTE = 3
    settings.FREE_DAILY_MESSAGES = 100
    result = message_send(
        conversation=conversation, user=user, client_id="a", text="hi"
    )
    assert result.reply is not None
    for _ in range(2):
        _finish_replies()
        reply_regenerate(
            conversation=conversation, user=user, message_id=result.reply.pk
        )
    _finish_replies()
    with pytest.raises(ChatError) as exc:
        reply_regenerate(
            conversation=conversation, user=user, message_id=result.reply.pk
        )
    assert exc.value.code == "rate_limited"
    assert "3 messages a minute" in exc.value.message
    assert Alternative.objects.filter(message=result.reply).count() == 3
    with pytest.raises(ChatError) as exc:
        message_send(conversation=conversation, user=user, client_id="b", text="hi")
    assert exc.value.code == "rate_limited"


def test_regenerations_count_toward_the_daily_quota(
    user: User, conversation: Conversation, settings: Any
) -> None:
    settings.FREE_MESSAGES_PER_MINUTE = 100
    settings.FREE_DAILY_MESSAGES = 2
    result = message_send(
        conversation=conversation, user=user, client_id="a", text="hi"
    )
    assert result.reply is not None
    _finish_replies()
    reply_regenerate(conversation=conversation, user=user, message_id=result.reply.pk)
    _finish_replies()
    with pytest.raises(ChatError) as exc:
        reply_regenerate(
            conversation=conversation, user=user, message_id=result.reply.pk
        )
    assert exc.value.code == "daily_limit"
    assert "2 free messages" in exc.value.message
    with pytest.raises(ChatError) as exc:
        message_send(conversation=conversation, user=user, client_id="b", text="hi")
    assert exc.value.code == "daily_limit"


def test_your_last_message_left_without_a_reply_gets_a_new_one(
    user: User, conversation: Conversation, settings: Any
) -> None:
    """After a rewind (or delete) leaves the user's message last, regenerate
    with its id writes a new reply to it; only the last message, one at a
    time, within the quota."""
    settings.FREE_MESSAGES_PER_MINUTE = 100
    first = message_send(
        conversation=conversation, user=user, client_id="a", text="Hello"
    )
    _finish_replies()
    second = message_send(
        conversation=conversation, user=user, client_id="b", text="Again"
    )
    _finish_replies()
    assert first.reply is not None and second.reply is not None
    with pytest.raises(ChatError) as exc:  # it has a reply: regenerate that
        reply_regenerate(
            conversation=conversation, user=user, message_id=first.user_message.pk
        )
    assert exc.value.code == "not_last"
    message_delete(conversation=conversation, message_id=second.reply.pk)
    alt = reply_regenerate(
        conversation=conversation, user=user, message_id=second.user_message.pk
    )
    reply = Message.objects.get(pk=alt.message_id)
    assert (reply.author, reply.seq, reply.character_id) == (
        "character", second.reply.seq + 1, conversation.character_id,
    )  # fmt: skip
    assert (alt.index, alt.status, alt.requested_by_id) == (0, "pending", user.pk)
    assert Conversation.objects.get(pk=conversation.pk).last_seq == reply.seq
    with pytest.raises(ChatError) as exc:  # now it has one, being written
        reply_regenerate(
            conversation=conversation, user=user, message_id=second.user_message.pk
        )
    assert exc.value.code == "not_last"
    # The next send follows the new reply.
    _finish_replies()
    after = message_send(conversation=conversation, user=user, client_id="c", text="Hi")
    assert after.user_message.seq == reply.seq + 1
