"""The quick start's mail: printed readably, and the sign-up page says where."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from config.mail import ReadableConsoleBackend

LINK = "http://127.0.0.1:8000/accounts/confirm-email/MTE:1xWb4r:" + "x" * 60 + "/"


def test_the_console_prints_a_link_whole() -> None:
    """Django's console backend printed the MIME source: quoted-printable cut
    this link with a soft line break, and its first line was a 404."""
    stream = io.StringIO()
    message = mail.EmailMultiAlternatives(
        subject="Please confirm your email address",
        body=f"Hello from Kindred!\n\nConfirm it here: {LINK}\n",
        from_email="Kindred <noreply@localhost>",
        to=["alice@example.com"],
    )
    message.attach_alternative(f"<p><a href='{LINK}'>Confirm</a></p>", "text/html")
    assert ReadableConsoleBackend(stream=stream).send_messages([message]) == 1
    printed = stream.getvalue()
    assert f"Confirm it here: {LINK}\n" in printed
    assert "To: alice@example.com" in printed
    assert "Subject: Please confirm your email address" in printed
    assert "=\n" not in printed and "<p>" not in printed


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("backend", "hint"),
    [
        ("config.mail.ReadableConsoleBackend", True),
        ("django.core.mail.backends.locmem.EmailBackend", False),
    ],
)
def test_after_signing_up_the_page_says_where_the_link_went(
    settings: Any, backend: str, hint: bool
) -> None:
    settings.MAILERS = {"default": {"BACKEND": backend, "OPTIONS": {}}}
    response = Client().post(
        "/accounts/signup/",
        {
            "email": "newcomer@example.com",
            "password1": "correct horse battery",
            "password2": "correct horse battery",
            "handle": "newcomer",
            "display_name": "Newcomer",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Check your email" in page, page[:2000]
    assert ("the link is in the terminal that runs it" in page) is hint
    assert ("Look in your spam folder" in page) is not hint


@pytest.mark.django_db
def test_account_pages_name_the_user_by_handle(user: Any) -> None:
    """allauth said "Successfully signed in as alice.reader" — an internal
    username nobody chose."""
    from allauth.account.utils import user_display

    assert user_display(user) == "@alice"
