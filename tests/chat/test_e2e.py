"""In Debian's Chromium against a live daphne (websockets): log in, open a
character, chat, watch the reply stream, swipe, rate, reload, see the history."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from django.db import connection
from django.urls import NoReverseMatch, reverse

from characters.models import Character
from chat.models import Alternative, Conversation, Message
from chat.services import conversation_start, exchange_append, message_edit
from community.models import User
from tests.helpers import ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, WebSocket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(test_database_url: str) -> Iterator[str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.settings",
        DATABASE_URL=test_database_url,
        REDIS_URL=os.environ["REDIS_URL"],
        CHANNELS_PREFIX=os.environ["CHANNELS_PREFIX"],
        CACHE_PREFIX=os.environ["CACHE_PREFIX"],
        CHAT_GENERATION_MODE="thread",  # no Celery worker in this test
        LLM_OFFLINE_WORD_DELAY="0.06",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def _log_in(page: Page, server: str) -> None:
    """Through the login form, as the ``user`` fixture (alice)."""
    page.goto(server + "/accounts/login/")
    page.fill("input[name=login]", "alice@example.com")
    page.fill("input[name=password]", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def test_chat_in_a_real_browser(
    browser: Browser, server: str, user: User, character: Character
) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 390, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _log_in(page, server)

    # Open the character and press its Chat button (the character page is
    # the lead's; without it, submit the same form from our own page).
    try:
        page.goto(
            server + reverse("characters:detail", kwargs={"slug": character.slug})
        )
        page.click(f'form[action="/chats/new/{character.slug}/"] button')
    except (NoReverseMatch, Exception):
        page.goto(server + "/chats/")
        page.evaluate(
            """slug => {
              const token = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken'];
              const f = document.createElement('form');
              f.method = 'post'; f.action = '/chats/new/' + slug + '/';
              const i = document.createElement('input');
              i.type = 'hidden'; i.name = 'csrfmiddlewaretoken'; i.value = token;
              f.appendChild(i); document.body.appendChild(f); f.submit();
            }""",
            character.slug,
        )
    page.wait_for_url(lambda url: "/chats/" in url and "/new/" not in url)
    expect(page.locator("[data-status]")).to_have_text("Online", timeout=10000)
    expect(page.locator(".msg--character").first).to_contain_text(
        "Welcome aboard, Alice!"
    )
    expect(page.locator("[data-offline]")).to_be_visible()

    page.fill("[data-input]", "Do you like the sea?")
    page.keyboard.press("Enter")
    reply = page.locator(".msg--character").nth(1)
    expect(reply).to_have_class(
        "msg msg--character is-live", timeout=10000
    )  # streaming
    expect(page.locator("[data-stop]")).to_be_visible()
    expect(reply).not_to_have_class("msg msg--character is-live", timeout=20000)
    expect(reply.locator(".msg__text")).to_contain_text("born on a ship, Alice")
    first_text = reply.locator(".msg__text").inner_text()

    # Swipe right on the last reply: a new alternative is written.
    page.evaluate("document.activeElement.blur()")  # n/N work outside the input
    page.keyboard.press("n")
    expect(reply.locator(".msg__count")).to_have_text("2/2", timeout=10000)
    expect(reply).not_to_have_class("msg msg--character is-live", timeout=20000)
    second_text = reply.locator(".msg__text").inner_text()
    assert second_text != first_text
    # ...and back.
    reply.locator('[data-action="prev"]').click()
    expect(reply.locator(".msg__count")).to_have_text("1/2")
    expect(reply.locator(".msg__text")).to_have_text(first_text)

    reply.locator('[data-action="rate"][data-stars="3"]').click()
    expect(reply.locator(".msg__tool.is-on")).to_have_count(3)
    # The redrawn reply gives the focus back to the star (keyboard users keep
    # their place), and says which one is chosen.
    assert page.evaluate("document.activeElement.getAttribute('data-stars')") == "3"
    expect(reply.locator('[data-stars="3"]')).to_have_attribute("aria-pressed", "true")

    page.reload()
    expect(page.locator("[data-status]")).to_have_text("Online", timeout=10000)
    reply = page.locator(".msg--character").nth(1)
    expect(page.locator(".msg--user")).to_contain_text("Do you like the sea?")
    expect(reply.locator(".msg__count")).to_have_text("1/2")
    expect(reply.locator(".msg__text")).to_have_text(first_text)
    expect(reply.locator(".msg__tool.is-on")).to_have_count(3)

    # The connection drops while a reply is being written and the reply
    # finishes before the page reconnects: it must not stay "writing".
    page.fill("[data-input]", "Tell me about your sword")
    page.keyboard.press("Enter")
    late = page.locator(".msg--character").nth(2)
    expect(late).to_have_class("msg msg--character is-live", timeout=10000)
    page.evaluate("window.chat.delay = 60000; window.chat.socket.close()")
    expect(page.locator("[data-status]")).to_contain_text("Reconnecting")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        newest = (
            Alternative.objects.filter(message__conversation__owner=user)
            .order_by("-message__seq", "-index")
            .first()
        )
        done = newest if newest is not None and newest.status == "complete" else None
        if done is not None:
            break
        time.sleep(0.2)
    # Back to the pool now: inside sync_playwright this code runs in
    # another context than the session's teardown, which could not close
    # it, and dropping the test database found it still connected.
    connection.close()
    assert done is not None, "the reply did not finish on the server"
    page.evaluate("window.chat.connect()")
    expect(late).not_to_have_class("msg msg--character is-live", timeout=10000)
    # The whole reply, as rendered (markdown's *emphasis* marks dropped).
    expect(late.locator(".msg__text")).to_have_text(done.text.replace("*", "").strip())

    # Another tab edits an earlier message while this one is disconnected:
    # on reconnecting, this page shows the edit without a reload.
    page.evaluate("window.chat.delay = 60000; window.chat.socket.close()")
    expect(page.locator("[data-status]")).to_contain_text("Reconnecting")

    def edit_elsewhere() -> None:  # its own thread: it broadcasts from sync code
        conversation = Conversation.objects.get(owner=user)
        first_user = Message.objects.get(conversation=conversation, seq=2)
        message_edit(
            conversation=conversation,
            message_id=first_user.pk,
            text="Do you love the sea?",
        )
        connection.close()

    editor = threading.Thread(target=edit_elsewhere)
    editor.start()
    editor.join(timeout=20)
    page.evaluate("window.chat.connect()")
    expect(page.locator(".msg--user").first).to_contain_text(
        "Do you love the sea?", timeout=10000
    )
    page.screenshot(path="/tmp/kindred-chat-e2e.png", full_page=True)
    assert not errors, errors


def test_the_chat_follows_your_own_tall_message_but_not_a_reader_who_scrolled_up(
    browser: Browser, server: str, user: User, character: Character
) -> None:
    from playwright.sync_api import expect

    conversation = conversation_start(user=user, character=character)
    for i in range(6):
        exchange_append(
            conversation=conversation,
            user_text=f"Question {i}?",
            reply_text=f"Answer {i}. " + "The tide turns slowly tonight. " * 6,
        )
    connection.close()  # see test_chat_in_a_real_browser
    page = browser.new_page(viewport={"width": 1280, "height": 700})
    _log_in(page, server)
    page.goto(f"{server}/chats/{conversation.pk}/")
    expect(page.locator("[data-status]")).to_have_text("Online", timeout=10000)
    at_bottom = "() => innerHeight + scrollY >= document.body.scrollHeight - 4"
    page.wait_for_function(at_bottom)

    # A message taller than the screen: the view still moves to it.
    tall = "\n\n".join(f"Paragraph {i} of my long question." for i in range(14))
    page.fill("[data-input]", tall)
    page.keyboard.press("Enter")
    expect(page.locator(".msg--user").last).to_contain_text("Paragraph 13")
    page.wait_for_function(at_bottom, timeout=5000)

    # Scrolled up to read while the reply streams: the view stays put.
    reply = page.locator(".msg--character").last
    expect(reply).to_have_class("msg msg--character is-live", timeout=10000)
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(600)  # a few words stream in (0.06 s each)
    assert page.evaluate("scrollY") == 0
    expect(reply).not_to_have_class("msg msg--character is-live", timeout=20000)
    assert page.evaluate("scrollY") == 0
    page.close()


def test_editing_your_last_message_offers_a_new_reply(
    browser: Browser, server: str, user: User, character: Character
) -> None:
    from playwright.sync_api import expect

    conversation = conversation_start(user=user, character=character)
    exchange_append(
        conversation=conversation,
        user_text="Do you like the sea?",
        reply_text="Born on a ship, Alice.",
    )
    connection.close()  # see test_chat_in_a_real_browser
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    _log_in(page, server)
    page.goto(f"{server}/chats/{conversation.pk}/")
    expect(page.locator("[data-status]")).to_have_text("Online", timeout=10000)
    offer = page.locator("[data-offer]")
    expect(offer).to_be_hidden()

    mine = page.locator(".msg--user").last
    mine.locator('[data-action="edit"]').click()
    # While editing, Save and Cancel are its only actions; empty text says why.
    expect(mine.locator(".msg__tools")).to_be_hidden()
    mine.locator("textarea").fill("   ")
    mine.locator("button[type=submit]").click()
    expect(page.locator("[data-error]")).to_contain_text("cannot be empty")
    mine.locator("textarea").fill("What do you eat?")
    mine.locator("button[type=submit]").click()
    expect(mine.locator(".msg__text")).to_have_text("What do you eat?", timeout=10000)
    expect(offer).to_be_visible()
    offer.locator("[data-offer-regenerate]").click()
    expect(offer).to_be_hidden()
    reply = page.locator(".msg--character").last
    # A new alternative answers the new text; the old one is kept.
    expect(reply.locator(".msg__count")).to_have_text("2/2", timeout=10000)
    expect(reply).not_to_have_class("msg msg--character is-live", timeout=20000)
    page.close()


def _long_chat(user: User, character: Character, exchanges: int) -> Conversation:
    conversation = conversation_start(user=user, character=character)
    for i in range(exchanges):
        exchange_append(
            conversation=conversation,
            user_text=f"Question {i}?",
            reply_text=f"Answer {i}: the tide turns slowly tonight.",
        )
    connection.close()  # see test_chat_in_a_real_browser
    return conversation


def test_a_long_chat_opens_with_a_few_frames_and_pages_older_history_over_http(
    browser: Browser, server: str, user: User, character: Character
) -> None:
    """A 401-message chat: the page shows the newest 100, and opening it (or
    reconnecting) costs a few frames, not the whole history (every message
    the page never loaded was taken for stale and sent again: one frame
    each). "Load older messages" pages the rest in over HTTP, keeping the
    reader's place."""
    from playwright.sync_api import expect

    conversation = _long_chat(user, character, 200)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    _log_in(page, server)
    frames: list[str] = []

    def watch(ws: WebSocket) -> None:
        if "/ws/conversations/" in ws.url:  # not the notification badge's
            ws.on(
                "framereceived",
                lambda payload: frames.append(
                    payload if isinstance(payload, str) else payload.decode()
                ),
            )

    page.on("websocket", watch)
    page.goto(f"{server}/chats/{conversation.pk}/")
    expect(page.locator("[data-status]")).to_have_text("Online", timeout=10000)
    expect(page.locator(".msg")).to_have_count(100)
    page.wait_for_function("() => document.querySelectorAll('.msg__tools').length > 0")
    page.wait_for_timeout(1500)  # any further resume the page asks for
    assert len(frames) <= 3, [f[:80] for f in frames[:5]]
    assert any('"resume.done"' in f for f in frames)

    # A reconnect costs as little.
    frames.clear()
    page.evaluate("window.chat.socket.close()")
    page.wait_for_function(
        "() => window.chat.socket && window.chat.socket.readyState === 1", timeout=10000
    )
    page.wait_for_timeout(1500)
    assert 1 <= len(frames) <= 3, [f[:80] for f in frames[:5]]

    # The offline engine's badge is in the sticky header, in view at the
    # bottom of a long chat (the notice was at the top of the pane).
    badge = page.locator("[data-offline] summary")
    expect(badge).to_be_in_viewport()
    assert "language model" in (badge.get_attribute("title") or "")

    # Older history, a page at a time, the view staying on what it showed.
    older = page.locator("[data-older]")
    expect(older).to_be_visible()
    page.evaluate("window.scrollTo(0, 0)")
    top = page.locator(".msg").first
    top_id = top.get_attribute("data-message-id")
    older.click()
    expect(page.locator(".msg")).to_have_count(200)
    shown = page.locator(f'[data-message-id="{top_id}"]').bounding_box()
    assert shown is not None and -50 < shown["y"] < 800, shown
    for count in (300, 400, 401):
        older.click()
        expect(page.locator(".msg")).to_have_count(count)
    expect(older).to_be_hidden()
    expect(page.locator('.msg[data-seq="1"]')).to_contain_text("Welcome aboard")
    # Every message, the ones built by the script too, lays out its own
    # direction (right-to-left text read left to right).
    assert page.evaluate(
        "[...document.querySelectorAll('.msg__text')].every(e => e.dir === 'auto')"
    )
    assert len(frames) <= 3  # no socket traffic for older pages
    page.close()


def test_a_refused_send_keeps_its_text_and_says_why_where_you_look(
    browser: Browser, server: str, user: User, character: Character
) -> None:
    """On a phone: a send refused while a reply is written keeps what was
    typed, and the error shows just above the composer (not under it, at
    the end of the pane) until dismissed; your message cannot be edited
    while its reply is written (that edit's "Regenerate the reply" could
    only fail); a send typed offline is kept until the server has it; the
    draft survives a reload (switching persona, renaming)."""
    from playwright.sync_api import expect

    conversation = _long_chat(user, character, 8)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.clock.install()
    _log_in(page, server)
    page.goto(f"{server}/chats/{conversation.pk}/")
    expect(page.locator("[data-status]")).to_have_text("Online", timeout=10000)
    composer = page.locator("[data-input]")
    assert composer.get_attribute("dir") == "auto"

    composer.fill("Tell me about your sword")
    composer.press("Enter")
    expect(composer).to_have_value("", timeout=5000)  # accepted: let go
    reply = page.locator(".msg--character").last
    expect(reply).to_have_class("msg msg--character is-live", timeout=10000)
    mine = page.locator(".msg--user").last
    expect(mine.locator('[data-action="edit"]')).to_be_disabled()
    expect(reply.locator('[data-action="rate"]')).to_have_count(0)

    composer.fill("And your ship?")
    composer.press("Enter")
    error = page.locator("[data-error]")
    expect(error).to_contain_text("Wait for the current reply", timeout=5000)
    expect(composer).to_have_value("And your ship?")
    box = error.bounding_box()
    field = composer.bounding_box()
    assert box is not None and field is not None
    assert box["y"] >= 0, box
    assert box["y"] + box["height"] <= field["y"] <= 844, (box, field)
    page.clock.run_for(10_000)  # it stays until dismissed or resolved
    expect(error).to_be_visible()

    expect(reply).not_to_have_class("msg msg--character is-live", timeout=20000)
    expect(mine.locator('[data-action="edit"]')).to_be_enabled()
    expect(reply.locator('[data-action="rate"]')).to_have_count(4)
    page.locator("[data-error-dismiss]").click()
    expect(error).to_be_hidden()

    # Typed while the connection is down: kept, and sent when it is back.
    page.evaluate("window.chat.delay = 60000; window.chat.socket.close()")
    expect(page.locator("[data-status]")).to_contain_text("Reconnecting")
    composer.press("Enter")
    expect(page.locator("[data-status]")).to_contain_text("Offline")
    expect(composer).to_have_value("And your ship?")
    page.evaluate("window.chat.connect()")
    expect(page.locator(".msg--user").last).to_contain_text(
        "And your ship?", timeout=10000
    )
    expect(composer).to_have_value("")
    expect(page.locator(".msg--character").last).not_to_have_class(
        "msg msg--character is-live", timeout=20000
    )

    # A draft survives the reload of a persona switch or a rename.
    composer.fill("Half a thought")
    page.reload()
    expect(page.locator("[data-status]")).to_have_text("Online", timeout=10000)
    expect(page.locator("[data-input]")).to_have_value("Half a thought")
    page.close()


def test_a_failed_reply_offers_retry_without_stars_and_tables_read_as_tables(
    browser: Browser, server: str, user: User, character: Character
) -> None:
    from playwright.sync_api import expect

    conversation = conversation_start(user=user, character=character)
    exchange_append(
        conversation=conversation,
        user_text="Your prices?",
        reply_text="| item | price | served | with |\n|---|---|---|---|\n"
        "| stew | 3 coins | evenings | bread |\n"
        "| grilledfishwithlemon | twelvesilvercoins | ondeckatsunset "
        "| amugofharbourale |",
    )
    _, failed = exchange_append(
        conversation=conversation, user_text="And rooms?", reply_text="Rooms are"
    )
    Alternative.objects.filter(message=failed).update(
        status="failed", error="The model did not answer in time."
    )
    connection.close()  # see test_chat_in_a_real_browser
    page = browser.new_page(viewport={"width": 390, "height": 844})
    _log_in(page, server)
    page.goto(f"{server}/chats/{conversation.pk}/")
    expect(page.locator("[data-status]")).to_have_text("Online", timeout=10000)
    last = page.locator(".msg--character").last
    expect(last.locator('[data-action="regenerate"]')).to_have_text("Retry")
    expect(last.locator('[data-action="rate"]')).to_have_count(0)

    cell = page.locator(".msg__text td").first
    expect(cell).to_have_text("stew")
    style = cell.evaluate(
        "e => [getComputedStyle(e).borderTopWidth, getComputedStyle(e).paddingLeft]"
    )
    assert style[0] != "0px" and style[1] != "0px", style
    # A wide table scrolls in its own box; the page does not.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    table = page.locator(".msg__text table").first
    assert table.evaluate("e => e.scrollWidth > e.clientWidth")
    page.screenshot(path="/tmp/kindred-chat-table.png")
    page.close()
