from __future__ import annotations

from django import template

from config.links import cached_reverse

register = template.Library()


@register.simple_tag(name="link")
def link(viewname: str, **kwargs: int | str) -> str:
    """``{% url %}`` for links repeated in list rows: the same URL, from
    ``config.links.cached_reverse`` (no resolver walk per link)."""
    return cached_reverse(viewname, **kwargs)
