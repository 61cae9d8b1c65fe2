"""Two versions of a character, compared field by field for the history page.

The result is data, not markup: the template lays each change out as two
labelled sides — side by side on a wide screen, the old above the new on a
phone — where a table of four narrow columns wrapped every few characters."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from typing import Any

CONTEXT = 2  # unchanged lines shown around a change


@dataclass(frozen=True)
class Segment:
    text: str
    changed: bool  # differs from the other side (within a changed line)


@dataclass(frozen=True)
class Line:
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Part:
    """Unchanged lines (``same``), or a change: ``old`` lines replaced by
    ``new`` ones (either may be empty: an addition, a removal)."""

    same: tuple[str, ...] = ()
    old: tuple[Line, ...] = ()
    new: tuple[Line, ...] = ()


@dataclass(frozen=True)
class Hunk:
    fields: tuple[str, ...]  # the fields its changes are in, in order
    parts: tuple[Part, ...]


def _lines(data: dict[str, Any], meta: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, line) pairs, field by field, texts as their own lines (a JSON
    dump showed greetings as one line full of \\r\\n)."""
    out: list[tuple[str, str]] = []
    for key, value in sorted({**data, "kindred": meta}.items()):
        if value in ("", [], {}, None):
            continue
        out.append((key, f"{key}:"))
        if isinstance(value, str):
            text = value.replace("\r\n", "\n").replace("\r", "\n")
            out += [(key, f"  {line}") for line in text.split("\n")]
        else:
            dump = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)
            out += [(key, f"  {line}") for line in dump.splitlines()]
    return out


# Words (with their hyphens and apostrophes: "salt-stained", "Gull's"),
# runs of space, and single other characters.
_TOKEN = re.compile(r"\s+|\w+(?:[-'’]\w+)*|[^\w\s]")


def _words(old: str, new: str) -> tuple[Line, Line]:
    """A changed line and its replacement, the differing words marked."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    left: list[Segment] = []
    right: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        changed = tag != "equal"
        if i2 > i1:
            left.append(Segment("".join(a[i1:i2]), changed))
        if j2 > j1:
            right.append(Segment("".join(b[j1:j2]), changed))
    return Line(tuple(left)), Line(tuple(right))


def _whole(text: str) -> Line:
    """A line only one side has: its side's colour says so, no word marks."""
    return Line((Segment(text, False),))


def version_diff(
    old_data: dict[str, Any],
    old_meta: dict[str, Any],
    new_data: dict[str, Any],
    new_meta: dict[str, Any],
) -> list[Hunk]:
    """The changes from one version to another, with ``CONTEXT`` unchanged
    lines around each; empty when the two are the same."""
    old, new = _lines(old_data, old_meta), _lines(new_data, new_meta)
    a, b = [text for _, text in old], [text for _, text in new]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    hunks = []
    for group in matcher.get_grouped_opcodes(CONTEXT):
        parts: list[Part] = []
        fields: list[str] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                parts.append(Part(same=tuple(a[i1:i2])))
                continue
            for field, _ in old[i1:i2] + new[j1:j2]:
                if field not in fields:
                    fields.append(field)
            paired = min(i2 - i1, j2 - j1)
            pairs = [_words(a[i1 + k], b[j1 + k]) for k in range(paired)]
            parts.append(
                Part(
                    old=tuple(p[0] for p in pairs)
                    + tuple(_whole(t) for t in a[i1 + paired : i2]),
                    new=tuple(p[1] for p in pairs)
                    + tuple(_whole(t) for t in b[j1 + paired : j2]),
                )
            )
        hunks.append(Hunk(fields=tuple(fields), parts=tuple(parts)))
    return hunks
