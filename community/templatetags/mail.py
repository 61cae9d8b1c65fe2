"""``{% mail_prints_to_console as console %}``: does this server print its mail
to the terminal (the quick start) instead of sending it?"""

from __future__ import annotations

from django import template
from django.conf import settings

from config.mail import prints_to_console

register = template.Library()


@register.simple_tag
def mail_prints_to_console() -> bool:
    return prints_to_console(settings.MAILERS["default"]["BACKEND"])
