"""Billing: Stripe customers and subscriptions, purchases, received webhook events,
creator accounts, premium characters, promotions and the creators' ledger.

Money is integer cents everywhere. Stripe is the source of truth for what was
paid; these rows are what we learned from it (webhook events, in any order) plus
the records we create first so that every Stripe create request carries an
idempotency key derived from one of our own ids.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from characters.models import Character
from community.models import User


class PlanKind(models.TextChoices):
    PRO_MONTHLY = "pro_monthly", "Pro monthly"
    PRO_YEARLY = "pro_yearly", "Pro yearly"
    PRO_LIFETIME = "pro_lifetime", "Pro lifetime"
    PREMIUM = "premium", "Premium character"
    PROMOTION = "promotion", "Promotion"


PRO_KINDS = (PlanKind.PRO_MONTHLY, PlanKind.PRO_YEARLY, PlanKind.PRO_LIFETIME)


class Customer(models.Model):
    """One Stripe customer per user."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="stripe_customer"
    )
    stripe_customer_id = models.CharField(max_length=255, blank=True, db_index=True)
    portal_sessions = models.PositiveIntegerField(default=0)  # idempotency counter
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.stripe_customer_id or f"customer for user {self.user_id}"


class CheckoutRequest(models.Model):
    """Our record of one Checkout Session; its id keys the Stripe request."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        COMPLETED = "completed", "Completed"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=PlanKind)
    character = models.ForeignKey(
        Character, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    amount_cents = models.PositiveIntegerField(default=0)
    stripe_session_id = models.CharField(max_length=255, blank=True, db_index=True)
    url = models.URLField(max_length=2000, blank=True)
    status = models.CharField(max_length=12, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"checkout {self.pk} ({self.kind}, {self.status})"

    @property
    def idempotency_key(self) -> str:
        return f"kindred-checkout-{self.pk}"


class Subscription(models.Model):
    """A Stripe subscription (Pro, or a premium character's supporters)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    stripe_subscription_id = models.CharField(max_length=255, unique=True)
    kind = models.CharField(max_length=16, choices=PlanKind)
    character = models.ForeignKey(
        Character, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=24)  # Stripe's status string
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    # Creation time of the newest subscription event applied: an older event
    # arriving later is ignored, so the final state is right in any order.
    state_as_of = models.DateTimeField()
    # Set by invoice.payment_failed (or status past_due), cleared by a newer
    # invoice.paid; Pro lasts PRO_GRACE_DAYS from here.
    payment_failed_at = models.DateTimeField(null=True, blank=True)
    last_paid_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["user", "kind"], name="billing_sub_user_kind")]

    def __str__(self) -> str:
        return f"{self.stripe_subscription_id} ({self.status})"


class LifetimePurchase(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    checkout = models.OneToOneField(
        CheckoutRequest, on_delete=models.PROTECT, related_name="lifetime"
    )
    stripe_payment_intent_id = models.CharField(
        max_length=255, blank=True, db_index=True
    )
    amount_cents = models.PositiveIntegerField()
    purchased_at = models.DateTimeField()
    refunded_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"lifetime Pro for user {self.user_id}"


class Payment(models.Model):
    """Money received: an invoice paid, or a one-time Checkout payment."""

    stripe_id = models.CharField(max_length=255, unique=True)  # in_… or cs_…
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=PlanKind)
    character = models.ForeignKey(
        Character, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    stripe_payment_intent_id = models.CharField(
        max_length=255, blank=True, db_index=True
    )
    amount_cents = models.PositiveIntegerField()
    refunded_cents = models.PositiveIntegerField(default=0)
    paid_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(refunded_cents__lte=models.F("amount_cents")),
                name="billing_payment_refund_bounded",
            )
        ]

    def __str__(self) -> str:
        return f"{self.stripe_id} {self.amount_cents}¢"


class ProGrant(models.Model):
    """Pro given by hand by staff, with who and why."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="pro_grants")
    granted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reason = models.TextField()
    ends_at = models.DateTimeField(
        null=True, blank=True, help_text="Leave empty for no end."
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Pro for user {self.user_id}: {self.reason[:40]}"


class StripeEvent(models.Model):
    """A webhook event, stored once; processed by a Celery task."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    created = models.DateTimeField()  # Stripe's event creation time
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["processed_at"], name="billing_evt_processed")]

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"


class CreatorAccount(models.Model):
    """A creator's Stripe Connect account."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="creator_account"
    )
    stripe_account_id = models.CharField(max_length=255, blank=True, db_index=True)
    details_submitted = models.BooleanField(default=False)
    charges_enabled = models.BooleanField(default=False)
    payouts_enabled = models.BooleanField(default=False)
    links_created = models.PositiveIntegerField(default=0)  # idempotency counter
    state_as_of = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.stripe_account_id or f"creator {self.user_id}"

    @property
    def onboarded(self) -> bool:
        return bool(
            self.stripe_account_id and self.details_submitted and self.payouts_enabled
        )

    @property
    def status_label(self) -> str:
        if self.onboarded:
            return "Onboarded"
        if self.stripe_account_id:
            return "Onboarding incomplete"
        return "Not connected"


class PremiumCharacter(models.Model):
    """A supporters-only character and its monthly price."""

    character = models.OneToOneField(
        Character, on_delete=models.CASCADE, related_name="premium"
    )
    price_cents = models.PositiveIntegerField()
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(price_cents__gte=199) & Q(price_cents__lte=1999),
                name="billing_premium_price_range",
            )
        ]

    def __str__(self) -> str:
        return f"character {self.character_id} at {self.price_cents}¢/month"


class Promotion(models.Model):
    character = models.ForeignKey(
        Character, on_delete=models.CASCADE, related_name="promotions"
    )
    checkout = models.OneToOneField(
        CheckoutRequest, on_delete=models.PROTECT, related_name="promotion"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["ends_at"], name="billing_promo_ends")]

    def __str__(self) -> str:
        return f"promotion of character {self.character_id}"


class FundRun(models.Model):
    """One month's creator fund split (unique per month)."""

    month = models.DateField(unique=True)  # first day of the month
    pro_revenue_cents = models.BigIntegerField()
    pool_cents = models.BigIntegerField()
    distributed_cents = models.BigIntegerField()
    messages = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"creator fund {self.month:%Y-%m}"


class Payout(models.Model):
    """A Stripe transfer to a creator; its id keys the transfer request."""

    creator = models.ForeignKey(User, on_delete=models.PROTECT, related_name="payouts")
    amount_cents = models.PositiveBigIntegerField()
    stripe_transfer_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    transferred_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"payout {self.pk}: {self.amount_cents}¢"

    @property
    def idempotency_key(self) -> str:
        return f"kindred-payout-{self.pk}"


class LedgerEntry(models.Model):
    """Append-only: what creators earned (positive) and were paid (negative).

    ``key`` makes every entry's cause unique (a fund month and character, an
    invoice, a payout), so re-running anything writes nothing twice.
    """

    class Kind(models.TextChoices):
        FUND = "fund", "Creator fund"
        PREMIUM = "premium", "Premium subscriptions"
        PAYOUT = "payout", "Payout"

    key = models.CharField(max_length=200, unique=True)
    creator = models.ForeignKey(User, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(max_length=10, choices=Kind)
    amount_cents = models.BigIntegerField()
    # PROTECT, not SET_NULL: a database trigger forbids changing ledger rows
    # (characters are soft-deleted, so this never gets in anyone's way).
    character = models.ForeignKey(
        Character, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(null=True, blank=True)
    payout = models.ForeignKey(
        Payout, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["creator", "-created_at"], name="billing_ledger_idx")
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.amount_cents}¢"
