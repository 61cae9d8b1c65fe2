"""Celery tasks: thin wrappers around the services of the same name."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from billing import services


@shared_task(
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=8,
    acks_late=True,
)
def stripe_event_process_task(event_pk: int) -> bool:
    return services.event_process(event_pk=event_pk)


@shared_task
def creator_fund_monthly_task() -> int:
    """On the 1st: split last month's fund, then pay out balances."""
    from billing.stripe_api import payments_configured

    run = services.creator_fund_run(
        month=services.previous_month(timezone.now().date())
    )
    if payments_configured():  # otherwise balances accrue until keys are set
        services.payouts_run()
    return run.pk


@shared_task
def billing_reconcile_task() -> int:
    from billing.stripe_api import payments_configured

    if not payments_configured():
        return 0
    return services.billing_reconcile().recorded


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=8)
def premium_supporters_release_task(character_id: int) -> int:
    return services.premium_supporters_release(character_id=character_id)
