"""``{% card_exportable character as ok %}``: may the viewer download the card?"""

from __future__ import annotations

from django import template
from django.contrib.auth.models import AnonymousUser

from characters.models import Character
from characters.selectors import can_see_definition

register = template.Library()


@register.simple_tag(takes_context=True)
def card_exportable(context: template.Context, character: Character) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None) or AnonymousUser()
    return can_see_definition(character=character, user=user)
