"""Markdown from users and LLMs to safe HTML: markdown-it-py with raw HTML off,
then nh3 (an allow-list sanitiser) as the second line of defence, so nothing
executable survives (no script, event handlers or javascript: links).

Headings move two levels down (``#`` is an ``<h3>``, ``######`` stays an
``<h6>``): every page that shows this text has its own ``<h1>`` (a post's
title, the character's name, the chat) and usually an ``<h2>`` above it
(Comments, Moments, Creator notes), so a writer's ``# Big heading`` is a
heading of the text, never a second title of the page. One rule for posts,
comments, moments, notes, greetings and chat replies alike."""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

HEADING_SHIFT = 2


def _parser(*, breaks: bool) -> MarkdownIt:
    options = {"html": False, "linkify": True, "typographer": False, "breaks": breaks}
    md = MarkdownIt("commonmark", options).enable(["table", "strikethrough", "linkify"])
    # Only URLs with a scheme (https://…, mailto:…) become links: fuzzy
    # matching would link "config.py" or "notes.md" (.py and .md are
    # country domains) in every chat reply that names a file.
    if md.linkify is not None:
        md.linkify.set({"fuzzy_link": False, "fuzzy_email": False, "fuzzy_ip": False})
    return md


# Chat text keeps single newlines as line breaks; documents follow CommonMark.
_DOCUMENT = _parser(breaks=False)
_CHAT = _parser(breaks=True)

# No h1 or h2: headings are shifted below them (see above), and nh3 drops
# any other way one could come in.
_TAGS = {
    "p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol",
    "li", "h3", "h4", "h5", "h6", "hr", "a", "table", "thead", "tbody",
    "tr", "th", "td",
}  # fmt: skip


def render_markdown(text: str, *, breaks: bool = False) -> SafeString:
    md = _CHAT if breaks else _DOCUMENT
    env: dict[str, object] = {}
    tokens = md.parse(text, env)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + HEADING_SHIFT, 6)
            token.tag = f"h{level}"
    html = md.renderer.render(tokens, md.options, env)
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer ugc",
    )
    return mark_safe(clean)  # noqa: S308  (sanitised by nh3 just above)
