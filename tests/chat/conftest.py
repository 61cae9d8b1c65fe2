from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from characters.definition import definition_empty
from characters.models import Character
from characters.services import character_create
from chat.models import Conversation
from chat.services import conversation_start
from community.models import User

EXAMPLES = (
    "<START>\n{{user}}: Do you like the sea?\n{{char}}: The sea? I was born on a "
    "ship, {{user}}. Salt is in my blood.\n"
    "<START>\n{{user}}: What is your favourite food?\n{{char}}: Grilled fish with "
    "lemon, eaten on deck at sunset.\n"
    "<START>\n{{user}}: Tell me about your sword.\n{{char}}: *draws the cutlass* "
    "Forged in Toledo, {{user}}. It has never failed me."
)


@pytest.fixture
def make_character(db: None) -> Callable[..., Character]:
    def make(owner: User, name: str = "Captain Mira", **fields: Any) -> Character:
        data = definition_empty(name)
        data.update(
            {
                "description": "{{char}} is a retired pirate captain who runs a harbour inn.",
                "personality": "Gruff, warm, loves stories. Protective of {{user}}.",
                "first_mes": "*{{char}} wipes the counter.* Welcome aboard, {{user}}!",
                "alternate_greetings": ["Ahoy, {{user}}. Sit, the stew is hot."],
                "mes_example": EXAMPLES,
            }
        )
        data.update(fields)
        return character_create(owner=owner, data=data, publish=True)

    return make


@pytest.fixture
def character(make_character: Callable[..., Character], other_user: User) -> Character:
    return make_character(other_user)


@pytest.fixture
def conversation(user: User, character: Character) -> Conversation:
    return conversation_start(user=user, character=character)


@pytest.fixture
def fast_chat(settings: Any) -> None:
    """Generation in a background thread of the test process (the quick start's
    mode), offline engine with a short word delay."""
    settings.CHAT_GENERATION_MODE = "thread"
    settings.LLM_BASE_URL = ""
    settings.LLM_OFFLINE_WORD_DELAY = 0.005


def session_cookie(user: User) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()
