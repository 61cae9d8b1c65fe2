from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import respx
from django.test import Client
from django.urls import reverse

from billing.models import Customer
from characters.models import Character
from characters.services import character_create
from community.models import User
from config.celery import app as celery_app
from tests.billing import stripe_fixtures as sf

_names = itertools.count(1)


@pytest.fixture(autouse=True)
def stripe_settings(settings: Any) -> Any:
    settings.STRIPE_SECRET_KEY = "sk_test_kindred"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test_kindred"
    settings.STRIPE_PRICE_PRO_MONTHLY = "price_pro_monthly"
    settings.STRIPE_PRICE_PRO_YEARLY = "price_pro_yearly"
    settings.STRIPE_PRICE_PRO_LIFETIME = "price_pro_lifetime"
    return settings


@pytest.fixture(autouse=True)
def celery_eager() -> Iterator[None]:
    """Run tasks in-process: the test exercises the task itself, not the broker."""
    old = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = old


@pytest.fixture
def stripe_http() -> Iterator[respx.MockRouter]:
    """Stripe's HTTP API, replaced at the transport; unmatched requests fail."""
    with respx.mock(
        base_url="https://api.stripe.com", assert_all_called=False
    ) as router:
        yield router


def deliver(client: Client, evt: dict[str, Any], **sign_kwargs: Any) -> Any:
    raw = sf.body(evt)
    return client.post(
        reverse("billing:stripe_webhook"),
        data=raw,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sf.sign(raw, **sign_kwargs),
    )


@pytest.fixture
def webhook(
    client: Client, django_capture_on_commit_callbacks: Any
) -> Callable[..., Any]:
    """Deliver a signed event through the real endpoint; run what it queues."""

    def send(evt: dict[str, Any], **sign_kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return deliver(client, evt, **sign_kwargs)

    return send


def customer_for(user: User) -> str:
    customer, _ = Customer.objects.get_or_create(user=user)
    if not customer.stripe_customer_id:
        customer.stripe_customer_id = sf.sid("cus")
        customer.save()
    return customer.stripe_customer_id


@pytest.fixture
def make_character(db: None) -> Callable[..., Character]:
    def make(
        owner: User, *, name: str | None = None, mature: bool = False
    ) -> Character:
        return character_create(
            owner=owner,
            data={
                "name": name or f"Character {next(_names)}",
                "description": "A test character.",
                "first_mes": "Hello there!",
            },
            meta={"content_rating": "mature" if mature else "general"},
            publish=True,
        )

    return make
