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


@pytest.mark.parametrize(
    "delta",
    [
        dt.timedelta(seconds=-30),
        dt.timedelta(0),
        dt.timedelta(seconds=59),
        dt.timedelta(minutes=1, seconds=1),
        dt.timedelta(hours=1, minutes=1),
        dt.timedelta(days=1, seconds=5),
        dt.timedelta(days=6, hours=23, minutes=59, seconds=59),
        dt.timedelta(days=13, hours=3),
        dt.timedelta(days=27, hours=23, minutes=59),
        dt.timedelta(days=28),
        dt.timedelta(days=45),
        dt.timedelta(days=400),
    ],
)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_ago_is_timesince(delta: dt.timedelta, language: str) -> None:
    from django.utils import translation

    template = engines["django"].from_string(
        "{% load rows %}{{ when|ago }}|{{ when|timesince }}"
    )
    when = timezone.now() - delta
    with translation.override(language):
        for _ in range(2):  # computed, then cached
            ago, since = template.render({"when": when}).split("|")
            assert ago == since


# The markup of community/_avatar.html and _char_avatar.html before they
# rendered through the tags.
OLD_AVATAR = """{% if profile and profile.avatar %}<img class="avatar avatar--{{ size|default:'md' }}" src="{{ profile.avatar.url }}" alt="" loading="lazy">{% else %}<span class="avatar avatar--{{ size|default:'md' }} avatar--initial" aria-hidden="true">{% if profile %}{{ profile.initial }}{% else %}?{% endif %}</span>{% endif %}"""
OLD_CHAR_AVATAR = """{% if character.avatar %}<img class="avatar avatar--{{ size|default:'md' }} avatar--char" src="{{ character.avatar.url }}" alt="" loading="lazy">{% else %}<span class="avatar avatar--{{ size|default:'md' }} avatar--char hue-{{ character.hue }}" aria-hidden="true">{{ character.initial }}</span>{% endif %}"""


def test_avatar_tags_render_the_old_markup() -> None:
    from characters.models import Character
    from community.models import Profile

    engine = engines["django"]
    profiles = [
        None,
        Profile(handle="amy", display_name="Amy <3"),
        Profile(handle="bo", display_name="", avatar="avatars/b&o.png"),
    ]
    for profile in profiles:
        for size in (None, "sm"):
            ctx = {"profile": profile, "size": size}
            new = engine.from_string("{% load rows %}{% avatar profile size %}")
            assert new.render(ctx) == engine.from_string(OLD_AVATAR).render(ctx)
    characters = [
        Character(slug="x-1", name="Élan"),
        Character(slug="y", name="", avatar='avatars/y"z.png'),
    ]
    for character in characters:
        for size in (None, "md"):
            char_ctx = {"character": character, "size": size}
            new = engine.from_string("{% load rows %}{% char_avatar character size %}")
            old = engine.from_string(OLD_CHAR_AVATAR)
            assert new.render(char_ctx) == old.render(char_ctx)
