"""This app's part of `seed_demo` (idempotent)."""

from __future__ import annotations


def seed() -> list[str]:
    return []
