"""List recent events from Stripe and process any we missed (idempotent)."""

from __future__ import annotations

from argparse import ArgumentParser

from django.core.management.base import BaseCommand, CommandError

from billing.services import billing_reconcile
from billing.stripe_api import PaymentsNotConfigured


class Command(BaseCommand):
    help = "Fetch recent Stripe events, store the ones we missed and process them."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--days", type=int, default=3, help="How far back to look (default 3)."
        )

    def handle(self, *args: object, **options: object) -> None:
        days = options["days"]
        if not isinstance(days, int) or days < 1 or days > 30:
            raise CommandError("--days must be between 1 and 30 (Stripe keeps 30).")
        try:
            result = billing_reconcile(days=days)
        except PaymentsNotConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{result.seen} events from Stripe, {result.recorded} new, "
            f"{result.processed} processed."
        )
