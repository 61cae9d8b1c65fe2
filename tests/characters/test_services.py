from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from characters.definition import PROMPT_BUDGET
from characters.models import Character, CharacterVersion
from characters.services import (
    character_create,
    character_delete,
    character_draft_save,
    character_publish,
    character_remix,
    character_rollback,
)
from tests.characters.conftest import definition

pytestmark = pytest.mark.django_db


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return {
        k: [m for e in v for m in e.messages] for k, v in exc.value.error_dict.items()
    }


def test_publish_creates_immutable_versions_and_listing_follows_published(
    user, make_character
) -> None:
    character = make_character(user, "Mira", tagline="first tagline")
    assert character.published_version.number == 1
    character_draft_save(
        character=character, data=definition("Mira Reborn"), meta={"tagline": "second"}
    )
    character.refresh_from_db()
    # The draft is not public yet: the listing still shows version 1.
    assert character.name == "Mira"
    assert character.tagline == "first tagline"
    version = character_publish(character=character, by=user, note="renamed")
    character.refresh_from_db()
    assert version.number == 2
    assert character.name == "Mira Reborn"
    assert character.tagline == "second"
    assert character.draft is None
    assert (
        CharacterVersion.objects.get(character=character, number=1).data["name"]
        == "Mira"
    )


def test_publish_without_changes_is_refused(user, make_character) -> None:
    character = make_character(user)
    with pytest.raises(ValidationError, match="no unpublished changes"):
        character_publish(character=character, by=user)


def test_rollback_republishes_old_definition_as_new_version(
    user, make_character
) -> None:
    character = make_character(user, "Old Name")
    character_draft_save(character=character, data=definition("New Name"))
    character_publish(character=character, by=user)
    version = character_rollback(character=character, number=1, by=user)
    character.refresh_from_db()
    assert version.number == 3
    assert character.name == "Old Name"
    assert list(character.versions.values_list("number", flat=True)) == [3, 2, 1]


def test_prompt_budget_is_enforced_and_nothing_saved(user) -> None:
    data = definition(
        "Big", description="x" * (PROMPT_BUDGET - 10), personality="y" * 100
    )
    with pytest.raises(ValidationError) as exc:
        character_create(owner=user, data=data, publish=True)
    assert "the limit is 32,000" in _errors(exc)["definition"][0]
    assert not Character.objects.exists()


@pytest.mark.parametrize(
    ("fields", "key", "message"),
    [
        ({"tags": [f"t{i}" for i in range(21)]}, "tags", "21 tags; the limit is 20."),
        ({"tags": ["x" * 33]}, "tags", "is 33 characters; the limit is 32"),
        ({"name": ""}, "name", "Name is required."),
        ({"name": 42}, "name", "Name must be text, not a number."),
        (
            {"alternate_greetings": "hi"},
            "alternate_greetings",
            "must be a list of text",
        ),
        (
            {"character_book": {"entries": [{"keys": ["a"], "content": "b"}] * 201}},
            "character_book",
            "at most 200 entries",
        ),
        (
            {"character_book": {"entries": [{"keys": "a", "content": "b"}]}},
            "character_book",
            "“keys” has the wrong type",
        ),
    ],
)
def test_definition_limits_name_the_field(user, fields, key, message) -> None:
    with pytest.raises(ValidationError) as exc:
        character_create(owner=user, data={**definition("X"), **fields})
    assert any(message in m for m in _errors(exc)[key]), _errors(exc)
    assert not Character.objects.exists()


def test_tagline_limit(user) -> None:
    with pytest.raises(ValidationError) as exc:
        character_create(owner=user, data=definition("X"), meta={"tagline": "t" * 51})
    assert _errors(exc)["tagline"] == ["The tagline is 51 characters; the limit is 50."]


def test_unknown_extensions_and_lorebook_fields_are_kept(user) -> None:
    book = {
        "name": "World",
        "scan_depth": 3,
        "extensions": {"other_tool": {"x": 1}},
        "entries": [
            {
                "keys": ["harbour"],
                "content": "@@depth 2\nThe harbour freezes in winter.",
                "extensions": {"risu": {"weird": [1, 2]}},
                "enabled": True,
                "insertion_order": 5,
                "use_regex": False,
                "some_future_field": "kept",
            }
        ],
    }
    data = definition(
        "Keeper",
        character_book=book,
        extensions={"chub": {"id": 99}},
        assets=[{"type": "icon", "uri": "ccdefault:", "name": "main", "ext": "png"}],
    )
    character = character_create(owner=user, data=data, publish=True)
    assert character.published_version is not None
    stored = character.published_version.data
    assert stored["extensions"] == {"chub": {"id": 99}}
    assert stored["character_book"]["entries"][0]["some_future_field"] == "kept"
    assert stored["character_book"]["entries"][0]["extensions"] == {
        "risu": {"weird": [1, 2]}
    }
    assert stored["assets"][0]["uri"] == "ccdefault:"


def test_avatar_is_reencoded_and_bad_images_refused(user) -> None:
    buf = io.BytesIO()
    image = Image.new("RGB", (300, 200), (10, 200, 30))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam 3000"  # camera maker: must be stripped
    image.save(buf, format="JPEG", exif=exif)
    buf.seek(0)
    buf.name = "me.jpg"
    character = character_create(
        owner=user, data=definition("Pic"), avatar=buf, avatar_name="me.jpg"
    )
    with character.avatar.open("rb") as fh:
        content = fh.read()
    assert b"SpyCam" not in content
    reopened = Image.open(io.BytesIO(content))
    assert reopened.format == "WEBP"
    assert not reopened.getexif()

    fake = io.BytesIO(b"<?php echo 'hi'; ?>")
    with pytest.raises(ValidationError, match="not a readable image"):
        character_create(
            owner=user, data=definition("Fake"), avatar=fake, avatar_name="a.png"
        )
    assert not Character.objects.filter(name="Fake").exists()


def test_image_type_mismatch_and_bomb_are_refused(user) -> None:
    png = io.BytesIO()
    Image.new("RGB", (10, 10)).save(png, format="PNG")
    png.seek(0)
    with pytest.raises(
        ValidationError, match="claims to be JPEG but its content is PNG"
    ):
        character_create(
            owner=user, data=definition("Liar"), avatar=png, avatar_name="a.jpg"
        )
    bomb = io.BytesIO()
    Image.new("1", (20000, 20000)).save(bomb, format="PNG")  # ~ small file, 400 Mpx
    bomb.seek(0)
    with pytest.raises(ValidationError, match=r"decompression bomb|the limit is 4096"):
        character_create(
            owner=user, data=definition("Bomb"), avatar=bomb, avatar_name="b.png"
        )
    assert not Character.objects.exists()


def test_remix_copies_with_attribution_and_counts(
    user, other_user, make_character
) -> None:
    original = make_character(user, "Original")
    copy_ = character_remix(character=original, user=other_user)
    original.refresh_from_db()
    assert copy_.owner == other_user
    assert copy_.remixed_from == original
    assert copy_.visibility == "private"
    assert not copy_.is_published
    assert copy_.draft is not None and original.published_version is not None
    assert (
        copy_.draft["data"]["description"]
        == original.published_version.data["description"]
    )
    assert original.remix_count == 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"remix_allowed": False},
        {"visibility": "unlisted"},
        {"visibility": "private"},
        {"definition_visible": False},
    ],
)
def test_remix_refused_when_not_allowed(
    user, other_user, make_character, kwargs
) -> None:
    original = make_character(user, "Closed", **kwargs)
    with pytest.raises(ValidationError, match="cannot be remixed"):
        character_remix(character=original, user=other_user)
    assert Character.objects.count() == 1


def test_deleted_character_cannot_be_edited(user, make_character) -> None:
    character = make_character(user)
    character_delete(character=character)
    with pytest.raises(ValidationError, match="deleted"):
        character_draft_save(character=character, data=definition("Again"))
