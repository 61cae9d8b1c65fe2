"""What a user may do, by plan: the one place that answers it.

A user is Pro while any of these holds:

- a Pro subscription is ``active`` or ``trialing`` and has no unresolved failed
  payment older than ``PRO_GRACE_DAYS``;
- a Pro subscription is ``past_due``/``unpaid`` and its first unresolved failed
  payment is younger than ``PRO_GRACE_DAYS`` (the grace period);
- a lifetime purchase that was not refunded;
- a staff grant that is not revoked and has not ended.

One query answers it (``EXISTS`` subqueries), so the chat path can ask per message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Now
from django.utils import timezone

from billing.models import (
    PRO_KINDS,
    LifetimePurchase,
    PlanKind,
    PremiumCharacter,
    ProGrant,
    Subscription,
)
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


PAYING_STATUSES = ("active", "trialing")
GRACE_STATUSES = ("active", "trialing", "past_due", "unpaid")


def subscription_in_force(now: datetime | Now) -> Q:
    """Subscriptions that currently entitle their user (see the module doc).
    ``now``: a time, or ``Now()`` to ask the database's clock (for a query
    built once and run many times)."""
    grace_start = now - timedelta(days=settings.PRO_GRACE_DAYS)
    return Q(status__in=PAYING_STATUSES, payment_failed_at__isnull=True) | Q(
        status__in=GRACE_STATUSES, payment_failed_at__gt=grace_start
    )


def pro_condition(user_ref: str, now: datetime | Now | None = None) -> Q:
    """``is_pro`` as a condition on the user whose id is the outer query's field
    ``user_ref`` (``"pk"`` on users, ``"owner_id"`` on conversations), so a
    caller can ask it inside a query it makes anyway. ``now``: as in
    ``subscription_in_force`` (default: this moment)."""
    if now is None:
        now = timezone.now()
    subs = Subscription.objects.filter(
        subscription_in_force(now),
        user_id=OuterRef(user_ref),
        kind__in=PRO_KINDS,
    )
    lifetime = LifetimePurchase.objects.filter(
        user_id=OuterRef(user_ref), refunded_at__isnull=True
    )
    grants = ProGrant.objects.filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=now),
        user_id=OuterRef(user_ref),
        revoked_at__isnull=True,
    )
    return Q(Exists(subs)) | Q(Exists(lifetime)) | Q(Exists(grants))


def is_pro(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    return User.objects.filter(pro_condition("pk"), pk=user.pk).exists()


def entitlements_for(user: User | AnonymousUser) -> Entitlements:
    """The user's current entitlements."""
    return pro_plan() if is_pro(user) else free_plan()


def chat_allowed_condition(
    user: User | AnonymousUser, character_ref: str, now: datetime | Now | None = None
) -> Q:
    """``character_chat_allowed`` as a condition on the character whose id is
    the outer query's field ``character_ref`` (for callers that ask it inside
    a query they make anyway). ``now``: as in ``subscription_in_force``."""
    premium = PremiumCharacter.objects.filter(
        character_id=OuterRef(character_ref), active=True
    )
    allowed = ~Q(Exists(premium))
    if user.is_authenticated:
        if user.is_staff:
            return allowed | Q(Exists(premium))  # always true
        owned = Character.objects.filter(pk=OuterRef(character_ref), owner_id=user.pk)
        subscribed = Subscription.objects.filter(
            subscription_in_force(timezone.now() if now is None else now),
            user_id=user.pk,
            kind=PlanKind.PREMIUM,
            character_id=OuterRef(character_ref),
        )
        allowed |= Q(Exists(owned)) | Q(Exists(subscribed))
    return allowed


def character_chat_allowed(user: User | AnonymousUser, character: Character) -> bool:
    """May ``user`` chat with ``character``? False for premium (supporters-only)
    characters the user does not subscribe to. The owner may always chat, and so
    may staff (moderation needs to see what a character does)."""
    if user.is_authenticated and (user.pk == character.owner_id or user.is_staff):
        return True
    return Character.objects.filter(
        chat_allowed_condition(user, "pk"), pk=character.pk
    ).exists()
