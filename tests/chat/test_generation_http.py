"""A reply through the whole pipeline against the local OpenAI-compatible server:
failures mark the reply failed with the reason, keep the user's message, and a
partial reply is never shown as complete."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from channels.db import database_sync_to_async

from chat.models import Alternative, Conversation, Message
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
    transcript = Transcript()
    for f in frames:
        transcript.feed(f)
    assert transcript.text[(reply_id, 0)] == " ".join(WORDS)
    alt = await database_sync_to_async(Alternative.objects.get)(message_id=reply_id)
    assert (alt.status, alt.prompt_tokens, alt.provider) == ("complete", 42, "openai")
    prompt = llm.requests[0]["messages"]
    assert prompt[0]["role"] == "system" and "Captain Mira" in prompt[0]["content"]
    assert prompt[-1] == {"role": "user", "content": "Hello"}
    assert prompt[1]["role"] == "assistant"  # the greeting
