from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from community.demo import seed_demo


class Command(BaseCommand):
    help = "Create the demo data (idempotent: running it again changes nothing)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = seed_demo()
        for line in report:
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS("Demo login: demo@example.com / kindred-demo")
        )
