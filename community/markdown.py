"""Community text: markdown rendering (the shared, sanitised renderer in
``config.markdown``) and @handle mentions."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from config.markdown import render_markdown

if TYPE_CHECKING:
    from community.models import User

MENTION_RE = re.compile(r"(?<![\w@])@([a-z0-9_]{3,30})\b", re.IGNORECASE)


_TAG = re.compile(r"(<[^>]*>)")
_NO_LINKS_IN = ("a", "code", "pre")


def markdown_render(text: str, *, author: User | None = None) -> str:
    """Safe HTML for a post, comment or moment (stored alongside the source);
    an ``@handle`` of an existing profile becomes a link to it (not inside
    links or code).

    The handle of someone who blocked ``author`` stays plain text, as a
    handle that does not exist does: their profile is a 404 for ``author``,
    and the mention notifies nobody (``services._notify``), so nothing tells
    the author that the profile exists."""
    html = str(render_markdown(text))
    handles = mentions_in(text)
    if not handles:
        return html
    from django.urls import reverse

    from community.models import Block, Profile

    # Deactivated accounts have no profile page (a 404): no link to one.
    profiles = Profile.objects.filter(handle__in=handles, user__is_active=True)
    if author is not None:
        profiles = profiles.exclude(
            user_id__in=Block.objects.filter(blocked_id=author.pk).values("blocker_id")
        )
    known = set(profiles.values_list("handle", flat=True))
    if not known:
        return html

    def link(m: re.Match[str]) -> str:
        handle = m.group(1).lower()
        if handle not in known:
            return m.group(0)
        url = reverse("community:profile", kwargs={"handle": handle})
        return f'<a href="{url}" class="mention">@{m.group(1)}</a>'

    out: list[str] = []
    inside: list[str] = []  # open elements whose text must stay as is
    for part in _TAG.split(html):
        if part.startswith("<"):
            name = re.match(r"</?([a-z0-9]+)", part)
            tag = name.group(1) if name else ""
            if tag in _NO_LINKS_IN:
                if part.startswith("</"):
                    if tag in inside:
                        inside.remove(tag)
                elif not part.endswith("/>"):
                    inside.append(tag)
            out.append(part)
        elif inside:
            out.append(part)
        else:
            out.append(MENTION_RE.sub(link, part))
    return "".join(out)


def mentions_in(text: str) -> set[str]:
    """Lower-cased handles mentioned with ``@handle``."""
    return {m.lower() for m in MENTION_RE.findall(text)}
