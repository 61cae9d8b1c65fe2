from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from community.selectors import profile_get_by_handle
from community.services import handle_normalize, token_create


class Command(BaseCommand):
    help = (
        "Create a personal access token for a user; the token is the last line printed."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("handle", help="The user's handle, with or without @.")
        parser.add_argument(
            "--name", default="command line", help="A name for the token."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.http import Http404

        try:
            profile = profile_get_by_handle(handle=handle_normalize(options["handle"]))
        except Http404:
            raise CommandError(
                f"No active user with the handle @{options['handle']}."
            ) from None
        try:
            new = token_create(user=profile.user, name=options["name"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stderr.write(
            f"Token “{new.token.name}” for @{profile.handle} (shown once):"
        )
        self.stdout.write(new.secret)
