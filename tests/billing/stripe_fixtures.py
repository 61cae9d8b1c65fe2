"""Stripe objects and events shaped like the API reference for the pinned version
(``2026-10-28.endive``: the period lives on subscription items, an invoice names
its subscription under ``parent.subscription_details``), and webhook signing
with the real scheme: ``t=<unix>,v1=<HMAC-SHA256 of "t.payload">``."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any

from django.conf import settings

_ids = itertools.count(1000)

DAY = 24 * 3600


def sid(prefix: str) -> str:
    return f"{prefix}_test{next(_ids):08d}"


def now() -> int:
    return int(time.time())


def sign(
    body: bytes, *, secret: str | None = None, timestamp: int | None = None
) -> str:
    t = timestamp if timestamp is not None else now()
    mac = hmac.new(
        (secret or settings.STRIPE_WEBHOOK_SECRET).encode(),
        f"{t}.".encode() + body,
        hashlib.sha256,
    ).hexdigest()
    return f"t={t},v1={mac}"


def event(
    type_: str,
    obj: dict[str, Any],
    *,
    created: int | None = None,
    event_id: str | None = None,
) -> dict[str, Any]:
    return {
        "id": event_id or sid("evt"),
        "object": "event",
        "api_version": settings.STRIPE_API_VERSION,
        "created": created if created is not None else now(),
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": type_,
    }


def subscription(
    *,
    sub_id: str,
    customer: str,
    status: str = "active",
    metadata: dict[str, str] | None = None,
    created: int | None = None,
    amount: int = 999,
    interval: str = "month",
    ended_at: int | None = None,
) -> dict[str, Any]:
    start = created or now()
    period = 365 * DAY if interval == "year" else 30 * DAY
    return {
        "id": sub_id,
        "object": "subscription",
        "application": None,
        "billing_cycle_anchor": start,
        "cancel_at": None,
        "cancel_at_period_end": False,
        "canceled_at": ended_at,
        "collection_method": "charge_automatically",
        "created": start,
        "currency": "usd",
        "customer": customer,
        "ended_at": ended_at,
        "items": {
            "object": "list",
            "data": [
                {
                    "id": sid("si"),
                    "object": "subscription_item",
                    "created": start,
                    "current_period_start": start,
                    "current_period_end": start + period,
                    "price": {
                        "id": sid("price"),
                        "object": "price",
                        "currency": "usd",
                        "unit_amount": amount,
                        "recurring": {"interval": interval, "interval_count": 1},
                        "type": "recurring",
                    },
                    "quantity": 1,
                    "subscription": sub_id,
                }
            ],
            "has_more": False,
            "url": f"/v1/subscription_items?subscription={sub_id}",
        },
        "latest_invoice": sid("in"),
        "livemode": False,
        "metadata": metadata or {},
        "status": status,
        "trial_end": None,
        "trial_start": None,
    }


def invoice(
    *,
    sub_id: str,
    customer: str,
    amount: int = 999,
    paid: bool = True,
    metadata: dict[str, str] | None = None,
    created: int | None = None,
) -> dict[str, Any]:
    t = created or now()
    return {
        "id": sid("in"),
        "object": "invoice",
        "amount_due": amount,
        "amount_paid": amount if paid else 0,
        "amount_remaining": 0 if paid else amount,
        "attempt_count": 1,
        "billing_reason": "subscription_cycle",
        "collection_method": "charge_automatically",
        "created": t,
        "currency": "usd",
        "customer": customer,
        "livemode": False,
        "parent": {
            "type": "subscription_details",
            "quote_details": None,
            "subscription_details": {
                "metadata": metadata or {},
                "subscription": sub_id,
            },
        },
        "status": "paid" if paid else "open",
        "status_transitions": {
            "finalized_at": t,
            "marked_uncollectible_at": None,
            "paid_at": t if paid else None,
            "voided_at": None,
        },
        "total": amount,
    }


def checkout_session(
    *,
    checkout_id: int,
    customer: str,
    mode: str,
    amount: int,
    metadata: dict[str, str],
    payment_intent: str | None = None,
    subscription_id: str | None = None,
) -> dict[str, Any]:
    return {
        "id": sid("cs"),
        "object": "checkout.session",
        "amount_subtotal": amount,
        "amount_total": amount,
        "client_reference_id": str(checkout_id),
        "created": now(),
        "currency": "usd",
        "customer": customer,
        "livemode": False,
        "metadata": metadata,
        "mode": mode,
        "payment_intent": payment_intent,
        "payment_status": "paid",
        "status": "complete",
        "subscription": subscription_id,
        "url": None,
    }


def charge(
    *, payment_intent: str, customer: str, amount: int, refunded: int
) -> dict[str, Any]:
    return {
        "id": sid("ch"),
        "object": "charge",
        "amount": amount,
        "amount_captured": amount,
        "amount_refunded": refunded,
        "captured": True,
        "created": now(),
        "currency": "usd",
        "customer": customer,
        "livemode": False,
        "paid": True,
        "payment_intent": payment_intent,
        "refunded": refunded >= amount,
        "status": "succeeded",
    }


def account(*, account_id: str, user_id: int, onboarded: bool) -> dict[str, Any]:
    return {
        "id": account_id,
        "object": "account",
        "type": "express",
        "business_type": "individual",
        "capabilities": {"transfers": "active" if onboarded else "inactive"},
        "charges_enabled": onboarded,
        "payouts_enabled": onboarded,
        "details_submitted": onboarded,
        "country": "US",
        "default_currency": "usd",
        "metadata": {"user_id": str(user_id)},
    }


def body(evt: dict[str, Any]) -> bytes:
    return json.dumps(evt, indent=2).encode()
