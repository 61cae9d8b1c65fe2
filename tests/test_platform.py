"""Settings, health check, quick start and security headers."""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path

import pytest
from django.test import Client

from community.models import User
from tests.helpers import run_django, run_manage

PROD_ENV = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DATABASE_URL": "postgres://root@127.0.0.1:5432/kindred",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
    "DJANGO_ALLOWED_HOSTS": "kindred.example.com",
}

HEALTH = (
    "import json\nfrom django.test import Client\n"
    "r = Client(HTTP_HOST='localhost').get('/healthz', secure=True)\n"
    "print(r.status_code, r.content.decode())\n"
)


@pytest.mark.django_db
def test_healthz_reports_database_and_redis() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_503_when_database_unreachable() -> None:
    # Port 9 on loopback: nothing listens, the connection is refused at once.
    result = run_django(
        HEALTH,
        {
            **PROD_ENV,
            "DATABASE_URL": "postgres://root@127.0.0.1:9/kindred",
            "DJANGO_ALLOWED_HOSTS": "localhost",
        },
    )
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "503"
    assert json.loads(body) == {
        "status": "unavailable",
        "database": "down",
        "redis": "ok",
    }


@pytest.mark.django_db
def test_healthz_503_when_redis_unreachable(test_database_url: str) -> None:
    result = run_django(
        HEALTH,
        {
            **PROD_ENV,
            "DATABASE_URL": test_database_url,
            "REDIS_URL": "redis://127.0.0.1:9/0",
            "DJANGO_ALLOWED_HOSTS": "localhost",
        },
    )
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "503"
    assert json.loads(body) == {
        "status": "unavailable",
        "database": "ok",
        "redis": "down",
    }


def test_production_settings_require_secret_key() -> None:
    env = {k: v for k, v in PROD_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = run_django("print('started')", env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr
    assert "started" not in result.stdout


def test_check_deploy_is_clean_with_production_settings() -> None:
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_quick_start_on_sqlite(tmp_path: Path) -> None:
    """`make run`'s path: no DATABASE_URL, no REDIS_URL, DEBUG on."""
    env = {
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'quick.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    assert run_manage("migrate", "--noinput", env=env).returncode == 0
    first = run_manage("seed_demo", env=env)
    assert first.returncode == 0, first.stderr
    second = run_manage("seed_demo", env=env)
    assert second.returncode == 0, second.stderr
    assert "already there" in second.stdout
    result = run_django(
        "from django.test import Client\n"
        "from django.conf import settings\n"
        "from community.models import User\n"
        "c = Client(HTTP_HOST='127.0.0.1')\n"
        "print(settings.DATABASES['default']['ENGINE'], settings.CHANNEL_LAYERS['default']['BACKEND'])\n"
        "from characters.models import Character\n"
        "print(c.get('/').status_code, User.objects.filter(email='demo@example.com').count(), Character.objects.filter(published_version__isnull=False).count() >= 30)\n"
        "print(c.login(email='demo@example.com', password='kindred-demo'))\n"
        # Search on SQLite matches a description only where the definition is
        # shown, as on PostgreSQL (it told a hidden one word by word).
        "from characters.services import Settings, character_create\n"
        "u = User.objects.get(email='demo@example.com')\n"
        "for name, shown in (('Veiled', False), ('Open', True)):\n"
        "    character_create(owner=u, data={'name': name, 'description': 'zanzibarword',"
        " 'first_mes': 'Hi.'}, switches=Settings(definition_visible=shown), publish=True)\n"
        "print([r['name'] for r in c.get('/api/v1/characters/?q=zanzibarword').json()['results']])\n"
        "print(settings.MAILERS['default']['BACKEND'])\n",
        env,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    engine_line, home_line, login_line, search_line, mail_line = lines[-5:]
    assert search_line == "['Open']"
    assert mail_line == "config.mail.ReadableConsoleBackend"  # links printed whole
    assert (
        engine_line == "django.db.backends.sqlite3 channels.layers.InMemoryChannelLayer"
    )
    assert home_line == "200 1 True"
    assert login_line == "True"


@pytest.mark.django_db
def test_pages_satisfy_the_content_security_policy(user_client: Client) -> None:
    for path in [
        "/",
        "/accounts/login/",
        "/settings/profile/",
        "/settings/tokens/",
        "/@alice",
    ]:
        client = Client() if path in ("/", "/accounts/login/") else user_client
        response = client.get(path)
        assert response.status_code == 200, path
        policy = response["Content-Security-Policy"]
        nonce = re.search(r"'nonce-([^']+)'", policy)
        assert nonce and "script-src 'self' 'nonce-" in policy
        assert "unsafe-inline" not in policy
        html = response.content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, f"inline script on {path}: {tag}"
            assert f'nonce="{nonce.group(1)}"' in tag, tag
        assert not re.search(r"\sstyle=", html), f"inline style attribute on {path}"
        assert not re.search(r"\son[a-z]+=", html), f"inline event handler on {path}"


@pytest.mark.django_db
def test_404_page_is_friendly() -> None:
    response = Client().get("/no/such/page/")
    assert response.status_code == 404
    assert b"find that page" in response.content
    assert b"Go home" in response.content


@pytest.mark.django_db
def test_a_failed_csrf_check_explains_itself_in_the_sites_layout(
    user: User, user_client: Client
) -> None:
    """A form sent after its session expired (no valid CSRF token) gets the
    site's page saying what to do, not Django's technical one."""
    client = Client(enforce_csrf_checks=True)
    client.cookies = user_client.cookies
    response = client.post("/settings/profile/", {"display_name": "Mallory"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "<title>Please try again · Kindred</title>" in html
    assert 'class="topbar"' in html
    assert "Go back, reload the page and try again." in html
    assert "CSRF verification failed" not in html
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, tag
    user.profile.refresh_from_db()
    assert user.profile.display_name != "Mallory"


@pytest.mark.django_db
def test_admin_is_for_staff_only(user_client: Client, staff_user) -> None:
    assert user_client.get("/admin/").status_code == 302
    staff = Client()
    staff_user.is_superuser = True
    staff_user.save()
    staff.force_login(staff_user)
    assert staff.get("/admin/").status_code == 200
    assert staff.get("/admin/community/user/").status_code == 200


@pytest.mark.django_db
def test_home_welcomes_visitors_and_sends_members_to_discover(
    user_client: Client,
) -> None:
    page = Client().get("/")
    assert page.status_code == 200 and "Create your account" in page.content.decode()
    member = user_client.get("/")
    assert member.status_code == 302 and member["Location"] == "/discover/"


@pytest.mark.django_db
def test_every_aria_reference_points_at_something(user_client: Client) -> None:
    """Help texts and errors that fields name in aria-describedby exist, so a
    screen reader reads them (a shared field template once left out the id)."""
    from community.models import Board

    board = Board.objects.first()
    pages = ["/create/", "/settings/profile/", "/settings/tokens/", "/chats/personas/"]
    if board is not None:
        pages.append(f"/community/b/{board.slug}/post/")
    checked = 0
    for path in pages:
        html = user_client.get(path).content.decode()
        ids = set(re.findall(r'\sid="([^"]+)"', html))
        for refs in re.findall(r'aria-describedby="([^"]+)"', html):
            for ref in refs.split():
                assert ref in ids, f"{path}: aria-describedby={ref} names nothing"
                checked += 1
    assert checked >= 5


@pytest.mark.django_db
def test_unread_counts_have_words_for_screen_readers(user_client: Client) -> None:
    """The account menu was announced "Account menu 3": each unread badge's
    number is for the eye (aria-hidden), and a visually hidden text says it in
    words, "3 unread notifications" ("3 unread" after "Notifications");
    kindred.js sets both from the socket."""
    html = user_client.get("/discover/").content.decode()
    badges = re.findall(r"<span [^>]*data-unread-badge[^>]*>(.*?)</span></span>", html)
    assert len(badges) == 2
    menu, link = badges
    for badge, one, many in (
        (menu, "unread notification", "unread notifications"),
        (link, "unread", "unread"),
    ):
        assert '<span aria-hidden="true" data-unread-number>0</span>' in badge
        assert (
            f'<span class="visually-hidden" data-unread-words data-one="{one}"'
            f' data-many="{many}">0 {many}'
        ) in badge
    assert re.search(r">Notifications <span [^>]*data-unread-badge", html)


@pytest.mark.django_db
def test_every_page_opens_with_its_one_h1(
    user_client: Client, published_character
) -> None:
    """Screen-reader users jump by headings: each page has one h1 and no
    heading comes before it (the boards sidebar's title was an h2 that did)."""
    from chat.services import conversation_start
    from community.models import Board

    board = Board.objects.first()
    conversation = conversation_start(
        user=published_character.owner, character=published_character
    )
    slug = published_character.slug
    pages = [
        "/discover/",
        "/create/",
        "/create/import/",
        "/studio/",
        f"/c/{slug}/",
        f"/c/{slug}/edit/",
        f"/c/{slug}/versions/",
        "/chats/",
        "/chats/personas/",
        f"/chats/{conversation.pk}/",
        "/@alice",
        "/settings/profile/",
        "/settings/tokens/",
        "/community/",
        f"/community/c/{slug}/",
        "/community/notifications/",
        "/pricing/",
        "/creators/alice/earnings/",
    ]
    if board is not None:
        pages += [f"/community/b/{board.slug}/", f"/community/b/{board.slug}/post/"]
    for path in pages:
        response = user_client.get(path)
        assert response.status_code == 200, path
        headings = re.findall(r"<h([1-6])\b", response.content.decode())
        assert headings.count("1") == 1, f"{path}: {headings.count('1')} h1"
        assert headings[0] == "1", f"{path}: h{headings[0]} before the h1"
