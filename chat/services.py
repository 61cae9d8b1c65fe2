"""Writes for chat: conversations, messages, swipes, ratings, personas.

One transaction per use case. Broadcasting to sockets and queueing generation
happen in ``transaction.on_commit``, so a client never hears of a row that was
rolled back and a worker never looks for one that is not there yet.

Every refusal is a ``ChatError`` with a stable ``code`` and a message a user can
read; the consumer sends both in an ``error`` frame, the API as a 400.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Now, TruncDay
from django.http import Http404
from django.utils import timezone

from billing.entitlements import (
    Entitlements,
    character_chat_allowed,
    chat_allowed_condition,
    entitlements_for,
    free_plan,
    pro_condition,
    pro_plan,
)
from characters.counters import character_chat_started, character_messages_added
from characters.models import Character
from characters.selectors import (
    character_get_for_user,
    characters_visible_to,
    viewer_sees_mature,
)
from chat import events
from chat.generation import (
    Started,
    dead_condition,
    liveness_windows,
    reply_start,
)
from chat.generation import (
    replies_interrupt_dead as _interrupt_dead,
)
from chat.models import (
    LIVE_STATUSES,
    MAX_FEEDBACK,
    MAX_PERSONA_DESCRIPTION,
    MAX_TEXT,
    Alternative,
    Author,
    Conversation,
    Message,
    Participant,
    Persona,
    Rating,
    Status,
)
from chat.prompting import fill_macros
from chat.selectors import (
    message_payload,
    new_message_payload,
    persona_default,
    user_name,
)
from community.models import User
from config.compiled import CompiledQuery, insert_row, run_sql
from config.text import looks_blank, text_problem
from config.threadpool import WorkerPool, with_database

MAX_ALTERNATIVES = 50
MAX_TITLE = 120


class ChatError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# --- Helpers -----------------------------------------------------------------


def _storable(text: str, field: str) -> str:
    problem = text_problem(text)
    if problem:
        raise ChatError("invalid_field", f"“{field}” has {problem}.")
    return text


def _clean_text(text: object, *, field: str = "text", limit: int = MAX_TEXT) -> str:
    if not isinstance(text, str):
        raise ChatError("invalid_field", f"“{field}” must be text.")
    text = _storable(text, field).strip()
    if looks_blank(text):
        raise ChatError("invalid_field", f"“{field}” must not be empty.")
    if len(text) > limit:
        raise ChatError(
            "text_too_long",
            f"“{field}” is {len(text):,} characters; the limit is {limit:,}.",
        )
    return text


def user_display_name(conversation: Conversation) -> str:
    """What ``{{user}}`` means in this conversation."""
    return _user_name(conversation)


def _user_name(conversation: Conversation) -> str:
    return user_name(user=conversation.owner, persona=conversation.persona)


def _character_data(character: Character) -> dict[str, Any]:
    if character.published_version is not None:
        return dict(character.published_version.data)
    draft = character.draft or {}
    data = draft.get("data") if isinstance(draft, dict) else None
    return dict(data) if isinstance(data, dict) else {"name": character.name}


def _ensure_chattable(conversation: Conversation, user: User) -> Character:
    """The character, if the user may still chat with it."""
    character = conversation.character
    if character.deleted_at is not None:
        raise ChatError(
            "read_only", "This character was deleted; the chat is read-only."
        )
    try:
        character = character_get_for_user(slug=character.slug, user=user)
    except Http404:
        raise ChatError(
            "unavailable", "This character is no longer available to you."
        ) from None
    if not character_chat_allowed(user, character):
        raise ChatError(
            "not_entitled", "This character is for its creator's supporters only."
        )
    return character


def _locked(conversation: Conversation) -> Conversation:
    return Conversation.objects.select_for_update().get(pk=conversation.pk)


def _broadcast_messages(
    conversation_id: int, message_ids: list[int], kind: str
) -> None:
    from chat.selectors import _messages

    conversation = Conversation.objects.select_related(
        "character", "persona", "owner__profile"
    ).get(pk=conversation_id)
    messages = _messages(conversation).filter(pk__in=message_ids).order_by("seq")
    payloads = [dict(message_payload(conversation, m)) for m in messages]
    if payloads:
        events.send(
            conversation_id,
            {"type": "chat.message", "kind": kind, "messages": payloads},
        )


def broadcast_on_commit(
    conversation_id: int, message_ids: list[int], kind: str
) -> None:
    transaction.on_commit(
        lambda: _broadcast_messages(conversation_id, message_ids, kind)
    )


def _generation_mode() -> str:
    mode = settings.CHAT_GENERATION_MODE
    if mode == "auto":
        return "thread" if settings.CELERY_TASK_ALWAYS_EAGER else "celery"
    return str(mode)


def generation_queue(
    *,
    alternative_id: int,
    user: User,
    plan: Entitlements | None = None,
    preloaded: Alternative | None = None,
    started: Started | None = None,
) -> None:
    """Start generating ``alternative_id``: on a Celery worker (on the queue the
    user's plan selects), or — in the quick start, which has no workers — on
    this process's pool of generation threads. Never inside the caller.
    ``plan``: the user's entitlements when the caller has them already.
    ``preloaded``: the committed alternative with its message and conversation
    (character, persona, owner's profile) attached; a generation thread of this
    process uses it instead of reading it back. ``started``: the model's
    request, already started for it in this process (thread mode only)."""
    context_tokens = plan.context_tokens if plan is not None else None
    if _generation_mode() == "thread":
        from chat.generation import submit

        submit(alternative_id, context_tokens, preloaded, started)
        return
    if started is not None:
        started.close()  # not for a worker of another process
    from chat.tasks import reply_generate_task

    reply_generate_task.apply_async(
        args=(alternative_id, context_tokens),
        queue=(plan or entitlements_for(user)).generation_queue,
    )


def _queue_on_commit(
    alternative_id: int,
    user: User,
    plan: Entitlements | None = None,
    preloaded: Alternative | None = None,
    started: Started | None = None,
) -> None:
    transaction.on_commit(
        lambda: generation_queue(
            alternative_id=alternative_id,
            user=user,
            plan=plan,
            preloaded=preloaded,
            started=started,
        )
    )


# Threads start on demand (none until the first job).
_BACKGROUND = WorkerPool(2, "chat-bookkeeping")


def _in_background(job: Callable[[], None]) -> None:
    """Bookkeeping after a commit that nobody waits for (a counter), on a
    small pool of this process's threads. SQLite (the quick start) takes one
    writer at a time: there it runs at once."""
    if connection.vendor == "sqlite":
        job()
        return
    _BACKGROUND.submit(with_database(job))


# --- Conversations ------------------------------------------------------------


@transaction.atomic
def conversation_start(
    *, user: User, character: Character, persona: Persona | None = None
) -> Conversation:
    """Start a chat with ``character`` (which the caller fetched with
    ``character_get_for_user``). The first message offers the greeting and the
    alternate greetings as swipes."""
    if character.deleted_at is not None:
        raise ChatError("read_only", "This character was deleted.")
    if not character_chat_allowed(user, character):
        raise ChatError(
            "not_entitled", "This character is for its creator's supporters only."
        )
    if persona is not None and persona.user_id != user.pk:
        raise ChatError("invalid_field", "That persona is not yours.")
    if persona is None:
        persona = persona_default(user=user)
    now = timezone.now()
    conversation = Conversation.objects.create(
        owner=user, character=character, persona=persona, last_message_at=now
    )
    Participant.objects.create(
        conversation=conversation,
        kind=Participant.Kind.USER,
        user=user,
        persona=persona,
    )
    bot = Participant.objects.create(
        conversation=conversation, kind=Participant.Kind.CHARACTER, character=character
    )
    data = _character_data(character)
    from chat.prompting import char_name

    greetings = [str(data.get("first_mes") or "")] + [
        str(g) for g in data.get("alternate_greetings") or [] if isinstance(g, str)
    ]
    greetings = [g for g in greetings if g.strip()]
    if greetings:
        name = _user_name(conversation)
        cname = char_name(data)
        message = Message.objects.create(
            conversation=conversation,
            seq=1,
            author=Author.CHARACTER,
            participant=bot,
            character=character,
            is_greeting=True,
        )
        Alternative.objects.bulk_create(
            Alternative(
                message=message,
                index=i,
                text=fill_macros(g, char=cname, user=name),
                status=Status.COMPLETE,
                finish_reason="greeting",
                character_version=character.published_version,
                completed_at=now,
            )
            for i, g in enumerate(greetings[:MAX_ALTERNATIVES])
        )
        conversation.last_seq = 1
        conversation.preview = message.alternatives.get(index=0).text[:160]
        conversation.save(update_fields=["last_seq", "preview"])
    character_chat_started(character_id=character.pk)
    return conversation


@transaction.atomic
def conversation_rename(*, conversation: Conversation, title: object) -> Conversation:
    if not isinstance(title, str):
        raise ChatError("invalid_field", "“title” must be text.")
    title = _storable(title, "title").strip()
    if len(title) > MAX_TITLE:
        raise ChatError(
            "invalid_field",
            f"“title” is {len(title)} characters; the limit is {MAX_TITLE}.",
        )
    conversation.title = title
    conversation.save(update_fields=["title", "updated_at"])
    return conversation


@transaction.atomic
def conversation_persona_set(
    *, conversation: Conversation, persona: Persona | None
) -> Conversation:
    if persona is not None and persona.user_id != conversation.owner_id:
        raise ChatError("invalid_field", "That persona is not yours.")
    conversation.persona = persona
    conversation.save(update_fields=["persona", "updated_at"])
    Participant.objects.filter(
        conversation=conversation, user_id=conversation.owner_id
    ).update(persona=persona)
    return conversation


@transaction.atomic
def conversation_delete(*, conversation: Conversation) -> None:
    """Delete a conversation and its messages (a reply still generating stops:
    its worker finds no row to write to). Its open sockets are told on commit
    (``conversation.deleted``, then closed 4404): they would wait forever."""
    conversation_id = conversation.pk
    conversation.delete()
    event: events.ConversationDeletedEvent = {
        "type": "chat.conversation_deleted",
        "conversation_id": conversation_id,
    }
    transaction.on_commit(lambda: events.send(conversation_id, event))


# --- Messages -------------------------------------------------------------------


@dataclass(frozen=True)
class SendResult:
    user_message: Message
    reply: Message | None
    created: bool  # False when the client_id was seen before
    conversation: Conversation  # read again, fresh


def _check_quota(plan: Entitlements, *, recent: int, today: int) -> None:
    """Refuse a message (or a generation asked for: a regenerate, a Retry)
    over the plan's quota, given how many the user sent or asked for in the
    last minute and today (UTC)."""
    if plan.messages_per_minute is not None and recent >= plan.messages_per_minute:
        raise ChatError(
            "rate_limited",
            f"You can send {plan.messages_per_minute} messages a minute on the "
            "free plan (a regenerated reply counts as one). Wait a moment and "
            "try again.",
        )
    if plan.daily_messages is not None and today >= plan.daily_messages:
        raise ChatError(
            "daily_limit",
            f"You have used today's {plan.daily_messages} free messages "
            "(regenerated replies count too). The limit resets at midnight "
            "UTC; Kindred Pro has no limit.",
        )


class _CountUpTo(Subquery):
    """``COUNT(*)`` of the rows of a sliced subquery: counts stop at the slice."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS capped)"


def _sent_since(since: datetime | Expression, cap: int | None, pro: Q) -> Case:
    """How many LLM calls the conversation's owner caused since ``since``:
    messages sent (on the message_user_time index) plus generations asked
    for without one — regenerations, Retries, a new reply to one's last
    message (``Alternative.requested_by``, on alternative_requested_time).
    Each counted up to ``cap`` — a quota only asks whether its limit is
    reached, and a heavy user's day should not cost a scan per send — and
    not at all for Pro (no quotas: 0)."""
    if cap is None:
        return Case(default=Value(0))
    sent = Message.objects.filter(
        user_id=OuterRef("owner_id"), author=Author.USER, created_at__gte=since
    ).values("pk")[:cap]
    asked = (
        Alternative.objects.filter(
            requested_by_id=OuterRef("owner_id"), created_at__gte=since
        )
        .order_by()  # a count: no sort by the model's ordering
        .values("pk")[:cap]
    )
    return Case(
        When(pro, then=Value(0)),
        default=_CountUpTo(sent, output_field=IntegerField())
        + _CountUpTo(asked, output_field=IntegerField()),
        output_field=IntegerField(),
    )


def _ensure_quota(conversation_id: int) -> Entitlements:
    """The owner's plan, if it allows one more generation now (the send's
    rules and counts, ``_sent_since``; for a regenerate: not on the send's
    hot path, so in a statement of its own)."""
    free = free_plan()
    now = Now()
    pro = pro_condition("owner_id", now)
    is_pro, recent, today = (
        Conversation.objects.filter(pk=conversation_id)
        .annotate(
            is_pro=ExpressionWrapper(pro, output_field=BooleanField()),
            recent=_sent_since(
                now - timedelta(minutes=1), free.messages_per_minute, pro
            ),
            today=_sent_since(TruncDay(now, tzinfo=UTC), free.daily_messages, pro),
        )
        .values_list("is_pro", "recent", "today")
        .get()
    )
    plan = pro_plan() if is_pro else free
    _check_quota(plan, recent=recent, today=today)
    return plan


class _SendChecks(TypedDict):
    busy: bool
    stale: bool  # some live reply has no writer any more (liveness rule)
    visible: bool
    allowed: bool
    pro: bool
    recent: int
    today: int
    me: int | None
    bot: int | None
    resent: int | None  # the message already sent with this client_id


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    _SendConversation = WithAnnotations[Conversation, _SendChecks]

# Stand-ins compiled into the statement and swapped for each call's values.
_CLIENT_ID = "\x00client-id\x00"
_CONVERSATION_PK = -7_351_902_468


def _compile_send(user: User, free: Entitlements) -> CompiledQuery[Conversation]:
    """The locking read of ``message_send`` with every check it depends on,
    compiled once per user (and what its checks read of the user: staff,
    mature content), free plan's quotas (the counts stop at them) and process:
    compiling these subqueries costs several milliseconds of CPU (8-11 under
    load) — more than running them. Each call binds the conversation and the
    ``client_id`` (``config.compiled``). Time comes from the database's clock
    (``Now()``), not from when it was compiled."""
    now = Now()
    pro = pro_condition("owner_id", now)
    queryset = (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("character", "persona", "owner__profile")
        # Not the character's card texts: a draft card (JSON, with its
        # lorebook) decoded on every send; a chat with a published version
        # never reads it (one with only a draft loads it when it does).
        .defer("character__draft", "character__description", "character__greeting")
        .annotate(
            busy=Exists(
                Alternative.objects.filter(
                    message__conversation_id=OuterRef("pk"),
                    status__in=LIVE_STATUSES,
                )
            ),
            # Asked of the same few live rows (the partial index): whether
            # one of them stood still past the liveness rule's windows
            # (chat.generation), so a dead reply need not block the send.
            stale=Exists(
                Alternative.objects.filter(
                    dead_condition(now), message__conversation_id=OuterRef("pk")
                )
            ),
            visible=Exists(
                characters_visible_to(user).filter(pk=OuterRef("character_id"))
            ),
            allowed=ExpressionWrapper(
                chat_allowed_condition(user, "character_id", now),
                output_field=BooleanField(),
            ),
            pro=ExpressionWrapper(pro, output_field=BooleanField()),
            recent=_sent_since(
                now - timedelta(minutes=1), free.messages_per_minute, pro
            ),
            today=_sent_since(TruncDay(now, tzinfo=UTC), free.daily_messages, pro),
            me=Subquery(
                Participant.objects.filter(
                    conversation_id=OuterRef("pk"), user_id=OuterRef("owner_id")
                ).values("pk")[:1]
            ),
            bot=Subquery(
                Participant.objects.filter(
                    conversation_id=OuterRef("pk"),
                    character_id=OuterRef("character_id"),
                ).values("pk")[:1]
            ),
            resent=Subquery(
                Message.objects.filter(
                    conversation_id=OuterRef("pk"), client_id=_CLIENT_ID
                ).values("pk")[:1]
            ),
        )
        .filter(pk=_CONVERSATION_PK, owner_id=user.pk)
    )
    return CompiledQuery(
        queryset, {"conversation": _CONVERSATION_PK, "client_id": _CLIENT_ID}
    )


_SendKey = tuple[int, bool, bool, int | None, int | None, tuple[float, float]]
_SEND_STATEMENTS: OrderedDict[_SendKey, CompiledQuery[Conversation]] = OrderedDict()
_SEND_STATEMENTS_MAX = 256
_send_statements_lock = threading.Lock()


def _send_statement(user: User) -> CompiledQuery[Conversation]:
    free = free_plan()
    key = (
        user.pk, user.is_staff, viewer_sees_mature(user),
        free.daily_messages, free.messages_per_minute, liveness_windows(),
    )  # fmt: skip
    with _send_statements_lock:
        statement = _SEND_STATEMENTS.get(key)
        if statement is not None:
            _SEND_STATEMENTS.move_to_end(key)
            return statement
    statement = _compile_send(user, free)  # needs the caller's transaction
    with _send_statements_lock:
        _SEND_STATEMENTS[key] = statement
        if len(_SEND_STATEMENTS) > _SEND_STATEMENTS_MAX:
            _SEND_STATEMENTS.popitem(last=False)
    return statement


def _clean_client_id(client_id: object) -> str:
    if not isinstance(client_id, str) or not client_id.strip():
        raise ChatError("invalid_field", "“client_id” must be a non-empty string.")
    if len(client_id) > 64:
        raise ChatError("invalid_field", "“client_id” is longer than 64 characters.")
    return _storable(client_id, "client_id").strip()


def message_send(
    *, conversation: Conversation, user: User, client_id: object, text: object
) -> SendResult:
    """Save the user's message and a pending reply; on commit, queue the
    generation, then broadcast both. Re-sending a ``client_id`` returns the
    first result.

    When the reply will be written on this process's threads and this is the
    outermost transaction, the model's request starts as soon as the checks
    pass, inside the transaction (``chat.generation.reply_start``): the model
    works on the first token while the rows are written and committed, and
    the worker takes the stream over. Nothing reaches a socket before the
    commit; if the transaction fails, the request is cancelled.

    ``conversation`` is read again (locked, with its character, persona and
    owner's profile) and returned fresh in the result. Everything the send
    depends on — a re-sent ``client_id``, a reply still being written, whether
    the character is still visible and allowed, the plan and the quota, the
    participants — comes with that one locking read: each round trip here
    delays the reply's first token."""
    early = (
        _generation_mode() == "thread"
        and not transaction.get_connection().in_atomic_block
    )
    started: list[Started] = []
    try:
        with transaction.atomic():
            return _message_send(
                conversation, user, client_id, text, started if early else None
            )
    except BaseException:
        for request in started:
            request.close()
        raise


def _refuse_busy(conversation_id: int, *, maybe_dead: bool) -> None:
    """A reply of the conversation is live (the caller read so): refuse —
    unless ``maybe_dead`` (the caller's read saw one past the liveness rule's
    windows) and, once the dead are marked failed ("interrupted") and
    broadcast (``chat.generation.replies_interrupt_dead``), none is left."""
    if (
        maybe_dead
        and _interrupt_dead(conversation_id=conversation_id)
        and not Alternative.objects.filter(
            message__conversation_id=conversation_id, status__in=LIVE_STATUSES
        ).exists()
    ):
        return
    raise ChatError(
        "busy", "Wait for the current reply to finish, or stop it, then send."
    )


def _message_send(
    conversation: Conversation, user: User, client_id: object, text: object,
    started: list[Started] | None,
) -> SendResult:  # fmt: skip
    cid = _clean_client_id(client_id)
    body = _clean_text(text)
    if conversation.owner_id != user.pk:
        raise ChatError("not_found", "No such conversation.")
    now = timezone.now()
    found = _send_statement(user).objects(conversation=conversation.pk, client_id=cid)
    if not found:
        raise ChatError("not_found", "This conversation was deleted.")
    conv = cast("_SendConversation", found[0])
    if conv.resent is not None:
        existing = Message.objects.get(pk=conv.resent)
        reply = (
            Message.objects.filter(conversation=conv, seq=existing.seq + 1)
            .exclude(author=Author.USER)
            .first()
        )
        return SendResult(existing, reply, created=False, conversation=conv)
    character = conv.character
    if character.deleted_at is not None:
        raise ChatError(
            "read_only", "This character was deleted; the chat is read-only."
        )
    if not conv.visible:
        raise ChatError("unavailable", "This character is no longer available to you.")
    if not conv.allowed:
        raise ChatError(
            "not_entitled", "This character is for its creator's supporters only."
        )
    if conv.busy:
        _refuse_busy(conv.pk, maybe_dead=conv.stale)
    plan = pro_plan() if conv.pro else free_plan()
    _check_quota(plan, recent=conv.recent, today=conv.today)
    first = conv.last_seq + 1
    user_message = Message(
        conversation_id=conv.pk, seq=first, author=Author.USER,
        participant_id=conv.me, user=user, client_id=cid,
    )  # fmt: skip
    reply = Message(
        conversation_id=conv.pk, seq=first + 1, author=Author.CHARACTER,
        participant_id=conv.bot, character=character,
    )  # fmt: skip
    reply.conversation = conv
    said = Alternative(message=user_message, index=0, text=body)
    alt = Alternative(
        message=reply,
        index=0,
        status=Status.PENDING,
        character_version_id=character.published_version_id,
    )
    request = None
    if started is not None:
        # The model's first token is the long pole: ask for it now (every
        # check has passed; the history before this message is read under
        # the conversation's lock), then write.
        request = reply_start(alt, plan.context_tokens, body)
        if request is not None:
            started.append(request)
            # Once committed it is the worker's: a later error of the send
            # (an on-commit hook) must not close it.
            transaction.on_commit(started.clear)
            # Saved as taken by the worker this process hands the request to
            # (thread mode: no queue that could deliver it twice), so it
            # need not claim it on the way to the first token.
            alt.status = Status.STREAMING
            alt.provider = request.provider.name
            alt.model = request.provider.model
    fields: dict[str, Any] = {
        "last_seq": first + 1, "last_message_at": now, "preview": body[:160],
        "updated_at": now,
    }  # fmt: skip
    if request is not None:
        # The history cut the prompt kept, written with the rest.
        fields |= {"history_from": request.cut.first, "history_room": request.cut.room}
        conv.history_from, conv.history_room = request.cut.first, request.cut.room
    _insert_exchange((user_message, reply), (said, alt), fields)
    if request is None:
        # The worker has the request to make: queued first, then the
        # broadcast (the consumer orders deltas that overtake
        # ``message.created`` correctly).
        _queue_on_commit(alt.pk, user, plan, preloaded=alt)

    def broadcast() -> None:
        payloads = [
            dict(new_message_payload(conv, message, [alternative]))
            for message, alternative in ((user_message, said), (reply, alt))
        ]
        events.send(
            conv.pk, {"type": "chat.message", "kind": "created", "messages": payloads}
        )

    # Robust: a broadcast that fails (logged) must not keep the reply from
    # being written; the sockets catch up on resume.
    transaction.on_commit(broadcast, robust=True)
    if request is not None:
        # The request started above: its first text is likely waiting. The
        # messages go out first, so every socket of this process has them
        # before that text (both are handed over in memory, in order), and
        # a browser shows the text as it comes instead of with the messages.
        _queue_on_commit(alt.pk, user, plan, preloaded=alt, started=request)
    # The character's message counter last, in its own statement, on a
    # background thread: inside the transaction every send to a popular
    # character would queue on its row lock, and after it the socket that
    # sent would wait for it before relaying the reply's first text.
    transaction.on_commit(
        lambda: _in_background(
            lambda: character_messages_added(character_id=character.pk, count=2)
        )
    )
    return SendResult(user_message, reply, created=True, conversation=conv)


def _insert_exchange(
    messages: tuple[Message, Message],
    alternatives: tuple[Alternative, Alternative],
    conversation: dict[str, Any],
) -> None:
    """Insert two messages with an alternative each and update their
    conversation's ``conversation`` fields; the objects get their ids. On
    PostgreSQL in one statement (data-modifying CTEs): one round trip instead
    of three, and no ORM statement compiled on the way to the reply's first
    token. Elsewhere (SQLite, the quick start) through the ORM."""
    conversation_id = messages[0].conversation_id
    if connection.vendor != "postgresql":
        Message.objects.bulk_create(list(messages))
        for alternative, message in zip(alternatives, messages, strict=True):
            alternative.message = message  # with its new id
        Alternative.objects.bulk_create(list(alternatives))
        Conversation.objects.filter(pk=conversation_id).update(**conversation)
        return
    quote = connection.ops.quote_name
    message_rows = [insert_row(m) for m in messages]
    alternative_rows = [
        insert_row(a, {"message_id": ("(SELECT id FROM m WHERE seq = %s)", [m.seq])})
        for a, m in zip(alternatives, messages, strict=True)
    ]

    def values(rows: list[tuple[list[str], list[str], list[Any]]]) -> str:
        return ", ".join(
            "(" + ", ".join(placeholders) + ")" for _, placeholders, _ in rows
        )

    fields = {f.attname: f for f in Conversation._meta.concrete_fields}
    sets = ", ".join(
        f"{quote(cast(str, fields[name].column))} = %s" for name in conversation
    )
    # Only table and column names (from the models) and placeholders are
    # put into the text; every value is a parameter.
    sql = (
        f"WITH m AS (INSERT INTO {quote(Message._meta.db_table)}"  # noqa: S608
        f" ({', '.join(message_rows[0][0])}) VALUES {values(message_rows)}"
        f" RETURNING id, seq),"
        f" a AS (INSERT INTO {quote(Alternative._meta.db_table)}"
        f" ({', '.join(alternative_rows[0][0])}) VALUES {values(alternative_rows)}"
        f" RETURNING id, message_id),"
        f" c AS (UPDATE {quote(Conversation._meta.db_table)} SET {sets}"
        f" WHERE {quote(cast(str, Conversation._meta.pk.column))} = %s)"
        f" SELECT m.seq, m.id, a.id FROM m JOIN a ON a.message_id = m.id"
    )
    params = [
        p for rows in (message_rows, alternative_rows) for r in rows for p in r[2]
    ]
    params += [
        fields[name].get_db_prep_save(value, connection=connection)
        for name, value in conversation.items()
    ]
    params.append(conversation_id)
    ids = {seq: (mid, aid) for seq, mid, aid in run_sql(sql, params)}
    for message, alternative in zip(messages, alternatives, strict=True):
        message.pk, alternative_id = ids[message.seq]
        alternative.message = message
        alternative.pk = alternative_id
        for saved in (message, alternative):
            saved._state.adding = False
            saved._state.db = "default"


def _message(conversation: Conversation, message_id: object) -> Message:
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        raise ChatError("invalid_field", "“message_id” must be a number.")
    try:
        return Message.objects.select_for_update().get(
            pk=message_id, conversation_id=conversation.pk
        )
    except Message.DoesNotExist:
        raise ChatError("not_found", "No such message in this conversation.") from None


def _index(message: Message, index: object) -> Alternative:
    if not isinstance(index, int) or isinstance(index, bool):
        raise ChatError("invalid_field", "“index” must be a number.")
    try:
        return Alternative.objects.get(message=message, index=index)
    except Alternative.DoesNotExist:
        raise ChatError(
            "not_found", f"This message has no alternative {index}."
        ) from None


def _ensure_writable(conversation: Conversation) -> None:
    if conversation.character.deleted_at is not None:
        raise ChatError(
            "read_only", "This character was deleted; the chat is read-only."
        )


@transaction.atomic
def message_edit(
    *, conversation: Conversation, message_id: object, text: object
) -> Message:
    """Edit one of the user's own messages."""
    body = _clean_text(text)
    _ensure_writable(conversation)
    message = _message(conversation, message_id)
    if message.author != Author.USER or message.user_id != conversation.owner_id:
        raise ChatError("forbidden", "You can only edit your own messages.")
    # The reply to it is still being written from the old text: editing now
    # would leave that reply answering words no longer there, and its
    # regenerate would be refused as busy. As the send's busy rule: wait
    # or stop first. (A reply whose writer is gone is failed first.)
    answer = (
        Message.objects.filter(conversation_id=conversation.pk, seq__gt=message.seq)
        .order_by("seq")
        .values_list("pk", flat=True)
        .first()
    )
    if (
        answer is not None
        and Alternative.objects.filter(
            message_id=answer, status__in=LIVE_STATUSES
        ).exists()
        and not _interrupt_dead(conversation_id=conversation.pk, message_id=answer)
    ):
        raise ChatError(
            "busy",
            "The reply to this message is still being written: wait for it "
            "or stop it, then edit.",
        )
    Alternative.objects.filter(message=message, index=0).update(
        text=body, updated_at=timezone.now()
    )
    message.edited_at = timezone.now()
    message.save(update_fields=["edited_at"])
    _preview_refresh(conversation.pk)
    broadcast_on_commit(conversation.pk, [message.pk], "updated")
    return message


def _preview_refresh(conversation_id: int) -> None:
    """Set the chat list's preview and time from the newest message with text
    to show: its selected alternative's text, if complete or stopped (the
    partial text of a stopped reply counts; a failed or unfinished one does
    not), at the time it was finished (a user's message: when it was sent).
    No such message left: no preview, the chat's start."""
    last = (
        Alternative.objects.filter(
            message__conversation_id=conversation_id,
            index=F("message__selected"),
            status__in=(Status.COMPLETE, Status.STOPPED),
        )
        .exclude(text="")
        .order_by("-message__seq")
        .values_list("text", "completed_at", "message__created_at")
        .first()
    )
    chat = Conversation.objects.filter(pk=conversation_id)
    if last is None:
        chat.update(preview="", last_message_at=F("created_at"))
        return
    text, completed_at, created_at = last
    chat.update(preview=text[:160], last_message_at=completed_at or created_at)


def _delete(conversation: Conversation, messages: list[Message]) -> list[int]:
    ids = [m.pk for m in messages]
    Message.objects.filter(pk__in=ids).delete()
    _preview_refresh(conversation.pk)
    if messages:
        # Prompts read the history from its kept cut on: with turns gone from
        # there, they start from the beginning again (chat.prompting).
        Conversation.objects.filter(
            pk=conversation.pk, history_from__lte=max(m.seq for m in messages)
        ).update(history_from=0, history_room=0)
    transaction.on_commit(
        lambda: events.send(
            conversation.pk, {"type": "chat.deleted", "message_ids": ids}
        )
    )
    return ids


@transaction.atomic
def message_delete(*, conversation: Conversation, message_id: object) -> list[int]:
    """Delete one message of the user's conversation (a reply still generating
    stops: its worker finds no row to write to)."""
    _ensure_writable(conversation)
    message = _message(conversation, message_id)
    return _delete(conversation, [message])


@transaction.atomic
def conversation_rewind(*, conversation: Conversation, message_id: object) -> list[int]:
    """Delete every message after ``message_id``."""
    _ensure_writable(conversation)
    message = _message(conversation, message_id)
    later = list(
        Message.objects.filter(conversation_id=conversation.pk, seq__gt=message.seq)
    )
    return _delete(conversation, later)


# --- Replies ---------------------------------------------------------------------


def replies_interrupt_dead(*, conversation: Conversation) -> int:
    """Mark failed ("interrupted") the conversation's replies still shown as
    being written whose writer is gone — the liveness rule of
    ``chat.generation`` — and broadcast them; the socket asks on connect and
    resume. Returns how many."""
    return _interrupt_dead(conversation_id=conversation.pk)


@transaction.atomic
def reply_regenerate(
    *, conversation: Conversation, user: User, message_id: object
) -> Alternative:
    """Generate another alternative of the last reply (also the Retry of a
    failed one); the chat continues from it. Given the user's own last
    message instead (a rewind or a delete left it without a reply): a new
    reply to it. Either is an LLM call the user asked for: it counts toward
    the free plan's quotas (``requested_by``)."""
    character = _ensure_chattable(conversation, user)
    conv = _locked(conversation)
    message = _message(conv, message_id)
    if message.author == Author.USER and message.user_id == conv.owner_id:
        return _reply_again(conv, user, character, message)
    if message.author != Author.CHARACTER:
        raise ChatError(
            "invalid_field",
            "Only a character's reply, or your own last message, can be regenerated.",
        )
    if message.is_greeting:
        raise ChatError(
            "invalid_field", "The greeting cannot be regenerated; swipe for the others."
        )
    if Message.objects.filter(conversation=conv, seq__gt=message.seq).exists():
        raise ChatError(
            "not_last", "Only the last reply can be regenerated; rewind to it first."
        )
    # A reply whose writer is gone (a restart) is failed first: its Retry works.
    _interrupt_dead(conversation_id=conv.pk, message_id=message.pk)
    if Alternative.objects.filter(message=message, status__in=LIVE_STATUSES).exists():
        raise ChatError("busy", "This reply is still being written.")
    top = Alternative.objects.filter(message=message).aggregate(top=Max("index"))["top"]
    index = 0 if top is None else top + 1
    if index >= MAX_ALTERNATIVES:
        raise ChatError(
            "too_many", f"A reply keeps at most {MAX_ALTERNATIVES} alternatives."
        )
    plan = _ensure_quota(conv.pk)
    alt = Alternative.objects.create(
        message=message,
        index=index,
        status=Status.PENDING,
        character_version=character.published_version,
        requested_by=user,
    )
    message.selected = index
    message.save(update_fields=["selected"])
    _queue_on_commit(alt.pk, user, plan)  # first, as in message_send
    broadcast_on_commit(conv.pk, [message.pk], "updated")
    return alt


def _reply_again(
    conv: Conversation, user: User, character: Character, said: Message
) -> Alternative:
    """A new reply (a pending character message) to the user's last message,
    ``conv`` locked: after a rewind or a delete left it last, unanswered."""
    if Message.objects.filter(conversation=conv, seq__gt=said.seq).exists():
        raise ChatError(
            "not_last",
            "Only your last message can get a new reply; regenerate the reply "
            "after it instead.",
        )
    if Alternative.objects.filter(
        message__conversation_id=conv.pk, status__in=LIVE_STATUSES
    ).exists():
        _refuse_busy(conv.pk, maybe_dead=True)
    plan = _ensure_quota(conv.pk)
    seq = conv.last_seq + 1
    now = timezone.now()
    reply = Message.objects.create(
        conversation=conv, seq=seq, author=Author.CHARACTER, character=character,
        participant_id=Participant.objects.filter(
            conversation=conv, character_id=conv.character_id
        ).values_list("pk", flat=True).first(),
    )  # fmt: skip
    alt = Alternative.objects.create(
        message=reply,
        index=0,
        status=Status.PENDING,
        character_version=character.published_version,
        requested_by=user,
    )
    Conversation.objects.filter(pk=conv.pk).update(last_seq=seq, updated_at=now)
    _queue_on_commit(alt.pk, user, plan)  # first, as in message_send
    broadcast_on_commit(conv.pk, [reply.pk], "created")
    transaction.on_commit(
        lambda: _in_background(
            lambda: character_messages_added(character_id=character.pk, count=1)
        )
    )
    return alt


@transaction.atomic
def reply_select(
    *, conversation: Conversation, message_id: object, index: object
) -> Message:
    """Choose which alternative (swipe) the chat continues from."""
    _ensure_writable(conversation)
    message = _message(conversation, message_id)
    alt = _index(message, index)
    message.selected = alt.index
    message.save(update_fields=["selected"])
    _preview_refresh(conversation.pk)  # the last reply's swipe is the preview
    broadcast_on_commit(conversation.pk, [message.pk], "updated")
    return message


@transaction.atomic
def reply_rate(
    *, conversation: Conversation, user: User, message_id: object, index: object,
    stars: object, feedback: object = "",
) -> Rating:  # fmt: skip
    """1–4 stars (and optional feedback) on one reply alternative."""
    if not isinstance(stars, int) or isinstance(stars, bool) or not 1 <= stars <= 4:
        raise ChatError("invalid_field", "“stars” must be a whole number from 1 to 4.")
    if feedback is None:
        feedback = ""
    if not isinstance(feedback, str):
        raise ChatError("invalid_field", "“feedback” must be text.")
    _storable(feedback, "feedback")
    if len(feedback) > MAX_FEEDBACK:
        raise ChatError(
            "text_too_long", f"“feedback” is longer than {MAX_FEEDBACK:,} characters."
        )
    message = _message(conversation, message_id)
    if message.author != Author.CHARACTER:
        raise ChatError("invalid_field", "Only a character's reply can be rated.")
    alt = _index(message, index)
    # Only what a user could judge: a finished reply with text (a stopped
    # one's partial text counts), not one still being written or failed.
    if alt.status in LIVE_STATUSES:
        raise ChatError(
            "busy", "This reply is still being written; rate it once it is done."
        )
    if alt.status == Status.FAILED or looks_blank(alt.text):
        raise ChatError(
            "invalid_field",
            "Only a finished reply with text can be rated; retry this one first.",
        )
    rating, _ = Rating.objects.update_or_create(
        alternative=alt,
        user=user,
        defaults={
            "stars": stars,
            "feedback": feedback.strip(),
            "character_id": message.character_id,
        },
    )
    broadcast_on_commit(conversation.pk, [message.pk], "updated")
    return rating


@transaction.atomic
def generation_stop(*, conversation: Conversation, message_id: object) -> int:
    """Stop a reply being written; the text so far is kept, marked stopped.
    Returns how many alternatives were stopped (0: nothing was running)."""
    message = _message(conversation, message_id)
    live = list(Alternative.objects.filter(message=message, status__in=LIVE_STATUSES))
    now = timezone.now()
    # The worker writes only while the status is live, so this row update is the
    # stop signal: its next write finds nothing and it ends.
    stopped = Alternative.objects.filter(
        pk__in=[a.pk for a in live], status__in=LIVE_STATUSES
    ).update(
        status=Status.STOPPED, finish_reason="stopped", completed_at=now, updated_at=now
    )
    for alt in live:
        done: events.DoneEvent = {
            "type": "chat.done", "message_id": message.pk, "index": alt.index,
            "status": Status.STOPPED, "finish_reason": "stopped", "error": "",
            "message": None,  # the broadcast below follows
        }  # fmt: skip
        transaction.on_commit(lambda d=done: events.send(conversation.pk, d))  # type: ignore[misc]  # default-arg binding of the loop variable
    if stopped:
        _preview_refresh(conversation.pk)  # the text so far is shown
        broadcast_on_commit(conversation.pk, [message.pk], "updated")
    return stopped


# --- Personas -------------------------------------------------------------------


def _persona_fields(name: object, description: object) -> tuple[str, str]:
    if not isinstance(name, str) or looks_blank(_storable(name, "name")):
        raise ChatError("invalid_field", "A persona needs a name.")
    if len(name.strip()) > 60:
        raise ChatError("invalid_field", "A persona's name is at most 60 characters.")
    if description is None:
        description = ""
    if not isinstance(description, str):
        raise ChatError("invalid_field", "“description” must be text.")
    _storable(description, "description")
    if len(description) > MAX_PERSONA_DESCRIPTION:
        raise ChatError(
            "text_too_long",
            f"The description is {len(description):,} characters; the limit is "
            f"{MAX_PERSONA_DESCRIPTION:,}.",
        )
    return name.strip(), description.strip()


@transaction.atomic
def persona_create(
    *, user: User, name: object, description: object = "", is_default: bool = False
) -> Persona:
    clean_name, clean_description = _persona_fields(name, description)
    if Persona.objects.filter(user=user).count() >= 50:
        raise ChatError("too_many", "You can keep at most 50 personas.")
    first = not Persona.objects.filter(user=user).exists()
    if is_default:
        Persona.objects.filter(user=user, is_default=True).update(is_default=False)
    return Persona.objects.create(
        user=user, name=clean_name, description=clean_description,
        is_default=is_default or first,
    )  # fmt: skip


@transaction.atomic
def persona_update(
    *,
    persona: Persona,
    name: object,
    description: object = "",
    is_default: bool | None = None,
) -> Persona:
    persona.name, persona.description = _persona_fields(name, description)
    if is_default:
        Persona.objects.filter(user_id=persona.user_id, is_default=True).exclude(
            pk=persona.pk
        ).update(is_default=False)
        persona.is_default = True
    elif is_default is False:
        persona.is_default = False
    persona.save()
    return persona


@transaction.atomic
def persona_delete(*, persona: Persona) -> None:
    persona.delete()


@transaction.atomic
def exchange_append(
    *, conversation: Conversation, user_text: str, reply_text: str
) -> tuple[Message, Message]:
    """Append a finished user message and reply without generating (demo data,
    imported chat logs)."""
    body = _clean_text(user_text)
    conv = _locked(conversation)
    first = conv.last_seq + 1
    now = timezone.now()
    character = conversation.character
    user_message = Message(
        conversation=conv, seq=first, author=Author.USER, user_id=conv.owner_id
    )
    reply = Message(
        conversation=conv, seq=first + 1, author=Author.CHARACTER, character=character
    )
    _insert_exchange(
        (user_message, reply),
        (
            Alternative(message=user_message, index=0, text=body),
            Alternative(
                message=reply, index=0, text=reply_text, status=Status.COMPLETE,
                finish_reason="stop",
                character_version_id=character.published_version_id,
                completed_at=now, provider="import",
            ),
        ),
        {"last_seq": first + 1, "last_message_at": now,
         "preview": reply_text[:160], "updated_at": now},
    )  # fmt: skip
    character_messages_added(character_id=character.pk, count=2)
    return user_message, reply
