"""LLM providers: an OpenAI-compatible HTTP provider and the offline engine.

A provider turns a prompt into a stream of ``Delta`` events ending with one
``Finish``; it raises ``ProviderError`` (with a reason a user may read) for an
HTTP error, a timeout or a stream cut off before the model finished.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol, TypedDict

from django.conf import settings


class ChatMessage(TypedDict):
    role: str  # "system" | "user" | "assistant"
    content: str


@dataclass(frozen=True)
class Delta:
    text: str


@dataclass(frozen=True)
class Finish:
    finish_reason: str
    prompt_tokens: int | None = None
    completion_tokens: int | None = None


@dataclass(frozen=True)
class OfflineContext:
    """What the offline engine reads instead of calling a model."""

    char_name: str
    user_name: str
    greeting: str
    description: str
    personality: str
    examples: list[str] = field(default_factory=list)  # <START> blocks, macros filled
    user_text: str = ""
    variant: int = 0  # the alternative's index: a regenerate picks differently


class ProviderError(Exception):
    """A generation failed; ``str(exc)`` is the reason shown to the user."""


class Provider(Protocol):
    name: str
    model: str

    def stream(
        self, messages: list[ChatMessage], *, offline: OfflineContext
    ) -> Iterator[Delta | Finish]: ...


def get_provider() -> Provider:
    """The configured provider: OpenAI-compatible when ``LLM_BASE_URL`` is set,
    else the offline engine."""
    if settings.LLM_BASE_URL:
        from chat.llm.openai_compat import OpenAICompatibleProvider

        return OpenAICompatibleProvider.from_settings()
    from chat.llm.offline import OfflineProvider

    return OfflineProvider(word_delay=settings.LLM_OFFLINE_WORD_DELAY)


def offline_engine_active() -> bool:
    return not settings.LLM_BASE_URL
