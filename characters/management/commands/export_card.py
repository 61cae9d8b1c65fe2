from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from characters.card_services import character_export
from characters.models import Character


class Command(BaseCommand):
    help = (
        "Export a character as a Character Card (PNG with chara+ccv3 chunks, V2 or "
        "V3 JSON), as its owner sees it (the newest draft if there is one)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("slug", help="The character's slug.")
        parser.add_argument(
            "--format", required=True, choices=["png", "v2", "v3"], dest="fmt"
        )
        parser.add_argument(
            "--out", required=True, help="Where to write the card; “-” for stdout."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        character = (
            Character.objects.select_related("owner")
            .filter(slug=options["slug"], deleted_at__isnull=True)
            .first()
        )
        if character is None:
            raise CommandError(f"No character with the slug “{options['slug']}”.")
        try:
            content, filename, _ = character_export(
                character=character, user=character.owner, fmt=options["fmt"]
            )
        except (ValidationError, PermissionDenied, Http404) as exc:
            text = (
                " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            )
            raise CommandError(text) from None
        if options["out"] == "-":
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
            return
        out = Path(options["out"])
        try:
            out.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Cannot write {out}: {exc.strerror or exc}.") from None
        self.stderr.write(f"Wrote {filename} ({len(content):,} bytes) to {out}.")
