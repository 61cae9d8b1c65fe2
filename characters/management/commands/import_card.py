from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from characters.card_services import character_import
from characters.cards import MAX_CARD_UPLOAD
from community.selectors import profile_get_by_handle
from community.services import handle_normalize


def validation_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


class Command(BaseCommand):
    help = (
        "Import a Character Card (V1/V2/V3 JSON, PNG with a chara/ccv3 chunk, or "
        "CHARX) for a user; the new character's slug is the last line printed."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", help="The card file.")
        parser.add_argument(
            "--owner", required=True, help="The owner's handle, with or without @."
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish it as version 1 (default: keep it as a draft).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            profile = profile_get_by_handle(handle=handle_normalize(options["owner"]))
        except Http404:
            raise CommandError(
                f"No active user with the handle @{handle_normalize(options['owner'])}."
            ) from None
        try:
            size = path.stat().st_size
            if size > MAX_CARD_UPLOAD:
                raise CommandError(
                    f"{path} is {size / 1_048_576:.1f} MB; the limit for a character "
                    f"card is {MAX_CARD_UPLOAD // 1_048_576} MB."
                )
            with path.open("rb") as fh:
                raw = fh.read(MAX_CARD_UPLOAD + 1)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.") from None
        try:
            character = character_import(
                owner=profile.user,
                upload=raw,
                filename=path.name,
                publish=options["publish"],
            )
        except ValidationError as exc:
            raise CommandError(f"{path.name}: {validation_text(exc)}") from None
        state = "published" if character.is_published else "saved as a draft"
        self.stdout.write(
            f"Imported “{character.name}” for @{profile.handle}, {state}."
        )
        self.stdout.write(character.slug)
