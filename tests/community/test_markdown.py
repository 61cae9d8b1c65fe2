"""User markdown renders inert: no scripts, event handlers or javascript: URLs."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from community.markdown import markdown_render, mentions_in
from community.models import Board, User

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "![x](javascript:alert(1))",
    '<svg onload="alert(1)"></svg>',
    "<iframe src='https://evil.example'></iframe>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<div style="background:url(javascript:alert(1))">x</div>',
]


class _Elements(HTMLParser):
    """Collects the real elements and attributes of rendered HTML (escaped text
    such as ``&lt;script&gt;`` is text, not an element)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_render_inert(payload: str) -> None:
    parser = _Elements()
    parser.feed(markdown_render(payload))
    for tag, attrs in parser.tags:
        assert tag not in {"script", "img", "iframe", "svg", "style", "object"}
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            assert name != "style"
            if name in {"href", "src"}:
                assert (value or "").lower().startswith(("http", "mailto")), value


def test_markdown_still_works() -> None:
    html = markdown_render("**bold** and [a link](https://example.com)\n\n- one")
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.com"' in html
    assert 'rel="nofollow noopener noreferrer ugc"' in html
    assert "<li>one</li>" in html


def test_mentions() -> None:
    assert mentions_in("hi @Alice and @bob_2, mail x@y.com") == {"alice", "bob_2"}


@pytest.mark.django_db
def test_mentions_of_real_profiles_link_to_them(user: object) -> None:
    html = markdown_render(
        "Hi @Alice! `@alice` [@alice](https://example.com) @nobody_here\n\n"
        "```\n@alice\n```"
    )
    assert html.count('class="mention"') == 1
    assert '<a href="/@alice" class="mention">@Alice</a>!' in html
    assert "<code>@alice</code>" in html  # code stays code
    assert html.count('href="/@alice"') == 1  # not inside the existing link
    assert "@nobody_here" in html and "/@nobody_here" not in html
    # Payloads stay inert with a mention beside them.
    assert "<script" not in markdown_render("@alice <script>alert(1)</script>")


@pytest.mark.django_db
def test_a_deactivated_accounts_handle_is_no_link(user: User) -> None:
    """Their profile is a 404; a mention does not point there."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert 'class="mention"' not in markdown_render("Hi @alice!")


def test_headings_sit_below_the_pages_own() -> None:
    """A writer's ``# Big heading`` is a heading of the text, not a second
    title of the page: every page showing user text has its own h1 (and an h2
    over comments, moments and notes)."""
    html = markdown_render("# Big heading\n\n## Part\n\n### Small\n\n###### Tiny")
    assert "<h1" not in html and "<h2" not in html
    assert "<h3>Big heading</h3>" in html
    assert "<h4>Part</h4>" in html
    assert "<h5>Small</h5>" in html
    assert "<h6>Tiny</h6>" in html


def test_bare_web_addresses_become_links() -> None:
    html = markdown_render("Read https://example.org/a?b=1 and mail@example.org")
    assert (
        '<a href="https://example.org/a?b=1" rel="nofollow noopener noreferrer ugc">'
        "https://example.org/a?b=1</a>"
    ) in html
    # Without a scheme nothing is guessed: file names are not web sites.
    html = markdown_render("See config.py and notes.md")
    assert "<a" not in html
    # Code stays code.
    assert "<a" not in markdown_render("`https://example.org`")


@pytest.mark.django_db
def test_a_post_with_a_heading_keeps_one_h1(user: User, board: Board) -> None:
    from django.test import Client

    from community.services import post_create

    post = post_create(
        author=user, board=board, title="My post", body="# Big heading\n\nText."
    )
    html = Client().get(post.get_absolute_url()).content.decode()
    assert html.count("<h1") == 1
    assert "<h3>Big heading</h3>" in html
