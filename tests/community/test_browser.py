"""The community pages in a real Chromium: infinite scroll of a feed, voting
with HTMX, on desktop and phone widths. (The live badge needs websockets, which
pytest-django's WSGI live server lacks: tests/community/test_notifications.py
covers the server's side with Channels' communicator, and here Playwright plays
the socket for the page.)"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from characters.definition import definition_empty
from characters.models import Character
from characters.services import character_create
from community import services
from community.models import AccessToken, Block, Board, Follow, Post, User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_infinite_scroll_and_htmx_vote(
    signed_in: Callable[..., Any], live_server: object, user: User, board: Board,
    width: int,
) -> None:  # fmt: skip
    author = User.objects.get(pk=user.pk)
    staff = User.objects.filter(is_staff=True).first()
    assert staff is not None
    for i, name in enumerate(
        ["Creators' Workshop", "Roleplay Stories", "Feedback & Help"]
    ):
        services.board_create(by=staff, slug=f"wide-{i}", name=name, position=2 + i)
    for i in range(45):
        services.post_create(author=author, board=board, title=f"Scroll post {i}")
    url = str(getattr(live_server, "url", ""))
    context = signed_in(user, width=width)
    page = context.new_page()
    page.goto(f"{url}/community/?feed=new")
    assert page.locator(".feed-item").count() == 20
    # Nothing pushes the page sideways (the boards strip scrolls on its own).
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for _ in range(6):
        page.mouse.wheel(0, 20000)
        page.wait_for_timeout(400)
    page.wait_for_function("() => document.querySelectorAll('.feed-item').length >= 45")
    assert page.locator(".feed-item").count() == 45
    assert page.locator("text=Scroll post 0").count() == 1
    page.goto(f"{url}/community/b/{board.slug}/?sort=new")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    first = page.locator(".vote").first
    first.locator("button").click()
    page.wait_for_selector(".vote__btn.is-on")
    # htmx swapped the form; the focus is on the new button, not lost.
    assert page.evaluate("document.activeElement.className") == "vote__btn is-on"
    newest = Post.objects.order_by("-created_at", "-pk").first()
    assert newest is not None
    newest.refresh_from_db()
    assert newest.score == 1
    context.close()


def test_hovering_a_rating_star_previews_that_many_stars(
    signed_in: Callable[..., Any],
    live_server: object,
    user: User,
    other_user: User,
    make_character: Callable[..., Character],
) -> None:
    character = make_character(other_user, "Captain Mira")
    url = str(getattr(live_server, "url", ""))
    context = signed_in(user, width=1280)
    page = context.new_page()
    page.goto(f"{url}/community/c/{character.slug}/")
    stars = page.locator(".stars__star")
    assert stars.count() == 5
    stars.nth(1).hover()
    lit = [stars.nth(i).evaluate("e => getComputedStyle(e).color") for i in range(5)]
    gold = "rgb(199, 124, 2)"  # --star
    assert [c == gold for c in lit] == [True, True, False, False, False], lit
    context.close()


def test_a_refused_comment_says_why_where_the_page_lands(
    signed_in: Callable[..., Any], live_server: object, user: User, other_user: User
) -> None:
    """The form sends you back to #comments; the reason shows there too (the
    message once sat at the top of the page, out of view)."""
    data = definition_empty("Captain Mira")
    data["first_mes"] = "Ahoy!"
    data["description"] = "A long description. " * 200  # a tall page
    character = character_create(owner=other_user, data=data, publish=True)
    url = str(getattr(live_server, "url", ""))
    context = signed_in(user, width=390, height=844)
    page = context.new_page()
    page.goto(f"{url}/community/c/{character.slug}/")
    page.fill("#id_comment_body", "   ")
    page.click("#comments button[type=submit]")
    page.wait_for_load_state()
    toast = page.locator(".flash__item--error")
    assert "cannot be empty" in toast.inner_text()
    box = toast.bounding_box()
    assert box is not None and 0 <= box["y"] <= 844 - box["height"], box
    middle = box["y"] + box["height"] / 2
    on_top = page.evaluate(
        "y => document.elementFromPoint(20, y).closest('.flash') !== null", middle
    )
    assert on_top
    # Dismissed with its button.
    toast.locator("[data-flash-close]").click()
    assert page.locator(".flash__item").count() == 0
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_message_at_the_top_of_a_page_covers_nothing(
    signed_in: Callable[..., Any], live_server: object, user: User, width: int
) -> None:
    """After a save that lands at the top of a page, the message takes its own
    room above the heading (a floating one hid the page's title) and stays
    until dismissed (fading, it would make the page jump)."""
    url = str(getattr(live_server, "url", ""))
    context = signed_in(user, width=width, height=800)
    page = context.new_page()
    page.clock.install()
    page.goto(f"{url}/settings/profile/")
    page.fill("#id_display_name", "Alice Anew")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    toast = page.locator(".flash__item--success")
    assert "Profile saved" in toast.inner_text()
    heading = page.locator("main h1").first.bounding_box()
    box = toast.bounding_box()
    assert heading is not None and box is not None
    assert box["y"] + box["height"] <= heading["y"], (box, heading)
    page.clock.run_for(9000)
    assert page.locator(".flash__item").count() == 1
    page.locator("[data-flash-close]").click()
    assert page.locator(".flash").count() == 0
    context.close()


def test_a_new_token_shows_once_with_copy_and_a_reload_makes_no_other(
    signed_in: Callable[..., Any], live_server: object, user: User
) -> None:
    """The secret came in the POST's answer: reloading it sent the form again
    and made a second token. Now the form redirects; the page after it shows
    the secret once, with a Copy button."""
    url = str(getattr(live_server, "url", ""))
    context = signed_in(user, width=390, height=844)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
    page = context.new_page()
    page.goto(f"{url}/settings/tokens/")
    page.fill("#id_name", "Discord bot")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    field = page.locator("#new-token")
    secret = field.input_value()
    assert secret.startswith("kdr_")
    # The field and its button fit a phone's width (the secret scrolls inside).
    copy = page.locator("[data-copy='#new-token']").bounding_box()
    assert copy is not None and copy["x"] + copy["width"] <= 390, copy
    page.click("[data-copy='#new-token']")
    page.wait_for_function(
        "() => document.querySelector(\"[data-copy='#new-token']\").textContent === 'Copied'"
    )
    assert page.evaluate("() => navigator.clipboard.readText()") == secret
    page.reload()
    page.wait_for_load_state()
    assert page.locator("#new-token").count() == 0
    assert secret not in page.content()
    assert AccessToken.objects.filter(user=user).count() == 1
    context.close()


def test_block_asks_first_and_then_says_who_you_blocked(
    signed_in: Callable[..., Any], live_server: object, user: User, other_user: User
) -> None:
    """Blocking also ends follows both ways: the button asks, saying so; a
    "Cancel" blocks nobody. Done, the profile says so, with Unblock."""
    # In a thread: its broadcast on commit (async_to_sync) cannot run in
    # this one, where Playwright's event loop runs.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(services.user_follow, follower=user, followee=other_user).result()
    url = str(getattr(live_server, "url", ""))
    context = signed_in(user, width=390, height=844)
    page = context.new_page()
    page.goto(f"{url}/@bob")
    asked: list[str] = []

    def answer(dialog: Any) -> None:
        asked.append(dialog.message)
        if len(asked) == 1:
            dialog.dismiss()
        else:
            dialog.accept()

    page.on("dialog", answer)
    page.click("button:text-is('Block')")
    assert "You stop following each other" in asked[0]
    assert not Block.objects.exists()
    assert Follow.objects.filter(follower=user, followee=other_user).exists()
    page.click("button:text-is('Block')")
    page.wait_for_selector("[data-blocked]")
    assert Block.objects.filter(blocker=user, blocked=other_user).exists()
    assert not Follow.objects.exists()
    assert page.locator("h2:text-is('You blocked @bob')").is_visible()
    page.click("button:text-is('Unblock @bob')")
    page.wait_for_selector("button:text-is('Block')")
    assert not Block.objects.exists()
    assert len(asked) == 2  # unblocking asks nothing
    context.close()


def test_the_unread_count_is_read_out_in_words_as_the_socket_changes_it(
    signed_in: Callable[..., Any], live_server: object, user: User
) -> None:
    """The account menu was announced "Account menu 3": the number needs its
    words ("3 unread notifications"), kept up to date with the number by the
    socket. The live server has no websockets: Playwright plays the server's
    part of /ws/notifications/."""
    from playwright.sync_api import expect

    url = str(getattr(live_server, "url", ""))
    context = signed_in(user, width=1280)
    page = context.new_page()
    sockets: list[Any] = []
    page.route_web_socket("**/ws/notifications/", lambda ws: sockets.append(ws))
    page.goto(f"{url}/discover/")
    for _ in range(50):
        if sockets:
            break
        page.wait_for_timeout(100)
    menu = page.locator("summary.menu__button")
    expect(menu).to_have_accessible_name("Account menu")

    def unread(n: int) -> None:
        sockets[0].send(f'{{"type": "notify.unread", "unread": {n}}}')

    unread(3)
    expect(menu).to_have_accessible_name("Account menu 3 unread notifications")
    number = menu.locator("[data-unread-number]")
    expect(number).to_have_text("3")  # seen: the number alone
    menu.click()
    link = page.locator(".menu__panel a", has_text="Notifications")
    expect(link).to_have_accessible_name("Notifications 3 unread")
    unread(1)
    expect(menu).to_have_accessible_name("Account menu 1 unread notification")
    expect(link).to_have_accessible_name("Notifications 1 unread")
    unread(100)  # the socket counts no further than the badge shows
    expect(number).to_have_text("99+")
    expect(menu).to_have_accessible_name(
        "Account menu more than 99 unread notifications"
    )
    unread(0)
    expect(menu.locator(".badge")).to_be_hidden()
    expect(menu).to_have_accessible_name("Account menu")
    context.close()
