"""{{user}} in a greeting shown outside a chat (the character page, the
editor's preview) reads as the viewer's chat would: their default persona's
name, else their display name; a visitor is "you", never "You" mid-sentence."""

from __future__ import annotations

import html

import pytest
from django.template import Context, Template
from django.test import Client

from characters.models import Character
from characters.services import character_create
from chat.models import Conversation
from chat.services import conversation_start, persona_create
from community.models import User
from tests.characters.conftest import definition

pytestmark = pytest.mark.django_db

GREETING = (
    "*{{char}} squints.* Name yourself, {{user}}, before I toss you overboard. "
    "{{user}}'s boots are wet.\n\n{{user}}? Speak!"
)


def _greeting(client: Client, slug: str) -> str:
    page = html.unescape(client.get(f"/c/{slug}/").content.decode())
    start = page.index("<h2>Greeting</h2>")
    return page[start : page.index("</section>", start)]


def _character(owner: User) -> str:
    return character_create(
        owner=owner, data=definition("Mira", first_mes=GREETING), publish=True
    ).slug


def test_a_visitor_is_you_in_the_middle_of_a_sentence(other_user: User) -> None:
    greeting = _greeting(Client(), _character(other_user))
    assert "Name yourself, you, before I toss you overboard." in greeting
    assert "Your boots are wet." in greeting  # a sentence starts: capital
    assert "You? Speak!" in greeting  # a paragraph starts
    assert "Mira squints." in greeting


def test_a_member_reads_the_name_their_chat_uses(
    user: User, other_user: User, user_client: Client
) -> None:
    slug = _character(other_user)
    # No persona: the display name, as in the chat.
    assert "Name yourself, Alice, before" in _greeting(user_client, slug)
    persona_create(user=user, name="Captain Vex", is_default=True)
    greeting = _greeting(user_client, slug)
    assert "Name yourself, Captain Vex, before" in greeting
    assert "Captain Vex's boots are wet." in greeting
    # The chat the page starts greets with the same words.
    conversation_start(user=user, character=Character.objects.get(slug=slug))
    chat = Conversation.objects.get(owner=user).messages.get().alternatives.get()
    assert "Name yourself, Captain Vex, before" in chat.text


def test_the_editors_preview_uses_the_creators_name(user: User) -> None:
    client = Client()
    client.force_login(user)
    persona_create(user=user, name="Vex")
    page = client.post(
        "/create/greeting-preview/", {"first_mes": GREETING, "name": "Mira"}
    ).content.decode()
    assert "Name yourself, Vex, before" in html.unescape(page)


@pytest.mark.parametrize(
    ("text", "user", "shown"),
    [
        ("Hello {{user}}, I'm {{char}}!", None, "Hello you, I'm Ava!"),
        ("{{ user }}! Over here.", None, "You! Over here."),
        ("<USER> and <BOT>", None, "You and Ava"),
        ('Then: "{{user}}, wait."', None, 'Then: "you, wait."'),
        ('Stop. "{{user}}, wait."', None, 'Stop. "You, wait."'),
        ("Take {{user}}’s hand.", None, "Take your hand."),
        ("{{char}}'s ship, {{user}}'s map", "Bo", "Ava's ship, Bo's map"),
        ("{{user}} <b>", "<i>", "<i> <b>"),
    ],
)
def test_macros_tag(text: str, user: str | None, shown: str) -> None:
    template = Template("{% load kindred %}{% macros text char='Ava' user=user %}")
    rendered = template.render(Context({"text": text, "user": user}))
    assert html.unescape(rendered) == shown
    assert "<" not in rendered  # escaped like any string
