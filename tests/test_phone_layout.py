"""Every main page fits a phone's width: nothing pushes the page sideways
(strips that scroll on their own, like Discover's categories, may be wider
inside their own box)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from characters.models import Character
from chat.services import conversation_start, exchange_append
from community.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = 390


def test_main_pages_fit_a_phone(
    signed_in: Callable[..., Any],
    live_server: object,
    user: User,
    published_character: Character,
) -> None:
    from community.services import token_create

    character = published_character
    token_create(user=user, name="The bot on my phone")  # the tokens table has a row
    url = str(getattr(live_server, "url", ""))
    context = signed_in(user, width=PHONE, height=844)
    page = context.new_page()
    wide = {}
    for path in (
        "/discover/", "/create/", f"/c/{character.slug}/", f"/c/{character.slug}/edit/",
        "/chats/", "/chats/personas/", "/community/", "/pricing/", "/creators/",
        "/settings/profile/", "/settings/tokens/", "/studio/",
        f"/c/{character.slug}/versions/",
    ):  # fmt: skip
        response = page.goto(url + path)
        assert response is not None and response.ok, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE:
            wide[path] = width
        if path == "/discover/":
            # The category strip scrolls on its own and fades where more hides.
            strip = page.locator(".chips").first
            assert "is-clipped-right" in (strip.get_attribute("class") or "")
            strip.evaluate("e => e.scrollTo(e.scrollWidth, 0)")
            page.wait_for_function(
                "() => !document.querySelector('.chips')"
                ".classList.contains('is-clipped-right')"
            )
        if path == f"/c/{character.slug}/":
            # The character's numbers sit side by side, not one to a row.
            rows = page.evaluate(
                "new Set([...document.querySelectorAll('.stats > div')]"
                ".map(e => e.offsetTop)).size"
            )
            assert rows == 1, rows
    context.close()
    assert wide == {}


def test_the_chat_composer_stays_in_reach_on_a_phone(
    signed_in: Callable[..., Any],
    live_server: object,
    user: User,
    published_character: Character,
) -> None:
    """Scrolled up through a long chat, the message box and Send are still on
    screen and nothing covers them (the tab bar once did)."""
    character = published_character
    conversation = conversation_start(user=user, character=character)
    for i in range(12):
        exchange_append(
            conversation=conversation,
            user_text=f"Question {i}: what is the sea like tonight?",
            reply_text=f"Answer {i}: " + "Dark and loud, with the gulls asleep. " * 4,
        )
    url = str(getattr(live_server, "url", ""))
    context = signed_in(user, width=PHONE, height=844)
    page = context.new_page()
    page.goto(f"{url}/chats/{conversation.pk}/")
    page.wait_for_selector("text=Answer 11")  # the history, over HTTP
    # The chat opens at its newest message; then the reader scrolls up.
    page.wait_for_function("() => window.scrollY > 0")
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_function("() => window.scrollY === 0")
    for selector in ("[data-composer] textarea", "[data-send]"):
        box = page.locator(selector).bounding_box()
        assert box is not None, selector
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        assert 0 <= y <= 844, (selector, box)
        on_top = page.evaluate(
            "([x, y, s]) => document.querySelector(s).contains("
            "document.elementFromPoint(x, y))",
            [x, y, selector],
        )
        assert on_top, f"{selector} is covered at ({x}, {y})"
    assert page.evaluate("window.scrollY") == 0  # still scrolled up
    context.close()


def test_version_history_reads_on_a_phone(
    signed_in: Callable[..., Any], live_server: object, user: User
) -> None:
    """Comparing versions on a phone: the diff is one column, the old above
    the new, each side labelled with its version (two columns wrapped every
    few characters), and the rollback button is whole inside its card (it
    was cut off at the card's right edge)."""
    from characters.definition import definition_empty
    from characters.services import (
        character_create,
        character_draft_save,
        character_publish,
    )

    data = definition_empty("Captain Brannoch")
    data["description"] = (
        "Captain Brannoch commands the Gull's Wake, a salt-stained brigantine "
        "that smuggles tea and secrets between the northern isles."
    )
    character = character_create(owner=user, data=data, publish=True)
    data["description"] = data["description"].replace("secrets", "letters")
    character_draft_save(character=character, data=data)
    character_publish(character=character, by=user, note="letters, not secrets")

    url = str(getattr(live_server, "url", ""))
    context = signed_in(user, width=PHONE, height=844)
    page = context.new_page()
    page.goto(f"{url}/c/{character.slug}/versions/?a=1&b=2")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    # The history table does not scroll sideways inside its card either.
    assert page.evaluate(
        "[...document.querySelectorAll('.table-wrap')]"
        ".every(e => e.scrollWidth <= e.clientWidth)"
    )
    button = page.get_by_role("button", name="Roll back to this").bounding_box()
    card = page.locator(".table-wrap").bounding_box()
    assert button is not None and card is not None
    assert card["x"] <= button["x"] and (
        button["x"] + button["width"] <= card["x"] + card["width"]
    ), (button, card)

    old = page.locator(".vdiff__side--old").first
    new = page.locator(".vdiff__side--new").first
    assert "Version 1" in (old.text_content() or "") and "secrets" in old.inner_text()
    assert "Version 2" in (new.text_content() or "") and "letters" in new.inner_text()
    old_box, new_box = old.bounding_box(), new.bounding_box()
    assert old_box is not None and new_box is not None
    assert old_box["y"] + old_box["height"] <= new_box["y"]  # old above new
    for box in (old_box, new_box):  # each as wide as the card, not a sliver
        assert box["width"] > PHONE * 0.75, box
    context.close()


def test_save_and_publish_stay_in_reach_in_the_editor_on_a_phone(
    signed_in: Callable[..., Any],
    live_server: object,
    user: User,
    published_character: Character,
) -> None:
    """The editor is one long column on a phone; its buttons came after the
    whole definition, thousands of pixels down. A bar keeps them on screen."""
    character = published_character
    url = str(getattr(live_server, "url", ""))
    context = signed_in(user, width=PHONE, height=844)
    page = context.new_page()
    page.goto(f"{url}/c/{character.slug}/edit/")
    save = page.locator(".studio__bar button[value=draft]")
    for scroll in (0, 1500):
        page.evaluate(f"window.scrollTo(0, {scroll})")
        box = save.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844
        middle = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        on_top = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).closest('.studio__bar') !== null",
            list(middle),
        )
        assert on_top, scroll  # not under the tab bar
    assert page.locator(".studio__side button[value=draft]").is_hidden()
    page.fill("#id_tagline", "Saved from a phone")
    save.click()
    page.wait_for_load_state()
    character.refresh_from_db()
    assert character.draft is not None
    assert character.draft["meta"]["tagline"] == "Saved from a phone"
    context.close()
