"""OpenAI-compatible streaming (vLLM, llama.cpp server, Ollama, hosted APIs)
through the official ``openai`` SDK.

Timeouts: ``first_token_timeout`` bounds the wait from the request to the first
token, ``idle_timeout`` the gap between two chunks after that. The SDK's read
timeout cannot tell the two apart (and a server sending keep-alive comments
never trips it), so the stream is read in a helper thread and the generating
thread waits on a queue with the right deadline, closing the response when it
expires. Retries happen only before the first token: after it, a retry would
repeat text the user has already seen.

The first request starts when ``stream()`` is called (on a kept reader
thread), not at the first ``next()``: the caller can finish its own
bookkeeping (a database write) while the request is in flight. Close the
returned iterator when stopping early.

The reader pauses after the first text until it has been taken and its taker
asks for more: text a server had ready (a burst) is then decoded after the
first text is on its way, not while that thread, the database commit and the
event loop that relays it wait for the GIL.
"""

from __future__ import annotations

import contextlib
import functools
import json
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

import openai
from django.conf import settings
from openai import APIResponse
from openai._constants import RAW_RESPONSE_HEADER

from chat.llm import ChatMessage, Delta, Finish, OfflineContext, ProviderError
from config.threadpool import WorkerPool

_END = object()
# Reader threads, kept between requests: starting a thread per request cost
# milliseconds on a busy server, before the request could even be sent. One
# per stream in flight; more streams than this at once in one process wait.
_READERS = WorkerPool(1024, "llm-reader")


@dataclass(frozen=True)
class _Failure:
    reason: str
    retryable: bool


@dataclass(frozen=True)
class _Usage:
    prompt_tokens: int | None
    completion_tokens: int | None


@dataclass(frozen=True)
class _FinishReason:
    value: str


_Item = Delta | _Usage | _FinishReason | _Failure | object


class _Attempt:
    """One request: its reader thread, the queue it fills, and how to cancel
    it. ``taken``: the first text was taken and its taker came back for more
    (or the attempt ended); the reader waits for it before reading on."""

    def __init__(self) -> None:
        self.out: queue.Queue[_Item] = queue.Queue()
        self.holder: list[APIResponse[Any]] = []
        self.cancelled = threading.Event()
        self.taken = threading.Event()

    def cancel(self) -> None:
        self.cancelled.set()
        self.taken.set()
        for response in self.holder:
            # Closing a broken stream may fail; there is nothing more to do.
            with contextlib.suppress(Exception):
                response.close()


class _Stream(Iterator[Delta | Finish]):
    """The iterator ``stream()`` returns; closing it cancels a first request
    that was started but never read."""

    def __init__(self, items: Iterator[Delta | Finish], first: _Attempt) -> None:
        self.items = items
        self.first = first

    def __next__(self) -> Delta | Finish:
        return next(self.items)

    def close(self) -> None:
        close = getattr(self.items, "close", None)
        if close is not None:
            close()
        self.first.cancel()


class _StreamError(Exception):
    """The server reported an error inside the event stream."""

    def __init__(self, error: object) -> None:
        message = error.get("message") if isinstance(error, dict) else error
        super().__init__(str(message or "unknown error")[:200])


def _sse_data(lines: Iterator[str]) -> Iterator[str]:
    """The ``data`` of each server-sent event (multi-line data joined;
    comments, ``event``, ``id`` and ``retry`` fields skipped)."""
    data: list[str] = []
    for line in lines:
        if not line:
            if data:
                yield "\n".join(data)
                data = []
            continue
        name, _, value = line.partition(":")
        if name == "data":
            data.append(value[1:] if value.startswith(" ") else value)
    if data:
        yield "\n".join(data)


def _describe(exc: BaseException) -> _Failure:
    if isinstance(exc, openai.APIStatusError):
        return _Failure(
            f"The language model answered HTTP {exc.status_code}.",
            retryable=exc.status_code in (408, 409, 429) or exc.status_code >= 500,
        )
    if isinstance(exc, openai.APITimeoutError):
        return _Failure("The language model timed out.", retryable=True)
    if isinstance(exc, openai.APIConnectionError):
        return _Failure("Could not reach the language model.", retryable=True)
    if isinstance(exc, _StreamError):
        return _Failure(f"The language model reported an error: {exc}", False)
    # Anything else while reading (the SDK's HTTP client raises its own
    # transport errors) means the stream broke off.
    return _Failure(
        f"The language model's stream was cut off ({type(exc).__name__}).", True
    )


_ROLES = {"user": "user", "assistant": "assistant"}


@functools.lru_cache(maxsize=8)
def _client(base_url: str, api_key: str, timeout: float) -> openai.OpenAI:
    """One client (and HTTP connection pool) per endpoint and process: building
    one costs tens of milliseconds (TLS context) and it is thread-safe."""
    return openai.OpenAI(
        base_url=base_url,
        api_key=api_key,
        max_retries=0,  # ours: only before the first token
        timeout=timeout,
    )


class OpenAICompatibleProvider:
    name = "openai"

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        model: str,
        temperature: float | None = None,
        top_p: float | None = None,
        max_tokens: int | None = None,
        first_token_timeout: float = 30.0,
        idle_timeout: float = 30.0,
        retries: int = 1,
        include_usage: bool = True,
    ) -> None:
        self.model = model
        self.temperature = temperature
        self.top_p = top_p
        self.max_tokens = max_tokens
        self.first_token_timeout = first_token_timeout
        self.idle_timeout = idle_timeout
        self.retries = retries
        self.include_usage = include_usage
        backstop = max(first_token_timeout, idle_timeout) + 5
        self.client = _client(base_url, api_key or "not-needed", backstop)

    @classmethod
    def from_settings(cls) -> OpenAICompatibleProvider:
        return cls(
            base_url=settings.LLM_BASE_URL,
            api_key=settings.LLM_API_KEY,
            model=settings.LLM_MODEL,
            temperature=settings.LLM_TEMPERATURE,
            top_p=settings.LLM_TOP_P,
            max_tokens=settings.LLM_MAX_TOKENS,
            first_token_timeout=settings.LLM_FIRST_TOKEN_TIMEOUT,
            idle_timeout=settings.LLM_IDLE_TIMEOUT,
            retries=settings.LLM_RETRIES,
            include_usage=settings.LLM_STREAM_USAGE,
        )

    def _reader(self, messages: list[ChatMessage], attempt: _Attempt) -> None:
        out, holder, cancelled = attempt.out, attempt.holder, attempt.cancelled
        try:
            body: dict[str, Any] = {
                "model": self.model,
                # Only the three roles the API takes; the content as is.
                "messages": [
                    {"role": _ROLES.get(m["role"], "system"), "content": m["content"]}
                    for m in messages
                ],
                "stream": True,
            }
            if self.temperature is not None:
                body["temperature"] = self.temperature
            if self.top_p is not None:
                body["top_p"] = self.top_p
            if self.max_tokens:
                body["max_tokens"] = self.max_tokens
            if self.include_usage:
                body["stream_options"] = {"include_usage": True}
            # The SDK sends the request (base URL, auth, headers, status
            # errors raised as APIStatusError), through its documented way to
            # make a request of one's own (``client.post``), asking for the
            # unread streamed response as ``with_streaming_response`` does.
            # Not ``chat.completions.create``: it walks every message of the
            # request through its type-driven transform first (~4 ms of CPU
            # for a long chat's prompt, per reply, on the way to the first
            # token). The SSE body is decoded here with json.loads instead of
            # into the SDK's pydantic chunk objects: those cost ~3x the CPU
            # per token, on a thread that holds the GIL while the first token
            # travels on to the sockets.
            # (With that header the SDK returns the APIResponse, not a Stream.)
            response = cast(
                APIResponse[Any],
                self.client.post(
                    "/chat/completions",
                    body=body,
                    cast_to=object,
                    options={"headers": {RAW_RESPONSE_HEADER: "stream"}},
                    stream=True,
                    stream_cls=openai.Stream[object],
                ),
            )
            holder.append(response)
            if cancelled.is_set():
                response.close()
                return
            first = True
            for data in _sse_data(response.iter_lines()):
                if data == "[DONE]":
                    break
                chunk = json.loads(data)
                if not isinstance(chunk, dict):
                    continue
                if chunk.get("error"):
                    raise _StreamError(chunk["error"])
                usage = chunk.get("usage")
                if isinstance(usage, dict):
                    out.put(
                        _Usage(
                            usage.get("prompt_tokens"), usage.get("completion_tokens")
                        )
                    )
                for choice in chunk.get("choices") or ():
                    content = (choice.get("delta") or {}).get("content")
                    if content:
                        out.put(Delta(content))
                        if first:
                            # Read on once the first text has been taken and
                            # handled (its taker asks for more): decoding the
                            # rest of a burst (text the server had ready) holds
                            # the GIL, and the first text's way to the
                            # sockets — a commit, a write, the event loop's
                            # relay — would wait for it, several milliseconds.
                            # Nothing is lost: the rest waits in the socket.
                            first = False
                            attempt.taken.wait(self.idle_timeout)
                    if choice.get("finish_reason"):
                        out.put(_FinishReason(choice["finish_reason"]))
            response.close()
            out.put(_END)
        except BaseException as exc:  # every failure is reported to the waiter
            if not cancelled.is_set():
                out.put(_describe(exc))

    def _start(self, messages: list[ChatMessage]) -> _Attempt:
        attempt = _Attempt()
        _READERS.submit(lambda: self._reader(messages, attempt))
        return attempt

    def _attempt(self, attempt: _Attempt) -> Iterator[Delta | Finish | _Failure]:
        out = attempt.out
        got_token = False
        finish_reason = ""
        usage = _Usage(None, None)
        try:
            while True:
                wait = self.idle_timeout if got_token else self.first_token_timeout
                try:
                    item = out.get(timeout=wait)
                except queue.Empty:
                    if got_token:
                        yield _Failure(
                            f"The language model stopped sending for {wait:g} s.",
                            retryable=False,
                        )
                    else:
                        yield _Failure(
                            f"The language model sent nothing for {wait:g} s.",
                            retryable=True,
                        )
                    return
                if isinstance(item, Delta):
                    yield item
                    if not got_token:
                        got_token = True
                        attempt.taken.set()  # the reader may read on
                elif isinstance(item, _Usage):
                    usage = item
                elif isinstance(item, _FinishReason):
                    finish_reason = item.value
                elif isinstance(item, _Failure):
                    yield _Failure(item.reason, item.retryable and not got_token)
                    return
                else:  # end of stream
                    if not finish_reason:
                        yield _Failure(
                            "The language model's stream ended before the reply "
                            "was finished.",
                            retryable=not got_token,
                        )
                        return
                    yield Finish(
                        finish_reason, usage.prompt_tokens, usage.completion_tokens
                    )
                    return
        finally:
            attempt.cancel()

    def stream(
        self, messages: list[ChatMessage], *, offline: OfflineContext
    ) -> Iterator[Delta | Finish]:
        first = self._start(messages)
        return _Stream(self._stream(messages, first), first)

    def _stream(
        self, messages: list[ChatMessage], first: _Attempt
    ) -> Iterator[Delta | Finish]:
        attempt = 0
        while True:
            sent = False
            current = first if attempt == 0 else self._start(messages)
            for item in self._attempt(current):
                if isinstance(item, _Failure):
                    if item.retryable and not sent and attempt < self.retries:
                        break
                    raise ProviderError(item.reason)
                if isinstance(item, Delta):
                    sent = True
                yield item
                if isinstance(item, Finish):
                    return
            attempt += 1
