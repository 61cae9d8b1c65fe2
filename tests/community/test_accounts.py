from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.utils import timezone
from PIL import Image

from characters.models import Character
from community.models import Profile, User

pytestmark = pytest.mark.django_db


def _signup(client: Client, **overrides: str):
    data = {
        "email": "newcomer@example.com",
        "handle": "newcomer",
        "display_name": "New Comer",
        "password1": "a-long-unusual-passphrase",
        "password2": "a-long-unusual-passphrase",
    }
    data.update(overrides)
    return client.post("/accounts/signup/", data)


def _png(size=(64, 64), color=(200, 30, 90)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def test_signup_verify_login_edit_and_public_profile() -> None:
    client = Client()
    response = _signup(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="newcomer@example.com")
    assert user.profile.handle == "newcomer"
    assert user.profile.display_name == "New Comer"
    assert not EmailAddress.objects.get(user=user).verified

    # Unverified: logging in sends the user to the verification notice, not in.
    client = Client()
    response = client.post(
        "/accounts/login/",
        {"login": "newcomer@example.com", "password": "a-long-unusual-passphrase"},
        follow=True,
    )
    assert "_auth_user_id" not in client.session
    assert b"Check your email" in response.content

    # Follow the link in the email.
    assert mail.outbox, "a verification email is sent"
    link = re.search(
        r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", str(mail.outbox[-1].body)
    )
    assert link, mail.outbox[-1].body
    # Addressed by the handle chosen, from Kindred (not "user <internal
    # name>", "Hello from <host>").
    body = str(mail.outbox[-1].body)
    assert body.startswith("Hello from Kindred!") and "as @newcomer." in body
    page = client.get(link.group(1))
    assert page.status_code == 200
    response = client.post(link.group(1))
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    client = Client()
    response = client.post(
        "/accounts/login/",
        {"login": "newcomer@example.com", "password": "a-long-unusual-passphrase"},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)

    response = client.post(
        "/settings/profile/",
        {
            "display_name": "Lantern Keeper",
            "handle": "lantern",
            "bio": "I write <b>harbour</b> stories.",
            "birth_date": "1995-04-02",
            "avatar": _upload(_png(), "me.png", "image/png"),
        },
    )
    assert response.status_code == 302, response.content
    assert response["Location"] == "/@lantern"

    page = Client().get("/@lantern")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Lantern Keeper" in html
    assert "@lantern" in html
    assert "I write &lt;b&gt;harbour&lt;/b&gt; stories." in html  # escaped, not HTML
    assert "1995" not in html  # birth date is private
    profile = Profile.objects.get(user=user)
    assert str(profile.avatar.name).endswith(".webp")
    assert Client().get("/@newcomer").status_code == 404


def _upload(data: bytes, name: str, content_type: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def test_wrong_password_says_so(user: User) -> None:
    response = Client().post(
        "/accounts/login/", {"login": user.email, "password": "not the password"}
    )
    assert response.status_code == 200
    assert (
        b"The email address and/or password you specified are not correct."
        in response.content
    )


def test_login_rate_limited_after_repeated_failures(user: User) -> None:
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"login": user.email, "password": "nope"})
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": "correct horse battery"}
    )
    assert "_auth_user_id" not in client.session
    assert b"Too many failed login attempts" in response.content


@pytest.mark.parametrize(
    ("handle", "message"),
    [
        ("ab", "A handle is 3 to 30 characters"),
        ("Has Space", "A handle is 3 to 30 characters"),
        ("admin", "The handle @admin is reserved."),
        ("alice", "The handle @alice is taken."),
    ],
)
def test_signup_refuses_bad_handles(user: User, handle: str, message: str) -> None:
    before = User.objects.count()
    response = _signup(Client(), handle=handle)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == before


@pytest.mark.django_db
def test_signup_errors_sit_under_their_own_field() -> None:
    """allauth drew its forms with as_p: the password error stood above the
    "Password" label, after the handle's field, as if it were the handle's."""
    response = Client().post(
        "/accounts/signup/",
        {
            "email": "x@example.com",
            "handle": "newbie",
            "password1": "short",
            "password2": "short",
        },
    )
    page = response.content.decode()
    password = page.index('id="id_password1"')
    error = page.index("This password is too short.")
    again = page.index('for="id_password2"')
    assert page.rindex('for="id_password1"', 0, password) < password < error < again
    # Help made of a list is no <p> (a <ul> inside one ends it early).
    assert '<p class="field__help"' not in page


def test_profile_edit_refuses_bad_avatar_and_keeps_profile(
    user_client: Client, user: User
) -> None:
    response = user_client.post(
        "/settings/profile/",
        {
            "display_name": "Changed",
            "handle": "alice",
            "bio": "",
            "avatar": _upload(b"GIF89a not really", "cat.png", "image/png"),
        },
    )
    assert response.status_code == 200
    assert "not a readable image" in response.content.decode()
    user.profile.refresh_from_db()
    assert user.profile.display_name == "Alice"
    assert not user.profile.avatar


def test_profile_edit_refuses_future_birth_date(
    user_client: Client, user: User
) -> None:
    response = user_client.post(
        "/settings/profile/",
        {
            "display_name": "Alice",
            "handle": "alice",
            "bio": "",
            "birth_date": "2999-01-01",
        },
    )
    assert response.status_code == 200
    assert "A birth date cannot be in the future." in response.content.decode()
    user.profile.refresh_from_db()
    assert user.profile.birth_date is None


def test_profile_edit_requires_login() -> None:
    response = Client().get("/settings/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_password_reset_sends_a_working_link(user: User) -> None:
    client = Client()
    client.post("/accounts/password/reset/", {"email": user.email})
    assert len(mail.outbox) == 1
    path = re.search(
        r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)",
        str(str(mail.outbox[0].body)),
    )
    assert path
    page = client.get(path.group(1), follow=True)
    assert page.status_code == 200
    response = client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else path.group(1),
        {"password1": "a-brand-new-secret-9", "password2": "a-brand-new-secret-9"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-brand-new-secret-9")


def test_unknown_profile_is_a_friendly_404() -> None:
    response = Client().get("/@nobody_here")
    assert response.status_code == 404
    assert (
        b"We couldn&#x27;t find that page" in response.content
        or b"find that page" in response.content
    )


def test_email_page_lists_adds_and_removes_addresses(user: User) -> None:
    client = Client()
    client.force_login(user)
    page = client.get("/accounts/email/").content.decode()
    assert f'value="{user.email}"' in page and 'name="action_remove"' in page
    added = client.post(
        "/accounts/email/", {"action_add": "", "email": "second@example.com"}
    )
    assert added.status_code == 302
    assert EmailAddress.objects.filter(user=user, email="second@example.com").exists()
    # A bad address is refused with the reason, and nothing is added.
    bad = client.post("/accounts/email/", {"action_add": "", "email": "not-an-email"})
    assert (
        bad.status_code == 200
        and "Enter a valid email address." in bad.content.decode()
    )
    assert EmailAddress.objects.filter(user=user).count() == 2
    page = client.get("/accounts/email/").content.decode()
    assert "second@example.com" in page and "Unverified" in page
    removed = client.post(
        "/accounts/email/", {"action_remove": "", "email": "second@example.com"}
    )
    assert removed.status_code == 302
    assert not EmailAddress.objects.filter(email="second@example.com").exists()


def _years_ago(years: int, *, days: int = 0) -> dt.date:
    """The date ``years`` ago today (28 February for a 29th), plus ``days``."""
    today = timezone.localdate()
    try:
        then = today.replace(year=today.year - years)
    except ValueError:
        then = today.replace(year=today.year - years, day=28)
    return then + dt.timedelta(days=days)


def _profile_form(**overrides: str) -> dict[str, str]:
    data = {"display_name": "Alice", "handle": "alice", "bio": "", "birth_date": ""}
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("birth_date", "error"),
    [
        ("", "Add your birth date to turn on mature content"),
        (_years_ago(17).isoformat(), "by your birth date you are under 18"),
        # 18 tomorrow: not yet.
        (_years_ago(18, days=1).isoformat(), "by your birth date you are under 18"),
    ],
)
def test_only_an_adult_can_turn_on_mature_content_and_nothing_is_half_saved(
    user_client: Client, user: User, birth_date: str, error: str
) -> None:
    response = user_client.post(
        "/settings/profile/",
        _profile_form(display_name="Renamed", birth_date=birth_date, show_mature="on"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    # The error sits under the checkbox, saying why, and the checkbox names
    # it for a screen reader.
    assert re.search(
        r'<p class="field__error" role="alert" id="id_show_mature_error">'
        rf"[^<]*{error}",
        html,
    )
    assert 'aria-describedby="id_show_mature_helptext id_show_mature_error"' in html
    profile = Profile.objects.get(user=user)
    assert (profile.show_mature, profile.display_name, profile.birth_date) == (
        False,
        "Alice",
        None,
    )


@pytest.mark.parametrize("birth_date", [_years_ago(18), dt.date(1990, 5, 17)])
def test_an_adult_opts_in_and_discover_then_shows_mature_characters(
    user_client: Client,
    user: User,
    other_user: User,
    make_character: Callable[..., Character],
    birth_date: dt.date,
) -> None:
    make_character(other_user, "Grown-up Gale", mature=True)
    make_character(other_user, "Sunny Sam")
    page = user_client.get("/settings/profile/").content.decode()
    assert "Show mature (18+) characters" in page
    assert "Adults only" in page
    before = user_client.get("/discover/").content.decode()
    assert "Sunny Sam" in before and "Grown-up Gale" not in before
    response = user_client.post(
        "/settings/profile/",
        _profile_form(birth_date=birth_date.isoformat(), show_mature="on"),
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=user)
    assert profile.show_mature and profile.sees_mature
    assert "Grown-up Gale" in user_client.get("/discover/").content.decode()
    assert (
        'id="id_show_mature" checked'
        in user_client.get("/settings/profile/").content.decode()
    )
    # Turned off again (the box left empty): gone from Discover.
    user_client.post(
        "/settings/profile/", _profile_form(birth_date=birth_date.isoformat())
    )
    assert not Profile.objects.get(user=user).show_mature
    assert "Grown-up Gale" not in user_client.get("/discover/").content.decode()
