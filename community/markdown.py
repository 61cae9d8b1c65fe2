"""Community text: markdown rendering (the shared, sanitised renderer in
``config.markdown``) and @handle mentions."""

from __future__ import annotations

import re

from config.markdown import render_markdown

MENTION_RE = re.compile(r"(?<![\w@])@([a-z0-9_]{3,30})\b", re.IGNORECASE)


def markdown_render(text: str) -> str:
    """Safe HTML for a post, comment or moment (stored alongside the source)."""
    return str(render_markdown(text))


def mentions_in(text: str) -> set[str]:
    """Lower-cased handles mentioned with ``@handle``."""
    return {m.lower() for m in MENTION_RE.findall(text)}
