"""Chat's side of shared chat logs (the community app's "share" and "continue
this story"): read a snapshot of a message range, and fork a snapshot into a new
conversation. Added by the community work; it lives in chat because it reads and
writes chat's own tables.

A snapshot copies text, so later edits or deletion of the conversation never
change a published share."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from characters.models import Character
from chat.models import (
    SHARED_FINISH,
    Alternative,
    Author,
    Conversation,
    Message,
    Participant,
    Status,
)
from chat.selectors import speaker_name
from chat.services import ChatError, conversation_start, user_display_name
from community.models import User

MAX_SHARED_MESSAGES = 200
HIDDEN_PERSONA_NAME = "Reader"


@dataclass(frozen=True)
class SnapshotTurn:
    author: str  # "user" | "character"
    name: str
    text: str


def conversation_snapshot(
    *, conversation: Conversation, from_seq: int, to_seq: int, hide_persona: bool
) -> list[SnapshotTurn]:
    """The selected text of messages ``from_seq``..``to_seq`` (inclusive) of a
    conversation the caller has checked the user owns. Raises ``ChatError`` for a
    range outside the conversation or with nothing finished in it."""
    if (
        isinstance(from_seq, bool)
        or isinstance(to_seq, bool)
        or not isinstance(from_seq, int)
        or not isinstance(to_seq, int)
    ):
        raise ChatError("invalid_field", "“from_seq” and “to_seq” must be numbers.")
    if from_seq < 1 or to_seq < from_seq:
        raise ChatError(
            "invalid_range",
            "The range must start at 1 or later and not end before it starts.",
        )
    if to_seq - from_seq + 1 > MAX_SHARED_MESSAGES:
        raise ChatError(
            "invalid_range",
            f"Share at most {MAX_SHARED_MESSAGES} messages at a time.",
        )
    if to_seq > conversation.last_seq:
        raise ChatError(
            "invalid_range",
            f"This conversation has {conversation.last_seq} "
            f"message{'' if conversation.last_seq == 1 else 's'}; "
            f"message {to_seq} does not exist.",
        )
    messages = list(
        Message.objects.filter(
            conversation=conversation, seq__gte=from_seq, seq__lte=to_seq
        )
        .exclude(author=Author.SYSTEM)
        .prefetch_related("alternatives")
        .order_by("seq")
    )
    # With the persona hidden, its name goes from the texts too: the greeting
    # and replies say it wherever the card wrote {{user}}, and so may the
    # user's own lines.
    hide = (
        _name_pattern(
            {user_display_name(conversation)}
            | {
                speaker_name(conversation, m)
                for m in messages
                if m.author == Author.USER
            }
        )
        if hide_persona
        else None
    )
    turns = []
    for message in messages:
        chosen = next(
            (a for a in message.alternatives.all() if a.index == message.selected),
            None,
        )
        if (
            chosen is None
            or chosen.status != Status.COMPLETE
            or not chosen.text.strip()
        ):
            continue
        if message.author == Author.USER and hide_persona:
            name = HIDDEN_PERSONA_NAME
        else:
            name = speaker_name(conversation, message)
        text = (
            chosen.text if hide is None else hide.sub(HIDDEN_PERSONA_NAME, chosen.text)
        )
        turns.append(SnapshotTurn(author=message.author, name=name, text=text))
    if not turns:
        raise ChatError(
            "invalid_range", "There are no finished messages in that range to share."
        )
    return turns


def _name_pattern(names: set[str]) -> re.Pattern[str] | None:
    """The names as whole words, longest first ("Ann Lee" before "Ann")."""
    words = sorted((n.strip() for n in names if len(n.strip()) > 1), key=len)
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in reversed(words))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


@transaction.atomic
def conversation_fork(
    *, user: User, character: Character, turns: list[SnapshotTurn], title: str
) -> Conversation:
    """A new private conversation of ``user`` with ``character`` that starts
    from ``turns`` (instead of the greeting). The caller fetched ``character``
    with ``character_get_for_user``. Raises ``ChatError`` like
    ``conversation_start``."""
    conversation = conversation_start(user=user, character=character)
    Message.objects.filter(conversation=conversation).delete()
    me = Participant.objects.get(conversation=conversation, user=user)
    bot = Participant.objects.get(conversation=conversation, character=character)
    now = timezone.now()
    created = Message.objects.bulk_create(
        [
            Message(
                conversation=conversation,
                seq=i,
                author=Author.USER if t.author == Author.USER else Author.CHARACTER,
                participant=me if t.author == Author.USER else bot,
                user=user if t.author == Author.USER else None,
                character=None if t.author == Author.USER else character,
            )
            for i, t in enumerate(turns, start=1)
        ]
    )
    Alternative.objects.bulk_create(
        [
            Alternative(
                message=m,
                index=0,
                text=t.text,
                status=Status.COMPLETE,
                finish_reason=SHARED_FINISH,
                completed_at=now,
            )
            for m, t in zip(created, turns, strict=True)
        ]
    )
    Conversation.objects.filter(pk=conversation.pk).update(
        last_seq=len(turns),
        last_message_at=now,
        preview=turns[-1].text[:160],
        title=title[:120],
    )
    conversation.refresh_from_db()
    return conversation
