"""A character's definition: Character Card V3 ``data``, validated.

One canonical shape for the studio, the API and card import: a dict with the V3
``data`` keys. ``definition_clean`` checks types and Kindred's limits and returns a
normalised copy; every problem is reported as ``ValidationError`` keyed by field
with a message that names it. Unknown keys inside ``extensions`` (and unknown
top-level keys, which some tools write) are kept verbatim.
"""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError

from config.text import looks_blank, value_problem

PROMPT_BUDGET = 32_000  # Character.AI's definition limit, over the prompt-facing text
MAX_TAGS = 20
MAX_TAG_LENGTH = 32
MAX_LOREBOOK_ENTRIES = 200
MAX_NAME = 100
MAX_NOTES = 10_000

# Prompt-facing text fields: together at most PROMPT_BUDGET characters.
PROMPT_TEXT_FIELDS = (
    "description",
    "personality",
    "scenario",
    "first_mes",
    "mes_example",
    "system_prompt",
    "post_history_instructions",
)
PROMPT_LIST_FIELDS = ("alternate_greetings", "group_only_greetings")
# Every field that reveals how the character is prompted (hidden when the
# definition is not visible to others).
PROMPT_FIELDS = (*PROMPT_TEXT_FIELDS, *PROMPT_LIST_FIELDS, "character_book")

STRING_FIELDS = (
    "name",
    "nickname",
    *PROMPT_TEXT_FIELDS,
    "creator_notes",
    "creator",
    "character_version",
)
STRING_LIST_FIELDS = (*PROMPT_LIST_FIELDS, "tags", "source")

FIELD_LABELS = {
    "name": "Name",
    "nickname": "Nickname",
    "description": "Description",
    "personality": "Personality",
    "scenario": "Scenario",
    "first_mes": "Greeting",
    "mes_example": "Example dialogues",
    "system_prompt": "System prompt",
    "post_history_instructions": "Post-history instructions",
    "alternate_greetings": "Alternate greetings",
    "group_only_greetings": "Group-only greetings",
    "creator_notes": "Creator notes",
    "tags": "Tags",
    "character_book": "Lorebook",
}

# Lorebook entry fields and their types (V2 + V3). Unknown keys are kept.
_ENTRY_TYPES: dict[str, type | tuple[type, ...]] = {
    "keys": list,
    "content": str,
    "extensions": dict,
    "enabled": bool,
    "insertion_order": (int, float),
    "case_sensitive": bool,
    "name": str,
    "priority": (int, float),
    "id": (int, str),
    "comment": str,
    "selective": bool,
    "secondary_keys": list,
    "constant": bool,
    "position": str,
    "use_regex": bool,
}
_BOOK_TYPES: dict[str, type | tuple[type, ...]] = {
    "name": str,
    "description": str,
    "scan_depth": int,
    "token_budget": int,
    "recursive_scanning": bool,
    "extensions": dict,
    "entries": list,
}


def definition_empty(name: str = "") -> dict[str, Any]:
    return {
        "name": name,
        "nickname": "",
        "description": "",
        "personality": "",
        "scenario": "",
        "first_mes": "",
        "mes_example": "",
        "creator_notes": "",
        "system_prompt": "",
        "post_history_instructions": "",
        "alternate_greetings": [],
        "group_only_greetings": [],
        "tags": [],
        "creator": "",
        "character_version": "",
        "extensions": {},
    }


def prompt_length(data: dict[str, Any]) -> int:
    """Characters of prompt-facing text, counted against PROMPT_BUDGET."""
    total = sum(len(data.get(f) or "") for f in PROMPT_TEXT_FIELDS)
    total += sum(len(g) for f in PROMPT_LIST_FIELDS for g in data.get(f) or [])
    return total


def _type_name(value: object) -> str:
    return {
        str: "text",
        int: "a number",
        float: "a number",
        bool: "true/false",
        list: "a list",
        dict: "an object",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _clean_book(book: object, errors: dict[str, list[str]]) -> dict[str, Any] | None:
    if book is None:
        return None
    if not isinstance(book, dict):
        errors.setdefault("character_book", []).append(
            f"Lorebook must be an object, not {_type_name(book)}."
        )
        return None
    out = copy.deepcopy(book)
    for key, expected in _BOOK_TYPES.items():
        if key in out and out[key] is not None and not isinstance(out[key], expected):
            errors.setdefault("character_book", []).append(
                f"Lorebook field “{key}” must be {_type_name(expected() if isinstance(expected, type) else 0)}, not {_type_name(out[key])}."
            )
    out.setdefault("extensions", {})
    entries = out.get("entries")
    if entries is None:
        out["entries"] = entries = []
    if not isinstance(entries, list):
        return out
    if len(entries) > MAX_LOREBOOK_ENTRIES:
        errors.setdefault("character_book", []).append(
            f"A lorebook has at most {MAX_LOREBOOK_ENTRIES} entries; this one has {len(entries)}."
        )
    for i, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            errors.setdefault("character_book", []).append(
                f"Lorebook entry {i} must be an object, not {_type_name(entry)}."
            )
            continue
        for required in ("keys", "content"):
            if required not in entry:
                errors.setdefault("character_book", []).append(
                    f"Lorebook entry {i} is missing “{required}”."
                )
        for key, expected in _ENTRY_TYPES.items():
            value = entry.get(key)
            if value is None or key not in entry:
                continue
            if isinstance(value, bool) and expected in ((int, float), (int, str)):
                ok = False
            else:
                ok = isinstance(value, expected)
            if not ok:
                errors.setdefault("character_book", []).append(
                    f"Lorebook entry {i}: “{key}” has the wrong type ({_type_name(value)})."
                )
        for key in ("keys", "secondary_keys"):
            value = entry.get(key)
            if isinstance(value, list) and not all(isinstance(k, str) for k in value):
                errors.setdefault("character_book", []).append(
                    f"Lorebook entry {i}: every one of “{key}” must be text."
                )
        entry.setdefault("extensions", {})
        entry.setdefault("enabled", True)
        entry.setdefault("insertion_order", i)
    return out


def definition_clean(data: object) -> dict[str, Any]:
    """Validate and normalise a definition; raise ``ValidationError`` per field."""
    if not isinstance(data, dict):
        raise ValidationError(
            {"data": [f"A definition must be an object, not {_type_name(data)}."]}
        )
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = copy.deepcopy(data)

    for field in STRING_FIELDS:
        value = out.get(field)
        if value is None:
            out[field] = ""
        elif not isinstance(value, str):
            errors.setdefault(field, []).append(
                f"{FIELD_LABELS.get(field, field)} must be text, not {_type_name(value)}."
            )
    for field in STRING_LIST_FIELDS:
        value = out.get(field)
        if value is None:
            out[field] = []
        elif not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            errors.setdefault(field, []).append(
                f"{FIELD_LABELS.get(field, field)} must be a list of text."
            )
    if not isinstance(out.get("extensions", {}), dict):
        errors.setdefault("extensions", []).append("Extensions must be an object.")
    out.setdefault("extensions", {})
    if "creator_notes_multilingual" in out and not (
        isinstance(out["creator_notes_multilingual"], dict)
        and all(isinstance(v, str) for v in out["creator_notes_multilingual"].values())
    ):
        errors.setdefault("creator_notes", []).append(
            "creator_notes_multilingual must map language codes to text."
        )
    if "assets" in out and not (
        isinstance(out["assets"], list)
        and all(isinstance(a, dict) for a in out["assets"])
    ):
        errors.setdefault("assets", []).append("Assets must be a list of objects.")
    for date_field in ("creation_date", "modification_date"):
        if (
            date_field in out
            and out[date_field] is not None
            and (
                isinstance(out[date_field], bool)
                or not isinstance(out[date_field], int | float)
            )
        ):
            errors.setdefault(date_field, []).append(
                f"{date_field} must be a Unix time in seconds."
            )

    problem = value_problem(out, "the definition")
    if problem:
        errors.setdefault("definition", []).append(f"The definition has {problem}.")

    if errors:  # type problems first: the length checks below assume the types
        raise ValidationError(errors)

    name = out["name"].strip()
    if looks_blank(name):
        errors.setdefault("name", []).append("Name is required.")
    elif len(name) > MAX_NAME:
        errors.setdefault("name", []).append(
            f"Name is {len(name)} characters; the limit is {MAX_NAME}."
        )
    out["name"] = name
    if len(out["creator_notes"]) > MAX_NOTES:
        errors.setdefault("creator_notes", []).append(
            f"Creator notes are {len(out['creator_notes']):,} characters; the limit is {MAX_NOTES:,}."
        )

    used = prompt_length(out)
    if used > PROMPT_BUDGET:
        errors.setdefault("definition", []).append(
            f"The prompt-facing text (description, personality, scenario, greetings, "
            f"example dialogues, system prompt, post-history instructions) is {used:,} "
            f"characters; the limit is {PROMPT_BUDGET:,}."
        )

    tags: list[str] = []
    for raw in out["tags"]:
        tag = " ".join(raw.split()).lower()
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            errors.setdefault("tags", []).append(
                f"Tag “{tag[:40]}…” is {len(tag)} characters; the limit is {MAX_TAG_LENGTH}."
            )
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        errors.setdefault("tags", []).append(
            f"{len(tags)} tags; the limit is {MAX_TAGS}."
        )
    out["tags"] = tags

    book = _clean_book(out.get("character_book"), errors)
    if book is None:
        out.pop("character_book", None)
    else:
        out["character_book"] = book

    if errors:
        raise ValidationError(errors)
    return out


def definition_public(
    data: dict[str, Any], *, definition_visible: bool
) -> dict[str, Any]:
    """What others may see: without prompt-facing fields when they are hidden."""
    if definition_visible:
        return data
    return {k: v for k, v in data.items() if k not in PROMPT_FIELDS or k == "first_mes"}
