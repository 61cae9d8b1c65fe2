"""Community fixtures: characters through the characters services, boards
through ours. New characters reach the feeds through
``community.services.moment_post_for_version`` — the hook the lead calls from
``character_publish``; the fixture calls it the same way."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from characters.models import Character
from characters.services import Settings, character_create
from community.models import Board, User
from community.services import board_create, moment_post_for_version


@pytest.fixture
def make_character(db: None) -> Callable[..., Character]:
    def make(
        owner: User,
        name: str = "Aria",
        *,
        visibility: str = "public",
        mature: bool = False,
        publish: bool = True,
    ) -> Character:
        character = character_create(
            owner=owner,
            data={
                "name": name,
                "description": f"{name} is a test character.",
                "first_mes": f"Hello, I am {name}.",
            },
            meta={
                "tagline": f"{name}'s tagline",
                "content_rating": "mature" if mature else "general",
            },
            switches=Settings(visibility=visibility),
            publish=publish,
        )
        if publish and character.published_version is not None:
            moment_post_for_version(version=character.published_version)
        return character

    return make


@pytest.fixture
def board(staff_user: User) -> Board:
    return board_create(
        by=staff_user, slug="anime-games", name="Anime & Games", position=1
    )


@pytest.fixture
def announcements(staff_user: User) -> Board:
    return board_create(
        by=staff_user,
        slug="announcements",
        name="Announcements",
        position=0,
        staff_only_posts=True,
    )


@pytest.fixture
def carol(make_user: Callable[..., User]) -> User:
    return make_user("carol")
