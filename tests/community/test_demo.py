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
    # The story post about Iris embeds Iris (it embedded another character).
    story = Post.objects.get(title="A stormy night at the lighthouse")
    assert "Iris" in story.body and story.character is not None
    assert story.character.name == "Lantern Keeper Iris"
    call_command("seed_demo")
    assert {m.__name__: m._default_manager.count() for m in MODELS} == counts
