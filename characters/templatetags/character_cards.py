"""``{% card_hidden character as hidden %}``: why the viewer may not download
the card, or None when they may."""

from __future__ import annotations

from django import template
from django.contrib.auth.models import AnonymousUser

from characters.models import Character
from characters.selectors import definition_hidden_reason

register = template.Library()


@register.simple_tag(takes_context=True)
def card_hidden(context: template.Context, character: Character) -> str | None:
    request = context.get("request")
    user = getattr(request, "user", None) or AnonymousUser()
    return definition_hidden_reason(character=character, user=user)
