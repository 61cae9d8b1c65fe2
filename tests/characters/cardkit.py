"""Test helpers: real Character Cards built independently of characters.cards
(PNG chunks written here with their own CRCs, CHARX zips, sample cards)."""

from __future__ import annotations

import base64
import copy
import io
import json
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

SIG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def media_tmp(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def chunk(ctype: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + ctype
        + data
        + struct.pack(">I", zlib.crc32(ctype + data) & 0xFFFFFFFF)
    )


def split_png(png: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) of each chunk; asserts the CRCs (an independent reader)."""
    assert png[:8] == SIG
    out, pos = [], 8
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        ctype = png[pos + 4 : pos + 8]
        data = png[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", png[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(ctype + data), ctype
        out.append((ctype, data))
        pos += 12 + length
        if ctype == b"IEND":
            break
    return out


def join_png(chunks: list[tuple[bytes, bytes]]) -> bytes:
    return SIG + b"".join(chunk(t, d) for t, d in chunks)


def image_png(
    size: tuple[int, int] = (64, 48), color: tuple[int, ...] = (200, 80, 120, 255)
) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, color).save(out, format="PNG")
    return out.getvalue()


def b64json(card: object) -> bytes:
    return base64.b64encode(json.dumps(card, ensure_ascii=False).encode("utf-8"))


def png_card(
    *,
    chara: object | None = None,
    ccv3: object | None = None,
    raw_chunks: list[tuple[bytes, bytes]] | None = None,
    image: bytes | None = None,
) -> bytes:
    """A PNG (``image`` or a small one) with the given tEXt card chunks before IEND."""
    chunks = split_png(image or image_png())
    extra: list[tuple[bytes, bytes]] = []
    if chara is not None:
        extra.append((b"tEXt", b"chara\0" + b64json(chara)))
    if ccv3 is not None:
        extra.append((b"tEXt", b"ccv3\0" + b64json(ccv3)))
    extra += raw_chunks or []
    return join_png([*chunks[:-1], *extra, chunks[-1]])


def text_chunks(png: bytes) -> dict[str, list[bytes]]:
    found: dict[str, list[bytes]] = {}
    for ctype, data in split_png(png):
        if ctype == b"tEXt":
            key, _, value = data.partition(b"\0")
            found.setdefault(key.decode("latin-1"), []).append(value)
    return found


def card_from_png(png: bytes, keyword: str) -> dict[str, Any]:
    (value,) = text_chunks(png)[keyword]
    card: dict[str, Any] = json.loads(base64.b64decode(value).decode("utf-8"))
    return card


def charx(
    card: object | None,
    files: dict[str, bytes] | None = None,
    *,
    raw_card: bytes | None = None,
) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        if raw_card is not None:
            zf.writestr("card.json", raw_card)
        elif card is not None:
            zf.writestr("card.json", json.dumps(card, ensure_ascii=False))
        for name, data in (files or {}).items():
            zf.writestr(name, data)
    return out.getvalue()


def bomb_png(width: int, height: int) -> bytes:
    """A tiny file declaring a huge 1-bit greyscale image (all zero rows)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\0" * (1 + (width + 7) // 8)
    comp = zlib.compressobj(9)
    idat = b"".join(comp.compress(row) for _ in range(height)) + comp.flush()
    return join_png([(b"IHDR", ihdr), (b"IDAT", idat), (b"IEND", b"")])


BOOK_V2: dict[str, Any] = {
    "name": "Lore of the Lantern Coast",
    "description": "Places and people",
    "scan_depth": 4,
    "token_budget": 512,
    "recursive_scanning": False,
    "extensions": {"chub": {"id": 77}},
    "entries": [
        {
            "keys": ["lighthouse", "灯台"],
            "content": "The lighthouse has been dark for 12 years. 🌊",
            "extensions": {"depth": 4, "weight": 10},
            "enabled": True,
            "insertion_order": 100,
            "case_sensitive": False,
            "name": "Lighthouse",
            "priority": 10,
            "id": 1,
            "comment": "main location",
            "selective": True,
            "secondary_keys": ["night"],
            "constant": False,
            "position": "before_char",
        },
        {
            "keys": ["Mara"],
            "content": "Mara keeps the ferry.",
            "extensions": {},
            "enabled": False,
            "insertion_order": 5,
            "position": "after_char",
            "x_unknown_entry_field": {"kept": [1, 2, 3]},
        },
    ],
}

V2_CARD: dict[str, Any] = {
    "spec": "chara_card_v2",
    "spec_version": "2.0",
    "data": {
        "name": "Lantern Keeper",
        "description": "{{char}} tends the last lighthouse. 灯台守は夜を見張る。",
        "personality": "patient, dry humour 😄",
        "scenario": "A storm night on the coast.",
        "first_mes": "*{{char}} looks up.* Oh — hello, {{user}}. 你好！",
        "mes_example": "<START>\n{{user}}: Who are you?\n{{char}}: The keeper.",
        "creator_notes": "Best with slow-burn stories.",
        "system_prompt": "",
        "post_history_instructions": "Stay in character.",
        "alternate_greetings": ["The lamp flickers. 🔦", "¿Otra vez tú?"],
        "character_book": BOOK_V2,
        "tags": ["Fantasy", "OC", "  slow   burn ", "ファンタジー"],
        "creator": "tidewriter",
        "character_version": "1.2",
        "extensions": {
            "talkativeness": "0.5",
            "fav": False,
            "world": "Lantern Coast",
            "depth_prompt": {
                "prompt": "Remember the storm.",
                "depth": 4,
                "role": "system",
            },
            "x_vendor": {"nested": {"deep": [1, 2.5, None, True, "文字"]}},
        },
        "x_unknown_top_level": "kept verbatim",
    },
}

V3_CARD: dict[str, Any] = {
    "spec": "chara_card_v3",
    "spec_version": "3.0",
    "data": {
        **copy.deepcopy(V2_CARD["data"]),
        "name": "Lantern Keeper V3",
        "nickname": "Keeper",
        "creator_notes_multilingual": {
            "en": "Slow burn.",
            "ja": "スローバーン。",
            "zh": "慢热。",
        },
        "source": ["https://example.com/cards/lantern", "chub:tidewriter/lantern"],
        "group_only_greetings": ["Everyone gathers by the lamp. 🕯️"],
        "creation_date": 1700000000,
        "modification_date": 1710000000,
        "assets": [
            {"type": "icon", "uri": "ccdefault:", "name": "main", "ext": "png"},
            {
                "type": "background",
                "uri": "https://example.com/bg.webp",
                "name": "main",
                "ext": "webp",
            },
            {
                "type": "x_custom",
                "uri": "data:text/plain;base64,aGk=",
                "name": "note",
                "ext": "txt",
            },
        ],
        "character_book": {
            **copy.deepcopy(BOOK_V2),
            "entries": [
                {
                    **copy.deepcopy(BOOK_V2["entries"][0]),
                    "use_regex": True,
                    "keys": ["light(house)?", "灯台"],
                    "content": "@@depth 4\n@@role system\n@@activate_only_after 2\n@@@fallback_thing 3\nThe lamp is lit. 💡",
                },
                {
                    **copy.deepcopy(BOOK_V2["entries"][1]),
                    "use_regex": False,
                    "id": "mara-1",
                },
            ],
        },
    },
}


def with_kindred(card: dict[str, Any], **meta: str) -> dict[str, Any]:
    """``card`` as Kindred exports it: its extensions gain ``kindred`` with the meta."""
    out = copy.deepcopy(card)
    defaults = {
        "tagline": "",
        "category": "original",
        "style": "none",
        "language": "en",
        "content_rating": "general",
    }
    out["data"]["extensions"]["kindred"] = {**defaults, **meta}
    return out
