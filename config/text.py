"""Text users send: what PostgreSQL cannot store, and what nobody can see.

What JSON and HTML forms let through but PostgreSQL cannot store:
``text`` and ``jsonb`` refuse NUL characters, and no UTF-8 column takes a lone
UTF-16 surrogate (``"\\ud800"`` parses as JSON). Left unchecked, either
reaches the database as a ``DataError`` — a 500 for the user, or a dead
socket handler — instead of an error that names the field. Django's form
fields and DRF's ``CharField`` refuse NUL themselves; free-form JSON (card
definitions, API bodies, socket frames) goes through here.
"""

from __future__ import annotations

import math
import unicodedata

MAX_DEPTH = 64


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored, as a noun phrase, or None."""
    if "\x00" in text:
        return "a NUL character (\\u0000)"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "a broken character (a lone UTF-16 surrogate)"
    return None


def value_problem(
    value: object, where: str, *, max_depth: int = MAX_DEPTH, _depth: int = 0
) -> str | None:
    """Why a parsed JSON ``value`` cannot be stored, naming the place (``where``
    and the keys and indexes below it), or None. Completes "… has …"."""
    if _depth > max_depth:
        return f"objects nested more than {max_depth} levels deep at {where}"
    if isinstance(value, str):
        problem = text_problem(value)
        return f"{problem} in {where}" if problem else None
    if isinstance(value, float) and not math.isfinite(value):
        return f"a number that is too large at {where}"
    if isinstance(value, dict):
        for key, item in value.items():
            problem = text_problem(str(key))
            if problem:
                return f"{problem} in a key of {where}"
            found = value_problem(
                item, f"{where}.{key}", max_depth=max_depth, _depth=_depth + 1
            )
            if found:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = value_problem(
                item, f"{where}[{i}]", max_depth=max_depth, _depth=_depth + 1
            )
            if found:
                return found
    return None


# Characters that draw nothing although Unicode does not call them spaces: the
# Braille blank and the Hangul fillers (used for "empty" names on other sites),
# the combining grapheme joiner, the Mongolian vowel separator.
_BLANKS = frozenset("\u2800\u3164\u115f\u1160\uffa0\u034f\u180e")
# Format and control characters (zero-width spaces and joiners, soft hyphen,
# BOM, direction marks), separators, and marks that only combine with others.
_INVISIBLE_CATEGORIES = frozenset(
    {"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"}
)


def looks_blank(text: str) -> bool:
    """True when ``text`` would show nothing: only spaces, zero-width and
    format characters, fillers. ``str.strip`` keeps ``"\u200b"``; a name
    made of it renders as nothing."""
    return not any(
        ch not in _BLANKS and unicodedata.category(ch) not in _INVISIBLE_CATEGORIES
        for ch in text
    )
