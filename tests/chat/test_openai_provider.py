"""The OpenAI-compatible provider over real HTTP against a local SSE server."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from chat.llm import ChatMessage, Delta, Finish, OfflineContext, ProviderError
from chat.llm.openai_compat import OpenAICompatibleProvider, _Stream
from tests.chat.llm_server import WORDS, LLMServer

CTX = OfflineContext(
    char_name="C", user_name="U", greeting="", description="", personality=""
)
MESSAGES: list[ChatMessage] = [
    {"role": "system", "content": "Be nice."},
    {"role": "user", "content": "Hi"},
]


@pytest.fixture
def server() -> Iterator[LLMServer]:
    with LLMServer(delay=3.0) as s:
        yield s


def provider(server: LLMServer, model: str, **kw: Any) -> OpenAICompatibleProvider:
    kw.setdefault("first_token_timeout", 2.0)
    kw.setdefault("idle_timeout", 2.0)
    kw.setdefault("retries", 1)
    return OpenAICompatibleProvider(
        base_url=server.base_url, api_key="k", model=model, **kw
    )


def test_normal_stream(server: LLMServer) -> None:
    items = list(
        provider(server, "normal", temperature=0.5, max_tokens=99).stream(
            MESSAGES, offline=CTX
        )
    )
    text = "".join(i.text for i in items if isinstance(i, Delta))
    assert text == " ".join(WORDS)
    finish = items[-1]
    assert isinstance(finish, Finish)
    assert (finish.finish_reason, finish.prompt_tokens, finish.completion_tokens) == (
        "stop",
        42,
        len(WORDS),
    )
    [request] = server.requests
    assert request["messages"] == MESSAGES and request["stream"] is True
    assert request["temperature"] == 0.5 and request["max_tokens"] == 99
    assert request["stream_options"] == {"include_usage": True}
    assert set(request) == {
        "model", "messages", "stream", "temperature", "max_tokens",
        "stream_options",
    }  # fmt: skip
    assert server.request_lines == [("/v1/chat/completions", "Bearer k")]


def test_the_reader_reads_on_once_the_first_text_was_taken(server: LLMServer) -> None:
    """Text the server had ready (a burst) is decoded after the first text
    was taken and its taker came back for more — not while the first text
    travels on to the sockets, competing for the GIL — and none is lost."""
    server.words = [f"w{i}" for i in range(200)]
    stream = provider(server, "normal").stream(MESSAGES, offline=CTX)
    assert isinstance(stream, _Stream)
    queued = stream.first.out  # what the reader thread has decoded
    for _ in range(200):
        if queued.qsize():
            break
        time.sleep(0.01)
    time.sleep(0.2)
    assert queued.qsize() == 1  # the first text, and the reader waits
    first = next(stream)
    time.sleep(0.2)
    assert queued.qsize() == 0  # taken, being handled: still waiting
    rest = list(stream)
    deltas = [first, *rest[:-1]]
    assert "".join(d.text for d in deltas if isinstance(d, Delta)) == " ".join(
        server.words
    )
    assert isinstance(rest[-1], Finish)


def test_any_valid_event_stream_is_read(server: LLMServer) -> None:
    """Comments, event/id fields and data split over lines (the SSE format),
    not only one ``data:`` line per chunk."""
    items = list(provider(server, "chatty").stream(MESSAGES, offline=CTX))
    assert "".join(i.text for i in items if isinstance(i, Delta)) == " ".join(WORDS)
    assert isinstance(items[-1], Finish) and items[-1].completion_tokens == len(WORDS)


def test_an_error_event_mid_stream_fails_the_reply(server: LLMServer) -> None:
    stream = provider(server, "error").stream(MESSAGES, offline=CTX)
    got = []
    with pytest.raises(ProviderError, match="reported an error: overloaded"):
        for item in stream:
            got.append(item)
    assert "".join(i.text for i in got if isinstance(i, Delta)) == "The sea "
    assert len(server.requests) == 1  # after the first token: no retry


def test_http_500_fails_with_the_status_after_retrying(server: LLMServer) -> None:
    with pytest.raises(ProviderError, match="HTTP 500"):
        list(provider(server, "http500", retries=2).stream(MESSAGES, offline=CTX))
    assert len(server.requests) == 3  # retried before any token


def test_retry_before_the_first_token_recovers(server: LLMServer) -> None:
    items = list(provider(server, "flaky").stream(MESSAGES, offline=CTX))
    assert "".join(i.text for i in items if isinstance(i, Delta)) == " ".join(WORDS)
    assert len(server.requests) == 2


def test_timeout_before_the_first_token(server: LLMServer) -> None:
    with pytest.raises(ProviderError, match=r"sent nothing for 0\.5 s"):
        list(
            provider(server, "silent", first_token_timeout=0.5, retries=0).stream(
                MESSAGES, offline=CTX
            )
        )


def test_stream_cut_mid_way_is_an_error_not_a_finish(server: LLMServer) -> None:
    got: list[str] = []
    with pytest.raises(ProviderError, match="ended before the reply was finished"):
        for item in provider(server, "cut").stream(MESSAGES, offline=CTX):
            assert not isinstance(item, Finish)
            got.append(item.text)
    assert "".join(got) == " ".join(WORDS[: len(WORDS) // 2]) + " "
    assert len(server.requests) == 1  # no retry once text was sent


def test_idle_timeout_after_the_first_token() -> None:
    with (
        LLMServer(word_delay=1.0) as slow,
        pytest.raises(ProviderError, match=r"stopped sending for 0\.3 s"),
    ):
        list(provider(slow, "normal", idle_timeout=0.3).stream(MESSAGES, offline=CTX))
