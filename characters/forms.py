"""The creator studio form: the definition's fields, Kindred's fields and the
lorebook entries. ``to_definition`` overlays the form on the character's current
definition, so keys the form does not show (unknown extensions, lorebook entry
fields such as ``extensions`` or decorators, V3 assets) survive an edit."""

from __future__ import annotations

import copy
import re
from typing import Any

from django import forms

from characters.definition import MAX_LOREBOOK_ENTRIES
from characters.models import Category, ContentRating, Style, Visibility

GREETING_SEPARATOR = re.compile(r"^\s*---\s*$", re.MULTILINE)


def split_greetings(text: str) -> list[str]:
    return [g.strip() for g in GREETING_SEPARATOR.split(text or "") if g.strip()]


def join_greetings(items: list[str]) -> str:
    return "\n---\n".join(items)


def split_list(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


_textarea = forms.Textarea


class CharacterForm(forms.Form):
    name = forms.CharField(max_length=200)
    nickname = forms.CharField(
        max_length=100, required=False, help_text="Used for {{char}} when set."
    )
    tagline = forms.CharField(
        max_length=200,  # the service says what is wrong past 50 (no silent cut)
        required=False,
        help_text="Up to 50 characters, shown in listings.",
        widget=forms.TextInput(attrs={"data-max-chars": "50"}),
    )
    avatar = forms.FileField(
        required=False, help_text="PNG, JPEG or WebP, up to 5 MB and 4096×4096."
    )
    category = forms.ChoiceField(choices=Category.choices)
    style = forms.ChoiceField(choices=Style.choices)
    language = forms.CharField(max_length=12, initial="en")
    content_rating = forms.ChoiceField(choices=ContentRating.choices)
    visibility = forms.ChoiceField(choices=Visibility.choices)
    definition_visible = forms.BooleanField(
        required=False, label="Definition visible to others"
    )
    remix_allowed = forms.BooleanField(required=False, label="Allow remixing")

    description = forms.CharField(
        required=False, widget=_textarea(attrs={"rows": 6, "data-budget": ""})
    )
    personality = forms.CharField(
        required=False, widget=_textarea(attrs={"rows": 3, "data-budget": ""})
    )
    scenario = forms.CharField(
        required=False, widget=_textarea(attrs={"rows": 3, "data-budget": ""})
    )
    first_mes = forms.CharField(
        label="Greeting",
        required=False,
        widget=_textarea(attrs={"rows": 4, "data-budget": "", "data-preview": ""}),
    )
    alternate_greetings = forms.CharField(
        required=False,
        help_text="Offered as swipes of the first message. Separate greetings with a line containing only ---.",
        widget=_textarea(attrs={"rows": 3, "data-budget": ""}),
    )
    group_only_greetings = forms.CharField(
        required=False,
        help_text="Used only in group rooms. Separate with ---.",
        widget=_textarea(attrs={"rows": 2, "data-budget": ""}),
    )
    mes_example = forms.CharField(
        label="Example dialogues",
        required=False,
        help_text="Blocks start with <START>; write lines as {{user}}: … and {{char}}: …",
        widget=_textarea(attrs={"rows": 6, "data-budget": ""}),
    )
    system_prompt = forms.CharField(
        required=False,
        help_text="Replaces Kindred's default system prompt. Leave empty for the default.",
        widget=_textarea(attrs={"rows": 3, "data-budget": ""}),
    )
    post_history_instructions = forms.CharField(
        required=False,
        help_text="Sent after the chat history on every turn.",
        widget=_textarea(attrs={"rows": 2, "data-budget": ""}),
    )
    creator_notes = forms.CharField(
        required=False,
        help_text="Shown to people, never sent to the model.",
        widget=_textarea(attrs={"rows": 3}),
    )
    tags = forms.CharField(required=False, help_text="Comma-separated, up to 20.")
    character_version = forms.CharField(
        max_length=40, required=False, label="Version label"
    )

    lorebook_scan_depth = forms.IntegerField(
        required=False, min_value=1, max_value=100, label="Scan depth"
    )
    lorebook_token_budget = forms.IntegerField(
        required=False, min_value=1, max_value=32000, label="Token budget"
    )
    lorebook_recursive = forms.BooleanField(required=False, label="Recursive scanning")

    publish_note = forms.CharField(
        max_length=200, required=False, label="What changed (for the version history)"
    )

    TEXT_FIELDS = (
        "name", "nickname", "description", "personality", "scenario", "first_mes",
        "mes_example", "system_prompt", "post_history_instructions", "creator_notes",
        "character_version",
    )  # fmt: skip

    @classmethod
    def initial_from(
        cls, data: dict[str, Any], meta: dict[str, str], switches: dict[str, Any]
    ) -> dict[str, Any]:
        initial: dict[str, Any] = {f: data.get(f, "") for f in cls.TEXT_FIELDS}
        initial["alternate_greetings"] = join_greetings(
            data.get("alternate_greetings", [])
        )
        initial["group_only_greetings"] = join_greetings(
            data.get("group_only_greetings", [])
        )
        initial["tags"] = ", ".join(data.get("tags", []))
        book = data.get("character_book") or {}
        initial["lorebook_scan_depth"] = book.get("scan_depth")
        initial["lorebook_token_budget"] = book.get("token_budget")
        initial["lorebook_recursive"] = bool(book.get("recursive_scanning"))
        initial.update(meta)
        initial.update(switches)
        return initial

    def to_definition(
        self, base: dict[str, Any], entries: list[dict[str, Any]]
    ) -> dict[str, Any]:
        cd = self.cleaned_data
        data = copy.deepcopy(base)
        for f in self.TEXT_FIELDS:
            data[f] = cd.get(f) or ""
        data["alternate_greetings"] = split_greetings(cd.get("alternate_greetings", ""))
        data["group_only_greetings"] = split_greetings(
            cd.get("group_only_greetings", "")
        )
        data["tags"] = split_list(cd.get("tags", ""))
        book = copy.deepcopy(data.get("character_book") or {})
        if entries or book:
            book["entries"] = entries
            for key, field in (
                ("scan_depth", "lorebook_scan_depth"),
                ("token_budget", "lorebook_token_budget"),
            ):
                if cd.get(field) is not None:
                    book[key] = cd[field]
                else:
                    book.pop(key, None)
            book["recursive_scanning"] = bool(cd.get("lorebook_recursive"))
            book.setdefault("extensions", {})
            data["character_book"] = book
        return data

    def meta(self) -> dict[str, str]:
        cd = self.cleaned_data
        return {
            k: cd.get(k) or ""
            for k in ("tagline", "category", "style", "language", "content_rating")
        }


class LorebookEntryForm(forms.Form):
    original = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(max_length=200, required=False)
    keys = forms.CharField(required=False, help_text="Comma-separated trigger words.")
    secondary_keys = forms.CharField(required=False)
    content = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    enabled = forms.BooleanField(required=False, initial=True)
    constant = forms.BooleanField(required=False, help_text="Always included.")
    selective = forms.BooleanField(
        required=False, help_text="Needs a secondary key too."
    )
    case_sensitive = forms.BooleanField(required=False)
    use_regex = forms.BooleanField(required=False, label="Keys are regexes")
    insertion_order = forms.IntegerField(required=False, initial=100)
    priority = forms.IntegerField(required=False)
    position = forms.ChoiceField(
        required=False,
        choices=[
            ("", "default"),
            ("before_char", "before character"),
            ("after_char", "after character"),
        ],
    )
    DELETE = forms.BooleanField(required=False, label="Remove")

    @staticmethod
    def initial_from(index: int, entry: dict[str, Any]) -> dict[str, Any]:
        return {
            "original": index,
            "name": entry.get("name", ""),
            "keys": ", ".join(entry.get("keys", [])),
            "secondary_keys": ", ".join(entry.get("secondary_keys", [])),
            "content": entry.get("content", ""),
            "enabled": entry.get("enabled", True),
            "constant": bool(entry.get("constant")),
            "selective": bool(entry.get("selective")),
            "case_sensitive": bool(entry.get("case_sensitive")),
            "use_regex": bool(entry.get("use_regex")),
            "insertion_order": entry.get("insertion_order", 100),
            "priority": entry.get("priority"),
            "position": entry.get("position", ""),
        }

    def to_entry(self, originals: list[dict[str, Any]]) -> dict[str, Any] | None:
        cd = self.cleaned_data
        if not cd or cd.get("DELETE"):
            return None
        if not cd.get("content") and not cd.get("keys") and cd.get("original") is None:
            return None  # an untouched blank row
        index = cd.get("original")
        entry: dict[str, Any] = (
            copy.deepcopy(originals[index])
            if index is not None and 0 <= index < len(originals)
            else {"extensions": {}}
        )
        entry["keys"] = split_list(cd.get("keys", ""))
        entry["content"] = cd.get("content", "")
        entry["enabled"] = bool(cd.get("enabled"))
        entry["insertion_order"] = (
            cd.get("insertion_order") if cd.get("insertion_order") is not None else 100
        )
        for key in ("constant", "selective", "case_sensitive", "use_regex"):
            if cd.get(key) or key in entry:
                entry[key] = bool(cd.get(key))
        for key in ("name", "position"):
            if cd.get(key):
                entry[key] = cd[key]
            else:
                entry.pop(key, None)
        secondary = split_list(cd.get("secondary_keys", ""))
        if secondary or "secondary_keys" in entry:
            entry["secondary_keys"] = secondary
        if cd.get("priority") is not None:
            entry["priority"] = cd["priority"]
        else:
            entry.pop("priority", None)
        return entry


LorebookFormSet = forms.formset_factory(
    LorebookEntryForm,
    extra=0,
    max_num=MAX_LOREBOOK_ENTRIES,
    absolute_max=MAX_LOREBOOK_ENTRIES + 1,
)
