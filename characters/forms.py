"""The creator studio form: the definition's fields, Kindred's fields and the
lorebook entries. ``to_definition`` overlays the form on the character's current
definition, so keys the form does not show (unknown extensions, lorebook entry
fields such as ``extensions`` or decorators, V3 assets) survive an edit.

A save without edits gives the definition back exactly (a card exported after
it is the card imported before it):

- text is not stripped (a greeting may start with a blank line on purpose),
  and line breaks arrive as \\n whatever the browser sent (it sends \\r\\n), so
  the 32,000-character budget counts what the editor's meter counts;
- greetings are one textarea each, so no content can pass for a separator;
- lorebook keys are one per line; a single line is split at commas, the form
  other card editors use, unless the entry's keys are regexes (``{1,3}``);
- a list field whose text comes back as it was rendered keeps the stored list
  (a lone key holding a comma, an empty key, a key with spaces around it).
"""

from __future__ import annotations

import copy
import math
from typing import Any

from django import forms
from django.utils.datastructures import MultiValueDict

from characters.definition import MAX_LOREBOOK_ENTRIES
from characters.models import Category, ContentRating, Style, Visibility


def newlines(text: str) -> str:
    """\\r\\n and lone \\r as \\n: browsers submit textareas with \\r\\n."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class Text(forms.CharField):
    """A definition's text: kept as written (not stripped), line breaks as \\n."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("strip", False)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return newlines(super().to_python(value) or "")


class TextListWidget(forms.Widget):
    """Every value submitted under the field's name (one textarea each). The
    template renders the textareas itself (characters/_greetings.html)."""

    def value_from_datadict(
        self, data: Any, files: MultiValueDict[str, Any], name: str
    ) -> list[str]:
        if hasattr(data, "getlist"):
            return [str(v) for v in data.getlist(name)]
        value = data.get(name)
        return [str(v) for v in value] if isinstance(value, list) else []

    def format_value(self, value: Any) -> list[str]:
        return [str(v) for v in value] if isinstance(value, list) else []


class TextListField(forms.Field):
    """A list of texts, one box each: empty boxes are dropped, the rest kept
    as written (line breaks as \\n)."""

    widget = TextListWidget

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[str]:
        if not isinstance(value, list):
            return []
        return [newlines(str(v)) for v in value if str(v).strip()]

    def validate(self, value: Any) -> None:
        super().validate(value)
        if any("\x00" in v for v in value):
            raise forms.ValidationError("Null characters are not allowed.")


def list_keep(submitted: list[str], stored: object) -> list[str]:
    """``submitted``, or the stored list when they differ only by the empty
    items a box list drops (an imported card's "" greeting survives)."""
    if (
        isinstance(stored, list)
        and all(isinstance(v, str) for v in stored)
        and [v for v in stored if v.strip()] == submitted
    ):
        return list(stored)
    return submitted


def split_list(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def tags_render(tags: list[str]) -> str:
    return ", ".join(tags)


def keys_render(keys: list[str], *, regex: bool) -> str:
    """Lorebook keys one per line. A lone plain key holding a comma gets a line
    break after it, or reading it back would split it at the comma."""
    if len(keys) == 1 and "," in keys[0] and not regex:
        return keys[0] + "\n"
    return "\n".join(keys)


def keys_parse(text: str, *, regex: bool) -> list[str]:
    """One key per line; a single line is split at commas unless the keys are
    regexes (``\\d{1,3}``). Surrounding spaces and empty lines are dropped."""
    text = newlines(text)
    if "\n" in text:
        return [line.strip() for line in text.split("\n") if line.strip()]
    if regex:
        return [text.strip()] if text.strip() else []
    return split_list(text)


_textarea = forms.Textarea


class CharacterForm(forms.Form):
    name = forms.CharField(max_length=200)
    nickname = Text(max_length=100, help_text="Used for {{char}} when set.")
    tagline = forms.CharField(
        max_length=200,  # the service says what is wrong past 50 (no silent cut)
        required=False,
        help_text="Up to 50 characters, shown in listings.",
        widget=forms.TextInput(attrs={"data-max-chars": "50"}),
    )
    avatar = forms.FileField(
        required=False,
        help_text="PNG, JPEG or WebP, up to 5 MB and 4096×4096. Not versioned: "
        "a new one shows as soon as you save.",
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

    description = Text(widget=_textarea(attrs={"rows": 6, "data-budget": ""}))
    personality = Text(widget=_textarea(attrs={"rows": 3, "data-budget": ""}))
    scenario = Text(widget=_textarea(attrs={"rows": 3, "data-budget": ""}))
    first_mes = Text(
        label="Greeting",
        widget=_textarea(attrs={"rows": 4, "data-budget": "", "data-preview": ""}),
    )
    alternate_greetings = TextListField(
        help_text="Offered as swipes of the first message. One box per greeting; "
        "an empty box is dropped."
    )
    group_only_greetings = TextListField(
        help_text="Used only in group rooms. One box per greeting."
    )
    mes_example = Text(
        label="Example dialogues",
        help_text="Blocks start with <START>; write lines as {{user}}: … and {{char}}: …",
        widget=_textarea(attrs={"rows": 6, "data-budget": ""}),
    )
    system_prompt = Text(
        help_text="Replaces Kindred's default system prompt. Leave empty for the default.",
        widget=_textarea(attrs={"rows": 3, "data-budget": ""}),
    )
    post_history_instructions = Text(
        help_text="Sent after the chat history on every turn.",
        widget=_textarea(attrs={"rows": 2, "data-budget": ""}),
    )
    creator_notes = Text(
        help_text="Shown to people, never sent to the model.",
        widget=_textarea(attrs={"rows": 3}),
    )
    tags = forms.CharField(
        required=False, strip=False, help_text="Comma-separated, up to 20."
    )
    character_version = Text(max_length=40, label="Version label")

    lorebook_scan_depth = forms.IntegerField(
        required=False, min_value=0, max_value=1000, label="Scan depth"
    )
    lorebook_token_budget = forms.IntegerField(
        required=False, min_value=0, max_value=1_000_000, label="Token budget"
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
    GREETING_FIELDS = ("alternate_greetings", "group_only_greetings")
    # Switches that take effect on save, not on publish (services.Settings).
    SETTINGS_FIELDS = ("visibility", "definition_visible", "remix_allowed")

    @classmethod
    def initial_from(
        cls, data: dict[str, Any], meta: dict[str, str], switches: dict[str, Any]
    ) -> dict[str, Any]:
        initial: dict[str, Any] = {f: data.get(f, "") for f in cls.TEXT_FIELDS}
        for f in cls.GREETING_FIELDS:
            initial[f] = list(data.get(f) or [])
        initial["tags"] = tags_render(data.get("tags", []))
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
        for f in self.GREETING_FIELDS:
            data[f] = list_keep(cd.get(f) or [], base.get(f))
        stored_tags = base.get("tags")
        if not (
            isinstance(stored_tags, list)
            and newlines(cd.get("tags", "")) == tags_render(stored_tags)
        ):
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
                elif book.get(key) is not None:
                    del book[key]
            if cd.get("lorebook_recursive") or "recursive_scanning" in book:
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


class Number(forms.Field):
    """A lorebook number: whole numbers as ``int``, a card's 2.5 as ``float``
    (an IntegerField would refuse a valid card's entry on a save without edits)."""

    widget = forms.NumberInput(attrs={"step": "any"})
    default_error_messages = {"invalid": "Enter a number."}

    def to_python(self, value: Any) -> int | float | None:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        try:
            return int(text)
        except ValueError:
            pass
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


POSITIONS = [
    ("", "default"),
    ("before_char", "before character"),
    ("after_char", "after character"),
]


class LorebookEntryForm(forms.Form):
    original = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = Text(max_length=200)
    keys = Text(
        help_text="One per line. Typed on one line, commas separate keys "
        "(except regex keys).",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    secondary_keys = Text(
        help_text="Same form as keys.", widget=forms.Textarea(attrs={"rows": 2})
    )
    content = Text(widget=forms.Textarea(attrs={"rows": 3}))
    enabled = forms.BooleanField(required=False, initial=True)
    constant = forms.BooleanField(required=False, help_text="Always included.")
    selective = forms.BooleanField(
        required=False, help_text="Needs a secondary key too."
    )
    case_sensitive = forms.BooleanField(required=False)
    use_regex = forms.BooleanField(required=False, label="Keys are regexes")
    insertion_order = Number(required=False, initial=100)
    priority = Number(required=False)
    # Any text: the spec names two positions, cards carry others, and a save
    # must not refuse (or drop) the one an imported entry has.
    position = forms.CharField(
        required=False, max_length=40, widget=forms.Select(choices=POSITIONS)
    )
    DELETE = forms.BooleanField(required=False, label="Remove")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("keys", "secondary_keys"):  # every key in view, up to six
            lines = str(self[name].value() or "").count("\n") + 1
            self.fields[name].widget.attrs["rows"] = min(max(2, lines), 6)
        current = self["position"].value()
        if current and current not in dict(POSITIONS):
            self.fields["position"].widget = forms.Select(
                choices=[*POSITIONS, (current, current)]
            )

    @staticmethod
    def initial_from(index: int, entry: dict[str, Any]) -> dict[str, Any]:
        regex = bool(entry.get("use_regex"))
        return {
            "original": index,
            "name": entry.get("name") or "",
            "keys": keys_render(entry.get("keys") or [], regex=regex),
            "secondary_keys": keys_render(
                entry.get("secondary_keys") or [], regex=regex
            ),
            "content": entry.get("content", ""),
            "enabled": entry.get("enabled", True),
            "constant": bool(entry.get("constant")),
            "selective": bool(entry.get("selective")),
            "case_sensitive": bool(entry.get("case_sensitive")),
            "use_regex": regex,
            "insertion_order": entry.get("insertion_order", 100),
            "priority": entry.get("priority"),
            "position": entry.get("position") or "",
        }

    def to_entry(self, originals: list[dict[str, Any]]) -> dict[str, Any] | None:
        """The entry as edited, over the stored one: a field is written only
        when its meaning changed, so what the form cannot show (an absent
        optional key, a null) stays as the card had it."""
        cd = self.cleaned_data
        if not cd or cd.get("DELETE"):
            return None
        index: int | None = cd.get("original")
        original = (
            originals[index]
            if index is not None and 0 <= index < len(originals)
            else None
        )
        known = original is not None
        if not known and not cd["content"].strip() and not cd["keys"].strip():
            return None  # an untouched blank row
        entry: dict[str, Any] = (
            copy.deepcopy(original) if original is not None else {"extensions": {}}
        )
        regex = bool(cd.get("use_regex"))
        for key in ("keys", "secondary_keys"):
            stored = entry.get(key)
            unchanged = (
                known
                and isinstance(stored, list)
                and cd[key] == keys_render(stored, regex=bool(entry.get("use_regex")))
            )
            if not unchanged:
                parsed = keys_parse(cd[key], regex=regex)
                if key == "keys" or parsed or key in entry:
                    entry[key] = parsed
        entry["content"] = cd["content"]
        for key, default in (
            ("enabled", True),
            ("constant", False),
            ("selective", False),
            ("case_sensitive", False),
            ("use_regex", False),
        ):
            if bool(cd.get(key)) != bool(entry.get(key, default)):
                entry[key] = bool(cd.get(key))
        if not known:
            entry["enabled"] = bool(cd.get("enabled"))
        for key in ("name", "position"):
            if cd.get(key):
                entry[key] = cd[key]
            elif entry.get(key):
                del entry[key]
        if cd.get("insertion_order") is not None:
            entry["insertion_order"] = cd["insertion_order"]
        else:
            entry["insertion_order"] = 100
        if cd.get("priority") is not None:
            entry["priority"] = cd["priority"]
        elif entry.get("priority") is not None:
            del entry["priority"]
        return entry


LorebookFormSet = forms.formset_factory(
    LorebookEntryForm,
    extra=0,
    max_num=MAX_LOREBOOK_ENTRIES,
    absolute_max=MAX_LOREBOOK_ENTRIES + 1,
)
