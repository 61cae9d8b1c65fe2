"""Markdown from users and LLMs to safe HTML: markdown-it-py with raw HTML off,
then nh3 (an allow-list sanitiser) as the second line of defence, so nothing
executable survives (no script, event handlers or javascript: links)."""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt


def _parser(*, breaks: bool) -> MarkdownIt:
    options = {"html": False, "linkify": False, "typographer": False, "breaks": breaks}
    return MarkdownIt("commonmark", options).enable(["table", "strikethrough"])


# Chat text keeps single newlines as line breaks; documents follow CommonMark.
_DOCUMENT = _parser(breaks=False)
_CHAT = _parser(breaks=True)

_TAGS = {
    "p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol",
    "li", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "a", "table", "thead", "tbody",
    "tr", "th", "td",
}  # fmt: skip


def render_markdown(text: str, *, breaks: bool = False) -> SafeString:
    html = (_CHAT if breaks else _DOCUMENT).render(text)
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer ugc",
    )
    return mark_safe(clean)  # noqa: S308  (sanitised by nh3 just above)
