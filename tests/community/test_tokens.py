from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from rest_framework.test import APIClient

from community.models import AccessToken, User
from community.services import token_create, token_revoke

pytestmark = pytest.mark.django_db


def _api(secret: str | None = None, header: str | None = None) -> APIClient:
    client = APIClient()
    if header is not None:
        client.credentials(HTTP_AUTHORIZATION=header)
    elif secret is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_valid_token_authenticates(user: User) -> None:
    new = token_create(user=user, name="bot")
    response = _api(new.secret).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["handle"] == "alice"
    new.token.refresh_from_db()
    assert new.token.last_used_at is not None


def test_revoked_token_is_401(user: User) -> None:
    new = token_create(user=user, name="bot")
    token_revoke(token=new.token)
    response = _api(new.secret).get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json() == {
        "error": "This access token has been revoked.",
        "fields": {},
        "code": "authentication_failed",
    }
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer not-a-token", "Bearer kdr_short", "Bearer kdr_" + "x" * 43],
)
def test_malformed_or_unknown_token_is_401(user: User, header: str) -> None:
    response = _api(header=header).get("/api/v1/me/")
    assert response.status_code == 401


def test_no_credentials_is_401() -> None:
    assert _api().get("/api/v1/me/").status_code == 401


def test_only_a_hash_is_stored(user: User) -> None:
    new = token_create(user=user, name="bot")
    row = AccessToken.objects.get(pk=new.token.pk)
    assert new.secret not in {row.digest, row.prefix, row.name}
    assert len(row.digest) == 64


def test_settings_page_creates_shows_once_and_revokes(
    user_client: Client, user: User
) -> None:
    response = user_client.post("/settings/tokens/", {"name": "Discord bot"})
    # Post/redirect/get: the page showing the secret is a GET, so reloading
    # it sends no form again (it made a second token).
    assert (response.status_code, response["Location"]) == (302, "/settings/tokens/")
    page = user_client.get("/settings/tokens/")
    html = page.content.decode()
    secret = re.search(
        r'id="new-token" type="text" readonly value="(kdr_[\w-]+)"', html
    )
    assert secret
    assert 'data-copy="#new-token">Copy</button>' in html
    assert "no-store" in page["Cache-Control"]
    assert _api(secret.group(1)).get("/api/v1/me/").status_code == 200
    # Shown once: a reload no longer contains it, and made no token.
    again = user_client.get("/settings/tokens/").content.decode()
    assert secret.group(1) not in again and "Your new token" not in again
    token = AccessToken.objects.get(user=user)
    response = user_client.post(f"/settings/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert _api(secret.group(1)).get("/api/v1/me/").status_code == 401


def test_settings_page_refuses_empty_name(user_client: Client, user: User) -> None:
    response = user_client.post("/settings/tokens/", {"name": "   "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not AccessToken.objects.filter(user=user).exists()
    assert "Your new token" not in user_client.get("/settings/tokens/").content.decode()


def test_cannot_revoke_someone_elses_token(
    user_client: Client, other_user: User
) -> None:
    theirs = token_create(user=other_user, name="theirs")
    response = user_client.post(f"/settings/tokens/{theirs.token.pk}/revoke/")
    assert response.status_code == 404
    theirs.token.refresh_from_db()
    assert theirs.token.revoked_at is None


def test_create_token_command_prints_token_last(
    user: User, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("create_token", "@alice", "--name", "ops")
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1].startswith("kdr_")
    assert _api(out[-1]).get("/api/v1/me/").status_code == 200
    assert AccessToken.objects.get(user=user).name == "ops"


def test_create_token_command_unknown_handle() -> None:
    with pytest.raises(CommandError, match="No active user with the handle @ghost"):
        call_command("create_token", "ghost")
