"""The list-row helpers give exactly what Django's own give:
``config.links.cached_reverse`` as ``reverse()``, ``|iso`` as ``|date:"c"``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import engines
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import timezone

from config.links import cached_reverse


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("community:post", {"post_id": 7}),
        ("community:post", {"post_id": 1234567890123}),
        ("community:post_vote", {"post_id": 42}),
        ("community:profile", {"handle": "alice_01"}),
        ("community:board", {"slug": "anime-games"}),
        ("community:character", {"slug": "aria-x1"}),
        ("community:share", {"share_id": 3}),
        ("community:notifications", {}),
    ],
)
def test_same_url_as_reverse(name: str, kwargs: dict[str, int | str]) -> None:
    assert cached_reverse(name, **kwargs) == reverse(name, kwargs=kwargs)
    assert cached_reverse(name, **kwargs) == reverse(name, kwargs=kwargs)  # cached


def test_follows_the_script_prefix() -> None:
    try:
        set_script_prefix("/sub/")
        assert cached_reverse("community:post", post_id=5) == "/sub/community/p/5/"
    finally:
        set_script_prefix("/")
    assert cached_reverse("community:post", post_id=5) == "/community/p/5/"


def test_bad_arguments_still_fail() -> None:
    with pytest.raises(NoReverseMatch):
        cached_reverse("community:post", post_id=-1)
    with pytest.raises(NoReverseMatch):
        cached_reverse("community:post", slug="x")
    with pytest.raises(NoReverseMatch):  # not plain text: reverse() decides
        cached_reverse("community:board", slug="ünïcode")


@pytest.mark.parametrize("tz", ["UTC", "Europe/Paris"])
def test_iso_is_date_c(tz: str) -> None:
    template = engines["django"].from_string(
        "{% load rows %}{{ when|iso }}|{{ when|date:'c' }}|{{ none|iso }}"
    )
    when = dt.datetime(2026, 11, 26, 1, 2, 3, 456789, tzinfo=dt.UTC)
    with timezone.override(tz):
        iso, date_c, empty = template.render({"when": when, "none": None}).split("|")
    assert iso == date_c and empty == ""
