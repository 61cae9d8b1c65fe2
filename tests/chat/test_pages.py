"""Chat pages: list, chat page, start, rename/delete, personas — by role."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from characters.models import Character
from chat.models import Conversation, Persona
from chat.services import conversation_start, exchange_append
from community.models import User

pytestmark = pytest.mark.django_db


def client_for(user: User | None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def test_start_creates_a_conversation_and_redirects(
    user: User, character: Character
) -> None:
    response = client_for(user).post(f"/chats/new/{character.slug}/")
    conversation = Conversation.objects.get(owner=user)
    assert (
        response.status_code == 302
        and response["Location"] == f"/chats/{conversation.pk}/"
    )
    assert client_for(user).get(f"/chats/new/{character.slug}/").status_code == 405


def test_start_requires_login_and_a_visible_character(
    user: User, character: Character
) -> None:
    assert client_for(None).post(f"/chats/new/{character.slug}/").status_code == 302
    assert client_for(user).post("/chats/new/nobody-here/").status_code == 404
    assert not Conversation.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/chats/{pk}/",
        "/chats/{pk}/rename/",
        "/chats/{pk}/persona/",
        "/chats/{pk}/delete/",
    ],
)
@pytest.mark.parametrize("role", ["owner", "other", "staff", "anonymous"])
def test_chat_routes_by_role(
    path: str,
    role: str,
    conversation: Conversation,
    user: User,
    other_user: User,
    staff_user: User,
) -> None:
    who = {"owner": user, "other": other_user, "staff": staff_user, "anonymous": None}[
        role
    ]
    url = path.format(pk=conversation.pk)
    response = (
        client_for(who).post(url, {"title": "x"})
        if path != "/chats/{pk}/"
        else client_for(who).get(url)
    )
    if role == "owner":
        assert response.status_code in (200, 302)
    elif role == "anonymous":
        assert (
            response.status_code == 302 and "/accounts/login/" in response["Location"]
        )
    else:
        assert response.status_code == 404
    if role != "owner":
        assert Conversation.objects.filter(pk=conversation.pk, title="").exists()


def test_chat_page_shows_history_offline_notice_and_no_inline_script(
    user: User, conversation: Conversation
) -> None:
    html = client_for(user).get(f"/chats/{conversation.pk}/").content.decode()
    assert "Welcome aboard, Alice!" in html
    assert "Offline engine" in html
    assert f'data-socket="/ws/conversations/{conversation.pk}/"' in html
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag
    assert not re.search(r"\sstyle=", html)


def test_chat_page_lays_out_each_text_in_its_own_direction_and_pages_back(
    user: User, conversation: Conversation
) -> None:
    """Right-to-left text reads right to left (messages and composer); the
    offline engine is named in the sticky header; a chat longer than the
    page offers its older messages."""
    client = client_for(user)
    exchange_append(conversation=conversation, user_text="مرحبا", reply_text="שלום")
    html = client.get(f"/chats/{conversation.pk}/").content.decode()
    assert html.count('class="msg__text md" dir="auto"') == 3
    assert re.search(r"<textarea[^>]*dir=\"auto\"", html)
    start = html.index('class="chat__head"')
    head = html[start : html.index("</header>", start)]
    assert "Offline engine" in head
    assert re.search(r"data-older hidden", html)
    for i in range(50):
        exchange_append(conversation=conversation, user_text=f"Q{i}", reply_text="A")
    html = client.get(f"/chats/{conversation.pk}/").content.decode()
    assert "data-older>" in html and html.count('class="msg ') == 100


def test_a_read_only_chat_offers_no_changes(
    user: User, conversation: Conversation
) -> None:
    from characters.services import character_delete

    client = client_for(user)
    assert "Switch persona" in client.get(f"/chats/{conversation.pk}/").content.decode()
    character_delete(character=conversation.character)
    html = client.get(f"/chats/{conversation.pk}/").content.decode()
    assert "The chat is read-only." in html and 'data-read-only="true"' in html
    for offer in ("Switch persona", "New chat", "data-composer"):
        assert offer not in html, offer


def test_list_is_most_recent_first_with_constant_queries(
    user: User,
    other_user: User,
    make_character,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    client = client_for(user)
    chars = [make_character(other_user, name=f"Char {i}") for i in range(3)]
    convs = [conversation_start(user=user, character=c) for c in chars]
    client.get("/chats/")  # warm the session
    with django_assert_num_queries(4):  # session, user, profile (nav), conversations
        html = client.get("/chats/").content.decode()
    positions = [html.index(f"/chats/{c.pk}/") for c in convs]
    assert positions == sorted(positions, reverse=True)
    for c in chars[:2]:
        conversation_start(user=user, character=c)
    with django_assert_num_queries(4):
        client.get("/chats/")


def test_list_previews_show_text_not_markdown_marks(
    user: User, other_user: User, make_character
) -> None:
    conversation = conversation_start(
        user=user, character=make_character(other_user, name="Mira")
    )
    # A preview keeps 160 characters: it may end inside an emphasis.
    exchange_append(
        conversation=conversation,
        user_text="Hi",
        reply_text="*Mira smiles.* Welcome **aboard**, <b>Sam</b>! " + "*Sails " * 40,
    )
    html = client_for(user).get("/chats/").content.decode()
    preview = re.search(r'class="chat-list__preview">([^<]*)<', html)
    assert preview is not None, html
    # Raw HTML in a message is text (markdown-it's html option is off), escaped.
    assert preview.group(1).startswith(
        "Mira smiles. Welcome aboard, &lt;b&gt;Sam&lt;/b&gt;! Sails Sails"
    ), preview
    assert "*" not in preview.group(1)


def test_empty_list(user: User) -> None:
    assert "No chats yet" in client_for(user).get("/chats/").content.decode()


def test_personas_page_create_edit_delete_and_bad_input(
    user: User, other_user: User
) -> None:
    client = client_for(user)
    response = client.post("/chats/personas/", {"name": "Ann", "description": "Sailor"})
    assert response.status_code == 302
    persona = Persona.objects.get(user=user)
    bad = client.post("/chats/personas/", {"name": "", "description": "x" * 2001})
    assert (
        bad.status_code == 200
        and "at most 2000 characters" in bad.content.decode().replace(",", "")
    )
    assert Persona.objects.count() == 1
    client.post(f"/chats/personas/{persona.pk}/", {f"p{persona.pk}-name": "Annie"})
    persona.refresh_from_db()
    assert persona.name == "Annie"
    # The page says a persona can be edited, and its Delete submits the
    # delete form (beside Save, outside the edit form).
    html = client.get("/chats/personas/").content.decode()
    assert '<span class="persona__edit">Edit</span>' in html
    assert f'form="persona-delete-{persona.pk}">Delete</button>' in html
    assert (
        f'action="/chats/personas/{persona.pk}/delete/" id="persona-delete-{persona.pk}"'
        in html
    )
    assert (
        client_for(other_user).post(f"/chats/personas/{persona.pk}/delete/").status_code
        == 404
    )
    client.post(f"/chats/personas/{persona.pk}/delete/")
    assert not Persona.objects.exists()
