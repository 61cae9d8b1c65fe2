"""``import_card`` and ``export_card`` run as real processes: exit codes, the slug
on the last line, messages on stderr, nothing saved on failure."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from characters.models import Character
from community.models import User
from tests.characters.cardkit import (
    V2_CARD,
    V3_CARD,
    card_from_png,
    png_card,
    with_kindred,
)
from tests.helpers import run_manage

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def env(test_database_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": test_database_url,
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1"),
        "CACHE_PREFIX": os.environ.get("CACHE_PREFIX", "kindred-test"),
        "CHANNELS_PREFIX": os.environ.get("CHANNELS_PREFIX", "kindred-test"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }


def test_import_then_export_on_the_command_line(
    env: dict[str, str], user: User, tmp_path: Path
) -> None:
    card = tmp_path / "keeper.png"
    card.write_bytes(png_card(ccv3=V3_CARD, chara=V2_CARD))
    result = run_manage(
        "import_card", str(card), "--owner", "@alice", "--publish", env=env
    )
    assert result.returncode == 0, result.stderr
    slug = result.stdout.strip().splitlines()[-1]
    character = Character.objects.get(slug=slug)
    assert character.owner == user and character.is_published
    assert character.name == "Lantern Keeper V3"

    for fmt in ("v2", "v3", "png"):
        out = tmp_path / f"out.{fmt}"
        result = run_manage(
            "export_card", slug, "--format", fmt, "--out", str(out), env=env
        )
        assert result.returncode == 0, result.stderr
        raw = out.read_bytes()
        exported = card_from_png(raw, "ccv3") if fmt == "png" else json.loads(raw)
        if fmt != "v2":
            assert exported == with_kindred(V3_CARD)


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (b"{broken", ["--owner", "alice"], "keeper.json: The file is not valid JSON"),
        (
            json.dumps({"spec": "chara_card_v5", "data": {}}).encode(),
            ["--owner", "alice"],
            "Unsupported card spec “chara_card_v5”",
        ),
        (
            json.dumps(V2_CARD).encode(),
            ["--owner", "nobody"],
            "No active user with the handle @nobody",
        ),
    ],
    ids=["invalid-json", "wrong-spec", "unknown-owner"],
)
def test_import_errors_exit_non_zero_with_the_message_on_stderr(
    env: dict[str, str],
    user: User,
    tmp_path: Path,
    content: bytes,
    args: list[str],
    message: str,
) -> None:
    card = tmp_path / "keeper.json"
    card.write_bytes(content)
    result = run_manage("import_card", str(card), *args, env=env)
    assert result.returncode != 0
    assert message in result.stderr
    assert result.stdout == ""
    assert Character.objects.count() == 0


def test_import_of_a_missing_file_and_export_of_an_unknown_slug(
    env: dict[str, str], user: User, tmp_path: Path
) -> None:
    result = run_manage(
        "import_card", str(tmp_path / "nope.png"), "--owner", "alice", env=env
    )
    assert result.returncode != 0 and "Cannot read" in result.stderr
    result = run_manage(
        "export_card",
        "no-such-slug",
        "--format",
        "v2",
        "--out",
        str(tmp_path / "x"),
        env=env,
    )
    assert result.returncode != 0
    assert "No character with the slug “no-such-slug”" in result.stderr
    assert not (tmp_path / "x").exists()
    result = run_manage("export_card", "x", "--format", "docx", "--out", "-", env=env)
    assert result.returncode != 0 and "invalid choice: 'docx'" in result.stderr
