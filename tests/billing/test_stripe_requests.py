"""Outgoing Stripe requests, checked at the HTTP boundary (respx): parameters,
the pinned API version and idempotency keys derived from our own record ids."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import respx
from django.core.management import call_command
from django.test import Client

from billing.models import (
    CheckoutRequest,
    CreatorAccount,
    Customer,
    PremiumCharacter,
    StripeEvent,
    Subscription,
)
from tests.billing import stripe_fixtures as sf

pytestmark = pytest.mark.django_db


def form(request: httpx.Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}


def stripe_json(obj: dict[str, Any], status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=obj)


def mock_customer(stripe_http: respx.MockRouter) -> respx.Route:
    return stripe_http.post("/v1/customers").mock(
        return_value=stripe_json(
            {
                "id": "cus_test123",
                "object": "customer",
                "email": "alice@example.com",
                "metadata": {},
            }
        )
    )


def mock_session(stripe_http: respx.MockRouter, mode: str) -> respx.Route:
    return stripe_http.post("/v1/checkout/sessions").mock(
        side_effect=lambda request: stripe_json(
            {
                "id": "cs_test_abc",
                "object": "checkout.session",
                "mode": mode,
                "url": "https://checkout.stripe.com/c/pay/cs_test_abc",
                "client_reference_id": form(request)["client_reference_id"],
                "status": "open",
                "payment_status": "unpaid",
            }
        )
    )


def test_pro_monthly_checkout(
    stripe_http: respx.MockRouter, user: Any, user_client: Client, settings: Any
) -> None:
    customers = mock_customer(stripe_http)
    sessions = mock_session(stripe_http, "subscription")
    response = user_client.post("/billing/checkout/pro_monthly/")
    assert response.status_code == 303
    assert response["Location"] == "https://checkout.stripe.com/c/pay/cs_test_abc"

    customer = Customer.objects.get(user=user)
    request = customers.calls.last.request
    assert request.headers["Idempotency-Key"] == f"kindred-customer-{customer.pk}"
    assert request.headers["Stripe-Version"] == settings.STRIPE_API_VERSION
    assert request.headers["Authorization"] == "Bearer sk_test_kindred"
    assert form(request) == {
        "email": "alice@example.com",
        "metadata[user_id]": str(user.pk),
    }

    checkout = CheckoutRequest.objects.get()
    request = sessions.calls.last.request
    assert request.headers["Idempotency-Key"] == f"kindred-checkout-{checkout.pk}"
    params = form(request)
    assert params["mode"] == "subscription"
    assert params["customer"] == "cus_test123"
    assert params["line_items[0][price]"] == "price_pro_monthly"
    assert params["client_reference_id"] == str(checkout.pk)
    assert params["subscription_data[metadata][kind]"] == "pro_monthly"
    assert params["subscription_data[metadata][user_id]"] == str(user.pk)
    assert params["success_url"].startswith("http://testserver/billing/thanks/")
    assert checkout.stripe_session_id == "cs_test_abc"

    # A second checkout reuses the customer: one per user.
    user_client.post("/billing/checkout/pro_yearly/")
    assert customers.call_count == 1
    assert sessions.call_count == 2
    assert (
        form(sessions.calls.last.request)["line_items[0][price]"] == "price_pro_yearly"
    )
    second = CheckoutRequest.objects.latest("pk")
    assert (
        sessions.calls.last.request.headers["Idempotency-Key"]
        == f"kindred-checkout-{second.pk}"
    )


def test_lifetime_checkout_is_payment_mode(
    stripe_http: respx.MockRouter, user_client: Client
) -> None:
    mock_customer(stripe_http)
    sessions = mock_session(stripe_http, "payment")
    user_client.post("/billing/checkout/pro_lifetime/")
    params = form(sessions.calls.last.request)
    assert params["mode"] == "payment"
    assert params["line_items[0][price]"] == "price_pro_lifetime"
    assert params["payment_intent_data[metadata][kind]"] == "pro_lifetime"
    assert "subscription_data[metadata][kind]" not in params


def test_unknown_plan_is_404_and_calls_nothing(
    stripe_http: respx.MockRouter, user_client: Client
) -> None:
    assert user_client.post("/billing/checkout/platinum/").status_code == 404
    assert len(stripe_http.calls) == 0


def test_missing_price_id_says_so_and_saves_nothing(
    stripe_http: respx.MockRouter, user_client: Client, settings: Any
) -> None:
    settings.STRIPE_PRICE_PRO_YEARLY = ""
    response = user_client.post("/billing/checkout/pro_yearly/", follow=True)
    assert "No Stripe price is configured for pro_yearly" in response.content.decode()
    assert CheckoutRequest.objects.count() == 0
    assert len(stripe_http.calls) == 0


def test_premium_checkout_uses_the_creators_price(
    stripe_http: respx.MockRouter,
    user_client: Client,
    make_user: Any,
    make_character: Any,
) -> None:
    character = make_character(make_user("maker"), name="Ada")
    PremiumCharacter.objects.create(character=character, price_cents=499)
    mock_customer(stripe_http)
    sessions = mock_session(stripe_http, "subscription")
    response = user_client.post(f"/billing/characters/{character.slug}/support/")
    assert response.status_code == 303
    params = form(sessions.calls.last.request)
    assert params["mode"] == "subscription"
    assert params["line_items[0][price_data][unit_amount]"] == "499"
    assert params["line_items[0][price_data][recurring][interval]"] == "month"
    assert params["line_items[0][price_data][product_data][name]"] == "Supporter of Ada"
    assert params["subscription_data[metadata][character_id]"] == str(character.pk)


def test_promotion_checkout_is_payment_mode_for_owners_only(
    stripe_http: respx.MockRouter,
    user: Any,
    user_client: Client,
    make_user: Any,
    make_character: Any,
    settings: Any,
) -> None:
    mine = make_character(user)
    theirs = make_character(make_user("maker"))
    mock_customer(stripe_http)
    sessions = mock_session(stripe_http, "payment")
    assert (
        user_client.post(f"/billing/characters/{theirs.slug}/promote/").status_code
        == 404
    )
    assert (
        user_client.post(f"/billing/characters/{mine.slug}/promote/").status_code == 303
    )
    params = form(sessions.calls.last.request)
    assert params["mode"] == "payment"
    assert params["line_items[0][price_data][unit_amount]"] == str(
        settings.PROMOTION_PRICE_CENTS
    )
    assert params["payment_intent_data[metadata][kind]"] == "promotion"
    assert sessions.call_count == 1


def test_portal_session(
    stripe_http: respx.MockRouter, user: Any, user_client: Client
) -> None:
    mock_customer(stripe_http)
    portal = stripe_http.post("/v1/billing_portal/sessions").mock(
        return_value=stripe_json(
            {
                "id": "bps_1",
                "object": "billing_portal.session",
                "url": "https://billing.stripe.com/p/session/x",
            }
        )
    )
    response = user_client.post("/billing/portal/")
    assert (
        response.status_code == 303
        and response["Location"] == "https://billing.stripe.com/p/session/x"
    )
    customer = Customer.objects.get(user=user)
    assert form(portal.calls.last.request) == {
        "customer": "cus_test123",
        "return_url": "http://testserver/pricing/",
    }
    assert (
        portal.calls.last.request.headers["Idempotency-Key"]
        == f"kindred-portal-{customer.pk}-1"
    )


def test_connect_onboarding_creates_one_account_and_a_link(
    stripe_http: respx.MockRouter, user: Any, user_client: Client
) -> None:
    accounts = stripe_http.post("/v1/accounts").mock(
        return_value=stripe_json(
            sf.account(account_id="acct_test1", user_id=user.pk, onboarded=False)
        )
    )
    links = stripe_http.post("/v1/account_links").mock(
        return_value=stripe_json(
            {
                "object": "account_link",
                "url": "https://connect.stripe.com/setup/e/acct_test1/x",
                "created": sf.now(),
                "expires_at": sf.now() + 300,
            }
        )
    )
    assert user_client.post("/creators/onboard/").status_code == 303
    assert user_client.post("/creators/onboard/")["Location"].startswith(
        "https://connect.stripe.com/"
    )
    account = CreatorAccount.objects.get(user=user)
    assert accounts.call_count == 1
    assert (
        accounts.calls.last.request.headers["Idempotency-Key"]
        == f"kindred-account-{account.pk}"
    )
    assert form(accounts.calls.last.request)["type"] == "express"
    assert links.call_count == 2
    assert form(links.calls.last.request)["type"] == "account_onboarding"
    assert form(links.calls.last.request)["account"] == "acct_test1"
    keys = [c.request.headers["Idempotency-Key"] for c in links.calls]
    assert keys == [
        f"kindred-account-link-{account.pk}-1",
        f"kindred-account-link-{account.pk}-2",
    ]


def test_stripe_outage_shows_an_error_and_no_redirect(
    stripe_http: respx.MockRouter, user_client: Client, settings: Any
) -> None:
    stripe_http.post("/v1/customers").mock(
        return_value=stripe_json(
            {"error": {"type": "api_error", "message": "down"}}, status=400
        )
    )
    response = user_client.post("/billing/checkout/pro_monthly/", follow=True)
    assert response.redirect_chain[-1][0] == "/pricing/"
    assert "Stripe did not answer" in response.content.decode()


def test_reconcile_stores_and_processes_missed_events_once(
    stripe_http: respx.MockRouter, user: Any, webhook: Any
) -> None:
    from tests.billing.conftest import customer_for

    customer = customer_for(user)
    meta = {"kind": "pro_monthly", "user_id": str(user.pk)}
    sub_id = sf.sid("sub")
    seen = sf.event(
        "customer.subscription.created",
        sf.subscription(sub_id=sub_id, customer=customer, metadata=meta),
        created=sf.now() - 100,
    )
    missed = sf.event(
        "customer.subscription.deleted",
        sf.subscription(
            sub_id=sub_id,
            customer=customer,
            status="canceled",
            metadata=meta,
            ended_at=sf.now(),
        ),
    )
    webhook(seen)
    events = stripe_http.get("/v1/events").mock(
        return_value=stripe_json(
            {
                "object": "list",
                "data": [missed, seen],
                "has_more": False,
                "url": "/v1/events",
            }
        )
    )
    call_command("billing_reconcile")
    assert StripeEvent.objects.count() == 2
    assert Subscription.objects.get().status == "canceled"
    query = parse_qs(events.calls.last.request.url.query.decode())
    types = {v[0] for k, v in query.items() if k.startswith("types[")}
    assert {"customer.subscription.deleted", "invoice.paid", "charge.refunded"} <= types
    assert "created[gte]" in query
    call_command("billing_reconcile")  # twice: nothing changes
    assert StripeEvent.objects.count() == 2
    assert events.call_count == 2
    assert all(e.processed_at for e in StripeEvent.objects.all())


def test_reconcile_without_keys_is_a_clear_error(settings: Any) -> None:
    from django.core.management.base import CommandError

    settings.STRIPE_SECRET_KEY = ""
    with pytest.raises(CommandError, match="STRIPE_SECRET_KEY is empty"):
        call_command("billing_reconcile")


def test_json_fixture_round_trip_is_valid() -> None:
    # The fixtures are plain JSON, as Stripe sends them.
    evt = sf.event("invoice.paid", sf.invoice(sub_id="sub_1", customer="cus_1"))
    assert (
        json.loads(sf.body(evt))["data"]["object"]["parent"]["type"]
        == "subscription_details"
    )


def test_pro_users_cannot_buy_pro_twice(
    stripe_http: respx.MockRouter, user: Any, user_client: Client, staff_user: Any
) -> None:
    from billing.services import pro_grant

    pro_grant(user=user, by=staff_user, reason="test")
    response = user_client.post("/billing/checkout/pro_monthly/", follow=True)
    assert "You already have Pro" in response.content.decode()
    assert CheckoutRequest.objects.count() == 0
    assert len(stripe_http.calls) == 0
