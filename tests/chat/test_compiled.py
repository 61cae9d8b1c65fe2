"""config.compiled: a QuerySet compiled once gives what evaluating it gives."""

from __future__ import annotations

import pytest
from django.db.models import Count, F, QuerySet

from characters.models import Character, CharacterVersion
from chat.models import Conversation
from community.models import User
from config.compiled import CompiledQuery

pytestmark = pytest.mark.django_db

STAND_IN = -918_273_645


def test_objects_match_the_queryset(
    user: User, conversation: Conversation, character: Character
) -> None:
    def queryset(pk: int) -> QuerySet[Conversation]:
        return (
            Conversation.objects.select_related("character", "owner__profile")
            .annotate(n=Count("messages"))
            .filter(pk=pk)
        )

    compiled = CompiledQuery(queryset(STAND_IN), {"pk": STAND_IN})
    [got] = compiled.objects(pk=conversation.pk)
    want = queryset(conversation.pk).get()
    assert (got.pk, got.title, got.created_at, got.n) == (  # type: ignore[attr-defined]
        want.pk, want.title, want.created_at, want.n,  # type: ignore[attr-defined]
    )  # fmt: skip
    assert got.n == 1  # type: ignore[attr-defined]  # the greeting
    # The related rows came with it: no further query.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert got.character.name == character.name
        assert got.owner.profile.handle == user.profile.handle
    assert len(queries) == 0
    assert compiled.objects(pk=-1) == []


def test_rows_apply_field_converters(character: Character) -> None:
    assert character.published_version_id is not None
    version = CharacterVersion.objects.get(pk=character.published_version_id)
    compiled = CompiledQuery(
        CharacterVersion.objects.filter(pk=STAND_IN).values_list(
            "data", "created_at", F("character__name")
        ),
        {"version": STAND_IN},
    )
    [(data, created, name)] = compiled.rows(version=version.pk)
    assert data == version.data and isinstance(data, dict)  # JSON decoded
    assert created == version.created_at and created.tzinfo is not None
    assert name == character.name


def test_a_stand_in_must_be_bound_and_takes_the_value_everywhere(
    character: Character,
) -> None:
    twice = CompiledQuery(
        Character.objects.filter(pk=STAND_IN) | Character.objects.filter(pk=STAND_IN),
        {"pk": STAND_IN},
    )
    assert len(twice.positions["pk"]) == 2
    assert [c.pk for c in twice.objects(pk=character.pk)] == [character.pk]
    with pytest.raises(ValueError, match="not bound"):
        CompiledQuery(Character.objects.all(), {"pk": STAND_IN})
    compiled = CompiledQuery(Character.objects.filter(pk=STAND_IN), {"pk": STAND_IN})
    with pytest.raises(TypeError):
        compiled.objects(other=1)


def test_the_payload_ending_a_reply_is_the_full_payload(
    user: User, other_user: User, conversation: Conversation, character: Character
) -> None:
    """message_payload_by_id (one compiled query) gives what message_payload
    gives from the prefetched message: alternatives, the owner's ratings."""
    from chat.models import Alternative, Message, Rating
    from chat.selectors import _messages, message_payload, message_payload_by_id
    from chat.services import conversation_start

    reply = Message.objects.get(conversation=conversation, is_greeting=True)
    Alternative.objects.create(message=reply, index=5, text="Also *this*.")
    first = reply.alternatives.get(index=0)
    Rating.objects.create(alternative=first, user=user, stars=3, feedback="ok")
    Rating.objects.create(alternative=first, user=other_user, stars=1)
    want = message_payload(conversation, _messages(conversation).get(pk=reply.pk))
    assert message_payload_by_id(conversation, reply.pk) == want
    assert want["alternatives"][0]["stars"] == 3
    elsewhere = conversation_start(user=user, character=character)
    assert message_payload_by_id(elsewhere, reply.pk) is None
    assert message_payload_by_id(conversation, -5) is None


def test_statements_are_planned_once_per_connection(conversation: Conversation) -> None:
    """A compiled statement is prepared on PostgreSQL and planned once for
    the connection (a generic plan): by default PostgreSQL plans the first
    five executions for their values, which for the send's locking read
    cost milliseconds per turn on every new pooled connection."""
    from django.db import connection

    compiled = CompiledQuery(Conversation.objects.filter(pk=STAND_IN), {"pk": STAND_IN})
    for _ in range(3):
        assert compiled.objects(pk=conversation.pk)[0].pk == conversation.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement = %s",
            [compiled.native_sql],
        )
        assert cursor.fetchall() == [(3, 0)]  # executions: generic, custom
