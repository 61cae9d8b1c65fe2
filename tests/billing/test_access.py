"""Who sees what (routes × roles), page content, query counts, promotions."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import timezone

from billing.models import (
    CheckoutRequest,
    CreatorAccount,
    LedgerEntry,
    PlanKind,
    PremiumCharacter,
    Promotion,
)
from billing.selectors import promoted_characters
from community.models import Block, Profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def creator(make_user: Any, make_character: Any) -> Any:
    creator = make_user("maker")
    CreatorAccount.objects.create(
        user=creator,
        stripe_account_id="acct_m",
        details_submitted=True,
        payouts_enabled=True,
    )
    character = make_character(creator, name="Moira")
    LedgerEntry.objects.create(
        key="fund-test-1",
        creator=creator,
        kind="fund",
        amount_cents=4321,
        character=character,
        note="secret-row-marker",
    )
    return creator


def client_for(role: str, *, creator: Any, other: Any, staff: Any) -> Client:
    client = Client()
    who = {"owner": creator, "other": other, "staff": staff, "anonymous": None}[role]
    if who is not None:
        client.force_login(who)
    return client


@pytest.mark.parametrize(
    ("role", "status"),
    [("owner", 200), ("staff", 200), ("other", 404), ("anonymous", 404)],
)
def test_earnings_page_matrix(
    role: str, status: int, creator: Any, other_user: Any, staff_user: Any
) -> None:
    client = client_for(role, creator=creator, other=other_user, staff=staff_user)
    response = client.get("/creators/maker/earnings/")
    assert response.status_code == status
    html = response.content.decode()
    # Ledger rows appear only to the creator and staff.
    assert ("secret-row-marker" in html) is (status == 200)
    assert ("$43.21" in html) is (status == 200)


def test_earnings_for_unknown_handle_is_404_even_for_staff(staff_user: Any) -> None:
    client = Client()
    client.force_login(staff_user)
    assert client.get("/creators/nobody/earnings/").status_code == 404


def test_staff_sees_without_owner_controls(creator: Any, staff_user: Any) -> None:
    client = Client()
    client.force_login(staff_user)
    html = client.get("/creators/maker/earnings/").content.decode()
    assert "viewed as staff" in html
    assert "Make supporters-only" not in html
    assert "Promote 7 days" not in html


def test_creator_home_redirects_to_own_earnings(user_client: Client) -> None:
    response = user_client.get("/creators/")
    assert (
        response.status_code == 302
        and response["Location"] == "/creators/alice/earnings/"
    )
    assert Client().get("/creators/").status_code == 302  # to login


@pytest.mark.parametrize(
    ("role", "status"),
    [("owner", 200), ("staff", 404), ("other", 404), ("anonymous", 302)],
)
def test_premium_settings_matrix(
    role: str, status: int, creator: Any, other_user: Any, staff_user: Any
) -> None:
    slug = creator.characters.get().slug
    client = client_for(role, creator=creator, other=other_user, staff=staff_user)
    response = client.get(f"/billing/characters/{slug}/premium/")
    assert response.status_code == status
    response = client.post(f"/billing/characters/{slug}/premium/", {"price": "5.00"})
    assert response.status_code == (302 if role in ("owner", "anonymous") else 404)
    assert PremiumCharacter.objects.exists() is (role == "owner")


@pytest.mark.parametrize("role", ["owner", "staff", "other", "anonymous"])
def test_support_page_shows_greeting_to_everyone(
    role: str, creator: Any, other_user: Any, staff_user: Any
) -> None:
    character = creator.characters.get()
    PremiumCharacter.objects.create(character=character, price_cents=299)
    client = client_for(role, creator=creator, other=other_user, staff=staff_user)
    html = client.get(f"/billing/characters/{character.slug}/support/").content.decode()
    assert "Hello there!" in html
    assert ("Become a supporter" in html) is (role in ("other", "anonymous"))


def test_support_page_404_for_free_characters(
    creator: Any, user_client: Client
) -> None:
    assert (
        user_client.get(
            f"/billing/characters/{creator.characters.get().slug}/support/"
        ).status_code
        == 404
    )


def test_earnings_page_query_count_does_not_grow(
    creator: Any, make_character: Any, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    client.force_login(creator)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/creators/maker/earnings/").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(8):
        c = make_character(creator)
        LedgerEntry.objects.create(
            key=f"fund-more-{i}",
            creator=creator,
            kind="fund",
            amount_cents=10 + i,
            character=c,
        )
    assert count() == few


# --- Pricing page ------------------------------------------------------------


def test_pricing_page_lists_the_plans(client: Client) -> None:
    html = client.get("/pricing/").content.decode()
    for text in (
        "Free",
        "Pro monthly",
        "$9.99",
        "Pro yearly",
        "Pro lifetime",
        "Unlimited messages",
    ):
        assert text in html
    assert "not configured" not in html


def test_pricing_without_keys_says_payments_are_not_configured(
    client: Client, user_client: Client, settings: Any
) -> None:
    settings.STRIPE_SECRET_KEY = ""
    html = client.get("/pricing/").content.decode()
    assert "Payments are not configured" in html
    assert "Choose Pro" not in user_client.get("/pricing/").content.decode()
    response = user_client.post("/billing/checkout/pro_monthly/", follow=True)
    assert "Payments are not configured" in response.content.decode()
    assert CheckoutRequest.objects.count() == 0
    assert user_client.get("/creators/alice/earnings/").status_code == 200


def test_pricing_shows_the_users_plan(
    user: Any, user_client: Client, staff_user: Any
) -> None:
    from billing.services import pro_grant

    assert re.search(
        r"Your plan: <span class=\"badge\">Free",
        user_client.get("/pricing/").content.decode(),
    )
    pro_grant(user=user, by=staff_user, reason="test")
    html = user_client.get("/pricing/").content.decode()
    assert "Manage or cancel" in html and "You have Pro." in html


@pytest.mark.parametrize(
    "path", ["/pricing/", "/creators/alice/earnings/", "/billing/thanks/"]
)
def test_billing_pages_satisfy_the_csp(path: str, user_client: Client) -> None:
    html = user_client.get(path).content.decode()
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag


# --- Promoted characters -------------------------------------------------------


def _promote(character: Any, *, days_left: float = 3) -> Promotion:
    now = timezone.now()
    checkout = CheckoutRequest.objects.create(
        user=character.owner, kind=PlanKind.PROMOTION, character=character
    )
    return Promotion.objects.create(
        character=character,
        checkout=checkout,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=days_left),
    )


def test_promoted_characters(
    make_user: Any, make_character: Any, user: Any, django_assert_max_num_queries: Any
) -> None:
    maker = make_user("maker")
    general = make_character(maker, name="General")
    mature = make_character(maker, name="Mature", mature=True)
    ended = make_character(maker, name="Ended")
    not_promoted = make_character(maker, name="Plain")
    _promote(general)
    _promote(mature, days_left=5)
    _promote(ended, days_left=-0.5)
    assert not_promoted

    with django_assert_max_num_queries(3):  # profile (mature), blocks, the list
        names = [c.name for c in promoted_characters(user=user)]
    assert names == ["General"]
    # Never to users who blocked the creator (nor to those the creator blocked).
    from community.services import user_block

    user_block(blocker=user, blocked=maker)
    assert promoted_characters(user=user) == []
    Block.objects.all().delete()
    assert [c.name for c in promoted_characters(user=AnonymousUser())] == ["General"]

    Profile.objects.filter(user=user).update(birth_date="1990-01-01", show_mature=True)
    user.refresh_from_db()
    assert [c.name for c in promoted_characters(user=user)] == ["Mature", "General"]
    assert [c.name for c in promoted_characters(user=user, limit=1)] == ["Mature"]


def test_promotion_webhook_starts_seven_days(
    webhook: Any, make_character: Any, user: Any
) -> None:
    from tests.billing import stripe_fixtures as sf
    from tests.billing.conftest import customer_for

    character = make_character(user, name="Promo")
    request = CheckoutRequest.objects.create(
        user=user, kind=PlanKind.PROMOTION, character=character, amount_cents=2900
    )
    session = sf.checkout_session(
        checkout_id=request.pk,
        customer=customer_for(user),
        mode="payment",
        amount=2900,
        metadata={
            "kind": "promotion",
            "checkout_id": str(request.pk),
            "user_id": str(user.pk),
            "character_id": str(character.pk),
        },
        payment_intent=sf.sid("pi"),
    )
    webhook(sf.event("checkout.session.completed", session))
    promotion = Promotion.objects.get()
    assert promotion.ends_at - promotion.starts_at == timedelta(days=7)
    assert [c.name for c in promoted_characters(user=AnonymousUser())] == ["Promo"]


@pytest.mark.parametrize(
    ("role", "status"),
    [("owner", 200), ("staff", 200), ("other", 404), ("anonymous", 401)],
)
def test_earnings_api_matrix(
    role: str, status: int, creator: Any, other_user: Any, staff_user: Any
) -> None:
    client = client_for(role, creator=creator, other=other_user, staff=staff_user)
    response = client.get("/api/v1/creators/maker/earnings/")
    assert response.status_code in ((401, 403) if status == 401 else (status,))
    if status == 200:
        body = response.json()
        assert body["balance_cents"] == 4321 and body["onboarded"] is True
        assert [row["note"] for row in body["ledger"]] == ["secret-row-marker"]
    else:
        assert "secret-row-marker" not in response.content.decode()


def test_earnings_api_query_count_is_constant(
    creator: Any, make_character: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(creator)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/creators/maker/earnings/").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(10):
        c = make_character(creator)
        LedgerEntry.objects.create(
            key=f"fund-api-{i}",
            creator=creator,
            kind="fund",
            amount_cents=5,
            character=c,
        )
    assert count() == few


def test_promote_on_the_character_page_leads_to_its_priced_button(
    creator: Any, settings: Any
) -> None:
    """Not straight at the POST-only checkout (a GET there is a 405 page)."""
    client = Client()
    client.force_login(creator)
    character = creator.characters.get()
    page = client.get(f"/c/{character.slug}/").content.decode()
    link = re.search(r'href="([^"]+)">Promote</a>', page)
    assert link is not None
    url, anchor = link.group(1).split("#")
    target = client.get(url)
    assert target.status_code == 200
    html = target.content.decode()
    assert f'id="{anchor}"' in html and anchor == f"character-{character.slug}"
    assert "Promote 7 days" in html
    # Without payments the row says why there is nothing to buy.
    settings.STRIPE_SECRET_KEY = ""
    html = client.get(url).content.decode()
    assert "Promotion needs payments" in html and "Promote 7 days" not in html
