"""The one place that builds a ``StripeClient``.

The client talks HTTP through ``stripe.HTTPXClient`` (sync mode): production
gets httpx's connection pooling, and tests intercept the same transport with
respx, so everything above the HTTP boundary is the real code.
"""

from __future__ import annotations

from collections.abc import Mapping

import stripe
from django.conf import settings


class PaymentsNotConfigured(Exception):
    """Raised when a Stripe call is needed but STRIPE_SECRET_KEY is empty."""

    def __init__(self) -> None:
        super().__init__(
            "Payments are not configured on this server (STRIPE_SECRET_KEY is empty)."
        )


def payments_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def stripe_client() -> stripe.StripeClient:
    if not payments_configured():
        raise PaymentsNotConfigured
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        stripe_version=settings.STRIPE_API_VERSION,
        base_addresses={"api": settings.STRIPE_API_BASE},
        http_client=stripe.HTTPXClient(allow_sync_methods=True, timeout=20),
        # Retries reuse the idempotency key, so a retried create is still one.
        max_network_retries=2,
    )


def webhook_event_verify(
    *, payload: bytes, signature: str | None
) -> Mapping[str, object]:
    """Verify a webhook body's signature and timestamp; return the event.

    Raises ``ValueError`` (bad JSON) or ``stripe.SignatureVerificationError``
    (missing, wrong or stale signature, or no webhook secret configured).
    """
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise stripe.SignatureVerificationError(  # type: ignore[no-untyped-call]  # the SDK's __init__ is unannotated
            "STRIPE_WEBHOOK_SECRET is not configured", signature
        )
    # Webhook.construct_event needs no API key: a server may receive events
    # before (or without) being able to call Stripe.
    event: stripe.Event = stripe.Webhook.construct_event(
        payload, signature or "", secret
    )
    return event.to_dict()
