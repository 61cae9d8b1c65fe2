"""Writing one reply: build the prompt, stream from the provider, persist the
text as it grows, relay it to sockets in batches, finish with a status.

Runs in a Celery worker (``chat.tasks.reply_generate_task``) or, in the quick
start, on a pool of background threads of the server (``submit``) — never in the
socket handler. Both are long-lived workers: each keeps its channel-layer
connections (``events.thread_sender``) from one reply to the next, and hands its
database connection back to the pool between flushes.

Invariants the consumer relies on for resume without gaps:
- every delta but the first is sent only after the text it carries (and all
  before it) is persisted. The first goes out the moment the model sends it
  and is written just after — a write on the way to the first token is what
  users wait for. A socket whose snapshot missed that first text sees the next
  delta start past what it has and reads the persisted text, which then covers
  it (``ConversationConsumer._repair``);
- the reply is claimed (``pending`` → ``streaming``) while the request to the
  model is in flight, before any text is sent; a redelivered task finds it
  taken. Every later write is conditional on the alternative still being live:
  a stop, a delete or a rewind turns that write into a no-op and the
  generation ends.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Expression, F, Q
from django.db.models.functions import Now
from django.utils import timezone

from billing.entitlements import entitlements_for
from characters.models import CharacterVersion
from chat import events
from chat.llm import (
    Delta,
    Finish,
    OfflineContext,
    Provider,
    ProviderError,
    get_provider,
)
from chat.models import (
    LIVE_STATUSES,
    Alternative,
    Author,
    Conversation,
    Status,
)
from chat.prompting import (
    HistoryCut,
    Prompt,
    PromptInput,
    Turn,
    char_name,
    fill_macros,
    prompt_from_cut,
    split_examples,
)
from chat.selectors import message_payload_by_id, user_name
from config.compiled import CompiledQuery
from config.threadpool import WorkerPool, db_pooled, with_database

log = logging.getLogger(__name__)


_VERSIONS: OrderedDict[int, dict[str, Any]] = OrderedDict()
_VERSIONS_MAX = 128
_versions_lock = threading.Lock()


def _version_data(version_id: int) -> dict[str, Any] | None:
    """A published version's card data. Versions never change, so a worker
    keeps the most recently used in memory instead of reading (and decoding)
    the card for every reply."""
    with _versions_lock:
        cached = _VERSIONS.get(version_id)
        if cached is not None:
            _VERSIONS.move_to_end(version_id)
            return cached
    data: dict[str, Any] | None = (
        CharacterVersion.objects.filter(pk=version_id)
        .values_list("data", flat=True)
        .first()
    )
    if data is None:
        return None
    with _versions_lock:
        _VERSIONS[version_id] = data
        if len(_VERSIONS) > _VERSIONS_MAX:
            _VERSIONS.popitem(last=False)
    return data


def _character_data(conversation: Conversation, alt: Alternative) -> dict[str, Any]:
    if alt.character_version_id is not None:
        data = _version_data(alt.character_version_id)
        if data is not None:
            return dict(data)
    draft = conversation.character.draft or {}
    data = draft.get("data") if isinstance(draft, dict) else None
    return (
        dict(data) if isinstance(data, dict) else {"name": conversation.character.name}
    )


def reply_budget(context_tokens: int) -> int:
    """Prompt budget: the plan's context minus room for the reply itself."""
    reserve = min(settings.LLM_MAX_TOKENS or 512, context_tokens // 4)
    return context_tokens - reserve


@functools.cache
def _history_query() -> CompiledQuery[Alternative]:
    """(author, text) of the chosen alternative of each message before a
    seq, oldest first, compiled once (``config.compiled``): on the way to the
    first token."""
    return CompiledQuery(
        Alternative.objects.filter(
            message__conversation_id=_CONVERSATION_PK,
            message__seq__gte=_SINCE_SEQ,
            message__seq__lt=_BEFORE_SEQ,
            index=F("message__selected"),
        )
        .exclude(status=Status.FAILED)
        .order_by("message__seq")
        .values_list("message__seq", "message__author", "text"),
        {"conversation": _CONVERSATION_PK, "since": _SINCE_SEQ, "before": _BEFORE_SEQ},
    )


_CONVERSATION_PK = 7_351_902_470  # stand-ins (config.compiled)
_SINCE_SEQ = 2_147_351_901  # a PositiveIntegerField's range
_BEFORE_SEQ = 2_147_351_902


_ROLES = {"user": "user", "character": "assistant"}


def prompt_for(
    alt: Alternative, context_tokens: int | None = None, said: str | None = None
) -> tuple[Prompt, OfflineContext, HistoryCut]:
    """The prompt for ``alt``; ``context_tokens``: the plan's context, when the
    caller knows it (the send that queued the reply), else read. ``said``:
    the user's message just before the reply, when it is not saved yet (the
    send starting the reply's request inside its transaction).

    The history is read from the conversation's kept cut on
    (``chat.prompting.prompt_from_cut``); the cut to keep comes back third:
    the caller saves it when it moved (``save_cut``)."""
    message = alt.message
    conversation = message.conversation
    data = _character_data(conversation, alt)
    user = user_name(user=conversation.owner, persona=conversation.persona)
    char = char_name(data)
    before = message.seq if said is None else message.seq - 1

    def read(since: int) -> tuple[list[Turn], list[int]]:
        # The chosen alternative of each earlier message from ``since``, in
        # one query.
        rows = _history_query().rows(
            conversation=conversation.pk, since=since, before=before
        )
        kept = [row for row in rows if row[2].strip()]
        turns = [Turn(_ROLES.get(author, "system"), text) for _, author, text in kept]
        positions = [seq for seq, _, _ in kept]
        if said is not None and said.strip():
            turns.append(Turn("user", said))
            positions.append(before)
        return turns, positions

    persona = conversation.persona
    budget = reply_budget(
        context_tokens
        if context_tokens is not None
        else entitlements_for(conversation.owner).context_tokens
    )

    def make(turns: list[Turn]) -> PromptInput:
        return PromptInput(
            data=data,
            user_name=user,
            persona_description=persona.description if persona else "",
            style=str(conversation.character.style or ""),
            history=turns,
            budget=budget,
        )

    kept = HistoryCut(conversation.history_from, conversation.history_room)
    prompt, history, cut = prompt_from_cut(kept, read, make)
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
    return prompt, offline, cut


def save_cut(conversation: Conversation, cut: HistoryCut) -> None:
    """Keep ``cut`` as the conversation's history cut if it moved (a chunk
    of turns at a time: rarely) — only if the stored cut is still the one the
    prompt was read from: a deletion meanwhile reset it (``chat.services``),
    and a cut chosen before it may point past what is left."""
    read_from = (conversation.history_from, conversation.history_room)
    if read_from == (cut.first, cut.room):
        return
    Conversation.objects.filter(
        pk=conversation.pk, history_from=read_from[0], history_room=read_from[1]
    ).update(history_from=cut.first, history_room=cut.room)
    conversation.history_from, conversation.history_room = cut.first, cut.room


@dataclass(frozen=True)
class Started:
    """A reply's request to the model, started by the send inside its
    transaction (generation on this process's threads): the model works on
    the first token while the send writes and commits, and the worker that
    then writes the reply takes the stream over."""

    provider: Provider
    prompt: Prompt
    stream: Iterator[Delta | Finish]
    cut: HistoryCut  # the conversation's history cut to keep (``prompt_for``)

    def close(self) -> None:
        _close(self.stream)


def _close(stream: Iterator[Delta | Finish]) -> None:
    """Close a provider's stream (cancelling its request) if it can be; a
    no-op once it was read to its end."""
    close = getattr(stream, "close", None)
    if close is not None:
        close()


def reply_start(
    alt: Alternative, context_tokens: int | None, said: str
) -> Started | None:
    """Build the prompt for ``alt`` (saved or not: its message, conversation
    and version attached), ``said`` being the user's message before it, and
    send the request. None when that fails: the worker tries again as usual
    and reports the failure."""
    try:
        provider = get_provider()
        prompt, offline, cut = prompt_for(alt, context_tokens, said)
        stream = provider.stream(prompt.messages, offline=offline)
    except Exception:
        log.exception("starting the reply's request during the send failed")
        return None
    return Started(provider, prompt, stream, cut)


# --- Liveness ----------------------------------------------------------------
#
# A reply's writer (a generation thread of some server process, a Celery
# worker) moves its row while it works: the claim, and every flush of text,
# set ``updated_at``. It can only be silent as long as the provider may be:
# before the first text up to ``LLM_FIRST_TOKEN_TIMEOUT`` per attempt (with
# ``LLM_RETRIES`` retries), after it up to ``LLM_IDLE_TIMEOUT`` between
# chunks; then the provider gives up and the writer marks the reply failed.
# A live reply whose row stood still longer than that (plus a margin for
# clocks and a busy machine) has no writer any more — its process restarted
# or died (thread mode has no redelivery at all; Celery's comes after the
# broker's visibility timeout) — and is marked failed ("interrupted") where a
# user would otherwise be stuck behind it: the send's busy check, connect and
# resume, regenerate, edit. A reply of another process that is still being
# written keeps moving its row and is left alone. A reply still pending past
# the first-token window (no worker took it) counts as dead too; a worker
# that takes it later finds it no longer pending and does nothing.

LIVENESS_MARGIN = 15.0  # seconds


def liveness_windows() -> tuple[float, float]:
    """Seconds a live reply's row may stand still: (before its first text,
    after it)."""
    first = settings.LLM_FIRST_TOKEN_TIMEOUT * (settings.LLM_RETRIES + 1)
    return first + LIVENESS_MARGIN, settings.LLM_IDLE_TIMEOUT + LIVENESS_MARGIN


def dead_condition(now: Expression, prefix: str = "") -> Q:
    """Alternatives still marked live whose writer is gone (the rule above),
    on the database's clock ``now``; ``prefix``: the path to the alternative
    (``"alternatives__"``), for a filter from another model."""
    first, idle = liveness_windows()
    silent = Q(**{f"{prefix}text": ""})
    return Q(**{f"{prefix}status__in": LIVE_STATUSES}) & (
        (silent & Q(**{f"{prefix}updated_at__lt": now - timedelta(seconds=first)}))
        | (~silent & Q(**{f"{prefix}updated_at__lt": now - timedelta(seconds=idle)}))
    )


INTERRUPTED = "interrupted"
INTERRUPTED_ERROR = "The generation was interrupted; retry."


def replies_interrupt_dead(
    *, conversation_id: int, message_id: int | None = None
) -> int:
    """Mark failed ("interrupted") the conversation's live replies (of one
    message, with ``message_id``) whose writer is gone, keeping their text,
    and broadcast each as finished on commit. Returns how many. Each update
    asks the rule again: a writer that moved its row meanwhile keeps it."""
    now = Now()
    dead = Alternative.objects.filter(message__conversation_id=conversation_id)
    if message_id is not None:
        dead = dead.filter(message_id=message_id)
    found = list(
        dead.filter(dead_condition(now)).values_list("pk", "message_id", "index")
    )
    if not found:
        return 0
    interrupted: list[tuple[int, int]] = []
    with transaction.atomic():
        at = timezone.now()
        for pk, mid, index in found:
            if Alternative.objects.filter(dead_condition(now), pk=pk).update(
                status=Status.FAILED, finish_reason=INTERRUPTED,
                error=INTERRUPTED_ERROR, completed_at=at, updated_at=at,
            ):  # fmt: skip
                interrupted.append((mid, index))
        if interrupted:
            transaction.on_commit(
                lambda: _broadcast_interrupted(conversation_id, interrupted)
            )
    return len(interrupted)


def _broadcast_interrupted(
    conversation_id: int, interrupted: list[tuple[int, int]]
) -> None:
    conversation = (
        Conversation.objects.select_related("character", "persona", "owner__profile")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None:
        return
    for message_id, index in interrupted:
        fresh = message_payload_by_id(conversation, message_id)
        done: events.DoneEvent = {
            "type": "chat.done", "message_id": message_id, "index": index,
            "status": Status.FAILED, "finish_reason": INTERRUPTED,
            "error": INTERRUPTED_ERROR, "message": dict(fresh) if fresh else None,
        }  # fmt: skip
        events.send(conversation_id, done)


def _write(alt_id: int, **fields: Any) -> bool:
    """Update a live alternative; False when it is no longer live (stopped,
    deleted): the caller must stop."""
    fields.setdefault("updated_at", timezone.now())
    return bool(
        Alternative.objects.filter(pk=alt_id, status__in=LIVE_STATUSES).update(**fields)
    )


def _finish(
    alt: Alternative, sender: events.Sender, *, status: str, text: str, sent: int | None = None,
    finish_reason: str = "", error: str = "", prompt_tokens: int | None = None,
    completion_tokens: int | None = None, provider: Provider | None = None,
) -> None:  # fmt: skip
    """Write the final state, then send the done event with the message as it
    now is. The text not relayed yet (past ``sent``) is not sent as a delta of
    its own: each socket sends its client the rest of the final text the done
    event carries (``ConversationConsumer.chat_done``) — one channel-layer
    send per reply fewer. ``sent`` is kept for the no-payload case."""
    message = alt.message
    conversation_id = message.conversation_id
    now = timezone.now()
    fields: dict[str, Any] = {}
    if provider is not None:
        fields.update(provider=provider.name, model=provider.model)
    with transaction.atomic():
        ok = _write(
            alt.pk, status=status, text=text, finish_reason=finish_reason,
            error=error[:300], prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens, completed_at=now, **fields,
        )  # fmt: skip
        if not ok:
            return
        if status == Status.COMPLETE and text:
            Conversation.objects.filter(pk=conversation_id).update(
                last_message_at=now, preview=text[:160]
            )
    # The conversation (with its character, persona and owner) came with the
    # alternative; only the message is read again, for its other alternatives,
    # ratings and selection. It rides on the done event (relayed as
    # reply.done, then message.updated): one channel-layer send, not two.
    conversation = message.conversation
    fresh = message_payload_by_id(conversation, message.pk)
    if fresh is None and sent is not None and sent < len(text):
        # Not readable (deleted meanwhile): the rest as a delta, as before.
        tail: events.DeltaEvent = {
            "type": "chat.delta", "message_id": message.pk, "index": alt.index,
            "offset": sent, "text": text[sent:],
        }  # fmt: skip
        sender.send(conversation_id, tail)
    done: events.DoneEvent = {
        "type": "chat.done", "message_id": message.pk, "index": alt.index,
        "status": status, "finish_reason": finish_reason, "error": error,
        "message": dict(fresh) if fresh else None,
    }  # fmt: skip
    sender.send(conversation_id, done)


def reply_generate(
    *,
    alternative_id: int,
    sender: events.Sender | None = None,
    context_tokens: int | None = None,
    preloaded: Alternative | None = None,
    started: Started | None = None,
) -> None:
    """Generate the text of a pending alternative (see module docstring).

    ``sender``: a long-lived worker's ``events.thread_sender()``; without one a
    private sender is used and closed afterwards. ``context_tokens``: the
    user's plan's context as of the send (saves reading it again).
    ``preloaded``: the alternative as its send just committed it, with its
    message, conversation, character, persona and owner's profile attached
    (same process only): saves reading them back. ``started``: the request
    the send already started for it (same process only; ``reply_start``)."""
    if sender is not None:
        _generate(alternative_id, sender, context_tokens, preloaded, started)
        return
    own = events.Sender()
    try:
        _generate(alternative_id, own, context_tokens, preloaded, started)
    finally:
        own.close()


def reply_generate_in_worker(
    alternative_id: int,
    context_tokens: int | None = None,
    preloaded: Alternative | None = None,
    started: Started | None = None,
) -> None:
    """One job of a long-lived worker thread (the quick start's pool, a Celery
    worker): the thread's warm sender; the database connection goes back to the
    pool afterwards (``config.threadpool.with_database``)."""
    with_database(
        lambda: reply_generate(
            alternative_id=alternative_id,
            sender=events.thread_sender(),
            context_tokens=context_tokens,
            preloaded=preloaded,
            started=started,
        )
    )()


_pool: WorkerPool | None = None
_pool_lock = threading.Lock()


def submit(
    alternative_id: int,
    context_tokens: int | None = None,
    preloaded: Alternative | None = None,
    started: Started | None = None,
) -> None:
    """Generate on this process's pool of generation threads (the quick start's
    stand-in for Celery workers). ``preloaded``, ``started``: see
    ``reply_generate``; the worker only reads ``preloaded``."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = WorkerPool(settings.CHAT_GENERATION_THREADS, "reply")
    _pool.submit(
        lambda: reply_generate_in_worker(
            alternative_id, context_tokens, preloaded, started
        )
    )


def _generate(
    alternative_id: int,
    sender: events.Sender,
    context_tokens: int | None,
    preloaded: Alternative | None = None,
    started: Started | None = None,
) -> None:
    try:
        _generate_reply(alternative_id, sender, context_tokens, preloaded, started)
    finally:
        if started is not None:
            started.close()  # a no-op once the stream was read to its end


def _generate_reply(
    alternative_id: int,
    sender: events.Sender,
    context_tokens: int | None,
    preloaded: Alternative | None,
    started: Started | None,
) -> None:
    if preloaded is not None and preloaded.pk == alternative_id:
        alt = preloaded  # as committed; the claim below settles any race
    else:
        try:
            alt = Alternative.objects.select_related(
                "message__conversation__character",
                "message__conversation__persona",
                "message__conversation__owner__profile",
            ).get(pk=alternative_id)
        except Alternative.DoesNotExist:
            return  # deleted before a worker got to it
    if alt.message.author != Author.CHARACTER or alt.status not in LIVE_STATUSES:
        return  # e.g. found dead (``replies_interrupt_dead``) before it came
    if alt.status == Status.STREAMING and started is None:
        # A worker died mid-reply and the task was delivered again: the text so
        # far cannot be continued faithfully. (A reply whose request the send
        # started was saved as streaming, for this worker: no claim needed.)
        _finish(
            alt,
            sender,
            status=Status.FAILED,
            text=alt.text,
            finish_reason=INTERRUPTED,
            error=INTERRUPTED_ERROR,
        )
        return
    try:
        provider = started.provider if started is not None else get_provider()
    except Exception:
        log.exception("reply generation %s: no provider", alternative_id)
        _finish(
            alt, sender, status=Status.FAILED, text="", finish_reason="error",
            error="Something went wrong while writing this reply.",
        )  # fmt: skip
        return
    conversation_id = alt.message.conversation_id
    text = ""
    sent = 0  # characters already relayed
    interval = settings.CHAT_FLUSH_INTERVAL
    last_flush = 0.0
    pooled = db_pooled()

    def flush() -> bool:
        nonlocal sent, last_flush
        last_flush = time.monotonic()
        if sent == len(text):
            return True
        delta: events.DeltaEvent = {
            "type": "chat.delta", "message_id": alt.message_id, "index": alt.index,
            "offset": sent, "text": text[sent:],
        }  # fmt: skip
        first = sent == 0
        if first:
            # The first text goes out at once and is written just after.
            sender.send(conversation_id, delta)
        ok = _write(alt.pk, text=text)
        if ok and not first:
            sender.send(conversation_id, delta)
        sent = len(text)
        if pooled:
            # Between flushes the thread only waits for the model: hand the
            # connection back so many replies can stream on a small pool.
            connection.close()
        return ok  # False: stopped or deleted meanwhile

    try:
        if started is not None:
            prompt, stream = started.prompt, started.stream
        else:
            prompt, offline, cut = prompt_for(alt, context_tokens)
            stream = provider.stream(prompt.messages, offline=offline)
            save_cut(alt.message.conversation, cut)  # the request is on its way
        # While the request is in flight: claim the reply (pending ->
        # streaming) and record who writes it. A second worker given the same
        # reply (a redelivered task) finds it taken and stops; a reply still
        # pending when its task comes again was never shown and is written
        # afresh.
        claimed = started is not None or Alternative.objects.filter(
            pk=alt.pk, status=Status.PENDING
        ).update(
            status=Status.STREAMING, provider=provider.name, model=provider.model,
            updated_at=timezone.now(),
        )  # fmt: skip
        if not claimed:
            _close(stream)
            return  # stopped, taken or deleted before it started
        if pooled:
            connection.close()
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
                    # The final write carries the rest of the text; the last
                    # delta goes out after it (one write, not a flush and then
                    # a finish).
                    _finish(
                        alt,
                        sender, status=Status.COMPLETE, text=text, sent=sent,
                        provider=provider, finish_reason=item.finish_reason,
                        prompt_tokens=item.prompt_tokens or prompt.tokens,
                        completion_tokens=item.completion_tokens,
                    )  # fmt: skip
                    return
        finally:
            _close(stream)
        raise ProviderError("The language model's stream ended without finishing.")
    except ProviderError as exc:
        _finish(
            alt, sender, status=Status.FAILED, text=text, sent=sent,
            provider=provider, error=str(exc), finish_reason="error",
        )  # fmt: skip
    except Exception:
        log.exception("reply generation %s failed", alternative_id)
        _finish(
            alt, sender, status=Status.FAILED, text=text, sent=sent,
            provider=provider, finish_reason="error",
            error="Something went wrong while writing this reply.",
        )  # fmt: skip
