"""A reply through the whole pipeline against the local OpenAI-compatible server:
failures mark the reply failed with the reason, keep the user's message, and a
partial reply is never shown as complete."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.db import DatabaseError, connection

from chat.models import Alternative, Conversation, Message
from chat.services import exchange_append, message_send, reply_regenerate
from community.models import User
from tests.chat.llm_server import WORDS, LLMServer
from tests.chat.wsutil import Transcript, connect, is_final_update, read_until

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fast_chat"),
]


@pytest.fixture
def llm(settings: Any) -> Iterator[LLMServer]:
    with LLMServer(word_delay=0.01, delay=3.0) as server:
        settings.LLM_BASE_URL = server.base_url
        settings.LLM_API_KEY = "test"
        settings.LLM_FIRST_TOKEN_TIMEOUT = 0.5
        settings.LLM_IDLE_TIMEOUT = 1.0
        settings.LLM_RETRIES = 0
        yield server


async def chat_once(
    user: User, conversation: Conversation
) -> tuple[list[dict[str, Any]], int, int]:
    comm, ok, _ = await connect(user, conversation.pk)
    assert ok
    await comm.send_json_to({"type": "message.send", "client_id": "h", "text": "Hello"})
    frames = await read_until(comm, is_final_update)
    await comm.disconnect()
    created = [f["message"] for f in frames if f["type"] == "message.created"]
    return frames, created[0]["id"], created[1]["id"]


@pytest.mark.parametrize(
    ("model", "reason", "partial"),
    [
        ("http500", "HTTP 500", False),
        ("silent", "sent nothing", False),
        ("cut", "ended before the reply was finished", True),
    ],
)
async def test_provider_failures_fail_the_reply_and_keep_the_user_message(
    user: User, conversation: Conversation, llm: LLMServer, settings: Any,
    model: str, reason: str, partial: bool,
) -> None:  # fmt: skip
    settings.LLM_MODEL = model
    frames, user_id, reply_id = await chat_once(user, conversation)
    done = next(f for f in frames if f["type"] == "reply.done")
    assert done["status"] == "failed" and reason in done["error"]
    alt = await database_sync_to_async(Alternative.objects.get)(message_id=reply_id)
    assert alt.status == "failed" and reason in alt.error
    assert bool(alt.text) is partial
    assert await database_sync_to_async(Message.objects.filter(pk=user_id).exists)()
    assert frames[-1]["message"]["alternatives"][0]["status"] == "failed"


async def test_normal_stream_through_the_pipeline(
    user: User, conversation: Conversation, llm: LLMServer, settings: Any
) -> None:
    settings.LLM_MODEL = "normal"
    frames, _, reply_id = await chat_once(user, conversation)
    transcript = Transcript.of(frames)
    assert transcript.text[(reply_id, 0)] == " ".join(WORDS)
    alt = await database_sync_to_async(Alternative.objects.get)(message_id=reply_id)
    assert (alt.status, alt.prompt_tokens, alt.provider) == ("complete", 42, "openai")
    prompt = llm.requests[0]["messages"]
    assert prompt[0]["role"] == "system" and "Captain Mira" in prompt[0]["content"]
    assert prompt[-1] == {"role": "user", "content": "Hello"}
    assert prompt[1]["role"] == "assistant"  # the greeting


async def test_the_request_started_during_the_send_has_the_history_once(
    user: User, conversation: Conversation, llm: LLMServer, settings: Any
) -> None:
    """In thread mode the send starts the model's request inside its
    transaction, before the user's message is saved: the prompt has that
    message once, after the history."""
    settings.LLM_MODEL = "normal"
    comm, ok, _ = await connect(user, conversation.pk)
    assert ok
    for cid, text in (("a", "Hello"), ("b", "Again")):
        await comm.send_json_to(
            {"type": "message.send", "client_id": cid, "text": text}
        )
        await read_until(comm, is_final_update)
    await comm.disconnect()
    second = llm.requests[1]["messages"]
    assert [m["role"] for m in second[1:]] == ["assistant", "user", "assistant", "user"]
    assert [m["content"] for m in second[2:]] == ["Hello", " ".join(WORDS), "Again"]


async def test_a_send_that_fails_after_starting_the_request_cancels_it(
    user: User, conversation: Conversation, llm: LLMServer, settings: Any
) -> None:
    """The database refuses the insert after the request went out: the send
    fails whole (nothing saved, nothing generated) and the request is closed."""
    settings.LLM_MODEL = "normal"
    llm.words = [f"w{i}" for i in range(200)]  # 2 s at the server's pace

    def refuse_boom() -> None:
        with connection.cursor() as cursor:
            cursor.execute(REFUSE)

    def send() -> None:
        message_send(conversation=conversation, user=user, client_id="boom", text="x")

    def undo() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "DROP TRIGGER IF EXISTS kindred_test_refuse ON chat_message;"
                "DROP FUNCTION IF EXISTS kindred_test_refuse();"
            )

    await database_sync_to_async(refuse_boom)()
    try:
        with pytest.raises(DatabaseError, match="refused by the test"):
            await database_sync_to_async(send)()
    finally:
        await database_sync_to_async(undo)()
    assert len(llm.requests) == 1  # it had started
    for _ in range(100):
        if llm.hang_ups:
            break
        await asyncio.sleep(0.02)
    assert llm.hang_ups == 1  # and was closed long before its end
    assert not await database_sync_to_async(
        Message.objects.filter(conversation=conversation, seq__gt=1).exists
    )()


REFUSE = """
CREATE FUNCTION kindred_test_refuse() RETURNS trigger AS $$
BEGIN
    IF NEW.client_id = 'boom' THEN RAISE EXCEPTION 'refused by the test'; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER kindred_test_refuse BEFORE INSERT ON chat_message
    FOR EACH ROW EXECUTE FUNCTION kindred_test_refuse();
"""


async def _send_and_wait(
    user: User, conversation: Conversation, llm: LLMServer, text: str
) -> list[dict[str, str]]:
    """Send ``text`` (the send starts the request) and wait for the reply;
    the prompt the model got."""
    result = await database_sync_to_async(message_send)(
        conversation=conversation, user=user, client_id=text, text=text
    )
    assert result.reply is not None
    await _reply_done(result.reply.pk)
    prompt: list[dict[str, str]] = llm.requests[-1]["messages"]
    return prompt


async def _reply_done(message_id: int) -> None:
    for _ in range(200):
        statuses = await database_sync_to_async(
            lambda: set(
                Alternative.objects.filter(message_id=message_id).values_list(
                    "status", flat=True
                )
            )
        )()
        if statuses <= {"complete", "failed", "stopped"}:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the reply did not finish")


async def test_prompts_read_the_history_from_the_conversations_kept_cut(
    user: User, conversation: Conversation, llm: LLMServer, settings: Any
) -> None:
    """A prompt reads the history from the cut its conversation keeps, not the
    whole chat: the send writes the cut with the exchange, the next prompt
    starts there, and a bigger context reads from the start again (the
    worker saves the cut it chose)."""
    settings.LLM_MODEL = "normal"
    settings.FREE_MESSAGES_PER_MINUTE = settings.FREE_DAILY_MESSAGES = 1000

    def fill() -> None:
        for i in range(60):  # ~9,000 estimated tokens: more than 4,096 hold
            exchange_append(
                conversation=conversation,
                user_text=f"question {i} " * 20, reply_text=f"answer {i} " * 20,
            )  # fmt: skip

    def stored() -> Conversation:
        return Conversation.objects.get(pk=conversation.pk)

    def texts() -> dict[int, str]:
        return dict(
            Alternative.objects.filter(message__conversation=conversation)
            .values_list("message__seq", "text")
        )  # fmt: skip

    await database_sync_to_async(fill)()
    first = await _send_and_wait(user, conversation, llm, "Hello")
    conv = await database_sync_to_async(stored)()
    by_seq = await database_sync_to_async(texts)()
    assert conv.history_from > 1  # cut: the chat is longer than the room
    assert first[1]["content"] == by_seq[conv.history_from]
    assert first[-1]["content"] == "Hello"
    second = await _send_and_wait(user, conversation, llm, "Again")
    assert second[: len(first)] == first  # the same prefix

    # Moved on by hand, the cut decides where the next prompt's history
    # starts, although older turns would fit: the chat before it is not read.
    later = conv.history_from + 10
    await database_sync_to_async(
        Conversation.objects.filter(pk=conversation.pk).update
    )(history_from=later)
    third = await _send_and_wait(user, conversation, llm, "Third")
    assert third[1]["content"] == by_seq[later]

    # A bigger context (the room grew): read from the start again; here by
    # the worker (a regenerated reply), which saves the cut it chose.
    settings.LLM_CONTEXT_TOKENS = 8192
    conv = await database_sync_to_async(stored)()
    reply = await database_sync_to_async(
        lambda: Message.objects.filter(conversation=conversation).latest("seq")
    )()
    await database_sync_to_async(reply_regenerate)(
        conversation=conv, user=user, message_id=reply.pk
    )
    await _reply_done(reply.pk)
    bigger = llm.requests[-1]["messages"]
    grown = await database_sync_to_async(stored)()
    assert grown.history_from < later and grown.history_room > conv.history_room
    assert bigger[1]["content"] == by_seq[grown.history_from]
    assert len(bigger) > len(third)


async def test_the_messages_reach_the_socket_before_the_replys_first_text(
    user: User, conversation: Conversation, llm: LLMServer, settings: Any
) -> None:
    """The model's first text is waiting when the send commits (its request
    started during the send): the socket still gets ``message.created``
    first, so a client can show that text the moment it comes (the browser
    ignores text of a message it does not know yet)."""
    settings.LLM_MODEL = "normal"
    llm.word_delay = 0.0  # the whole reply at once
    comm, ok, _ = await connect(user, conversation.pk)
    assert ok
    for turn in range(5):
        await comm.send_json_to(
            {"type": "message.send", "client_id": f"o{turn}", "text": "Hello"}
        )
        frames = await read_until(comm, is_final_update)
        kinds = [f["type"] for f in frames]
        assert kinds.index("message.created") < kinds.index("reply.delta"), kinds
        reply = [f["message"] for f in frames if f["type"] == "message.created"][1]
        assert Transcript.of(frames).text[(reply["id"], 0)] == " ".join(WORDS)
    await comm.disconnect()
