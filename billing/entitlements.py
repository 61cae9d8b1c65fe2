"""What a user may do, by plan: the one place that answers it.

Until billing is built everyone is on the free plan; the billing issue fills in
Pro (active subscriptions, grace periods, lifetime purchases, staff grants).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from characters.models import Character
from community.models import User


@dataclass(frozen=True)
class Entitlements:
    plan: str  # "free" | "pro"
    daily_messages: int | None  # None: unlimited
    messages_per_minute: int | None
    generation_queue: str  # Celery queue for this user's replies
    context_tokens: int
    badge: str | None

    @property
    def is_pro(self) -> bool:
        return self.plan == "pro"


def free_plan() -> Entitlements:
    return Entitlements(
        plan="free",
        daily_messages=settings.FREE_DAILY_MESSAGES,
        messages_per_minute=settings.FREE_MESSAGES_PER_MINUTE,
        generation_queue="default",
        context_tokens=settings.LLM_CONTEXT_TOKENS,
        badge=None,
    )


def pro_plan() -> Entitlements:
    return Entitlements(
        plan="pro",
        daily_messages=None,
        messages_per_minute=None,
        generation_queue="priority",
        context_tokens=settings.LLM_CONTEXT_TOKENS_PRO,
        badge="Pro",
    )


def entitlements_for(user: User | AnonymousUser) -> Entitlements:
    """The user's current entitlements."""
    return free_plan()


def character_chat_allowed(user: User | AnonymousUser, character: Character) -> bool:
    """May ``user`` chat with ``character``? False for premium (supporters-only)
    characters the user does not subscribe to; the billing issue fills this in."""
    return True
