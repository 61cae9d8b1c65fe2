"""Markdown from users and models, rendered safely: markdown-it-py with raw HTML
off, then nh3 (an allow-list sanitizer) as the second line of defence."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt(
    "commonmark", {"html": False, "linkify": False, "breaks": True}
).enable("strikethrough")
_TAGS = {
    "p", "br", "em", "strong", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
}  # fmt: skip


def render_markdown(text: str) -> str:
    html = _md.render(text)
    return str(
        nh3.clean(
            html,
            tags=_TAGS,
            attributes={"a": {"href", "title"}},
            url_schemes={"http", "https", "mailto"},
            link_rel="nofollow noopener noreferrer",
        )
    )
