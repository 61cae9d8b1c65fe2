from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connections
from django.test import Client

from characters.models import Character
from community.models import User
from community.services import user_create

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate-limit counters and cached values live in Redis; no test may see the
    last one's. The suite's Redis database is its own (``/1`` by default)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    """Create a verified user through the same service sign-up uses."""

    def make(
        handle: str | None = None,
        *,
        password: str = "correct horse battery",
        is_staff: bool = False,
        email_verified: bool = True,
    ) -> User:
        handle = handle or f"user{next(_counter)}"
        return user_create(
            email=f"{handle}@example.com",
            password=password,
            handle=handle,
            display_name=handle.title(),
            email_verified=email_verified,
            is_staff=is_staff,
        )

    return make


@pytest.fixture
def user(make_user: Callable[..., User]) -> User:
    return make_user("alice")


@pytest.fixture
def published_character(user: User) -> Character:
    """A public, published character of ``user``'s with a greeting."""
    from characters.definition import definition_empty
    from characters.services import character_create

    data = definition_empty("Captain Mira")
    data["first_mes"] = "Ahoy!"
    return character_create(owner=user, data=data, publish=True)


@pytest.fixture
def other_user(make_user: Callable[..., User]) -> User:
    return make_user("bob")


@pytest.fixture
def staff_user(make_user: Callable[..., User]) -> User:
    return make_user("staffer", is_staff=True)


@pytest.fixture
def user_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def test_database_url(db: None) -> str:
    """A URL of the test database, for child processes."""
    from django.db import connection

    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Debian's Chromium through Playwright's sync API, which runs an event
    loop in this thread: the ORM calls a test makes between browser steps are
    still plain synchronous calls. The test's database connection is closed
    before the Playwright context ends — the session's teardown cannot close
    one opened inside it, and dropping the test database found it still
    connected."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
        connections.close_all()


@pytest.fixture
def signed_in(browser: Any, live_server: Any) -> Callable[..., Any]:
    """``signed_in(user, width=…, height=…)``: a browser context on the live
    server (``live_server.url``) with ``user``'s session cookie."""

    def make(user: User, *, width: int, height: int = 900) -> Any:
        client = Client()
        client.force_login(user)
        context = browser.new_context(viewport={"width": width, "height": height})
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        return context

    return make
