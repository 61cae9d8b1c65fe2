"""Split a month's creator fund and pay out balances (what the monthly task does)."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from billing.services import (
    cents_display,
    creator_fund_run,
    payouts_run,
    previous_month,
)
from billing.stripe_api import payments_configured


class Command(BaseCommand):
    help = (
        "Split a month's creator fund into the ledger (once per month), then pay out."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--month", help="YYYY-MM (default: last month)")
        parser.add_argument(
            "--no-payouts", action="store_true", help="Only write the split."
        )

    def handle(self, *args: object, **options: object) -> None:
        raw = options.get("month")
        if isinstance(raw, str) and raw:
            try:
                year, month = (int(p) for p in raw.split("-"))
                first = date(year, month, 1)
            except ValueError:
                raise CommandError(f"--month {raw!r} is not YYYY-MM.") from None
        else:
            first = previous_month(timezone.now().date())
        run = creator_fund_run(month=first)
        self.stdout.write(
            f"{first:%Y-%m}: pool {cents_display(run.pool_cents)}, "
            f"distributed {cents_display(run.distributed_cents)}."
        )
        if not options.get("no_payouts") and payments_configured():
            self.stdout.write(f"{len(payouts_run())} payouts sent.")
