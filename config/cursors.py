"""Keyset page cursors: opaque tokens that carry the last row's sort key and
id, tagged with the listing they belong to (a cursor of another sort or list
is refused, not misread)."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

from django.utils.dateparse import parse_datetime

INVALID = "The cursor is not valid; start again from the first page."


class BadCursor(ValueError):
    """A page cursor this server did not make; the message is for the user."""


def cursor_encode(tag: str, key: object, pk: int) -> str:
    if isinstance(key, dt.datetime):
        key = key.isoformat()
    raw = json.dumps([tag, key, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(
    cursor: str,
    tag: str,
    *,
    when: bool,
    nullable: bool = False,
    mismatch: str = INVALID,
) -> tuple[Any, int]:
    """``(key, pk)`` of a cursor made by ``cursor_encode`` with ``tag``: the
    key a datetime (``when``) or a number, or None where the sort key may be
    NULL (``nullable``). Raises ``BadCursor``; ``mismatch`` is the message
    for a cursor of another tag."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        got, key, pk = json.loads(raw)
    except (ValueError, TypeError) as exc:
        raise BadCursor(INVALID) from exc
    if got != tag or not isinstance(pk, int):
        raise BadCursor(mismatch)
    if key is None and nullable:
        return None, pk
    if when:
        parsed = parse_datetime(key) if isinstance(key, str) else None
        if parsed is None:
            raise BadCursor(INVALID)
        return parsed, pk
    if isinstance(key, bool) or not isinstance(key, int | float):
        raise BadCursor(INVALID)
    return key, pk
