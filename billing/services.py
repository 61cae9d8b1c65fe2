"""Every billing write: checkout, portal, Connect onboarding, premium characters,
webhook events, the creator fund and payouts.

Calls that create something at Stripe follow one pattern: write our own record
and commit, then call Stripe with an idempotency key built from that record's id,
then store what Stripe returned. A crash or retry in between repeats the same
request with the same key, and Stripe answers with the object it already made.
"""

from __future__ import annotations

import calendar
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation

import stripe
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from billing.entitlements import is_pro, subscription_in_force
from billing.models import (
    PRO_KINDS,
    CheckoutRequest,
    CreatorAccount,
    Customer,
    FundRun,
    LedgerEntry,
    LifetimePurchase,
    Payment,
    Payout,
    PlanKind,
    PremiumCharacter,
    ProGrant,
    Promotion,
    StripeEvent,
    Subscription,
)
from billing.stripe_api import payments_configured, stripe_client
from characters.models import Character, Visibility
from chat.stats import messages_by_character
from community.models import User

log = logging.getLogger(__name__)

JSON = Mapping[str, object]

HANDLED_EVENTS = (
    "checkout.session.completed",
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "invoice.paid",
    "invoice.payment_failed",
    "invoice_payment.paid",
    "charge.refunded",
    "account.updated",
)


# --- Reading Stripe objects (webhook bodies are untrusted-shape JSON) --------


def _obj(data: JSON, key: str) -> JSON:
    value = data.get(key)
    return value if isinstance(value, Mapping) else {}


def _event_object(payload: JSON) -> JSON:
    """The object a stored event is about (``data.object``)."""
    return _obj(_obj(payload, "data"), "object")


def _str(data: JSON, key: str) -> str:
    value = data.get(key)
    if isinstance(value, Mapping):  # an expanded object: use its id
        inner = value.get("id")
        return inner if isinstance(inner, str) else ""
    return value if isinstance(value, str) else ""


def _int(data: JSON, key: str) -> int:
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _time(data: JSON, key: str) -> datetime | None:
    value = _int(data, key)
    return datetime.fromtimestamp(value, tz=UTC) if value else None


def _metadata(data: JSON) -> dict[str, str]:
    return {k: v for k, v in _obj(data, "metadata").items() if isinstance(v, str)}


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def cents_display(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(cents) // 100:,}.{abs(cents) % 100:02d}"


# --- Customers, checkout, portal ---------------------------------------------


def customer_ensure(*, user: User) -> str:
    """The user's Stripe customer id; created once (one customer per user)."""
    with transaction.atomic():
        customer, _ = Customer.objects.get_or_create(user=user)
    if customer.stripe_customer_id:
        return customer.stripe_customer_id
    created = stripe_client().v1.customers.create(
        params={"email": user.email, "metadata": {"user_id": str(user.pk)}},
        options={"idempotency_key": f"kindred-customer-{customer.pk}"},
    )
    customer_id: str = created.id
    Customer.objects.filter(pk=customer.pk).update(stripe_customer_id=customer_id)
    return customer_id


def _pro_price(kind: str) -> str:
    price: str = {
        PlanKind.PRO_MONTHLY: settings.STRIPE_PRICE_PRO_MONTHLY,
        PlanKind.PRO_YEARLY: settings.STRIPE_PRICE_PRO_YEARLY,
        PlanKind.PRO_LIFETIME: settings.STRIPE_PRICE_PRO_LIFETIME,
    }[PlanKind(kind)]
    if not price:
        raise ValidationError(f"No Stripe price is configured for {kind}.")
    return price


def checkout_start(
    *,
    user: User,
    kind: str,
    success_url: str,
    cancel_url: str,
    character: Character | None = None,
) -> CheckoutRequest:
    """Open a Checkout Session; the caller redirects to ``request.url``.

    Subscription mode for Pro monthly/yearly and premium characters, payment mode
    for Pro lifetime and promotions.
    """
    if kind not in PlanKind.values:
        raise ValidationError(f"Unknown plan {kind!r}.")
    kind = PlanKind(kind)
    amount = 0
    if kind == PlanKind.PREMIUM:
        if character is None:
            raise ValidationError("A premium subscription needs a character.")
        premium = PremiumCharacter.objects.filter(
            character=character, active=True
        ).first()
        if premium is None:
            raise ValidationError("This character is not supporters-only.")
        amount = premium.price_cents
        if Subscription.objects.filter(
            subscription_in_force(timezone.now()),
            user=user,
            kind=PlanKind.PREMIUM,
            character=character,
        ).exists():
            raise ValidationError("You already support this character.")
    elif kind == PlanKind.PROMOTION:
        if character is None or character.owner_id != user.pk:
            raise ValidationError("You can only promote your own characters.")
        if not (
            character.visibility == Visibility.PUBLIC
            and character.published_version_id
            and character.deleted_at is None
        ):
            raise ValidationError("Only published, public characters can be promoted.")
        amount = settings.PROMOTION_PRICE_CENTS
    else:
        _pro_price(kind)  # fail before recording anything
        if is_pro(user):
            raise ValidationError(
                "You already have Pro. Manage your plan from the pricing page."
            )
        character = None

    customer_id = customer_ensure(user=user)
    with transaction.atomic():
        request = CheckoutRequest.objects.create(
            user=user, kind=kind, character=character, amount_cents=amount
        )
    metadata = {
        "checkout_id": str(request.pk),
        "kind": str(kind),
        "user_id": str(user.pk),
        "character_id": str(character.pk) if character else "",
    }
    currency = settings.BILLING_CURRENCY
    if kind == PlanKind.PREMIUM and character is not None:
        line_item: dict[str, object] = {
            "quantity": 1,
            "price_data": {
                "currency": currency,
                "unit_amount": amount,
                "recurring": {"interval": "month"},
                "product_data": {"name": f"Supporter of {character.name}"},
            },
        }
    elif kind == PlanKind.PROMOTION and character is not None:
        line_item = {
            "quantity": 1,
            "price_data": {
                "currency": currency,
                "unit_amount": amount,
                "product_data": {
                    "name": f"Promote {character.name} for "
                    f"{settings.PROMOTION_DAYS} days"
                },
            },
        }
    else:
        line_item = {"quantity": 1, "price": _pro_price(kind)}
    subscription_mode = kind in (
        PlanKind.PRO_MONTHLY,
        PlanKind.PRO_YEARLY,
        PlanKind.PREMIUM,
    )
    params: dict[str, object] = {
        "mode": "subscription" if subscription_mode else "payment",
        "customer": customer_id,
        "client_reference_id": str(request.pk),
        "line_items": [line_item],
        "metadata": metadata,
        "success_url": success_url,
        "cancel_url": cancel_url,
    }
    if subscription_mode:
        params["subscription_data"] = {"metadata": metadata}
    else:
        params["payment_intent_data"] = {"metadata": metadata}
    session = stripe_client().v1.checkout.sessions.create(
        params=params,  # type: ignore[arg-type]  # built as a dict; Stripe validates
        options={"idempotency_key": request.idempotency_key},
    )
    request.stripe_session_id = session.id
    request.url = session.url or ""
    request.save(update_fields=["stripe_session_id", "url"])
    return request


def portal_session_create(*, user: User, return_url: str) -> str:
    """A Customer Portal URL where the user changes or cancels their plan."""
    customer_id = customer_ensure(user=user)
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(user=user)
        customer.portal_sessions += 1
        customer.save(update_fields=["portal_sessions"])
    session = stripe_client().v1.billing_portal.sessions.create(
        params={"customer": customer_id, "return_url": return_url},
        options={
            "idempotency_key": f"kindred-portal-{customer.pk}-{customer.portal_sessions}"
        },
    )
    url: str = session.url
    return url


# --- Creators: Connect onboarding and premium characters ---------------------


def creator_onboarding_link(*, user: User, refresh_url: str, return_url: str) -> str:
    """An account link for Connect onboarding (creates the account once)."""
    with transaction.atomic():
        account, _ = CreatorAccount.objects.get_or_create(user=user)
    client = stripe_client()
    if not account.stripe_account_id:
        created = client.v1.accounts.create(
            params={
                "type": "express",
                "email": user.email,
                "metadata": {"user_id": str(user.pk)},
                "capabilities": {"transfers": {"requested": True}},
            },
            options={"idempotency_key": f"kindred-account-{account.pk}"},
        )
        CreatorAccount.objects.filter(pk=account.pk).update(
            stripe_account_id=created.id
        )
        account.stripe_account_id = created.id
    with transaction.atomic():
        account = CreatorAccount.objects.select_for_update().get(pk=account.pk)
        account.links_created += 1
        account.save(update_fields=["links_created"])
    link = client.v1.account_links.create(
        params={
            "account": account.stripe_account_id,
            "refresh_url": refresh_url,
            "return_url": return_url,
            "type": "account_onboarding",
        },
        options={
            "idempotency_key": f"kindred-account-link-{account.pk}-{account.links_created}"
        },
    )
    return link.url


def price_parse(text: str) -> int:
    """Dollars as typed ("4.99", "$4.99") → cents; ValidationError names the problem."""
    raw = text.strip().removeprefix("$").strip()
    if not raw:
        raise ValidationError("Enter a price in dollars, like 4.99.")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValidationError(
            f"“{text.strip()}” is not a price: write it in dollars, like 4.99."
        ) from None
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError("A price has at most two decimals.")
    return int(value * 100)


@transaction.atomic
def premium_set(*, character: Character, by: User, price_cents: int | None) -> None:
    """Make ``character`` supporters-only at ``price_cents`` a month, or free
    again with ``None``. Only its onboarded creator may."""
    if character.owner_id != by.pk:
        raise ValidationError("Only the character's creator can change this.")
    if price_cents is None:
        ended = PremiumCharacter.objects.filter(
            character=character, active=True
        ).update(active=False)
        if ended and payments_configured():
            from billing.tasks import premium_supporters_release_task

            transaction.on_commit(
                lambda: premium_supporters_release_task.delay(character.pk)
            )
        return
    account = CreatorAccount.objects.filter(user=by).first()
    if account is None or not account.onboarded:
        raise ValidationError(
            "Finish Stripe onboarding in the creator program before charging."
        )
    low, high = settings.PREMIUM_MIN_CENTS, settings.PREMIUM_MAX_CENTS
    if not low <= price_cents <= high:
        raise ValidationError(
            f"The monthly price must be between {cents_display(low)} and "
            f"{cents_display(high)}."
        )
    PremiumCharacter.objects.update_or_create(
        character=character, defaults={"price_cents": price_cents, "active": True}
    )


def premium_supporters_release(*, character_id: int) -> int:
    """The character is free again: its supporters' subscriptions end at the
    end of the period they paid for, so nobody is charged for it again (they
    keep chatting: the character is free). Returns how many were asked to end.

    Idempotent: the key names the subscription and the request, and Stripe's
    ``customer.subscription.updated`` webhook records the answer. A character
    made supporters-only again before this runs keeps its supporters.
    """
    if PremiumCharacter.objects.filter(character_id=character_id, active=True).exists():
        return 0
    subs = Subscription.objects.filter(
        kind=PlanKind.PREMIUM,
        character_id=character_id,
        cancel_at_period_end=False,
        ended_at__isnull=True,
    ).exclude(status__in=["canceled", "incomplete_expired"])
    client = stripe_client()
    released = 0
    for sub in subs:
        client.v1.subscriptions.update(
            sub.stripe_subscription_id,
            params={
                "cancel_at_period_end": True,
                "metadata": {"ended_because": "character_made_free"},
            },
            options={"idempotency_key": f"kindred-premium-free-{sub.pk}"},
        )
        released += 1
    return released


# --- Webhook events ----------------------------------------------------------


def event_record(*, payload: JSON) -> StripeEvent | None:
    """Store a verified event once; queue its processing. ``None`` for a duplicate.

    Unique on the event id: of two concurrent deliveries, one inserts and the
    other waits on the unique index, then finds the row and does nothing.
    """
    from billing.tasks import stripe_event_process_task

    event_id = _str(payload, "id")
    if not event_id:
        raise ValidationError("The event has no id.")
    created_at = _time(payload, "created") or timezone.now()
    with transaction.atomic():
        event, created = StripeEvent.objects.get_or_create(
            event_id=event_id,
            defaults={
                "type": _str(payload, "type"),
                "created": created_at,
                "payload": dict(payload),
            },
        )
        if not created:
            return None
        pk = event.pk
        transaction.on_commit(lambda: stripe_event_process_task.delay(pk))
    return event


def event_process(*, event_pk: int) -> bool:
    """Apply one stored event, once. Returns False if it was already applied.

    The row lock makes concurrent workers take turns; the second finds
    ``processed_at`` set and stops.
    """
    try:
        with transaction.atomic():
            event = StripeEvent.objects.select_for_update().get(pk=event_pk)
            if event.processed_at is not None:
                return False
            handler = _HANDLERS.get(event.type)
            if handler is not None:
                handler(_event_object(event.payload), event.created)
            event.processed_at = timezone.now()
            event.error = ""
            event.save(update_fields=["processed_at", "error"])
            return True
    except Exception as exc:
        StripeEvent.objects.filter(pk=event_pk).update(error=repr(exc)[:2000])
        raise


def _user_for(obj: JSON, metadata: Mapping[str, str]) -> User | None:
    user_id = _int_or_none(metadata.get("user_id"))
    if user_id is not None:
        user = User.objects.filter(pk=user_id).first()
        if user is not None:
            return user
    customer = (
        Customer.objects.select_related("user")
        .filter(stripe_customer_id=_str(obj, "customer"))
        .exclude(stripe_customer_id="")
        .first()
    )
    return customer.user if customer else None


def _character_for(metadata: Mapping[str, str]) -> Character | None:
    character_id = _int_or_none(metadata.get("character_id"))
    return Character.objects.filter(pk=character_id).first() if character_id else None


def _subscription_locked(
    stripe_id: str, *, user: User, kind: str, character: Character | None
) -> Subscription:
    """The row for ``stripe_id``, locked; created (epoch state) if missing."""
    try:
        return Subscription.objects.select_for_update().get(
            stripe_subscription_id=stripe_id
        )
    except Subscription.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            Subscription.objects.create(
                stripe_subscription_id=stripe_id,
                user=user,
                kind=kind,
                character=character,
                status="incomplete",
                state_as_of=datetime(1970, 1, 1, tzinfo=UTC),
            )
    except IntegrityError:
        pass  # created concurrently: lock theirs
    return Subscription.objects.select_for_update().get(
        stripe_subscription_id=stripe_id
    )


def _kind_from_metadata(metadata: Mapping[str, str]) -> str | None:
    kind = metadata.get("kind", "")
    return kind if kind in PlanKind.values else None


def _subscription_event(obj: JSON, at: datetime) -> None:
    """customer.subscription.created|updated|deleted: the newest event wins."""
    stripe_id = _str(obj, "id")
    metadata = _metadata(obj)
    user = _user_for(obj, metadata)
    kind = _kind_from_metadata(metadata) or PlanKind.PRO_MONTHLY
    if user is None or not stripe_id:
        log.warning("subscription %s: no user to attach it to", stripe_id)
        return
    sub = _subscription_locked(
        stripe_id, user=user, kind=kind, character=_character_for(metadata)
    )
    if sub.state_as_of > at:
        return  # an older event delivered late
    status = _str(obj, "status")
    items = _obj(obj, "items").get("data")
    first_item = items[0] if isinstance(items, list) and items else None
    # The pinned API version keeps the period on the subscription's items.
    period_end = (
        _time(first_item, "current_period_end")
        if isinstance(first_item, Mapping)
        else None
    )
    sub.status = status
    sub.current_period_end = period_end or _time(obj, "current_period_end")
    sub.cancel_at_period_end = obj.get("cancel_at_period_end") is True
    sub.ended_at = _time(obj, "ended_at")
    if kind in PlanKind.values:
        sub.kind = kind
    sub.state_as_of = at
    if status in ("past_due", "unpaid") and sub.payment_failed_at is None:
        sub.payment_failed_at = at
    sub.save()


def _invoice_subscription(obj: JSON) -> tuple[str, dict[str, str]]:
    """The subscription id and its metadata: ``parent.subscription_details`` in
    the pinned API version (older versions had a top-level ``subscription``)."""
    details = _obj(_obj(obj, "parent"), "subscription_details")
    stripe_id = _str(details, "subscription") or _str(obj, "subscription")
    metadata = _metadata(details) or _metadata(_obj(obj, "subscription_details"))
    return stripe_id, metadata


def _invoice_paid(obj: JSON, at: datetime) -> None:
    stripe_id, metadata = _invoice_subscription(obj)
    invoice_id = _str(obj, "id")
    user = _user_for(obj, metadata)
    if not stripe_id or user is None:
        return
    existing = Subscription.objects.filter(stripe_subscription_id=stripe_id).first()
    kind = _kind_from_metadata(metadata) or (
        existing.kind if existing else PlanKind.PRO_MONTHLY
    )
    character = _character_for(metadata) or (existing.character if existing else None)
    sub = _subscription_locked(stripe_id, user=user, kind=kind, character=character)
    if sub.last_paid_at is None or sub.last_paid_at < at:
        sub.last_paid_at = at
    if sub.payment_failed_at is not None and sub.payment_failed_at <= at:
        sub.payment_failed_at = None
    sub.save(update_fields=["last_paid_at", "payment_failed_at", "updated_at"])

    amount = _int(obj, "amount_paid")
    _invoice_lock(invoice_id)
    payment_intent = _invoice_payment_intent(obj, invoice_id)
    payment, created = Payment.objects.get_or_create(
        stripe_id=invoice_id,
        defaults={
            "user": user,
            "kind": kind,
            "character": character,
            "amount_cents": amount,
            "stripe_payment_intent_id": payment_intent,
            "paid_at": _time(_obj(obj, "status_transitions"), "paid_at") or at,
        },
    )
    if created and kind == PlanKind.PREMIUM and character is not None and amount > 0:
        LedgerEntry.objects.get_or_create(
            key=f"premium-{invoice_id}",
            defaults={
                "creator_id": character.owner_id,
                "kind": LedgerEntry.Kind.PREMIUM,
                "amount_cents": _creator_cents(amount),
                "character": character,
                "month": payment.paid_at.date().replace(day=1),
                "note": f"Supporter payment {cents_display(amount)}",
            },
        )
    if created and payment_intent:
        _apply_earlier_refunds(payment_intent)


def _creator_cents(amount: int) -> int:
    """The creator's part of a supporter payment (the platform keeps the rest)."""
    share: int = settings.PLATFORM_SHARE_PERCENT
    return amount * (100 - share) // 100


def _invoice_payment_intent(obj: JSON, invoice_id: str) -> str:
    """The PaymentIntent that paid an invoice. Since API version 2025-03-31 the
    invoice no longer names it: it is on the invoice's InvoicePayments (in the
    body when ``payments`` is expanded, else in an ``invoice_payment.paid``
    event, which may arrive before or after ``invoice.paid``). Older versions
    put it on the invoice itself."""
    direct = _str(obj, "payment_intent")
    if direct:
        return direct
    payments = _obj(obj, "payments").get("data")
    for item in payments if isinstance(payments, list) else []:
        if isinstance(item, Mapping) and _str(item, "status") == "paid":
            found = _str(_obj(item, "payment"), "payment_intent")
            if found:
                return found
    for earlier in StripeEvent.objects.filter(
        type="invoice_payment.paid", payload__data__object__invoice=invoice_id
    ).order_by("created"):
        found = _str(
            _obj(_event_object(earlier.payload), "payment"),
            "payment_intent",
        )
        if found:
            return found
    return ""


def _invoice_payment_paid(obj: JSON, at: datetime) -> None:
    """Link an invoice's Payment to the PaymentIntent that paid it, so a refund
    of that charge finds it (``charge.refunded`` names only the intent)."""
    invoice_id = _str(obj, "invoice")
    payment_intent = _str(_obj(obj, "payment"), "payment_intent")
    if not invoice_id or not payment_intent or _str(obj, "status") != "paid":
        return
    _invoice_lock(invoice_id)
    linked = Payment.objects.filter(
        stripe_id=invoice_id, stripe_payment_intent_id=""
    ).update(stripe_payment_intent_id=payment_intent)
    if linked:
        _apply_earlier_refunds(payment_intent)


def _invoice_lock(invoice_id: str) -> None:
    """Serialise ``invoice.paid`` and ``invoice_payment.paid`` of one invoice
    (held until the transaction ends): whichever runs second sees the first's
    work, so the link between the two is never lost to a race."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                [f"invoice:{invoice_id}"],
            )


def _apply_earlier_refunds(payment_intent: str) -> None:
    """A refund delivered before the payment it refunds: apply it now."""
    for earlier in StripeEvent.objects.filter(
        type="charge.refunded",
        payload__data__object__payment_intent=payment_intent,
    ):
        _charge_refunded(_event_object(earlier.payload), earlier.created)


def _invoice_payment_failed(obj: JSON, at: datetime) -> None:
    stripe_id, metadata = _invoice_subscription(obj)
    user = _user_for(obj, metadata)
    if not stripe_id or user is None:
        return
    sub = _subscription_locked(
        stripe_id,
        user=user,
        kind=_kind_from_metadata(metadata) or PlanKind.PRO_MONTHLY,
        character=_character_for(metadata),
    )
    if sub.last_paid_at is not None and sub.last_paid_at >= at:
        return  # paid after this failure
    # Grace runs from the first unresolved failure, not the latest retry.
    if sub.payment_failed_at is None or sub.payment_failed_at > at:
        sub.payment_failed_at = at
        sub.save(update_fields=["payment_failed_at", "updated_at"])


def _refund_apply(
    *, payment_intent: str, amount_refunded: int, fully: bool, at: datetime
) -> None:
    for payment in Payment.objects.select_for_update().filter(
        stripe_payment_intent_id=payment_intent
    ):
        refunded = min(
            payment.amount_cents, max(payment.refunded_cents, amount_refunded)
        )
        if refunded != payment.refunded_cents:
            _premium_refund_reverse(payment, refunded)
            payment.refunded_cents = refunded
            payment.save(update_fields=["refunded_cents"])
    if fully:
        LifetimePurchase.objects.filter(
            stripe_payment_intent_id=payment_intent, refunded_at__isnull=True
        ).update(refunded_at=at)
        Promotion.objects.filter(
            checkout__stripe_session_id__in=Payment.objects.filter(
                stripe_payment_intent_id=payment_intent
            ).values("stripe_id"),
            ends_at__gt=at,
        ).update(ends_at=at)


def _premium_refund_reverse(payment: Payment, refunded: int) -> None:
    """Take back the creator's part of what was refunded of a supporter payment
    (append-only: a negative entry per refund step, keyed by the refunded total,
    so a full refund reverses exactly what was credited)."""
    earned = LedgerEntry.objects.filter(key=f"premium-{payment.stripe_id}").first()
    if earned is None or payment.amount_cents == 0:
        return

    credited: int = earned.amount_cents

    def reversed_at(cents: int) -> int:
        return credited * cents // payment.amount_cents

    delta = reversed_at(refunded) - reversed_at(payment.refunded_cents)
    if delta <= 0:
        return
    LedgerEntry.objects.get_or_create(
        key=f"premium-refund-{payment.stripe_id}-{refunded}",
        defaults={
            "creator_id": earned.creator_id,
            "kind": LedgerEntry.Kind.PREMIUM,
            "amount_cents": -delta,
            "character_id": earned.character_id,
            "month": earned.month,
            "note": f"Refund of a supporter payment ({cents_display(refunded)} refunded)",
        },
    )


def _charge_refunded(obj: JSON, at: datetime) -> None:
    payment_intent = _str(obj, "payment_intent")
    if not payment_intent:
        return
    _refund_apply(
        payment_intent=payment_intent,
        amount_refunded=_int(obj, "amount_refunded"),
        fully=obj.get("refunded") is True,
        at=at,
    )


def _checkout_completed(obj: JSON, at: datetime) -> None:
    metadata = _metadata(obj)
    checkout_id = _int_or_none(_str(obj, "client_reference_id")) or _int_or_none(
        metadata.get("checkout_id")
    )
    request = (
        CheckoutRequest.objects.select_for_update().filter(pk=checkout_id).first()
        if checkout_id
        else None
    )
    if request is None:
        log.warning("checkout %s: no matching CheckoutRequest", _str(obj, "id"))
        return
    if request.status != CheckoutRequest.Status.COMPLETED:
        request.status = CheckoutRequest.Status.COMPLETED
        request.save(update_fields=["status"])
    if _str(obj, "mode") != "payment" or _str(obj, "payment_status") != "paid":
        return  # subscriptions are applied from their own events
    payment_intent = _str(obj, "payment_intent")
    amount = _int(obj, "amount_total")
    Payment.objects.get_or_create(
        stripe_id=_str(obj, "id"),
        defaults={
            "user": request.user,
            "kind": request.kind,
            "character": request.character,
            "amount_cents": amount,
            "stripe_payment_intent_id": payment_intent,
            "paid_at": at,
        },
    )
    if request.kind == PlanKind.PRO_LIFETIME:
        LifetimePurchase.objects.get_or_create(
            checkout=request,
            defaults={
                "user": request.user,
                "stripe_payment_intent_id": payment_intent,
                "amount_cents": amount,
                "purchased_at": at,
            },
        )
    elif (
        request.kind == PlanKind.PROMOTION
        and request.character is not None
        and not Promotion.objects.filter(checkout=request).exists()
    ):
        # A second purchase extends a running promotion instead of overlapping.
        running = (
            Promotion.objects.filter(character=request.character, ends_at__gt=at)
            .order_by("-ends_at")
            .first()
        )
        starts = running.ends_at if running else at
        Promotion.objects.create(
            character=request.character,
            checkout=request,
            starts_at=starts,
            ends_at=starts + timedelta(days=settings.PROMOTION_DAYS),
        )
    if payment_intent:
        _apply_earlier_refunds(payment_intent)


def _account_updated(obj: JSON, at: datetime) -> None:
    account = (
        CreatorAccount.objects.select_for_update()
        .filter(stripe_account_id=_str(obj, "id"))
        .exclude(stripe_account_id="")
        .first()
    )
    if account is None:
        # Our request created it but we crashed before saving its id.
        user_id = _int_or_none(_metadata(obj).get("user_id"))
        account = (
            CreatorAccount.objects.select_for_update()
            .filter(user_id=user_id, stripe_account_id="")
            .first()
            if user_id is not None
            else None
        )
        if account is None:
            return
        account.stripe_account_id = _str(obj, "id")
    if account.state_as_of and account.state_as_of > at:
        return
    account.details_submitted = obj.get("details_submitted") is True
    account.charges_enabled = obj.get("charges_enabled") is True
    account.payouts_enabled = obj.get("payouts_enabled") is True
    account.state_as_of = at
    account.save()


_HANDLERS = {
    "checkout.session.completed": _checkout_completed,
    "customer.subscription.created": _subscription_event,
    "customer.subscription.updated": _subscription_event,
    "customer.subscription.deleted": _subscription_event,
    "invoice.paid": _invoice_paid,
    "invoice.payment_failed": _invoice_payment_failed,
    "invoice_payment.paid": _invoice_payment_paid,
    "charge.refunded": _charge_refunded,
    "account.updated": _account_updated,
}


@dataclass(frozen=True)
class ReconcileResult:
    seen: int
    recorded: int
    processed: int


def billing_reconcile(*, days: int = 3) -> ReconcileResult:
    """Fetch recent events from Stripe; store and process what we missed.

    Events we have but never finished (a crashed worker) are processed too.
    Running it twice changes nothing: storing is unique on the event id and
    processing is once per event.
    """
    since = int((timezone.now() - timedelta(days=days)).timestamp())
    events = stripe_client().v1.events.list(
        params={"created": {"gte": since}, "types": list(HANDLED_EVENTS), "limit": 100}
    )
    seen = recorded = 0
    for event in events.auto_paging_iter():
        seen += 1
        payload = event.to_dict()
        with transaction.atomic():
            _, created = StripeEvent.objects.get_or_create(
                event_id=event.id,
                defaults={
                    "type": event.type,
                    "created": datetime.fromtimestamp(event.created, tz=UTC),
                    "payload": payload,
                },
            )
        recorded += created
    processed = 0
    pending = StripeEvent.objects.filter(processed_at__isnull=True).order_by(
        "created", "pk"
    )
    for pk in pending.values_list("pk", flat=True):
        processed += event_process(event_pk=pk)
    return ReconcileResult(seen=seen, recorded=recorded, processed=processed)


# --- Staff grants ------------------------------------------------------------


@transaction.atomic
def pro_grant(
    *, user: User, by: User, reason: str, ends_at: datetime | None = None
) -> ProGrant:
    """Staff give Pro by hand; who and why are kept."""
    if not by.is_staff:
        raise ValidationError("Only staff can grant Pro.")
    if not reason.strip():
        raise ValidationError("Say why Pro is granted.")
    return ProGrant.objects.create(
        user=user, granted_by=by, reason=reason.strip(), ends_at=ends_at
    )


@transaction.atomic
def pro_grant_revoke(*, grant: ProGrant) -> None:
    ProGrant.objects.filter(pk=grant.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


# --- Creator fund and payouts ------------------------------------------------


def split_largest_remainder(pool: int, weights: Mapping[int, int]) -> dict[int, int]:
    """Divide ``pool`` cents in proportion to ``weights``; parts sum to ``pool``.

    Each key gets floor(pool·w/W); the cents left over go one each to the keys
    with the largest remainders (ties: the smaller key first, so it is
    deterministic). Keys with zero weight get nothing; no weights, nothing.
    """
    if pool < 0:
        raise ValueError("pool must not be negative")
    positive = {k: w for k, w in weights.items() if w > 0}
    total = sum(positive.values())
    if total == 0 or pool == 0:
        return dict.fromkeys(positive, 0)
    parts = {k: pool * w // total for k, w in positive.items()}
    left = pool - sum(parts.values())
    by_remainder = sorted(positive, key=lambda k: (-(pool * positive[k] % total), k))
    for k in by_remainder[:left]:
        parts[k] += 1
    return parts


def month_bounds(month: date) -> tuple[datetime, datetime]:
    start = datetime(month.year, month.month, 1, tzinfo=UTC)
    days = calendar.monthrange(month.year, month.month)[1]
    return start, start + timedelta(days=days)


def pro_revenue_cents(*, start: datetime, end: datetime) -> int:
    """Pro money kept in [start, end): paid minus refunded."""
    totals = Payment.objects.filter(
        kind__in=PRO_KINDS, paid_at__gte=start, paid_at__lt=end
    ).aggregate(paid=Sum("amount_cents"), refunded=Sum("refunded_cents"))
    return (totals["paid"] or 0) - (totals["refunded"] or 0)


def pro_user_ids(*, start: datetime, end: datetime) -> list[int]:
    """Users who were Pro at some point in [start, end)."""
    subs = Subscription.objects.filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=start),
        kind__in=PRO_KINDS,
        created_at__lt=end,
    ).exclude(status__in=["incomplete", "incomplete_expired"])
    lifetime = LifetimePurchase.objects.filter(purchased_at__lt=end).filter(
        Q(refunded_at__isnull=True) | Q(refunded_at__gte=start)
    )
    grants = ProGrant.objects.filter(created_at__lt=end).filter(
        Q(revoked_at__isnull=True) | Q(revoked_at__gte=start),
        Q(ends_at__isnull=True) | Q(ends_at__gte=start),
    )
    ids: set[int] = set(subs.values_list("user_id", flat=True))
    ids |= set(lifetime.values_list("user_id", flat=True))
    ids |= set(grants.values_list("user_id", flat=True))
    return sorted(ids)


def creator_fund_run(*, month: date) -> FundRun:
    """Split ``month``'s creator fund into the ledger; once per month.

    Pool = CREATOR_FUND_PERCENT of Pro revenue (floored to the cent). Weights =
    Pro users' messages with each public character that month (from
    ``chat.stats``). One ledger row per character; a creator's share is the sum
    of their characters'. Re-running returns the existing run.
    """
    month = month.replace(day=1)
    existing = FundRun.objects.filter(month=month).first()
    if existing is not None:
        return existing
    start, end = month_bounds(month)
    revenue = max(0, pro_revenue_cents(start=start, end=end))
    pool = revenue * settings.CREATOR_FUND_PERCENT // 100
    counts = messages_by_character(
        start=start, end=end, user_ids=pro_user_ids(start=start, end=end)
    )
    owners = dict(
        Character.objects.filter(
            pk__in=list(counts),
            visibility=Visibility.PUBLIC,
            published_version__isnull=False,
            deleted_at__isnull=True,
        ).values_list("pk", "owner_id")
    )
    weights = {pk: n for pk, n in counts.items() if pk in owners}
    parts = split_largest_remainder(pool, weights)
    try:
        with transaction.atomic():
            run = FundRun.objects.create(
                month=month,
                pro_revenue_cents=revenue,
                pool_cents=pool,
                distributed_cents=sum(parts.values()),
                messages=sum(weights.values()),
            )
            LedgerEntry.objects.bulk_create(
                [
                    LedgerEntry(
                        key=f"fund-{month:%Y-%m}-character-{pk}",
                        creator_id=owners[pk],
                        kind=LedgerEntry.Kind.FUND,
                        amount_cents=cents,
                        character_id=pk,
                        month=month,
                        note=f"{weights[pk]} Pro messages",
                    )
                    for pk, cents in sorted(parts.items())
                    if cents > 0
                ]
            )
    except IntegrityError:
        # Another run of the same month committed first: theirs stands.
        return FundRun.objects.get(month=month)
    return run


def creator_balance_cents(*, creator_id: int) -> int:
    total = LedgerEntry.objects.filter(creator_id=creator_id).aggregate(
        s=Sum("amount_cents")
    )["s"]
    return total or 0


def payouts_run() -> list[Payout]:
    """Pay every onboarded creator whose balance reaches the minimum.

    Each payout is first written (with its ledger debit) and committed, then sent
    as a Stripe transfer keyed by the payout's id. A payout whose transfer did
    not go through (crash, network) is retried with the same key; a balance
    already debited is never paid again, so re-running creates nothing new.
    """
    minimum = settings.CREATOR_PAYOUT_MINIMUM_CENTS
    for account in CreatorAccount.objects.exclude(stripe_account_id="").filter(
        payouts_enabled=True, details_submitted=True
    ):
        with transaction.atomic():
            locked = CreatorAccount.objects.select_for_update().get(pk=account.pk)
            balance = creator_balance_cents(creator_id=locked.user_id)
            if balance < max(minimum, 1):
                continue
            payout = Payout.objects.create(
                creator_id=locked.user_id, amount_cents=balance
            )
            LedgerEntry.objects.create(
                key=f"payout-{payout.pk}",
                creator_id=locked.user_id,
                kind=LedgerEntry.Kind.PAYOUT,
                amount_cents=-balance,
                payout=payout,
                note="Transfer to your Stripe account",
            )
    sent: list[Payout] = []
    pending = Payout.objects.filter(stripe_transfer_id="").select_related(
        "creator__creator_account"
    )
    if not pending.exists():
        return sent
    client = stripe_client()
    for payout in pending:
        try:
            transfer = client.v1.transfers.create(
                params={
                    "amount": payout.amount_cents,
                    "currency": settings.BILLING_CURRENCY,
                    "destination": payout.creator.creator_account.stripe_account_id,
                    "metadata": {"payout_id": str(payout.pk)},
                },
                options={"idempotency_key": payout.idempotency_key},
            )
        except stripe.StripeError:
            # Stays pending; the next run retries with the same key.
            log.exception("transfer for payout %s failed", payout.pk)
            continue
        Payout.objects.filter(pk=payout.pk, stripe_transfer_id="").update(
            stripe_transfer_id=transfer.id, transferred_at=timezone.now()
        )
        sent.append(payout)
    return sent


def previous_month(today: date) -> date:
    first = today.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)
