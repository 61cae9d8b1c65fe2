"""Writing one reply: build the prompt, stream from the provider, persist the
text as it grows, relay it to sockets in batches, finish with a status.

Runs in a Celery worker (``chat.tasks.reply_generate_task``) or, in the quick
start, in a background thread of the server — never in the socket handler.

Invariants the consumer relies on for resume without gaps:
- text is persisted *before* the delta carrying it is sent, so a snapshot read
  after subscribing to the group always covers every delta already sent;
- every write is conditional on the alternative still being live; a stop, a
  delete or a rewind turns that write into a no-op and the generation ends.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from billing.entitlements import entitlements_for
from chat import events
from chat.llm import Delta, Finish, OfflineContext, ProviderError, get_provider
from chat.models import (
    LIVE_STATUSES,
    Alternative,
    Author,
    Conversation,
    Message,
    Status,
)
from chat.prompting import (
    Prompt,
    PromptInput,
    Turn,
    build_prompt,
    char_name,
    fill_macros,
    split_examples,
)
from chat.selectors import _messages, message_payload

log = logging.getLogger(__name__)


def _character_data(conversation: Conversation, alt: Alternative) -> dict[str, Any]:
    if alt.character_version is not None:
        return dict(alt.character_version.data)
    draft = conversation.character.draft or {}
    data = draft.get("data") if isinstance(draft, dict) else None
    return (
        dict(data) if isinstance(data, dict) else {"name": conversation.character.name}
    )


def _user_name(conversation: Conversation) -> str:
    if conversation.persona is not None:
        return conversation.persona.name
    profile = getattr(conversation.owner, "profile", None)
    return profile.display_name if profile is not None else "User"


def reply_budget(context_tokens: int) -> int:
    """Prompt budget: the plan's context minus room for the reply itself."""
    reserve = min(settings.LLM_MAX_TOKENS or 512, context_tokens // 4)
    return context_tokens - reserve


def prompt_for(alt: Alternative) -> tuple[Prompt, OfflineContext]:
    message = alt.message
    conversation = message.conversation
    data = _character_data(conversation, alt)
    user = _user_name(conversation)
    char = char_name(data)
    earlier = (
        Message.objects.filter(conversation=conversation, seq__lt=message.seq)
        .prefetch_related("alternatives")
        .order_by("seq")
    )
    history: list[Turn] = []
    for m in earlier:
        chosen = next((a for a in m.alternatives.all() if a.index == m.selected), None)
        if chosen is None or not chosen.text.strip() or chosen.status == Status.FAILED:
            continue
        role = {"user": "user", "character": "assistant"}.get(m.author, "system")
        history.append(Turn(role, chosen.text))
    persona = conversation.persona
    inp = PromptInput(
        data=data,
        user_name=user,
        persona_description=persona.description if persona else "",
        style=str(conversation.character.style or ""),
        history=history,
        budget=reply_budget(entitlements_for(conversation.owner).context_tokens),
    )
    prompt = build_prompt(inp)
    last_user = next((t.text for t in reversed(history) if t.role == "user"), "")
    offline = OfflineContext(
        char_name=char,
        user_name=user,
        greeting=fill_macros(str(data.get("first_mes") or ""), char=char, user=user),
        description=fill_macros(
            str(data.get("description") or ""), char=char, user=user
        ),
        personality=fill_macros(
            str(data.get("personality") or ""), char=char, user=user
        ),
        examples=[
            fill_macros(b, char=char, user=user)
            for b in split_examples(str(data.get("mes_example") or ""))
        ],
        user_text=last_user,
        variant=alt.index,
    )
    return prompt, offline


def _write(alt_id: int, **fields: Any) -> bool:
    """Update a live alternative; False when it is no longer live (stopped,
    deleted): the caller must stop."""
    fields.setdefault("updated_at", timezone.now())
    return bool(
        Alternative.objects.filter(pk=alt_id, status__in=LIVE_STATUSES).update(**fields)
    )


def _finish(
    alt: Alternative, sender: events.Sender, *, status: str, text: str, finish_reason: str = "", error: str = "",
    prompt_tokens: int | None = None, completion_tokens: int | None = None,
) -> None:  # fmt: skip
    message = alt.message
    conversation_id = message.conversation_id
    now = timezone.now()
    with transaction.atomic():
        ok = _write(
            alt.pk, status=status, text=text, finish_reason=finish_reason,
            error=error[:300], prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens, completed_at=now,
        )  # fmt: skip
        if not ok:
            return
        if status == Status.COMPLETE and text:
            Conversation.objects.filter(pk=conversation_id).update(
                last_message_at=now, preview=text[:160]
            )
    done: events.DoneEvent = {
        "type": "chat.done", "message_id": message.pk, "index": alt.index,
        "status": status, "finish_reason": finish_reason, "error": error,
    }  # fmt: skip
    sender.send(conversation_id, done)
    conversation = Conversation.objects.select_related(
        "character", "persona", "owner__profile"
    ).get(pk=conversation_id)
    fresh = _messages(conversation).filter(pk=message.pk).first()
    if fresh is not None:
        sender.send(
            conversation_id,
            {
                "type": "chat.message",
                "kind": "updated",
                "message": dict(message_payload(conversation, fresh)),
            },
        )


def reply_generate(*, alternative_id: int) -> None:
    """Generate the text of a pending alternative (see module docstring)."""
    sender = events.Sender()
    try:
        _generate(alternative_id, sender)
    finally:
        sender.close()


def _generate(alternative_id: int, sender: events.Sender) -> None:
    try:
        alt = Alternative.objects.select_related(
            "message__conversation__character",
            "message__conversation__persona",
            "message__conversation__owner__profile",
            "character_version",
        ).get(pk=alternative_id)
    except Alternative.DoesNotExist:
        return  # deleted before a worker got to it
    if alt.message.author != Author.CHARACTER:
        return
    if alt.status == Status.STREAMING:
        # A worker died mid-reply and the task was delivered again: the text so
        # far cannot be continued faithfully.
        _finish(
            alt,
            sender,
            status=Status.FAILED,
            text=alt.text,
            error="The generation was interrupted; retry.",
        )
        return
    started = Alternative.objects.filter(pk=alt.pk, status=Status.PENDING).update(
        status=Status.STREAMING, updated_at=timezone.now()
    )
    if not started:
        return  # stopped or finished already
    conversation_id = alt.message.conversation_id
    text = ""
    sent = 0  # characters already relayed
    interval = settings.CHAT_FLUSH_INTERVAL
    last_flush = 0.0
    pooled = bool(connection.settings_dict.get("OPTIONS", {}).get("pool"))

    def flush() -> bool:
        nonlocal sent, last_flush
        last_flush = time.monotonic()
        if sent == len(text):
            return True
        if not _write(alt.pk, text=text):
            return False
        delta: events.DeltaEvent = {
            "type": "chat.delta", "message_id": alt.message_id, "index": alt.index,
            "offset": sent, "text": text[sent:],
        }  # fmt: skip
        sent = len(text)
        if pooled:
            # Between flushes the thread only waits for the model: hand the
            # connection back so many replies can stream on a small pool.
            connection.close()
        sender.send(conversation_id, delta)
        return True

    try:
        prompt, offline = prompt_for(alt)
        provider = get_provider()
        Alternative.objects.filter(pk=alt.pk).update(
            provider=provider.name, model=provider.model
        )
        stream = provider.stream(prompt.messages, offline=offline)
        try:
            for item in stream:
                if isinstance(item, Delta):
                    text += item.text
                    # The first token goes out at once; after that, batches.
                    if (
                        sent == 0 or time.monotonic() - last_flush >= interval
                    ) and not flush():
                        return
                elif isinstance(item, Finish):
                    if not flush():
                        return
                    _finish(
                        alt,
                        sender, status=Status.COMPLETE, text=text,
                        finish_reason=item.finish_reason,
                        prompt_tokens=item.prompt_tokens or prompt.tokens,
                        completion_tokens=item.completion_tokens,
                    )  # fmt: skip
                    return
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()
        raise ProviderError("The language model's stream ended without finishing.")
    except ProviderError as exc:
        flush()
        _finish(
            alt, sender, status=Status.FAILED, text=text, error=str(exc),
            finish_reason="error",
        )  # fmt: skip
    except Exception:
        log.exception("reply generation %s failed", alternative_id)
        _finish(
            alt, sender, status=Status.FAILED, text=text, finish_reason="error",
            error="Something went wrong while writing this reply.",
        )  # fmt: skip
