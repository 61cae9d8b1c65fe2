from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest

from characters.models import Character
from characters.services import Settings, character_create
from community.models import User

_n = itertools.count(1)


def definition(name: str, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": name,
        "description": f"{name} is a lighthouse keeper who collects stories from sailors.",
        "personality": "patient, curious",
        "scenario": "A stormy night at the lighthouse.",
        "first_mes": f"*{name} lifts the lantern.* Welcome, {{{{user}}}}.",
        "mes_example": "<START>\n{{user}}: Hello?\n{{char}}: Come in out of the rain.",
        "tags": ["fantasy", "cozy"],
    }
    data.update(fields)
    return data


@pytest.fixture
def make_character(db: None) -> Callable[..., Character]:
    def make(
        owner: User,
        name: str | None = None,
        *,
        visibility: str = "public",
        content_rating: str = "general",
        category: str = "original",
        definition_visible: bool = True,
        remix_allowed: bool = True,
        publish: bool = True,
        tagline: str = "",
        **fields: Any,
    ) -> Character:
        name = name or f"Keeper {next(_n)}"
        return character_create(
            owner=owner,
            data=definition(name, **fields),
            meta={
                "tagline": tagline,
                "category": category,
                "content_rating": content_rating,
            },
            switches=Settings(
                visibility=visibility,
                definition_visible=definition_visible,
                remix_allowed=remix_allowed,
            ),
            publish=publish,
        )

    return make
