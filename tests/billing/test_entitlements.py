"""Entitlements: plans switch the chat quota and queue; premium characters."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from billing.entitlements import character_chat_allowed, entitlements_for
from billing.models import (
    CreatorAccount,
    PlanKind,
    PremiumCharacter,
    ProGrant,
    Subscription,
)
from billing.services import premium_set, price_parse, pro_grant
from characters.models import Character
from tests.billing import stripe_fixtures as sf

pytestmark = pytest.mark.django_db


def test_free_by_default(user: Any, settings: Any) -> None:
    plan = entitlements_for(user)
    assert plan.plan == "free"
    assert plan.daily_messages == settings.FREE_DAILY_MESSAGES
    assert plan.messages_per_minute == settings.FREE_MESSAGES_PER_MINUTE
    assert plan.generation_queue == "default"
    assert plan.context_tokens == settings.LLM_CONTEXT_TOKENS
    assert plan.badge is None
    assert entitlements_for(AnonymousUser()).plan == "free"


def test_grant_switches_quota_queue_context_and_badge(
    user: Any, staff_user: Any, settings: Any
) -> None:
    grant = pro_grant(user=user, by=staff_user, reason="Community moderator")
    plan = entitlements_for(user)
    assert (plan.plan, plan.daily_messages, plan.messages_per_minute) == (
        "pro",
        None,
        None,
    )
    assert plan.generation_queue == "priority"
    assert plan.context_tokens == settings.LLM_CONTEXT_TOKENS_PRO
    assert plan.badge == "Pro"
    grant.revoked_at = timezone.now()
    grant.save()
    assert entitlements_for(user).plan == "free"


def test_expired_grant_is_free(user: Any, staff_user: Any) -> None:
    pro_grant(
        user=user,
        by=staff_user,
        reason="Trial",
        ends_at=timezone.now() - timedelta(minutes=1),
    )
    assert entitlements_for(user).plan == "free"


def test_grant_needs_staff_and_a_reason(
    user: Any, other_user: Any, staff_user: Any
) -> None:
    with pytest.raises(ValidationError, match="Only staff"):
        pro_grant(user=user, by=other_user, reason="friend")
    with pytest.raises(ValidationError, match="Say why"):
        pro_grant(user=user, by=staff_user, reason="   ")
    assert ProGrant.objects.count() == 0


def test_staff_grant_in_the_admin_records_who_and_why(
    user: Any, staff_user: Any
) -> None:
    staff_user.is_superuser = True
    staff_user.save()
    client = Client()
    client.force_login(staff_user)
    response = client.post(
        "/admin/billing/progrant/add/",
        {"user": user.pk, "reason": "Bug bounty", "ends_at_0": "", "ends_at_1": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    grant = ProGrant.objects.get()
    assert (grant.user, grant.granted_by, grant.reason) == (
        user,
        staff_user,
        "Bug bounty",
    )
    assert entitlements_for(user).is_pro


def test_other_users_subscription_does_not_count(user: Any, other_user: Any) -> None:
    Subscription.objects.create(
        user=other_user,
        stripe_subscription_id="sub_x",
        kind=PlanKind.PRO_MONTHLY,
        status="active",
        state_as_of=timezone.now(),
    )
    assert entitlements_for(other_user).is_pro
    assert not entitlements_for(user).is_pro


def test_premium_subscription_is_not_pro(
    user: Any, make_user: Any, make_character: Any
) -> None:
    character = make_character(make_user("maker"))
    Subscription.objects.create(
        user=user,
        stripe_subscription_id="sub_p",
        kind=PlanKind.PREMIUM,
        character=character,
        status="active",
        state_as_of=timezone.now(),
    )
    assert not entitlements_for(user).is_pro


# --- Premium characters --------------------------------------------------------


@pytest.fixture
def premium(make_user: Any, make_character: Any) -> Any:
    creator = make_user("maker")
    CreatorAccount.objects.create(
        user=creator,
        stripe_account_id="acct_1",
        details_submitted=True,
        payouts_enabled=True,
        charges_enabled=True,
    )
    character = make_character(creator)
    premium_set(character=character, by=creator, price_cents=499)
    return character


def test_chat_allowed_matrix(
    premium: Any, user: Any, staff_user: Any, make_character: Any
) -> None:
    owner = premium.owner
    free_character = make_character(owner)
    assert character_chat_allowed(user, free_character)
    assert character_chat_allowed(AnonymousUser(), free_character)
    assert not character_chat_allowed(user, premium)
    assert not character_chat_allowed(AnonymousUser(), premium)
    assert character_chat_allowed(owner, premium)
    assert character_chat_allowed(staff_user, premium)


def test_supporters_may_chat_until_their_subscription_ends(
    premium: Any, user: Any, webhook: Any
) -> None:
    from tests.billing.conftest import customer_for

    meta = {
        "kind": "premium",
        "user_id": str(user.pk),
        "character_id": str(premium.pk),
        "checkout_id": "",
    }
    sub = sf.subscription(
        sub_id="sub_sup", customer=customer_for(user), metadata=meta, amount=499
    )
    webhook(sf.event("customer.subscription.created", sub, created=sf.now() - 5))
    assert character_chat_allowed(user, premium)
    assert not entitlements_for(user).is_pro  # supporting is not Pro
    webhook(sf.event("customer.subscription.deleted", dict(sub, status="canceled")))
    assert not character_chat_allowed(user, premium)


def test_premium_definition_is_for_supporters(
    premium: Any, user: Any, user_client: Client
) -> None:
    """A card file or a remix would carry a premium character into free chats:
    like chatting, reading, downloading and remixing its definition is for its
    supporters (and its owner)."""
    slug = premium.slug
    page = user_client.get(f"/c/{slug}/").content.decode()
    assert "This character&#x27;s definition is for its supporters." in page
    assert f"/c/{slug}/card." not in page and f"/c/{slug}/remix/" not in page
    export = user_client.get(f"/api/v1/characters/{slug}/export/?format=v2")
    assert export.status_code == 403
    assert export.json()["error"].startswith("This character's definition is for")
    remix = user_client.post(f"/api/v1/characters/{slug}/remix/")
    assert remix.status_code == 400 and "cannot be remixed" in remix.json()["error"]
    definition = user_client.get(f"/api/v1/characters/{slug}/").json()["definition"]
    assert "description" not in definition and definition["first_mes"]
    assert Character.objects.count() == 1
    Subscription.objects.create(
        user=user,
        stripe_subscription_id="sub_fan",
        kind=PlanKind.PREMIUM,
        character=premium,
        status="active",
        state_as_of=timezone.now(),
    )
    page = user_client.get(f"/c/{slug}/").content.decode()
    assert f"/c/{slug}/card.png" in page and f"/c/{slug}/remix/" in page
    assert user_client.get(f"/c/{slug}/card.v2").status_code == 200
    definition = user_client.get(f"/api/v1/characters/{slug}/").json()["definition"]
    assert definition["description"] == "A test character."
    assert user_client.post(f"/api/v1/characters/{slug}/remix/").status_code == 201


def test_making_free_again_opens_chat(premium: Any, user: Any) -> None:
    premium_set(character=premium, by=premium.owner, price_cents=None)
    assert character_chat_allowed(user, premium)


def test_making_free_again_ends_supporters_subscriptions_at_period_end(
    premium: Any,
    make_user: Any,
    make_character: Any,
    webhook: Any,
    stripe_http: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Nobody keeps paying for a character that became free: each live
    supporter subscription is asked (once, idempotently) to end with the
    period already paid; other characters' and ended ones are left alone."""
    import httpx

    from tests.billing.conftest import customer_for

    def supporter(name: str, character: Any, status: str = "active") -> str:
        fan = make_user(name)
        meta = {"kind": "premium", "user_id": str(fan.pk),
                "character_id": str(character.pk), "checkout_id": ""}  # fmt: skip
        sub = sf.subscription(sub_id=sf.sid("sub"), customer=customer_for(fan),
                              metadata=meta, amount=499, status=status)  # fmt: skip
        webhook(sf.event("customer.subscription.created", sub, created=sf.now() - 5))
        return str(sub["id"])

    live = [supporter("fan1", premium), supporter("fan2", premium, "past_due")]
    supporter("gone", premium, "canceled")
    other = make_character(premium.owner)
    premium_set(character=other, by=premium.owner, price_cents=299)
    supporter("other", other)
    updates = stripe_http.post(url__regex=r"/v1/subscriptions/sub_[a-z0-9]+$").mock(
        side_effect=lambda request: httpx.Response(
            200,
            json={"id": request.url.path.rsplit("/", 1)[1], "object": "subscription"},
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        premium_set(character=premium, by=premium.owner, price_cents=None)
    asked = {
        call.request.url.path.rsplit("/", 1)[1]: call.request for call in updates.calls
    }
    assert sorted(asked) == sorted(live)
    for sub_id, request in asked.items():
        assert "cancel_at_period_end=true" in request.content.decode()
        pk = Subscription.objects.get(stripe_subscription_id=sub_id).pk
        assert request.headers["Idempotency-Key"] == f"kindred-premium-free-{pk}"
    # Making it free twice asks nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        premium_set(character=premium, by=premium.owner, price_cents=None)
    assert updates.call_count == 2


@pytest.mark.parametrize(
    ("price", "message"),
    [
        (198, "between $1.99 and $19.99"),
        (2000, "between $1.99 and $19.99"),
        (0, "between"),
    ],
)
def test_premium_price_range(premium: Any, price: int, message: str) -> None:
    with pytest.raises(ValidationError, match=message.replace("$", r"\$")):
        premium_set(character=premium, by=premium.owner, price_cents=price)
    assert PremiumCharacter.objects.get().price_cents == 499


def test_premium_needs_an_onboarded_creator(user: Any, make_character: Any) -> None:
    character = make_character(user)
    with pytest.raises(ValidationError, match="Finish Stripe onboarding"):
        premium_set(character=character, by=user, price_cents=499)
    CreatorAccount.objects.create(
        user=user,
        stripe_account_id="acct_2",
        details_submitted=True,
        payouts_enabled=False,
    )
    with pytest.raises(ValidationError, match="Finish Stripe onboarding"):
        premium_set(character=character, by=user, price_cents=499)
    assert not PremiumCharacter.objects.exists()


def test_only_the_owner_sets_premium(premium: Any, user: Any) -> None:
    with pytest.raises(ValidationError, match="Only the character's creator"):
        premium_set(character=premium, by=user, price_cents=999)


@pytest.mark.parametrize(
    ("text", "cents"), [("4.99", 499), ("$19.99", 1999), (" 2 ", 200), ("1.9", 190)]
)
def test_price_parse(text: str, cents: int) -> None:
    assert price_parse(text) == cents


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "“abc” is not a price"),
        ("4.999", "two decimals"),
        ("", "Enter a price in dollars, like 4.99."),
        ("  $ ", "Enter a price"),
    ],
)
def test_price_parse_errors(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        price_parse(text)


def test_premium_form_shows_the_error_and_saves_nothing(
    make_user: Any, make_character: Any
) -> None:
    creator = make_user("maker2")
    CreatorAccount.objects.create(
        user=creator,
        stripe_account_id="acct_3",
        details_submitted=True,
        payouts_enabled=True,
    )
    character = make_character(creator)
    client = Client()
    client.force_login(creator)
    response = client.post(
        f"/billing/characters/{character.slug}/premium/",
        {"price": "25.00", "action": "save"},
    )
    assert response.status_code == 400
    assert "between $1.99 and $19.99" in response.content.decode()
    assert not PremiumCharacter.objects.exists()
    response = client.post(
        f"/billing/characters/{character.slug}/premium/",
        {"price": "3.49", "action": "save"},
    )
    assert response.status_code == 302
    assert PremiumCharacter.objects.get().price_cents == 349


def test_entitlements_is_one_query(user: Any, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        entitlements_for(user)
