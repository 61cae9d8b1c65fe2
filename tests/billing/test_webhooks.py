"""Every webhook case through the real endpoint, with bodies signed like Stripe's."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from billing.entitlements import entitlements_for
from billing.models import (
    CheckoutRequest,
    CreatorAccount,
    LedgerEntry,
    LifetimePurchase,
    Payment,
    PlanKind,
    PremiumCharacter,
    StripeEvent,
    Subscription,
)
from billing.services import event_process
from tests.billing import stripe_fixtures as sf
from tests.billing.conftest import customer_for, deliver

pytestmark = pytest.mark.django_db


def pro_meta(user: Any, kind: str = "pro_monthly") -> dict[str, str]:
    return {
        "kind": kind,
        "user_id": str(user.pk),
        "checkout_id": "",
        "character_id": "",
    }


def sub_event(
    type_: str,
    user: Any,
    sub_id: str,
    *,
    status: str = "active",
    created: int | None = None,
    **kw: Any,
) -> dict[str, Any]:
    obj = sf.subscription(
        sub_id=sub_id,
        customer=customer_for(user),
        status=status,
        metadata=pro_meta(user),
        **kw,
    )
    return sf.event(type_, obj, created=created)


# --- Signatures --------------------------------------------------------------


@pytest.mark.parametrize(
    "case",
    ["wrong_secret", "missing", "stale", "tampered", "garbage_header"],
)
def test_bad_signature_is_400_and_nothing_is_stored(
    client: Client, user: Any, case: str
) -> None:
    evt = sub_event("customer.subscription.created", user, sf.sid("sub"))
    raw = sf.body(evt)
    headers = {
        "wrong_secret": {"HTTP_STRIPE_SIGNATURE": sf.sign(raw, secret="whsec_other")},
        "missing": {},
        # Older than the SDK's 300-second tolerance: a replayed delivery.
        "stale": {"HTTP_STRIPE_SIGNATURE": sf.sign(raw, timestamp=sf.now() - 3600)},
        "tampered": {"HTTP_STRIPE_SIGNATURE": sf.sign(raw + b" ")},
        "garbage_header": {"HTTP_STRIPE_SIGNATURE": "nonsense"},
    }[case]
    response = client.post(
        "/billing/stripe/webhook/",
        data=raw,
        content_type="application/json",
        headers={
            k.removeprefix("HTTP_").replace("_", "-"): v for k, v in headers.items()
        },
    )
    assert response.status_code == 400
    assert b"signature" in response.content.lower()
    assert StripeEvent.objects.count() == 0
    assert Subscription.objects.count() == 0
    assert not entitlements_for(user).is_pro


def test_no_webhook_secret_configured_rejects_everything(
    client: Client, user: Any, settings: Any
) -> None:
    evt = sub_event("customer.subscription.created", user, sf.sid("sub"))
    raw = sf.body(evt)
    signature = sf.sign(raw)
    settings.STRIPE_WEBHOOK_SECRET = ""
    response = client.post(
        "/billing/stripe/webhook/",
        data=raw,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature,
    )
    assert response.status_code == 400
    assert StripeEvent.objects.count() == 0


def test_get_is_not_allowed(client: Client) -> None:
    assert client.get("/billing/stripe/webhook/").status_code == 405


# --- Subscriptions -----------------------------------------------------------


def test_subscription_created_makes_the_user_pro(webhook: Any, user: Any) -> None:
    response = webhook(sub_event("customer.subscription.created", user, sf.sid("sub")))
    assert response.status_code == 200
    event = StripeEvent.objects.get()
    assert event.processed_at is not None
    plan = entitlements_for(user)
    assert (
        plan.is_pro
        and plan.daily_messages is None
        and plan.generation_queue == "priority"
    )


def test_duplicate_delivery_changes_nothing(
    webhook: Any, user: Any, make_user: Any, make_character: Any
) -> None:
    creator = make_user("creator")
    character = make_character(creator)
    PremiumCharacter.objects.create(character=character, price_cents=499)
    sub_id = sf.sid("sub")
    meta = {
        "kind": "premium",
        "user_id": str(user.pk),
        "character_id": str(character.pk),
        "checkout_id": "",
    }
    evt = sf.event(
        "invoice.paid",
        sf.invoice(
            sub_id=sub_id, customer=customer_for(user), amount=499, metadata=meta
        ),
    )
    assert webhook(evt).status_code == 200
    assert webhook(evt).status_code == 200  # Stripe retries: same event id
    assert StripeEvent.objects.count() == 1
    assert Payment.objects.count() == 1
    entry = LedgerEntry.objects.get()
    # 499 cents, platform keeps 30%: the creator gets floor(499 * 70 / 100) = 349.
    assert (entry.creator, entry.amount_cents, entry.character) == (
        creator,
        349,
        character,
    )


def test_updated_before_created_ends_in_the_newest_state(
    webhook: Any, user: Any
) -> None:
    sub_id = sf.sid("sub")
    t = sf.now()
    # The update (cancel at period end, newer) arrives first; then the creation.
    updated = sub_event("customer.subscription.updated", user, sub_id, created=t)
    updated["data"]["object"]["cancel_at_period_end"] = True
    created = sub_event(
        "customer.subscription.created",
        user,
        sub_id,
        status="incomplete",
        created=t - 60,
    )
    webhook(updated)
    webhook(created)
    sub = Subscription.objects.get()
    assert sub.status == "active" and sub.cancel_at_period_end is True
    assert entitlements_for(user).is_pro


def test_late_update_after_delete_stays_free(webhook: Any, user: Any) -> None:
    sub_id = sf.sid("sub")
    t = sf.now()
    webhook(sub_event("customer.subscription.created", user, sub_id, created=t - 120))
    webhook(
        sub_event(
            "customer.subscription.deleted",
            user,
            sub_id,
            status="canceled",
            created=t,
            ended_at=t,
        )
    )
    webhook(
        sub_event(
            "customer.subscription.updated",
            user,
            sub_id,
            status="active",
            created=t - 60,
        )
    )
    sub = Subscription.objects.get()
    assert sub.status == "canceled"
    assert not entitlements_for(user).is_pro


def test_subscription_deleted_returns_the_user_to_free(webhook: Any, user: Any) -> None:
    sub_id = sf.sid("sub")
    webhook(
        sub_event("customer.subscription.created", user, sub_id, created=sf.now() - 10)
    )
    assert entitlements_for(user).is_pro
    webhook(
        sub_event(
            "customer.subscription.deleted",
            user,
            sub_id,
            status="canceled",
            ended_at=sf.now(),
        )
    )
    plan = entitlements_for(user)
    assert plan.plan == "free" and plan.daily_messages is not None
    assert plan.generation_queue == "default"


def test_payment_failed_gives_grace_then_downgrades(
    webhook: Any, user: Any, settings: Any
) -> None:
    settings.PRO_GRACE_DAYS = 3
    sub_id = sf.sid("sub")
    customer = customer_for(user)
    t = sf.now()
    webhook(
        sub_event(
            "customer.subscription.created", user, sub_id, created=t - 40 * sf.DAY
        )
    )
    # A renewal fails two days ago; Stripe marks the subscription past_due.
    failed = sf.invoice(
        sub_id=sub_id, customer=customer, paid=False, metadata=pro_meta(user)
    )
    webhook(sf.event("invoice.payment_failed", failed, created=t - 2 * sf.DAY))
    webhook(
        sub_event(
            "customer.subscription.updated",
            user,
            sub_id,
            status="past_due",
            created=t - 2 * sf.DAY + 5,
        )
    )
    assert entitlements_for(user).is_pro  # inside the 3-day grace period

    # The grace period is over: with PRO_GRACE_DAYS = 1 the same facts mean Free.
    settings.PRO_GRACE_DAYS = 1
    assert not entitlements_for(user).is_pro
    settings.PRO_GRACE_DAYS = 3

    # A later retry failing does not restart the clock.
    webhook(
        sf.event(
            "invoice.payment_failed", dict(failed, id=sf.sid("in")), created=t - 60
        )
    )
    failed_at = Subscription.objects.get().payment_failed_at
    assert failed_at is not None and failed_at.timestamp() == t - 2 * sf.DAY

    # The card is updated and the invoice paid: Pro again, grace cleared.
    webhook(
        sf.event(
            "invoice.paid",
            sf.invoice(sub_id=sub_id, customer=customer, metadata=pro_meta(user)),
            created=t,
        )
    )
    webhook(
        sub_event(
            "customer.subscription.updated",
            user,
            sub_id,
            status="active",
            created=t + 1,
        )
    )
    sub = Subscription.objects.get()
    assert sub.payment_failed_at is None
    settings.PRO_GRACE_DAYS = 0
    assert entitlements_for(user).is_pro


def test_payment_failed_long_ago_means_free(webhook: Any, user: Any) -> None:
    sub_id = sf.sid("sub")
    t = sf.now()
    webhook(
        sub_event(
            "customer.subscription.created", user, sub_id, created=t - 40 * sf.DAY
        )
    )
    failed = sf.invoice(
        sub_id=sub_id, customer=customer_for(user), paid=False, metadata=pro_meta(user)
    )
    webhook(sf.event("invoice.payment_failed", failed, created=t - 4 * sf.DAY))
    webhook(
        sub_event(
            "customer.subscription.updated",
            user,
            sub_id,
            status="past_due",
            created=t - 4 * sf.DAY,
        )
    )
    assert not entitlements_for(user).is_pro


def test_old_failure_delivered_after_newer_payment_is_ignored(
    webhook: Any, user: Any
) -> None:
    sub_id = sf.sid("sub")
    customer = customer_for(user)
    t = sf.now()
    webhook(
        sub_event(
            "customer.subscription.created", user, sub_id, created=t - 40 * sf.DAY
        )
    )
    webhook(
        sf.event(
            "invoice.paid",
            sf.invoice(sub_id=sub_id, customer=customer, metadata=pro_meta(user)),
            created=t,
        )
    )
    failed = sf.invoice(
        sub_id=sub_id, customer=customer, paid=False, metadata=pro_meta(user)
    )
    webhook(sf.event("invoice.payment_failed", failed, created=t - 5 * sf.DAY))
    assert Subscription.objects.get().payment_failed_at is None
    assert entitlements_for(user).is_pro


# --- Lifetime, refunds, promotions, accounts -----------------------------------


def _lifetime_completed(
    user: Any, payment_intent: str, amount: int = 19999
) -> dict[str, Any]:
    request = CheckoutRequest.objects.create(
        user=user, kind=PlanKind.PRO_LIFETIME, amount_cents=amount
    )
    session = sf.checkout_session(
        checkout_id=request.pk,
        customer=customer_for(user),
        mode="payment",
        amount=amount,
        metadata={
            "kind": "pro_lifetime",
            "user_id": str(user.pk),
            "checkout_id": str(request.pk),
            "character_id": "",
        },
        payment_intent=payment_intent,
    )
    return sf.event("checkout.session.completed", session)


def test_lifetime_purchase_then_refund_returns_to_free(webhook: Any, user: Any) -> None:
    pi = sf.sid("pi")
    webhook(_lifetime_completed(user, pi))
    assert LifetimePurchase.objects.get().amount_cents == 19999
    assert entitlements_for(user).is_pro
    webhook(
        sf.event(
            "charge.refunded",
            sf.charge(
                payment_intent=pi,
                customer=customer_for(user),
                amount=19999,
                refunded=19999,
            ),
        )
    )
    assert LifetimePurchase.objects.get().refunded_at is not None
    assert Payment.objects.get().refunded_cents == 19999
    assert not entitlements_for(user).is_pro


def test_partial_refund_keeps_lifetime(webhook: Any, user: Any) -> None:
    pi = sf.sid("pi")
    webhook(_lifetime_completed(user, pi))
    webhook(
        sf.event(
            "charge.refunded",
            sf.charge(
                payment_intent=pi,
                customer=customer_for(user),
                amount=19999,
                refunded=5000,
            ),
        )
    )
    assert Payment.objects.get().refunded_cents == 5000
    assert entitlements_for(user).is_pro


def test_refund_delivered_before_the_purchase_still_ends_lifetime(
    webhook: Any, user: Any
) -> None:
    pi = sf.sid("pi")
    completed = _lifetime_completed(user, pi)
    refund = sf.event(
        "charge.refunded",
        sf.charge(
            payment_intent=pi, customer=customer_for(user), amount=19999, refunded=19999
        ),
    )
    webhook(refund)
    webhook(completed)
    assert LifetimePurchase.objects.get().refunded_at is not None
    assert not entitlements_for(user).is_pro


def test_account_updated_marks_the_creator_onboarded(webhook: Any, user: Any) -> None:
    account = CreatorAccount.objects.create(user=user, stripe_account_id=sf.sid("acct"))
    t = sf.now()
    webhook(
        sf.event(
            "account.updated",
            sf.account(
                account_id=account.stripe_account_id, user_id=user.pk, onboarded=True
            ),
            created=t,
        )
    )
    # An older "not yet" delivered late does not undo it.
    webhook(
        sf.event(
            "account.updated",
            sf.account(
                account_id=account.stripe_account_id, user_id=user.pk, onboarded=False
            ),
            created=t - 30,
        )
    )
    account.refresh_from_db()
    assert account.onboarded


def test_unhandled_event_types_are_stored_and_marked_processed(webhook: Any) -> None:
    assert (
        webhook(
            sf.event("customer.created", {"id": sf.sid("cus"), "object": "customer"})
        ).status_code
        == 200
    )
    assert StripeEvent.objects.get().processed_at is not None


# --- Concurrency: real threads, real database ----------------------------------


def _premium_invoice_event(user: Any, character: Any) -> dict[str, Any]:
    meta = {
        "kind": "premium",
        "user_id": str(user.pk),
        "character_id": str(character.pk),
        "checkout_id": "",
    }
    return sf.event(
        "invoice.paid",
        sf.invoice(
            sub_id=sf.sid("sub"), customer=customer_for(user), amount=999, metadata=meta
        ),
    )


def _in_threads(n: int, work: Any) -> list[Any]:
    results: list[Any] = [None] * n
    barrier = threading.Barrier(n)

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work()
        except Exception as exc:  # surfaced by the assertion below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_deliveries_have_one_effect(
    make_user: Any, make_character: Any
) -> None:
    user = make_user("payer")
    character = make_character(make_user("maker"))
    PremiumCharacter.objects.create(character=character, price_cents=999)
    evt = _premium_invoice_event(user, character)

    statuses = _in_threads(6, lambda: deliver(Client(), evt).status_code)
    assert statuses == [200] * 6
    assert StripeEvent.objects.count() == 1
    assert StripeEvent.objects.get().processed_at is not None
    assert Payment.objects.count() == 1
    assert LedgerEntry.objects.count() == 1
    assert Subscription.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_processing_of_one_event_applies_it_once(
    make_user: Any, make_character: Any
) -> None:
    user = make_user("payer")
    character = make_character(make_user("maker"))
    evt = _premium_invoice_event(user, character)
    stored = StripeEvent.objects.create(
        event_id=evt["id"],
        type=evt["type"],
        created="2026-01-01T00:00:00Z",
        payload=evt,
    )
    results = _in_threads(4, lambda: event_process(event_pk=stored.pk))
    assert sorted(results) == [False, False, False, True]
    assert LedgerEntry.objects.count() == 1


def test_signed_but_malformed_body_is_400(client: Client) -> None:
    raw = b"{not json"
    response = client.post(
        "/billing/stripe/webhook/",
        data=raw,
        content_type="application/json",
        headers={"Stripe-Signature": sf.sign(raw)},
    )
    assert response.status_code == 400
    assert StripeEvent.objects.count() == 0


def test_signed_event_without_id_is_400(client: Client) -> None:
    raw = b'{"object": "event", "type": "invoice.paid", "data": {"object": {}}}'
    response = client.post(
        "/billing/stripe/webhook/",
        data=raw,
        content_type="application/json",
        headers={"Stripe-Signature": sf.sign(raw)},
    )
    assert response.status_code == 400
    assert b"no id" in response.content
    assert StripeEvent.objects.count() == 0


# --- Refunds of subscription invoices -----------------------------------------


def _invoice_payment(
    invoice_id: str, payment_intent: str, amount: int
) -> dict[str, Any]:
    """An InvoicePayment (API 2025-03-31+): how an invoice names its PaymentIntent."""
    return {
        "id": sf.sid("inpay"),
        "object": "invoice_payment",
        "amount_paid": amount,
        "amount_requested": amount,
        "created": sf.now(),
        "currency": "usd",
        "invoice": invoice_id,
        "is_default": True,
        "livemode": False,
        "payment": {"type": "payment_intent", "payment_intent": payment_intent},
        "status": "paid",
        "status_transitions": {"canceled_at": None, "paid_at": sf.now()},
    }


def _refund(
    user: Any, payment_intent: str, amount: int, refunded: int
) -> dict[str, Any]:
    return sf.event(
        "charge.refunded",
        sf.charge(
            payment_intent=payment_intent,
            customer=customer_for(user),
            amount=amount,
            refunded=refunded,
        ),
    )


class _SupporterPayment:
    """A $9.99 supporter invoice to ``maker``'s premium character, the
    InvoicePayment naming its PaymentIntent, and refunds of it."""

    def __init__(self, make_user: Any, make_character: Any) -> None:
        self.payer = make_user("payer")
        self.maker = make_user("maker")
        character = make_character(self.maker)
        PremiumCharacter.objects.create(character=character, price_cents=999)
        self.paid = _premium_invoice_event(self.payer, character)
        self.payment_intent = sf.sid("pi")
        self.link = sf.event(
            "invoice_payment.paid",
            _invoice_payment(
                self.paid["data"]["object"]["id"], self.payment_intent, 999
            ),
        )

    def refund(self, refunded: int) -> dict[str, Any]:
        return _refund(self.payer, self.payment_intent, 999, refunded)


@pytest.mark.parametrize(
    "order",
    [
        ("invoice", "link", "refund"),
        ("link", "invoice", "refund"),
        ("refund", "link", "invoice"),
        ("refund", "invoice", "link"),
    ],
)
def test_refunding_a_supporter_invoice_takes_back_the_creators_share(
    webhook: Any, make_user: Any, make_character: Any, order: tuple[str, ...]
) -> None:
    s = _SupporterPayment(make_user, make_character)
    maker, pi = s.maker, s.payment_intent
    events = {"invoice": s.paid, "link": s.link, "refund": s.refund(999)}
    for name in order:
        assert webhook(events[name]).status_code == 200
    payment = Payment.objects.get()
    assert (payment.stripe_payment_intent_id, payment.refunded_cents) == (pi, 999)
    entries = sorted(
        LedgerEntry.objects.filter(creator=maker).values_list("amount_cents", flat=True)
    )
    credited = 999 * (100 - settings.PLATFORM_SHARE_PERCENT) // 100
    assert entries == [-credited, credited]
    assert billing_balance(maker) == 0


def test_partial_refunds_of_an_invoice_take_back_in_steps_and_never_twice(
    webhook: Any, make_user: Any, make_character: Any
) -> None:
    s = _SupporterPayment(make_user, make_character)
    maker = s.maker
    webhook(s.paid)
    webhook(s.link)
    credited = billing_balance(maker)
    first = s.refund(333)
    webhook(first)
    webhook(first)  # a duplicate delivery changes nothing
    assert billing_balance(maker) == credited - credited * 333 // 999
    webhook(s.refund(999))  # then the rest
    assert billing_balance(maker) == 0
    assert Payment.objects.get().refunded_cents == 999


def test_refunding_a_pro_invoice_lowers_the_months_pro_revenue(
    webhook: Any, user: Any
) -> None:
    from billing.services import pro_revenue_cents

    evt = sf.event(
        "invoice.paid",
        sf.invoice(sub_id=sf.sid("sub"), customer=customer_for(user), amount=999,
                   metadata=pro_meta(user)),
    )  # fmt: skip
    # An older API version names the PaymentIntent on the invoice itself.
    pi = sf.sid("pi")
    evt["data"]["object"]["payment_intent"] = pi
    webhook(evt)
    payment = Payment.objects.get()
    window = (
        payment.paid_at - dt.timedelta(days=1),
        payment.paid_at + dt.timedelta(days=1),
    )
    assert pro_revenue_cents(start=window[0], end=window[1]) == 999
    webhook(_refund(user, pi, 999, 999))
    assert pro_revenue_cents(start=window[0], end=window[1]) == 0
    assert LedgerEntry.objects.count() == 0  # Pro money is not a creator's


def billing_balance(user: Any) -> int:
    from billing.services import creator_balance_cents

    return creator_balance_cents(creator_id=user.pk)
