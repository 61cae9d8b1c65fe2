"""A character's community page in a real Chromium, on a wide screen and a
phone: rating and taking the rating back, and the way on to the character."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from characters.models import Character
from community.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_rate_take_it_back_and_go_on_to_the_character(
    signed_in: Callable[..., Any], live_server: object, user: User,
    other_user: User, make_character: Callable[..., Character],
    width: int, height: int,
) -> None:  # fmt: skip
    character = make_character(other_user, "Captain Mira")
    url = str(getattr(live_server, "url", ""))
    context = signed_in(user, width=width, height=height)
    page = context.new_page()
    page.goto(f"{url}/community/c/{character.slug}/")
    stars = page.get_by_role("group", name="Your rating:").get_by_role("button")
    assert page.get_by_role("button", name="Remove my rating").count() == 0
    page.get_by_role("button", name="4 stars").click()
    page.wait_for_load_state()
    pressed = page.locator(".stars__star[aria-pressed=true]")
    assert pressed.count() == 1 and pressed.get_attribute("value") == "4"
    assert stars.count() == 6  # five stars and "Remove my rating"
    remove = page.get_by_role("button", name="Remove my rating")
    box = remove.bounding_box()
    assert box is not None and box["x"] + box["width"] <= width
    remove.click()
    page.wait_for_load_state()
    assert page.locator(".stars__star[aria-pressed=true]").count() == 0
    assert "Your rating was removed." in page.locator(".flash").inner_text()
    character.refresh_from_db()
    assert character.rating_count == 0
    # Chat is offered here too, and the name leads to the character's page.
    assert page.get_by_role("button", name="Chat", exact=True).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("heading", level=1).get_by_role("link").click()
    page.wait_for_url(f"{url}/c/{character.slug}/")
    context.close()
