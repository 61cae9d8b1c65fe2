"""The page Stripe sends a buyer back to says a payment went through only when
Stripe says so, for the buyer's own checkout; opened directly it confirms
nothing (it used to thank anyone for a payment, even with payments off)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import respx
from django.test import Client

from billing.models import CheckoutRequest
from characters.models import Character
from community.models import User

pytestmark = pytest.mark.django_db

PAID = "went through at Stripe"
NOTHING = "Nothing to confirm here"


def _checkout(stripe_http: respx.MockRouter, client: Client, path: str) -> str:
    """Check out through the real view; the session id Stripe would put in
    the success URL."""
    stripe_http.post("/v1/customers").mock(
        return_value=httpx.Response(
            200, json={"id": "cus_thanks", "object": "customer", "metadata": {}}
        )
    )

    def create(request: httpx.Request) -> httpx.Response:
        params = parse_qs(request.content.decode())
        assert params["success_url"][0].endswith("?session_id={CHECKOUT_SESSION_ID}")
        return httpx.Response(
            200,
            json={
                "id": "cs_test_thanks",
                "object": "checkout.session",
                "url": "https://checkout.stripe.com/c/pay/cs_test_thanks",
                "status": "open",
                "payment_status": "unpaid",
            },
        )

    stripe_http.post("/v1/checkout/sessions").mock(side_effect=create)
    assert client.post(path).status_code == 303
    return CheckoutRequest.objects.get().stripe_session_id


def _stripe_says(
    stripe_http: respx.MockRouter, session_id: str, **fields: Any
) -> respx.Route:
    return stripe_http.get(f"/v1/checkout/sessions/{session_id}").mock(
        return_value=httpx.Response(
            200, json={"id": session_id, "object": "checkout.session", **fields}
        )
    )


def _page(client: Client, session_id: str | None = None) -> str:
    url = "/billing/thanks/" + (f"?session_id={session_id}" if session_id else "")
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_buyer_back_from_stripe_is_thanked(
    stripe_http: respx.MockRouter, user_client: Client
) -> None:
    session_id = _checkout(stripe_http, user_client, "/billing/checkout/pro_monthly/")
    asked = _stripe_says(
        stripe_http, session_id, status="complete", payment_status="paid"
    )
    page = _page(user_client, session_id)
    assert "Thank you!" in page and PAID in page and "Pro monthly" in page
    assert asked.call_count == 1


def test_opened_directly_it_confirms_nothing(
    stripe_http: respx.MockRouter, user_client: Client, settings: Any
) -> None:
    page = _page(user_client)
    assert NOTHING in page and PAID not in page
    assert 'href="/pricing/"' in page
    assert not stripe_http.calls  # nothing to ask Stripe about
    settings.STRIPE_SECRET_KEY = ""  # payments not configured
    page = _page(user_client, "cs_test_whatever")
    assert NOTHING in page and PAID not in page
    assert NOTHING in _page(Client(), "cs_test_whatever")  # a visitor
    assert NOTHING in _page(user_client, "cs_%00")  # not an id: no 500


def test_someone_elses_or_an_unfinished_checkout_confirms_nothing(
    stripe_http: respx.MockRouter, user_client: Client, other_user: User
) -> None:
    session_id = _checkout(stripe_http, user_client, "/billing/checkout/pro_yearly/")
    asked = _stripe_says(
        stripe_http, session_id, status="complete", payment_status="paid"
    )
    other = Client()
    other.force_login(other_user)
    page = _page(other, session_id)
    assert NOTHING in page and PAID not in page
    assert asked.call_count == 0  # Stripe is not asked about others' sessions
    # The buyer's own, but not paid (left open, or expired).
    for status in ("open", "expired"):
        _stripe_says(stripe_http, session_id, status=status, payment_status="unpaid")
        page = _page(user_client, session_id)
        assert NOTHING in page and PAID not in page, status


def test_pending_and_unreachable_say_so(
    stripe_http: respx.MockRouter, user_client: Client
) -> None:
    session_id = _checkout(stripe_http, user_client, "/billing/checkout/pro_monthly/")
    _stripe_says(stripe_http, session_id, status="complete", payment_status="unpaid")
    page = _page(user_client, session_id)
    assert "Payment on its way" in page and PAID not in page
    stripe_http.get(f"/v1/checkout/sessions/{session_id}").mock(
        return_value=httpx.Response(500, json={"error": {"message": "boom"}})
    )
    page = _page(user_client, session_id)
    assert "could not be reached" in page and PAID not in page
    assert f'href="/billing/thanks/?session_id={session_id}"' in page  # try again


def test_a_checkout_the_webhook_completed_needs_no_question(
    stripe_http: respx.MockRouter,
    user_client: Client,
    user: User,
    make_character: Any,
) -> None:
    """Premium: thanked with the character's name and a way back to it."""
    character: Character = make_character(user, name="Paid Pal")
    checkout = CheckoutRequest.objects.create(
        user=user,
        kind="premium",
        character=character,
        stripe_session_id="cs_test_done",
        status=CheckoutRequest.Status.COMPLETED,
    )
    page = _page(user_client, checkout.stripe_session_id)
    assert "You support Paid Pal now" in page and PAID in page
    assert f'href="{character.get_absolute_url()}"' in page
    assert not stripe_http.calls
