"""Every main page fits a phone's width: nothing pushes the page sideways
(strips that scroll on their own, like Discover's categories, may be wider
inside their own box)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from characters.definition import definition_empty
from characters.services import character_create
from community.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = 390


def test_main_pages_fit_a_phone(
    signed_in: Callable[..., Any], live_server: object, user: User
) -> None:
    data = definition_empty("Captain Mira")
    data["first_mes"] = "Ahoy!"
    character = character_create(owner=user, data=data, publish=True)
    url = str(getattr(live_server, "url", ""))
    context = signed_in(user, width=PHONE, height=844)
    page = context.new_page()
    wide = {}
    for path in (
        "/discover/", "/create/", f"/c/{character.slug}/", f"/c/{character.slug}/edit/",
        "/chats/", "/chats/personas/", "/community/", "/pricing/", "/creators/",
        "/settings/profile/", "/settings/tokens/",
    ):  # fmt: skip
        response = page.goto(url + path)
        assert response is not None and response.ok, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE:
            wide[path] = width
    context.close()
    assert wide == {}
