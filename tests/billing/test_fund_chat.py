"""The creator fund end to end with real chat messages (``chat.stats``), and the
plan switching the chat quota."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from billing.models import FundRun, LedgerEntry, PremiumCharacter
from billing.services import creator_fund_run, pro_grant
from characters.models import Character, Visibility
from chat.services import ChatError, conversation_start, message_send
from tests.billing import stripe_fixtures as sf
from tests.billing.conftest import customer_for

pytestmark = pytest.mark.django_db

_cids = itertools.count(1)


def send(user: Any, character: Character, n: int) -> None:
    """``n`` messages through the chat service, each in a new conversation (a chat
    holds one live reply at a time, and no worker generates replies here)."""
    for _ in range(n):
        conversation = conversation_start(user=user, character=character)
        message_send(
            conversation=conversation, user=user, client_id=f"c{next(_cids)}", text="hi"
        )


def pay_pro(webhook: Any, user: Any, amount: int) -> None:
    meta = {"kind": "pro_monthly", "user_id": str(user.pk)}
    sub_id = sf.sid("sub")
    webhook(
        sf.event(
            "customer.subscription.created",
            sf.subscription(sub_id=sub_id, customer=customer_for(user), metadata=meta),
            created=sf.now() - 10,
        )
    )
    webhook(
        sf.event(
            "invoice.paid",
            sf.invoice(
                sub_id=sub_id, customer=customer_for(user), amount=amount, metadata=meta
            ),
        )
    )


def test_fund_split_follows_pro_messages(
    webhook: Any, make_user: Any, make_character: Any, settings: Any
) -> None:
    settings.FREE_MESSAGES_PER_MINUTE = 100
    settings.CREATOR_FUND_PERCENT = 20
    ann, ben, free = make_user("ann"), make_user("ben"), make_user("freeloader")
    xena, yuri = make_user("xena"), make_user("yuri")
    x_public = make_character(xena, name="X public")
    x_unlisted = make_character(xena, name="X unlisted")
    Character.objects.filter(pk=x_unlisted.pk).update(visibility=Visibility.UNLISTED)
    y_public = make_character(yuri, name="Y public")
    pay_pro(webhook, ann, 999)
    pay_pro(webhook, ben, 1001)  # revenue 2000 → pool 400

    send(ann, x_public, 3)
    send(ben, y_public, 1)
    send(ann, y_public, 2)
    send(ann, x_unlisted, 5)  # not public: earns nothing
    send(free, x_public, 10)  # not Pro: does not count

    month = timezone.now().date().replace(day=1)
    run = creator_fund_run(month=month)
    assert (run.pro_revenue_cents, run.pool_cents, run.messages) == (2000, 400, 6)
    entries = {e.character_id: e for e in LedgerEntry.objects.filter(kind="fund")}
    assert {k: e.amount_cents for k, e in entries.items()} == {
        x_public.pk: 200,
        y_public.pk: 200,
    }
    assert entries[x_public.pk].creator == xena and entries[y_public.pk].creator == yuri
    assert (
        sum(e.amount_cents for e in entries.values())
        == run.distributed_cents
        == run.pool_cents
    )

    # Re-running the month (service, command, task) creates nothing new.
    assert creator_fund_run(month=month).pk == run.pk
    call_command("creator_fund", month=f"{month:%Y-%m}", no_payouts=True)
    assert FundRun.objects.count() == 1
    assert LedgerEntry.objects.filter(kind="fund").count() == 2


def test_uneven_split_gives_leftover_cents_by_largest_remainder(
    webhook: Any, make_user: Any, make_character: Any, settings: Any
) -> None:
    settings.FREE_MESSAGES_PER_MINUTE = 100
    settings.CREATOR_FUND_PERCENT = 20
    ann = make_user("ann")
    a, b, c = (make_character(make_user(f"maker{i}")) for i in range(3))
    pay_pro(webhook, ann, 500)  # pool 100, three equal weights
    for ch in (a, b, c):
        send(ann, ch, 1)
    creator_fund_run(month=timezone.now().date())
    amounts = dict(LedgerEntry.objects.values_list("character_id", "amount_cents"))
    assert sum(amounts.values()) == 100
    assert amounts == {a.pk: 34, b.pk: 33, c.pk: 33}


def test_month_without_pro_revenue_writes_an_empty_run(
    make_user: Any, make_character: Any
) -> None:
    run = creator_fund_run(month=timezone.now().date())
    assert (run.pool_cents, run.distributed_cents) == (0, 0)
    assert not LedgerEntry.objects.exists()


def test_plan_switches_the_chat_quota(
    user: Any, staff_user: Any, make_user: Any, make_character: Any, settings: Any
) -> None:
    settings.FREE_MESSAGES_PER_MINUTE = 2
    character = make_character(make_user("maker"))
    send(user, character, 2)
    with pytest.raises(ChatError) as exc:
        send(user, character, 1)
    assert exc.value.code == "rate_limited"
    pro_grant(user=user, by=staff_user, reason="quota test")
    send(user, character, 3)  # Pro: no limit


def test_premium_character_blocks_non_supporters_in_chat(
    user: Any, make_user: Any, make_character: Any
) -> None:
    character = make_character(make_user("maker"))
    PremiumCharacter.objects.create(character=character, price_cents=299)
    with pytest.raises(ChatError) as exc:
        conversation_start(user=user, character=character)
    assert exc.value.code == "not_entitled"


def test_monthly_task_splits_last_month_once(stripe_http: Any) -> None:
    from billing.services import previous_month
    from billing.tasks import creator_fund_monthly_task

    first = creator_fund_monthly_task.delay().get()
    again = creator_fund_monthly_task.delay().get()
    assert first == again
    assert FundRun.objects.get().month == previous_month(timezone.now().date())
    assert len(stripe_http.calls) == 0  # nothing to pay out


def test_account_updated_for_an_account_whose_id_we_lost(
    webhook: Any, user: Any
) -> None:
    from billing.models import CreatorAccount

    CreatorAccount.objects.create(user=user)
    webhook(
        sf.event(
            "account.updated",
            sf.account(account_id="acct_lost", user_id=user.pk, onboarded=True),
        )
    )
    account = CreatorAccount.objects.get(user=user)
    assert account.stripe_account_id == "acct_lost" and account.onboarded
