"""This app's part of `seed_demo` (idempotent): a chat or two for the demo user
with the demo characters, if there are any."""

from __future__ import annotations

from characters.selectors import listed
from chat.llm import OfflineContext
from chat.llm.offline import compose_reply
from chat.models import Conversation, Persona
from chat.prompting import char_name, fill_macros, split_examples
from chat.services import (
    conversation_start,
    exchange_append,
    persona_create,
    user_display_name,
)
from community.models import User

OPENERS = ["Hi! What do you like to do for fun?", "Tell me about where you live."]


def seed() -> list[str]:
    user = User.objects.filter(email="demo@example.com").first()
    if user is None:
        return ["chat: no demo user, skipped"]
    report: list[str] = []
    if not Persona.objects.filter(user=user).exists():
        persona_create(
            user=user,
            name="Sam",
            description="A curious traveller who asks a lot of questions.",
            is_default=False,
        )
        report.append("chat: persona Sam created")
    if Conversation.objects.filter(owner=user).exists():
        return [*report, "chat: demo conversations already there"]
    characters = list(
        listed(user).select_related("published_version").order_by("pk")[:2]
    )
    if not characters:
        return [*report, "chat: no demo characters, no conversations"]
    for character, opener in zip(characters, OPENERS, strict=False):
        conversation = conversation_start(user=user, character=character)
        version = character.published_version
        data = dict(version.data) if version is not None else {"name": character.name}
        char = char_name(data)

        def fill(
            text: str, char: str = char, name: str = user_display_name(conversation)
        ) -> str:
            return fill_macros(text, char=char, user=name)

        reply = compose_reply(
            OfflineContext(
                char_name=char,
                user_name=user_display_name(conversation),
                greeting=fill(str(data.get("first_mes") or "")),
                description=fill(str(data.get("description") or "")),
                personality=fill(str(data.get("personality") or "")),
                examples=[
                    fill(b) for b in split_examples(str(data.get("mes_example") or ""))
                ],
                user_text=opener,
            )
        )
        exchange_append(conversation=conversation, user_text=opener, reply_text=reply)
        report.append(f"chat: conversation with {character.name} created")
    return report
