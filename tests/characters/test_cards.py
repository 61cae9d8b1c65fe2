"""Character Card import/export through the services: formats, round trips,
Kindred's fields, avatars and every malformed input (refused, nothing saved)."""

from __future__ import annotations

import copy
import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from characters.card_services import character_export, character_import
from characters.cards import (
    MAX_CARD_UPLOAD,
    card_build,
    card_parse,
    card_png,
    png_read_chunks,
)
from characters.models import Character, CharacterVersion
from characters.services import character_draft_save, character_publish
from community.models import User
from tests.characters.cardkit import (
    V2_CARD,
    V3_CARD,
    b64json,
    bomb_png,
    card_from_png,
    charx,
    chunk,
    image_png,
    join_png,
    media_tmp,
    png_card,
    split_png,
    text_chunks,
    with_kindred,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_tmp")]
__all__ = ["media_tmp"]


def published(character: Character) -> CharacterVersion:
    assert character.published_version is not None
    return character.published_version


def as_json(card: object) -> bytes:
    return json.dumps(card, ensure_ascii=False).encode("utf-8")


def export_json(character: Character, user: User, fmt: str) -> dict[str, Any]:
    content, filename, content_type = character_export(
        character=character, user=user, fmt=fmt
    )
    assert content_type == "application/json"
    assert filename == f"{character.slug}.{fmt}.json"
    card: dict[str, Any] = json.loads(content.decode("utf-8"))
    return card


# --- Round trips -------------------------------------------------------------------


def test_v2_json_round_trip_is_lossless(user: User) -> None:
    character = character_import(owner=user, upload=as_json(V2_CARD), filename="k.json")
    assert character.name == "Lantern Keeper"
    assert character.published_version is None  # a draft unless asked to publish
    assert list(character.tags.order_by("name").values_list("name", flat=True)) == [
        "fantasy",
        "oc",
        "slow burn",
        "ファンタジー",
    ]

    assert export_json(character, user, "v2") == with_kindred(V2_CARD)

    v3 = export_json(character, user, "v3")
    expected = with_kindred(V2_CARD)
    expected["spec"], expected["spec_version"] = "chara_card_v3", "3.0"
    expected["data"]["group_only_greetings"] = []  # required in V3
    assert v3 == expected

    png, filename, content_type = character_export(
        character=character, user=user, fmt="png"
    )
    assert (filename, content_type) == (f"{character.slug}.png", "image/png")
    chunks = text_chunks(png)
    assert len(chunks["chara"]) == len(chunks["ccv3"]) == 1
    assert card_from_png(png, "chara") == with_kindred(V2_CARD)
    assert card_from_png(png, "ccv3") == expected
    Image.open(io.BytesIO(png)).verify()  # a real image (the placeholder)


def test_v3_json_round_trip_keeps_every_v3_field(user: User) -> None:
    character = character_import(owner=user, upload=as_json(V3_CARD), publish=True)
    assert character.is_published
    assert export_json(character, user, "v3") == with_kindred(V3_CARD)
    entry = published(character).data["character_book"]["entries"][0]
    assert entry["use_regex"] is True
    assert entry["content"].startswith("@@depth 4\n@@role system\n")
    # V2 keeps the V3 fields the card carried, so nothing is lost either way.
    v2 = export_json(character, user, "v2")
    assert v2["spec"] == "chara_card_v2"
    assert v2["data"] == with_kindred(V3_CARD)["data"]


def test_png_export_reimports_to_the_same_card(user: User, other_user: User) -> None:
    original = character_import(
        owner=user,
        upload=png_card(ccv3=with_kindred(V3_CARD, tagline="Keeps the light")),
        publish=True,
    )
    png, _, _ = character_export(character=original, user=user, fmt="png")
    copy_ = character_import(owner=other_user, upload=png, filename="card.png")
    assert copy_.tagline == "Keeps the light"
    assert export_json(copy_, other_user, "v3") == export_json(original, user, "v3")
    assert export_json(copy_, other_user, "v2") == export_json(original, user, "v2")


def test_cjk_and_emoji_survive_every_format(user: User) -> None:
    card = copy.deepcopy(V3_CARD)
    card["data"]["name"] = "春风 🌸 Haru"
    card["data"]["first_mes"] = "こんにちは、{{user}}！👋🏽 🇯🇵 👨‍👩‍👧"
    character = character_import(owner=user, upload=as_json(card))
    raw, _, _ = character_export(character=character, user=user, fmt="v3")
    assert "春风 🌸 Haru".encode() in raw  # written as UTF-8, not \u escapes
    assert "👨‍👩‍👧".encode() in raw
    png, _, _ = character_export(character=character, user=user, fmt="png")
    assert card_from_png(png, "ccv3")["data"]["first_mes"] == card["data"]["first_mes"]
    assert card_from_png(png, "chara")["data"]["name"] == "春风 🌸 Haru"


def test_ccv3_is_preferred_over_chara(user: User) -> None:
    v2 = copy.deepcopy(V2_CARD)
    v2["data"]["name"] = "Old V2 Name"
    png = png_card(chara=v2, ccv3=V3_CARD)
    assert character_import(owner=user, upload=png).name == "Lantern Keeper V3"
    # ccv3 written first in the file: still preferred; chara alone is read too.
    chunks = split_png(png_card(ccv3=V3_CARD, chara=v2))
    assert (
        character_import(owner=user, upload=join_png(chunks)).name
        == "Lantern Keeper V3"
    )
    assert character_import(owner=user, upload=png_card(chara=v2)).name == "Old V2 Name"


def test_v1_card_is_upgraded(user: User) -> None:
    v1 = {
        "name": "Old Friend",
        "description": "From the TavernAI days.",
        "personality": "warm",
        "scenario": "a café",
        "first_mes": "Hey {{user}}!",
        "mes_example": "<START>\n{{char}}: Hi.",
        "creatorcomment": "v1 notes",
        "tags": ["Retro"],
        "avatar": "none",
        "chat": "Old Friend - 2023-1-1",
    }
    character = character_import(owner=user, upload=as_json(v1), filename="old.json")
    v2 = export_json(character, user, "v2")
    assert v2["spec"] == "chara_card_v2"
    for key in (
        "name",
        "description",
        "personality",
        "scenario",
        "first_mes",
        "mes_example",
    ):
        assert v2["data"][key] == v1[key]
    assert v2["data"]["creator_notes"] == "v1 notes"
    assert v2["data"]["tags"] == ["Retro"]
    assert v2["data"]["alternate_greetings"] == []
    v3 = export_json(character, user, "v3")
    assert v3["data"]["group_only_greetings"] == []


def test_kindred_fields_travel_in_extensions(user: User, other_user: User) -> None:
    card = with_kindred(
        V2_CARD,
        tagline="Keeps the light on",
        category="story",
        style="formal",
        language="ja",
        content_rating="mature",
    )
    card["data"]["extensions"]["kindred"]["future_field"] = {"kept": True}
    character = character_import(owner=user, upload=as_json(card), publish=True)
    assert (character.tagline, character.category, character.style) == (
        "Keeps the light on",
        "story",
        "formal",
    )
    assert (character.language, character.content_rating) == ("ja", "mature")
    assert "kindred" not in json.dumps(published(character).meta)
    assert export_json(character, user, "v2") == card


def test_nsfw_tag_marks_an_unrated_card_mature(user: User) -> None:
    card = copy.deepcopy(V2_CARD)
    card["data"]["tags"] = ["NSFW", "romance"]
    assert character_import(owner=user, upload=as_json(card)).content_rating == "mature"


def test_studio_edits_win_over_the_remembered_original(user: User) -> None:
    character = character_import(owner=user, upload=as_json(V2_CARD), publish=True)
    data = copy.deepcopy(published(character).data)
    data["tags"] = ["sea"]
    data["name"] = "Keeper of Lights"
    character_draft_save(character=character, data=data, meta=published(character).meta)
    character_publish(character=character, by=user)
    v2 = export_json(character, user, "v2")
    assert v2["data"]["tags"] == ["sea"]
    assert v2["data"]["name"] == "Keeper of Lights"
    assert "import" not in v2["data"]["extensions"]["kindred"]


def test_owner_exports_the_draft_others_the_published_version(
    user: User, other_user: User
) -> None:
    character = character_import(owner=user, upload=as_json(V2_CARD), publish=True)
    draft = copy.deepcopy(published(character).data)
    draft["description"] = "A new draft description."
    character_draft_save(character=character, data=draft)
    assert (
        export_json(character, user, "v2")["data"]["description"]
        == draft["description"]
    )
    assert (
        export_json(character, other_user, "v2")["data"]["description"]
        == V2_CARD["data"]["description"]
    )


# --- PNG and CHARX specifics ------------------------------------------------------------


def test_png_card_becomes_the_avatar_without_its_chunks(user: User) -> None:
    image = image_png((120, 90), (10, 200, 30, 128))
    png = png_card(ccv3=V3_CARD, chara=V2_CARD, image=image)
    character = character_import(owner=user, upload=png, filename="keeper.png")
    assert character.avatar
    with character.avatar.open("rb") as fh:
        stored = fh.read()
    assert Image.open(io.BytesIO(stored)).size == (120, 90)
    assert b"ccv3" not in stored and b"chara" not in stored
    exported, _, _ = character_export(character=character, user=user, fmt="png")
    assert Image.open(io.BytesIO(exported)).size == (120, 90)
    assert card_from_png(exported, "ccv3") == with_kindred(V3_CARD)


def test_png_export_replaces_existing_card_chunks() -> None:
    old = png_card(
        chara={"old": 1}, ccv3={"old": 2}, raw_chunks=[(b"tEXt", b"Comment\0hi")]
    )
    new = card_png(old, v2={"spec": "chara_card_v2"}, v3={"spec": "chara_card_v3"})
    chunks = text_chunks(new)
    assert card_from_png(new, "chara") == {"spec": "chara_card_v2"}
    assert card_from_png(new, "ccv3") == {"spec": "chara_card_v3"}
    assert chunks["Comment"] == [b"hi"]
    assert [t for t, _ in split_png(new)][-1] == b"IEND"


def test_charx_with_embedded_avatar(user: User) -> None:
    card = copy.deepcopy(V3_CARD)
    card["data"]["assets"] = [
        {
            "type": "icon",
            "uri": "embeded://assets/icon/images/main.png",
            "name": "main",
            "ext": "png",
        },
        {
            "type": "emotion",
            "uri": "embeded://assets/emotion/images/happy.png",
            "name": "happy",
            "ext": "png",
        },
    ]
    archive = charx(
        card,
        {
            "assets/icon/images/main.png": image_png((77, 66)),
            "assets/emotion/images/happy.png": image_png((8, 8)),
            "x_meta/1.json": b"{}",
        },
    )
    character = character_import(owner=user, upload=archive, filename="keeper.charx")
    with character.avatar.open("rb") as fh:
        assert Image.open(io.BytesIO(fh.read())).size == (77, 66)
    assert export_json(character, user, "v3") == with_kindred(card)


def test_charx_without_icon_imports_without_avatar(user: User) -> None:
    card = copy.deepcopy(V3_CARD)  # its icon is "ccdefault:" (a PNG's own image)
    character = character_import(owner=user, upload=charx(card), filename="k.charx")
    assert not character.avatar


# --- Malformed input: refused with a message naming the problem, nothing saved ----


def _damaged_crc() -> bytes:
    png = png_card(chara=V2_CARD)
    return png[:20] + bytes([png[20] ^ 0xFF]) + png[21:]  # inside IHDR


def _truncated() -> bytes:
    png = png_card(chara=V2_CARD)
    return png[: len(png) // 2]


def _deep() -> bytes:
    return (
        b'{"spec":"chara_card_v2","data":{"name":"x","extensions":{"a":'
        + b"[" * 100
        + b"]" * 100
        + b"}}}"
    )


def _card_with(**data: object) -> bytes:
    card = copy.deepcopy(V2_CARD)
    card["data"].update(data)
    return as_json(card)


def _book_with_entries(n: int) -> bytes:
    entry = {
        "keys": ["k"],
        "content": "c",
        "extensions": {},
        "enabled": True,
        "insertion_order": 1,
    }
    return _card_with(character_book={"extensions": {}, "entries": [entry] * n})


def _zip_with(names: list[str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("card.json", json.dumps(V3_CARD))
        for name in names:
            zf.writestr(name, b"x")
    return out.getvalue()


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("card.json", json.dumps(V3_CARD))
        zf.writestr("assets/other/other/zeros.bin", b"\0" * (70 * 1024 * 1024))
    return out.getvalue()


def _charx_missing_icon() -> bytes:
    card = copy.deepcopy(V3_CARD)
    card["data"]["assets"] = [
        {
            "type": "icon",
            "uri": "embeded://assets/icon/images/gone.png",
            "name": "main",
            "ext": "png",
        }
    ]
    return charx(card)


def _charx_traversal_icon() -> bytes:
    card = copy.deepcopy(V3_CARD)
    card["data"]["assets"] = [
        {
            "type": "icon",
            "uri": "embeded://../../etc/passwd",
            "name": "main",
            "ext": "png",
        }
    ]
    return charx(card)


def _bomb_avatar() -> bytes:
    return png_card(ccv3=V3_CARD, image=bomb_png(30_000, 30_000))


def _huge_avatar() -> bytes:
    return png_card(ccv3=V3_CARD, image=bomb_png(5000, 100))


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="JPEG")
    return out.getvalue()


MALFORMED: list[tuple[str, Callable[[], bytes], str, str]] = [
    ("empty", lambda: b"", "card.json", "The file is empty"),
    ("not a png", lambda: b"hello, I am text", "card.png", "not a PNG image"),
    (
        "jpeg",
        _jpeg,
        "card.jpg",
        "This is a JPEG image; character cards travel inside PNG files",
    ),
    ("truncated png", _truncated, "card.png", "The PNG is truncated"),
    ("bad crc", _damaged_crc, "card.png", "the CRC of its “IHDR” chunk does not match"),
    (
        "no card chunk",
        lambda: image_png(),
        "card.png",
        "no “ccv3” or “chara” tEXt chunk",
    ),
    (
        "card in zTXt",
        lambda: png_card(raw_chunks=[(b"zTXt", b"chara\0\0" + b"x")]),
        "card.png",
        "cards must be in tEXt",
    ),
    (
        "invalid base64",
        lambda: png_card(raw_chunks=[(b"tEXt", b"chara\0not*base64!")]),
        "card.png",
        "The PNG's “chara” chunk is not valid base64",
    ),
    (
        "invalid utf-8 in chunk",
        lambda: png_card(
            raw_chunks=[
                (
                    b"tEXt",
                    b"ccv3\0" + __import__("base64").b64encode(b'{"a":"\xff\xfe"}'),
                )
            ]
        ),
        "card.png",
        "The PNG's “ccv3” chunk is not valid UTF-8 text (byte 0xff at position 6)",
    ),
    (
        "invalid utf-8 file",
        lambda: b'{"name": "\xc3\x28"}',
        "card.json",
        "The file is not valid UTF-8 text",
    ),
    (
        "invalid json in chunk",
        lambda: png_card(
            raw_chunks=[
                (b"tEXt", b"chara\0" + __import__("base64").b64encode(b"{nope"))
            ]
        ),
        "card.png",
        "The PNG's “chara” chunk is not valid JSON",
    ),
    (
        "invalid json file",
        lambda: b'{"spec": "chara_card_v2", "data": {',
        "card.json",
        "The file is not valid JSON",
    ),
    (
        "NaN",
        lambda: b'{"spec":"chara_card_v2","data":{"name":"x","extensions":{"n":NaN}}}',
        "c.json",
        "NaN is not a JSON number",
    ),
    (
        "huge number",
        lambda: (
            b'{"spec":"chara_card_v2","data":{"name":"x","extensions":{"n":1e999}}}'
        ),
        "c.json",
        "a number that is too large",
    ),
    (
        "NUL",
        lambda: _card_with(description="a\u0000b"),
        "c.json",
        "NUL character (\\u0000) in the card.data.description",
    ),
    (
        "lone surrogate",
        lambda: b'{"spec":"chara_card_v2","data":{"name":"\\ud800"}}',
        "c.json",
        "lone UTF-16 surrogate",
    ),
    ("too deep", _deep, "c.json", "nested more than 64 levels"),
    (
        "json array",
        lambda: b"[1, 2]",
        "c.json",
        "The card must be a JSON object, not a list",
    ),
    (
        "not a card",
        lambda: b'{"hello": "world"}',
        "c.json",
        "This JSON is not a character card",
    ),
    (
        "wrong spec",
        lambda: as_json({**V2_CARD, "spec": "chara_card_v9"}),
        "c.json",
        "Unsupported card spec “chara_card_v9”",
    ),
    (
        "lorebook",
        lambda: as_json({"spec": "lorebook_v3", "data": {}}),
        "c.json",
        "This is a lorebook",
    ),
    (
        "spec_version wrong type",
        lambda: as_json({**V2_CARD, "spec_version": ["2.0"]}),
        "c.json",
        "“spec_version” must be text such as “3.0”, not a list",
    ),
    (
        "data missing",
        lambda: as_json({"spec": "chara_card_v2", "spec_version": "2.0"}),
        "c.json",
        "The card has no “data” object",
    ),
    (
        "data wrong type",
        lambda: as_json({"spec": "chara_card_v3", "data": "x"}),
        "c.json",
        "“data” must be an object, not text",
    ),
    (
        "name missing",
        lambda: as_json({"spec": "chara_card_v2", "data": {"description": "x"}}),
        "c.json",
        "The card has no name",
    ),
    ("name empty", lambda: _card_with(name="   "), "c.json", "Name is required"),
    (
        "name wrong type",
        lambda: _card_with(name=42),
        "c.json",
        "Name must be text, not a number",
    ),
    (
        "tags wrong type",
        lambda: _card_with(tags="a,b"),
        "c.json",
        "Tags must be a list of text",
    ),
    (
        "greetings wrong type",
        lambda: _card_with(alternate_greetings=[1]),
        "c.json",
        "Alternate greetings must be a list of text",
    ),
    (
        "entry missing content",
        lambda: _card_with(character_book={"entries": [{"keys": ["k"]}]}),
        "c.json",
        "Lorebook entry 1 is missing “content”",
    ),
    (
        "entry wrong type",
        lambda: _card_with(
            character_book={
                "entries": [{"keys": ["k"], "content": "c", "enabled": "yes"}]
            }
        ),
        "c.json",
        "Lorebook entry 1: “enabled” has the wrong type",
    ),
    (
        "prompt too long",
        lambda: _card_with(description="x" * 32_001),
        "c.json",
        "the limit is 32,000",
    ),
    (
        "tag too long",
        lambda: _card_with(tags=["t" * 40]),
        "c.json",
        "is 40 characters; the limit is 32",
    ),
    (
        "too many tags",
        lambda: _card_with(tags=[f"tag{i}" for i in range(21)]),
        "c.json",
        "21 tags; the limit is 20",
    ),
    (
        "too many entries",
        lambda: _book_with_entries(201),
        "c.json",
        "at most 200 entries; this one has 201",
    ),
    (
        "name too long",
        lambda: _card_with(name="n" * 101),
        "c.json",
        "Name is 101 characters; the limit is 100",
    ),
    (
        "tagline too long",
        lambda: as_json(with_kindred(V2_CARD, tagline="t" * 51)),
        "c.json",
        "The tagline is 51 characters; the limit is 50",
    ),
    (
        "bad category",
        lambda: as_json(with_kindred(V2_CARD, category="spaceships")),
        "c.json",
        "“spaceships” is not a category",
    ),
    (
        "kindred not an object",
        lambda: _card_with(extensions={"kindred": "x"}),
        "c.json",
        "“extensions.kindred” must be an object",
    ),
    (
        "too large",
        lambda: b" " * (MAX_CARD_UPLOAD + 1),
        "c.json",
        "the limit for a character card is 10 MB",
    ),
    (
        "avatar bomb",
        _bomb_avatar,
        "card.png",
        "The card's avatar: The image expands to too many pixels (a decompression bomb)",
    ),
    (
        "avatar too large",
        _huge_avatar,
        "card.png",
        "The card's avatar: The image is 5000×100 pixels; the limit is 4096×4096",
    ),
    (
        "not a zip",
        lambda: b"PK\x03\x04garbage",
        "c.charx",
        "not a valid CHARX (zip) archive",
    ),
    (
        "charx no card.json",
        lambda: charx(None, {"other.json": b"{}"}),
        "c.charx",
        "no card.json at its root",
    ),
    (
        "charx traversal",
        lambda: _zip_with(["../evil.txt"]),
        "c.charx",
        "unsafe path “../evil.txt”",
    ),
    (
        "charx absolute",
        lambda: _zip_with(["/etc/passwd"]),
        "c.charx",
        "unsafe path “/etc/passwd”",
    ),
    (
        "charx too many members",
        lambda: _zip_with([f"a/{i}" for i in range(1001)]),
        "c.charx",
        "has 1,002 files; the limit is 1,000",
    ),
    ("charx bomb", _zip_bomb, "c.charx", "expands to 70.0 MB; the limit is 64.0 MB"),
    (
        "charx bad json",
        lambda: charx(None, raw_card=b"{oops"),
        "c.charx",
        "The CHARX card.json is not valid JSON",
    ),
    (
        "charx missing icon",
        _charx_missing_icon,
        "c.charx",
        "main icon “embeded://assets/icon/images/gone.png” is not in the CHARX archive",
    ),
    (
        "charx icon traversal",
        _charx_traversal_icon,
        "c.charx",
        "unsafe path “embeded://../../etc/passwd”",
    ),
]


@pytest.mark.parametrize(
    ("make", "filename", "message"),
    [pytest.param(m, f, msg, id=name) for name, m, f, msg in MALFORMED],
)
def test_malformed_card_is_refused_and_nothing_saved(
    user: User, make: Callable[[], bytes], filename: str, message: str
) -> None:
    raw = make()
    before = (Character.objects.count(), CharacterVersion.objects.count())
    with pytest.raises(ValidationError) as info:
        character_import(owner=user, upload=raw, filename=filename, publish=True)
    text = " ".join(info.value.messages)
    assert message in text, text
    assert (Character.objects.count(), CharacterVersion.objects.count()) == before


def test_upload_over_the_limit_is_refused_before_reading(user: User) -> None:
    class Huge(io.BytesIO):
        size = MAX_CARD_UPLOAD + 1

        def read(self, n: int | None = -1) -> bytes:
            raise AssertionError("must not be read")

    with pytest.raises(
        ValidationError, match="the limit for a character card is 10 MB"
    ):
        character_import(owner=user, upload=Huge(), filename="big.png")
    assert Character.objects.count() == 0


def test_chunk_reader_rejects_a_missing_ihdr_and_reads_past_trailing_bytes() -> None:
    bad = join_png([(b"tEXt", b"chara\0" + b64json(V2_CARD)), (b"IEND", b"")])
    with pytest.raises(ValidationError, match="does not start with an IHDR"):
        png_read_chunks(bad)
    good = png_card(chara=V2_CARD) + b"trailing junk"
    assert card_parse(good).data["name"] == "Lantern Keeper"
    # A chunk that claims more than the file holds is truncation, not a crash.
    lying = image_png()[:-12] + chunk(b"tEXt", b"x")[:8] + b"IEND"
    with pytest.raises(ValidationError, match="truncated"):
        png_read_chunks(lying)


def test_card_build_orders_spec_fields_first() -> None:
    parsed = card_parse(as_json(V2_CARD))
    built = card_build(parsed.data, {}, spec="v2")
    assert list(built["data"])[:6] == [
        "name",
        "description",
        "personality",
        "scenario",
        "first_mes",
        "mes_example",
    ]
    assert list(built["data"])[-1] == "x_unknown_top_level"


def _charx_with_icon(icon: bytes, ext: str = "png") -> bytes:
    card = copy.deepcopy(V3_CARD)
    card["data"]["assets"] = [
        {
            "type": "icon",
            "uri": "embeded://assets/icon/images/a.bin",
            "name": "main",
            "ext": ext,
        }
    ]
    return charx(card, {"assets/icon/images/a.bin": icon})


def test_charx_icon_type_is_decided_by_its_content(user: User) -> None:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (1, 2, 3)).save(out, format="JPEG")
    character = character_import(
        owner=user, upload=_charx_with_icon(out.getvalue(), "png")
    )
    with character.avatar.open("rb") as fh:
        assert Image.open(io.BytesIO(fh.read())).size == (30, 20)


@pytest.mark.parametrize(
    ("icon", "message"),
    [
        (b"not an image at all", "The card's avatar: The file is not a readable image"),
        (
            bomb_png(30_000, 30_000),
            "The card's avatar: The image expands to too many pixels",
        ),
    ],
    ids=["not-an-image", "bomb"],
)
def test_charx_bad_icon_is_refused(user: User, icon: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        character_import(owner=user, upload=_charx_with_icon(icon), filename="c.charx")
    assert message in " ".join(info.value.messages)
    assert Character.objects.count() == 0


def test_sillytavern_v2_export_reads_data_not_the_mirrored_v1_fields(
    user: User,
) -> None:
    card = {
        "name": "Stale Root Name",
        "description": "stale",
        "create_date": "2024-5-1 @12h 00m 00s",
        "avatar": "none",
        **copy.deepcopy(V2_CARD),
    }
    character = character_import(owner=user, upload=as_json(card))
    assert character.name == "Lantern Keeper"
    assert export_json(character, user, "v2") == with_kindred(V2_CARD)
