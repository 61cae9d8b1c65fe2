from django import template

from billing.services import cents_display

register = template.Library()


@register.filter
def cents(value: int | None) -> str:
    """Integer cents as dollars: 1999 → $19.99."""
    return cents_display(int(value or 0))
