from __future__ import annotations

import html

import nh3
from django import template
from django.utils.safestring import SafeString

from config.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str | None) -> SafeString:
    return render_markdown(text or "")


@register.filter(name="chat_markdown")
def chat_markdown_filter(text: str | None) -> SafeString:
    """A chat message as the chat shows it (a line break is a break)."""
    return render_markdown(text or "", breaks=True)


@register.filter(name="plain")
def plain_filter(text: str | None) -> str:
    """A one-line preview of a chat message: its markdown's text, without the
    marks (``*smiles*`` → ``smiles``), also when the preview was cut inside
    an emphasis. Autoescaped as any string."""
    rendered = nh3.clean(str(render_markdown(text or "")), tags=set())
    return " ".join(html.unescape(rendered).replace("*", "").split())


@register.filter(name="macros")
def macros_filter(text: str | None, name: str) -> str:
    """Fill {{char}}/{{user}} for display outside a chat (previews, cards)."""
    import re

    text = text or ""
    text = re.sub(r"\{\{char\}\}|<BOT>", name, text, flags=re.IGNORECASE)
    return re.sub(r"\{\{user\}\}|<USER>", "You", text, flags=re.IGNORECASE)


@register.filter(name="compact")
def compact_number(value: int | None) -> str:
    n = int(value or 0)
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M".replace(".0M", "M")
    if n >= 1_000:
        return f"{n / 1_000:.1f}k".replace(".0k", "k")
    return str(n)
