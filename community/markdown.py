"""User markdown → safe HTML: markdown-it-py with raw HTML off, then nh3.

markdown-it escapes any HTML in the source (``html=False``) and refuses
``javascript:`` links by itself; nh3 is the second wall: an allow-list of tags
and attributes and URL schemes, so nothing executable survives whatever the
renderer emits."""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
    "strikethrough"
)

_TAGS = {
    "p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "hr",
}  # fmt: skip
_ATTRS = {"a": {"href", "title"}}

MENTION_RE = re.compile(r"(?<![\w@])@([a-z0-9_]{3,30})\b", re.IGNORECASE)


def markdown_render(text: str) -> str:
    html = _md.render(text)
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRS,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener ugc",
    )


def mentions_in(text: str) -> set[str]:
    """Lower-cased handles mentioned with ``@handle``."""
    return {m.lower() for m in MENTION_RE.findall(text)}
