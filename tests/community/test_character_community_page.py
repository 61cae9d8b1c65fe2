"""A character's community page leads on: to the character's page and to a
chat (it was a dead end every embed linked to); its rating stars say which is
the viewer's and can be taken back."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from characters.models import Character
from community import services
from community.models import User

pytestmark = pytest.mark.django_db


def _page(client: Client, character: Character) -> str:
    response = client.get(f"/community/c/{character.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_it_links_to_the_character_and_offers_a_chat(
    user: User, other_user: User, make_character: Callable[..., Character]
) -> None:
    character = make_character(user, "Captain Mira")
    home = f"/c/{character.slug}/"
    start = f"/chats/new/{character.slug}/"
    html = _page(Client(), character)
    assert f'<h1><a href="{home}">Captain Mira</a></h1>' in html
    assert f'<a class="char-head__avatar" href="{home}"' in html
    login = f"/accounts/login/?next=/community/c/{character.slug}/"
    assert f'href="{login}">Log in to chat</a>' in html
    reader = Client()
    reader.force_login(other_user)
    html = _page(reader, character)
    assert f'<form method="post" action="{start}">' in html
    assert ">Chat</button>" in html


def test_a_premium_character_asks_for_support(
    user: User, other_user: User, make_character: Callable[..., Character]
) -> None:
    from billing.models import PremiumCharacter

    character = make_character(user, "Captain Mira")
    PremiumCharacter.objects.create(character=character, price_cents=299)
    reader = Client()
    reader.force_login(other_user)
    html = _page(reader, character)
    assert "Become a supporter to chat</a>" in html
    assert ">Chat</button>" not in html
    owner = Client()
    owner.force_login(user)
    assert ">Chat</button>" in _page(owner, character)


def test_the_viewers_rating_is_pressed_and_can_be_taken_back(
    user: User, other_user: User, make_character: Callable[..., Character]
) -> None:
    character = make_character(user, "Captain Mira")
    reader = Client()
    reader.force_login(other_user)
    html = _page(reader, character)
    assert html.count('aria-pressed="false">★') == 5
    assert "Remove my rating" not in html
    services.character_rate(user=other_user, character=character, stars=3)
    html = _page(reader, character)
    assert 'role="group" aria-labelledby="stars-label"' in html
    pressed = re.findall(r'value="(\d)" aria-label="[^"]+" aria-pressed="true"', html)
    assert pressed == ["3"]
    remove = re.search(r'formaction="([^"]+)">Remove my rating</button>', html)
    assert remove is not None
    response = reader.post(remove.group(1))
    assert response.status_code == 302
    assert response["Location"] == f"/community/c/{character.slug}/"
    character.refresh_from_db()
    assert character.rating_count == 0 and character.rating_sum == 0
    html = _page(reader, character)
    assert 'aria-pressed="true"' not in html.split('class="stars"')[1][:2000]
    assert "Remove my rating" not in html
    # Taking back a rating one does not have changes nothing.
    assert reader.post(remove.group(1)).status_code == 302
    character.refresh_from_db()
    assert character.rating_count == 0
    # Visitors are sent to log in; nothing changes.
    anonymous = Client().post(remove.group(1))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert Client().get(remove.group(1)).status_code in (302, 405)
