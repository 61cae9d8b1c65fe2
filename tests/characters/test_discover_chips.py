"""Discover's category chips in a real Chromium: every one in view on a wide
screen, one sideways-scrolling row on a phone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from community.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHIPS = """() => {
  const strip = document.querySelector('.chips');
  const box = strip.getBoundingClientRect();
  return [...strip.querySelectorAll('.chip')].map(c => {
    const r = c.getBoundingClientRect();
    return {text: c.textContent.trim(), top: Math.round(r.top),
            inside: r.left >= box.left - 1 && r.right <= box.right + 1};
  });
}"""


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_category_chips_all_show_on_a_wide_screen(
    signed_in: Callable[..., Any], live_server: object, user: User,
    width: int, height: int,
) -> None:  # fmt: skip
    url = str(getattr(live_server, "url", ""))
    context = signed_in(user, width=width, height=height)
    page = context.new_page()
    page.goto(f"{url}/discover/")
    chips = page.evaluate(CHIPS)
    names = [c["text"] for c in chips]
    assert "MBTI" in names and "Original" in names
    clipped = page.evaluate(
        "() => document.querySelector('.chips').classList.contains('is-clipped-right')"
    )
    if width >= 1000:
        # Wrapped: each chip whole and inside the strip, no fade.
        assert all(c["inside"] for c in chips), [c for c in chips if not c["inside"]]
        assert not clipped
        assert page.evaluate(
            "() => { const s = document.querySelector('.chips');"
            " return s.scrollWidth <= s.clientWidth; }"
        )
    else:
        # A phone keeps one row that scrolls on its own, faded at the edge.
        assert len({c["top"] for c in chips}) == 1, chips
        assert not all(c["inside"] for c in chips)
        assert clipped
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
