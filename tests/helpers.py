"""Helpers for tests that run the project in a child process with its own
environment (settings are read once per process)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_KEEP = ("PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "TMPDIR", "SYSTEMROOT")


def run_django(
    code: str, env: dict[str, str], *, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` after ``django.setup()`` with exactly ``env`` (plus PATH/HOME)."""
    full_env = {k: v for k, v in os.environ.items() if k in _KEEP}
    full_env.update(env)
    full_env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    script = "import django\ndjango.setup()\n" + code
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_manage(
    *args: str, env: dict[str, str], timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k in _KEEP}
    full_env.update(env)
    full_env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
