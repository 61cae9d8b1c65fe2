"""Menus and popovers behave like menus in a real Chromium: Escape and a click
elsewhere close them; the share popover copies its link and, on a phone,
opens on screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from characters.models import Character
from community.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_menus_close_on_escape_and_outside_clicks(
    signed_in: Callable[..., Any], live_server: object, user: User
) -> None:
    url = str(getattr(live_server, "url", ""))
    context = signed_in(user, width=1280)
    page = context.new_page()
    page.goto(url + "/discover/")
    menu = page.locator("details.menu").first
    menu.locator("summary").click()
    assert menu.evaluate("d => d.open")
    page.keyboard.press("Escape")
    assert not menu.evaluate("d => d.open")
    # Focus goes back to the button that opened it.
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    menu.locator("summary").click()
    assert menu.evaluate("d => d.open")
    # A click inside keeps it open; one elsewhere closes it.
    menu.locator(".menu__panel").click(position={"x": 5, "y": 5})
    assert menu.evaluate("d => d.open")
    page.locator("main").click(position={"x": 5, "y": 5})
    assert not menu.evaluate("d => d.open")
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_share_popover_copies_its_link_and_is_on_screen(
    signed_in: Callable[..., Any],
    live_server: object,
    user: User,
    published_character: Character,
    width: int,
) -> None:
    character = published_character
    url = str(getattr(live_server, "url", ""))
    context = signed_in(user, width=width, height=844)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
    page = context.new_page()
    page.goto(f"{url}/c/{character.slug}/")
    page.locator("details.share summary").click()
    panel = page.locator(".share__panel")
    box = panel.bounding_box()
    assert box is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= 844, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    copy = panel.locator("[data-copy]")
    copy.click()
    page.wait_for_function(
        "() => document.querySelector('[data-copy]').textContent === 'Copied'"
    )
    link = page.locator("#share-url").input_value()
    assert link.endswith(f"/c/{character.slug}/")
    assert page.evaluate("navigator.clipboard.readText()") == link
    context.close()
