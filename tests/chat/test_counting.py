"""One rule for what counts (``chat.stats``): the character page's counters,
the creator dashboard and the creator fund agree. A message is one a person
wrote or the reply to it — never the greeting, never turns copied from a
shared log; a chatter is someone who sent one."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from characters.models import Character
from chat.services import conversation_start, exchange_append
from chat.sharing import SnapshotTurn, conversation_fork
from chat.stats import messages_by_character
from community.models import User

pytestmark = pytest.mark.django_db


def _dashboard(
    owner: User, character: Character
) -> tuple[dict[str, int], tuple[int, ...]]:
    """The dashboard's totals by label, and today's chats, messages and
    chatters, as the owner sees them."""
    client = Client()
    client.force_login(owner)
    page = client.get(f"/community/c/{character.slug}/dashboard/").content.decode()
    totals = re.findall(
        r'<span class="stat__n">(\d+)</span><span class="muted">([a-z ]+)</span>',
        page,
    )
    today = re.search(
        rf"<tr><td>{timezone.now():%b %d}</td><td>(\d+)</td><td>(\d+)</td>"
        r"<td>(\d+)</td>",
        page,
    )
    assert today is not None
    return {label: int(n) for n, label in totals}, tuple(map(int, today.groups()))


def test_the_dashboard_counts_what_the_character_page_counts(
    user: User,
    other_user: User,
    make_user: Callable[..., User],
    character: Character,
) -> None:
    # One chat: the greeting and four exchanges.
    conversation = conversation_start(user=user, character=character)
    for i in range(4):
        exchange_append(conversation=conversation, user_text=f"hi {i}", reply_text="ho")
    # Someone opens a chat and never types.
    conversation_start(user=make_user("lurker"), character=character)

    character.refresh_from_db()
    assert (character.chats_count, character.messages_count) == (2, 8)
    totals, today = _dashboard(other_user, character)
    assert totals["chats"] == 2
    assert totals["messages"] == 8  # the greetings are not messages
    assert totals["unique chatters"] == 1  # the lurker sent nothing
    assert today == (2, 8, 1)
    # The fund weighs the same messages: the four the chatter wrote.
    now = timezone.now()
    hour = timedelta(hours=1)
    assert messages_by_character(start=now - hour, end=now + hour) == {character.pk: 4}


def test_turns_copied_from_a_shared_log_are_not_counted_again(
    user: User, other_user: User, make_user: Callable[..., User], character: Character
) -> None:
    """“Continue this story” copies a shared log's turns into a new chat:
    nobody wrote them there. The counter never counted them; neither do the
    dashboard and the fund (a Pro reader continuing long logs would otherwise
    weigh in the fund for messages they never sent)."""
    reader = make_user("reader")
    turns = [
        SnapshotTurn(author="user" if i % 2 == 0 else "character", name="x", text="t")
        for i in range(10)
    ]
    forked = conversation_fork(
        user=reader, character=character, turns=turns, title="Go on"
    )
    character.refresh_from_db()
    assert (character.chats_count, character.messages_count) == (1, 0)
    assert _dashboard(other_user, character)[1] == (1, 0, 0)
    # What the reader writes from there on counts.
    exchange_append(conversation=forked, user_text="And then?", reply_text="Then…")
    character.refresh_from_db()
    assert character.messages_count == 2
    totals, today = _dashboard(other_user, character)
    assert (totals["messages"], totals["unique chatters"]) == (2, 1)
    assert today == (1, 2, 1)
    now = timezone.now()
    hour = timedelta(hours=1)
    assert messages_by_character(
        start=now - hour, end=now + hour, user_ids=[reader.pk]
    ) == {character.pk: 1}
