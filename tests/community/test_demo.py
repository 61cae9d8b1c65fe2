"""seed_demo's community part: alive on the first run, unchanged on the second."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from community.models import (
    Board,
    CharacterLike,
    CharacterRating,
    Comment,
    FeedEvent,
    Follow,
    Moment,
    Notification,
    Post,
    SharedChat,
    User,
)

pytestmark = pytest.mark.django_db

MODELS = [
    User, Board, Post, Comment, Follow, CharacterLike, CharacterRating,
    Moment, SharedChat, FeedEvent, Notification,
]  # fmt: skip


def test_seed_demo_is_alive_and_idempotent(settings: object) -> None:
    call_command("seed_demo")
    counts = {m.__name__: m._default_manager.count() for m in MODELS}
    assert list(Board.objects.values_list("name", flat=True)) == [
        "Announcements",
        "Anime & Games",
        "Creators' Workshop",
        "Roleplay Stories",
        "Feedback & Help",
    ]
    assert all(Post.objects.filter(board=b).exists() for b in Board.objects.all())
    for name in ("Follow", "CharacterLike", "CharacterRating", "Comment", "Moment"):
        assert counts[name] > 0, name
    assert counts["SharedChat"] == 1
    call_command("seed_demo")
    assert {m.__name__: m._default_manager.count() for m in MODELS} == counts
