"""The creator fund split (property tests) and payouts (idempotent transfers)."""

from __future__ import annotations

import itertools
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import respx
from django.db import DatabaseError, transaction
from hypothesis import given
from hypothesis import strategies as st

from billing.models import CreatorAccount, LedgerEntry, Payout, PremiumCharacter
from billing.selectors import earnings_for
from billing.services import creator_balance_cents, payouts_run, split_largest_remainder
from tests.billing import stripe_fixtures as sf
from tests.billing.conftest import customer_for

weights_strategy = st.dictionaries(
    st.integers(min_value=1, max_value=10_000),
    st.integers(min_value=0, max_value=10**6),
    max_size=60,
)


@given(pool=st.integers(min_value=0, max_value=10**10), weights=weights_strategy)
def test_split_parts_sum_exactly_to_the_pool(
    pool: int, weights: dict[int, int]
) -> None:
    parts = split_largest_remainder(pool, weights)
    if any(w > 0 for w in weights.values()):
        assert sum(parts.values()) == pool
    else:
        assert sum(parts.values()) == 0
    assert all(isinstance(v, int) and v >= 0 for v in parts.values())
    assert set(parts) == {k for k, w in weights.items() if w > 0}


@given(pool=st.integers(min_value=0, max_value=10**9), weights=weights_strategy)
def test_split_is_within_one_cent_of_the_exact_share(
    pool: int, weights: dict[int, int]
) -> None:
    total = sum(weights.values())
    parts = split_largest_remainder(pool, weights)
    for key, cents in parts.items():
        exact_floor = pool * weights[key] // total
        assert exact_floor <= cents <= exact_floor + 1


@given(pool=st.integers(min_value=0, max_value=10**9), weights=weights_strategy)
def test_split_is_monotonic_in_weight(pool: int, weights: dict[int, int]) -> None:
    parts = split_largest_remainder(pool, weights)
    ordered = sorted(parts, key=lambda k: weights[k])
    for a, b in itertools.pairwise(ordered):
        if weights[a] < weights[b]:
            assert parts[a] <= parts[b]


def test_split_examples() -> None:
    assert split_largest_remainder(100, {1: 1, 2: 1, 3: 1}) == {1: 34, 2: 33, 3: 33}
    assert split_largest_remainder(10, {7: 2, 9: 1}) == {7: 7, 9: 3}
    assert split_largest_remainder(5, {}) == {}
    assert split_largest_remainder(0, {1: 5}) == {1: 0}
    with pytest.raises(ValueError, match="negative"):
        split_largest_remainder(-1, {1: 1})


# --- Payouts -----------------------------------------------------------------


def _earn(
    webhook: Any, *, payer: Any, character: Any, times: int, amount: int = 999
) -> None:
    meta = {
        "kind": "premium",
        "user_id": str(payer.pk),
        "character_id": str(character.pk),
        "checkout_id": "",
    }
    for _ in range(times):
        invoice = sf.invoice(
            sub_id=f"sub_fan_{character.pk}",
            customer=customer_for(payer),
            amount=amount,
            metadata=meta,
        )
        webhook(sf.event("invoice.paid", invoice))


@pytest.fixture
def creator(make_user: Any, webhook: Any) -> Any:
    creator = make_user("maker")
    account = CreatorAccount.objects.create(
        user=creator, stripe_account_id="acct_maker"
    )
    webhook(
        sf.event(
            "account.updated",
            sf.account(
                account_id=account.stripe_account_id, user_id=creator.pk, onboarded=True
            ),
        )
    )
    return creator


def _transfers(stripe_http: respx.MockRouter, status: int = 200) -> respx.Route:
    def answer(request: httpx.Request) -> httpx.Response:
        if status != 200:
            return httpx.Response(
                status,
                json={
                    "error": {
                        "type": "invalid_request_error",
                        "message": "Insufficient funds",
                    }
                },
            )
        params = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
        return httpx.Response(
            200,
            json={
                "id": "tr_" + request.headers["Idempotency-Key"],
                "object": "transfer",
                "amount": int(params["amount"]),
                "currency": "usd",
                "destination": params["destination"],
            },
        )

    return stripe_http.post("/v1/transfers").mock(side_effect=answer)


@pytest.mark.django_db
def test_payout_transfers_the_balance_once(
    stripe_http: respx.MockRouter,
    creator: Any,
    user: Any,
    make_character: Any,
    webhook: Any,
) -> None:
    character = make_character(creator)
    PremiumCharacter.objects.create(character=character, price_cents=999)
    _earn(webhook, payer=user, character=character, times=2)
    assert creator_balance_cents(creator_id=creator.pk) == 2 * 699
    transfers = _transfers(stripe_http)

    sent = payouts_run()
    assert len(sent) == 1
    payout = Payout.objects.get()
    request = transfers.calls.last.request
    assert request.headers["Idempotency-Key"] == f"kindred-payout-{payout.pk}"
    params = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
    assert params == {
        "amount": "1398",
        "currency": "usd",
        "destination": "acct_maker",
        "metadata[payout_id]": str(payout.pk),
    }
    assert payout.stripe_transfer_id == f"tr_kindred-payout-{payout.pk}"
    assert creator_balance_cents(creator_id=creator.pk) == 0

    assert payouts_run() == []  # re-running: nothing new
    assert transfers.call_count == 1
    assert Payout.objects.count() == 1
    summary = earnings_for(creator=creator)
    assert (
        summary.balance_cents,
        summary.pending_cents,
        summary.paid_cents,
        summary.earned_cents,
    ) == (0, 0, 1398, 1398)


@pytest.mark.django_db
def test_failed_transfer_is_retried_with_the_same_key(
    stripe_http: respx.MockRouter,
    creator: Any,
    user: Any,
    make_character: Any,
    webhook: Any,
) -> None:
    character = make_character(creator)
    _earn(webhook, payer=user, character=character, times=2)
    failing = _transfers(stripe_http, status=400)
    assert payouts_run() == []
    payout = Payout.objects.get()
    assert payout.stripe_transfer_id == ""
    assert earnings_for(creator=creator).pending_cents == 1398
    assert failing.call_count == 1

    stripe_http.routes.clear()
    working = _transfers(stripe_http)
    assert [p.pk for p in payouts_run()] == [payout.pk]
    assert (
        working.calls.last.request.headers["Idempotency-Key"]
        == f"kindred-payout-{payout.pk}"
    )
    assert Payout.objects.count() == 1
    assert LedgerEntry.objects.filter(kind="payout").count() == 1


@pytest.mark.django_db
def test_small_balances_and_unonboarded_creators_accrue(
    stripe_http: respx.MockRouter,
    make_user: Any,
    user: Any,
    make_character: Any,
    webhook: Any,
    settings: Any,
) -> None:
    settings.CREATOR_PAYOUT_MINIMUM_CENTS = 1000
    small = make_user("small")
    CreatorAccount.objects.create(
        user=small,
        stripe_account_id="acct_small",
        details_submitted=True,
        payouts_enabled=True,
    )
    pending = make_user("pending")
    CreatorAccount.objects.create(user=pending, stripe_account_id="acct_pending")
    _earn(webhook, payer=user, character=make_character(small), times=1)  # 699 < 1000
    _earn(webhook, payer=user, character=make_character(pending), times=3)
    transfers = _transfers(stripe_http)
    assert payouts_run() == []
    assert transfers.call_count == 0
    assert creator_balance_cents(creator_id=small.pk) == 699
    assert creator_balance_cents(creator_id=pending.pk) == 3 * 699


@pytest.mark.django_db
def test_ledger_is_append_only(
    creator: Any, user: Any, make_character: Any, webhook: Any
) -> None:
    _earn(webhook, payer=user, character=make_character(creator), times=1)
    entry = LedgerEntry.objects.get()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(amount_cents=1_000_000)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    assert LedgerEntry.objects.get().amount_cents == 699
