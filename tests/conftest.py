from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from django.test import Client

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
