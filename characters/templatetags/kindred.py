from __future__ import annotations

import html
import re

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


# The macros the chat fills (``chat.prompting.fill_macros``), with a
# possessive after {{user}} kept apart: it reads "your" for a visitor.
_MACROS = re.compile(
    r"(?:\{\{\s*(char|user)\s*\}\}|<(BOT|USER)>)(['’]s\b)?", re.IGNORECASE
)
# What may stand between a sentence's end and its first word.
_OPENERS = " \t\"'“‘*_([-"


@register.simple_tag(name="macros")
def macros_tag(text: str | None, *, char: str, user: str | None) -> str:
    """A greeting (or any card text) shown outside a chat, with {{char}} and
    {{user}} filled: ``user`` is the name the viewer's chat would use
    (``chat.selectors.user_name_in_new_chat``). ``None`` or "" (a visitor) reads as
    "you" — "You" where a sentence starts, "your" for {{user}}'s — so
    "Name yourself, {{user}}, …" does not read "…, You, …". Autoescaped
    like any string."""
    text = text or ""

    def fill(m: re.Match[str]) -> str:
        possessive = m.group(3) or ""
        if (m.group(1) or m.group(2)).lower() in ("char", "bot"):
            return char + possessive
        if user:
            return user + possessive
        word = "your" if possessive else "you"
        head = text[: m.start()].rstrip(_OPENERS)
        starts_sentence = not head or head[-1] in ".!?…\n\r"
        return word.capitalize() if starts_sentence else word

    return _MACROS.sub(fill, text)


@register.filter(name="compact")
def compact_number(value: int | None) -> str:
    n = int(value or 0)
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M".replace(".0M", "M")
    if n >= 1_000:
        return f"{n / 1_000:.1f}k".replace(".0k", "k")
    return str(n)
