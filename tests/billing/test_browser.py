"""Going Pro in a real Chromium: the pricing page, the checkout form, the trip
to Stripe's hosted page and back, and the plan the signed webhooks turn on.

Stripe is replaced at its boundaries only: its API by respx (the server's
requests), its hosted Checkout page by a Playwright route (the browser's), and
its webhooks by events signed with the endpoint's secret."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import respx
from django.test import Client

from billing.entitlements import entitlements_for
from billing.models import CheckoutRequest, Subscription
from community.models import User
from tests.billing import stripe_fixtures as sf
from tests.billing.conftest import customer_for, deliver

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHECKOUT_URL = "https://checkout.stripe.com/c/pay/cs_test_browser"


def _form(request: httpx.Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}


def _on_pricing_page(
    signed_in: Callable[..., Any], live_server: object, user: User,
    stripe_http: respx.MockRouter, width: int = 1280,
) -> tuple[Any, list[dict[str, str]]]:  # fmt: skip
    """``user``'s browser on the pricing page, with Stripe's API answering the
    server (each Checkout Session asked for is recorded) and Stripe's hosted
    Checkout page answering the browser: "Pay" goes to the session's success
    URL, "Back" to its cancel URL."""
    from playwright.sync_api import Route

    stripe_http.post("/v1/customers").mock(
        return_value=httpx.Response(
            200, json={"id": sf.sid("cus"), "object": "customer", "metadata": {}}
        )
    )
    sessions: list[dict[str, str]] = []
    ids: list[str] = []

    def create_session(request: httpx.Request) -> httpx.Response:
        sessions.append(_form(request))
        ids.append(sf.sid("cs"))
        return httpx.Response(
            200,
            json={"id": ids[-1], "object": "checkout.session",
                  "mode": sessions[-1]["mode"], "url": CHECKOUT_URL, "status": "open",
                  "payment_status": "unpaid"},
        )  # fmt: skip

    stripe_http.post("/v1/checkout/sessions").mock(side_effect=create_session)

    def paid_session(request: httpx.Request, session_id: str) -> httpx.Response:
        """Stripe's record of a session once paid: what the thanks page asks
        before it says the payment went through."""
        return httpx.Response(
            200,
            json={"id": session_id, "object": "checkout.session",
                  "status": "complete", "payment_status": "paid"},
        )  # fmt: skip

    stripe_http.get(path__regex=r"^/v1/checkout/sessions/(?P<session_id>cs_\w+)$").mock(
        side_effect=paid_session
    )

    def stripe_checkout(route: Route) -> None:
        # Stripe fills the session's id into the success URL.
        success = html.escape(
            sessions[-1]["success_url"].replace("{CHECKOUT_SESSION_ID}", ids[-1])
        )
        back = html.escape(sessions[-1]["cancel_url"])
        route.fulfill(
            status=200,
            content_type="text/html",
            body=f'<!doctype html><title>Stripe Checkout</title><a id="pay" href="{success}">Pay</a> <a id="back" href="{back}">Back</a>',
        )

    url = str(getattr(live_server, "url", ""))
    context = signed_in(user, width=width)
    context.route("https://checkout.stripe.com/**", stripe_checkout)
    page = context.new_page()
    page.goto(f"{url}/pricing/")
    assert page.locator(".pricing__current .badge").inner_text() == "Free"
    return page, sessions


@pytest.mark.parametrize("width", [1280, 390])
def test_choosing_pro_goes_through_stripe_and_comes_back_pro(
    signed_in: Callable[..., Any],
    live_server: object,
    user: User,
    stripe_http: respx.MockRouter,
    width: int,
) -> None:
    page, sessions = _on_pricing_page(signed_in, live_server, user, stripe_http, width)
    page.get_by_role("button", name="Choose Pro monthly").click()
    page.wait_for_url(CHECKOUT_URL)

    # What the server asked Stripe for: a subscription to the monthly price,
    # tied to this user's checkout request.
    [asked] = sessions
    request = CheckoutRequest.objects.get(user=user)
    assert asked["mode"] == "subscription"
    assert asked["line_items[0][price]"] == "price_pro_monthly"
    assert asked["client_reference_id"] == str(request.pk)

    # The customer pays; Stripe tells us through signed webhooks.
    sub_id = sf.sid("sub")
    meta = {
        "kind": "pro_monthly",
        "user_id": str(user.pk),
        "checkout_id": str(request.pk),
        "character_id": "",
    }
    events = [
        sf.event(
            "customer.subscription.created",
            sf.subscription(
                sub_id=sub_id,
                customer=customer_for(user),
                status="active",
                metadata=meta,
            ),
        ),
        sf.event(
            "invoice.paid",
            sf.invoice(sub_id=sub_id, customer=customer_for(user), metadata=meta),
        ),
    ]
    for evt in events:
        assert deliver(Client(), evt).status_code == 200
    page.click("#pay")
    page.wait_for_selector("text=Thank you!")
    page.get_by_role("link", name="See your plan").click()
    page.wait_for_selector(".pricing__current .badge--accent")
    assert page.locator(".pricing__current .badge").inner_text() == "Pro"
    assert page.locator("text=You have Pro.").count() >= 1
    assert page.get_by_role(
        "button", name="Manage or cancel your subscription"
    ).is_visible()
    assert Subscription.objects.get(user=user).stripe_subscription_id == sub_id
    assert entitlements_for(User.objects.get(pk=user.pk)).is_pro
    page.context.close()


def test_stripe_page_cancelled_leaves_the_user_free(
    signed_in: Callable[..., Any],
    live_server: object,
    user: User,
    stripe_http: respx.MockRouter,
) -> None:
    page, _ = _on_pricing_page(signed_in, live_server, user, stripe_http)
    page.get_by_role("button", name="Choose Pro yearly").click()
    page.wait_for_url(CHECKOUT_URL)
    page.click("#back")
    page.wait_for_selector(".pricing__current .badge")
    assert page.url.endswith("/pricing/")
    assert page.locator(".pricing__current .badge").inner_text() == "Free"
    assert not entitlements_for(User.objects.get(pk=user.pk)).is_pro
    page.context.close()
