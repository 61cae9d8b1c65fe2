"""The quick start's email backend: messages printed readably.

Django's console backend prints each message's MIME source; allauth's mails are
quoted-printable, so a confirmation link comes out cut in two by a soft line
break (``…/confirm-email/MTE=`` then ``:1xWb4r:…/``), and copying the first line
gives a 404. This one prints the headers a person reads and the plain-text body
as written. ``EMAIL_URL=consolemail://`` (the debug default) selects it.
"""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend as ConsoleBackend

BACKEND = "config.mail.ReadableConsoleBackend"


class ReadableConsoleBackend(ConsoleBackend):
    def write_message(self, message: EmailMessage) -> None:
        self.stream.write(
            f"From: {message.from_email}\n"
            f"To: {', '.join(message.to)}\n"
            f"Subject: {message.subject}\n\n"
            f"{message.body}\n"
        )
        self.stream.write("-" * 79 + "\n")


def prints_to_console(backend: str) -> bool:
    """True when mail goes to the terminal instead of anyone's inbox."""
    return backend.endswith(("console.EmailBackend", "ReadableConsoleBackend"))
