"""Reads for billing. The billing issue fills in promotions."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from characters.models import Character
from community.models import User


def promoted_characters(
    *, user: User | AnonymousUser, limit: int = 3
) -> list[Character]:
    """Characters currently promoted (paid), that ``user`` may see."""
    return []
