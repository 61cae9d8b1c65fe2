"""Whole-number query parameters, with the error a client can act on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import overload

# Larger than any offset, sequence number or page a client has reason to ask
# for, and small enough for every database's integer types (SQLite's and
# PostgreSQL's bigint overflow at 2**63).
LARGEST = 2**31 - 1


class BadParam(ValueError):
    """A query parameter that is not a whole number in its range; the message
    names it and says what it must be."""


@overload
def whole_number(
    params: Mapping[str, str],
    name: str,
    default: int,
    *,
    low: int = ...,
    high: int = ...,
) -> int: ...
@overload
def whole_number(
    params: Mapping[str, str],
    name: str,
    default: None,
    *,
    low: int = ...,
    high: int = ...,
) -> int | None: ...
def whole_number(
    params: Mapping[str, str],
    name: str,
    default: int | None,
    *,
    low: int = 0,
    high: int = LARGEST,
) -> int | None:
    """``params[name]`` as an int in ``low..high``, or ``default`` when absent
    or empty. Raises ``BadParam`` otherwise."""
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise BadParam(f"“{name}” must be a whole number from {low} to {high}.")
    return value
