"""Billing reads, permission-aware."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import stripe
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from billing.models import (
    CheckoutRequest,
    CreatorAccount,
    LedgerEntry,
    Payout,
    PremiumCharacter,
    Promotion,
)
from billing.stripe_api import PaymentsNotConfigured, stripe_client
from characters.models import Character
from characters.selectors import listed
from community.models import User

log = logging.getLogger(__name__)


def promoted_characters(
    *, user: User | AnonymousUser, limit: int = 3
) -> list[Character]:
    """Characters promoted right now that ``user`` may see in lists.

    Built on ``characters.selectors.listed(user)``, so mature characters never
    reach users who may not see mature content. Characters whose creator the
    user blocked are left out through ``_blocked_owner_ids`` (see there).
    """
    now = timezone.now()
    running = Promotion.objects.filter(
        character_id=OuterRef("pk"), starts_at__lte=now, ends_at__gt=now
    )
    qs = (
        listed(user)
        .filter(Exists(running))
        .annotate(promoted_until=Max("promotions__ends_at"))
        .select_related("owner__profile")
        .order_by("-promoted_until", "-id")
    )
    blocked = _blocked_owner_ids(user)
    if blocked:
        qs = qs.exclude(owner_id__in=blocked)
    return list(qs[:limit])


def _blocked_owner_ids(user: User | AnonymousUser) -> Sequence[int]:
    """Creators hidden from ``user``: blocked by them or blocking them (one query)."""
    from community.selectors import blocked_user_ids

    return sorted(blocked_user_ids(user=user))


def premium_for(character: Character) -> PremiumCharacter | None:
    return PremiumCharacter.objects.filter(character=character, active=True).first()


def creator_get_for_viewer(*, handle: str, viewer: User | AnonymousUser) -> User:
    """The creator at ``handle`` if ``viewer`` may see their earnings (themself
    or staff); Http404 otherwise, so an earnings page's existence leaks nothing."""
    if not viewer.is_authenticated:
        raise Http404("No such page.")
    try:
        creator = User.objects.select_related("profile").get(profile__handle=handle)
    except User.DoesNotExist:
        raise Http404("No such page.") from None
    if creator.pk != viewer.pk and not viewer.is_staff:
        raise Http404("No such page.")
    return creator


@dataclass(frozen=True)
class CharacterEarnings:
    character_id: int | None
    name: str
    slug: str
    fund_cents: int
    premium_cents: int

    @property
    def total_cents(self) -> int:
        return self.fund_cents + self.premium_cents


@dataclass(frozen=True)
class Earnings:
    account: CreatorAccount | None
    earned_cents: int
    balance_cents: int  # earned and not yet paid out
    pending_cents: int  # payouts written, transfer not confirmed yet
    paid_cents: int  # transfers sent
    by_character: list[CharacterEarnings]


def earnings_for(*, creator: User) -> Earnings:
    """A creator's earnings summary (a fixed number of queries)."""
    account = CreatorAccount.objects.filter(user=creator).first()
    entries = LedgerEntry.objects.filter(creator=creator)
    totals = entries.aggregate(
        earned=Sum("amount_cents", filter=Q(amount_cents__gt=0)),
        balance=Sum("amount_cents"),
    )
    payouts = Payout.objects.filter(creator=creator).aggregate(
        pending=Sum("amount_cents", filter=Q(stripe_transfer_id="")),
        paid=Sum("amount_cents", filter=~Q(stripe_transfer_id="")),
    )
    rows = (
        entries.filter(character__isnull=False)
        .values("character_id", "character__name", "character__slug")
        .annotate(
            fund=Sum("amount_cents", filter=Q(kind=LedgerEntry.Kind.FUND)),
            premium=Sum("amount_cents", filter=Q(kind=LedgerEntry.Kind.PREMIUM)),
        )
        .order_by("character__name", "character_id")
    )
    by_character = [
        CharacterEarnings(
            character_id=row["character_id"],
            name=row["character__name"],
            slug=row["character__slug"],
            fund_cents=row["fund"] or 0,
            premium_cents=row["premium"] or 0,
        )
        for row in rows
    ]
    return Earnings(
        account=account,
        earned_cents=totals["earned"] or 0,
        balance_cents=totals["balance"] or 0,
        pending_cents=payouts["pending"] or 0,
        paid_cents=payouts["paid"] or 0,
        by_character=by_character,
    )


def ledger_page(*, creator: User, limit: int = 50) -> QuerySet[LedgerEntry]:
    return (
        LedgerEntry.objects.filter(creator=creator)
        .select_related("character")
        .order_by("-created_at", "-id")[:limit]
    )


# A Checkout Session id as Stripe makes them (anything else, a NUL included,
# never reaches the database or Stripe).
_SESSION_ID = re.compile(r"cs_[A-Za-z0-9_]{1,250}")


@dataclass(frozen=True)
class CheckoutOutcome:
    """What the page Stripe sends a buyer back to may say.

    ``paid``: Stripe (or its webhook, already here) says the checkout is
    complete and paid. ``processing``: complete, the money not in yet (a
    bank debit). ``unconfirmed``: the buyer's own checkout, but Stripe could
    not be asked. ``none``: nothing of theirs to confirm."""

    state: Literal["paid", "processing", "unconfirmed", "none"]
    checkout: CheckoutRequest | None = None


def checkout_outcome(
    *, user: User | AnonymousUser, session_id: str | None
) -> CheckoutOutcome:
    """How ``user``'s checkout ``session_id`` (from the success URL) ended.

    Only a session of the user's own ``CheckoutRequest`` is looked up at
    Stripe: a made-up, someone else's or no id confirms nothing, and asks
    Stripe nothing."""
    if (
        not user.is_authenticated
        or session_id is None
        or not _SESSION_ID.fullmatch(session_id)
    ):
        return CheckoutOutcome("none")
    checkout = (
        CheckoutRequest.objects.filter(user=user, stripe_session_id=session_id)
        .select_related("character")
        .first()
    )
    if checkout is None:
        return CheckoutOutcome("none")
    if checkout.status == CheckoutRequest.Status.COMPLETED:  # the webhook came
        return CheckoutOutcome("paid", checkout)
    try:
        session = stripe_client().v1.checkout.sessions.retrieve(session_id)
    except PaymentsNotConfigured:
        return CheckoutOutcome("none")
    except stripe.StripeError:
        log.warning("checkout %s: Stripe did not answer", checkout.pk, exc_info=True)
        return CheckoutOutcome("unconfirmed", checkout)
    if session.status != "complete":
        return CheckoutOutcome("none")  # open (not paid) or expired
    if session.payment_status in ("paid", "no_payment_required"):
        return CheckoutOutcome("paid", checkout)
    return CheckoutOutcome("processing", checkout)
