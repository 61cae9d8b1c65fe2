"""Comparing two versions field by field (the history page's data)."""

from __future__ import annotations

from characters.version_diff import Line, version_diff


def _text(line: Line, *, changed: bool | None = None) -> str:
    return "".join(
        s.text for s in line.segments if changed is None or s.changed == changed
    )


def test_a_changed_line_marks_the_words_that_changed() -> None:
    old = {"name": "Ava", "description": "A salt-stained ship.\nShe sails at dawn."}
    new = {"name": "Ava", "description": "A rust-red ship.\nShe sails at dawn."}
    [hunk] = version_diff(old, {}, new, {})
    assert hunk.fields == ("description",)
    [change] = [p for p in hunk.parts if not p.same]
    assert [_text(line) for line in change.old] == ["  A salt-stained ship."]
    assert [_text(line) for line in change.new] == ["  A rust-red ship."]
    assert _text(change.old[0], changed=True) == "salt-stained"
    assert _text(change.new[0], changed=True) == "rust-red"
    # Unchanged lines around it, once, as they read.
    assert "  She sails at dawn." in [t for p in hunk.parts for t in p.same]


def test_added_and_removed_fields_have_one_side() -> None:
    [hunk] = version_diff({"name": "Ava"}, {}, {"name": "Ava", "tags": ["sea"]}, {})
    [change] = [p for p in hunk.parts if not p.same]
    assert change.old == () and "tags:" in [_text(line) for line in change.new]
    assert hunk.fields == ("tags",)
    [hunk] = version_diff({"name": "Ava", "scenario": "Dusk"}, {}, {"name": "Ava"}, {})
    [change] = [p for p in hunk.parts if not p.same]
    assert change.new == () and [_text(line) for line in change.old] == [
        "scenario:",
        "  Dusk",
    ]


def test_the_same_versions_have_no_changes() -> None:
    data = {"name": "Ava", "first_mes": "Hi\r\nthere"}
    assert (
        version_diff(data, {"category": "story"}, dict(data), {"category": "story"})
        == []
    )
