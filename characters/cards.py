"""Character Cards: read V1/V2/V3 JSON, PNG (``chara``/``ccv3``) and CHARX; write
V2/V3 JSON and PNG. See CHARACTER-CARDS.md and the public specs
(malfoyslastname/character-card-spec-v2, kwaroran/character-card-spec-v3).

Everything here is pure (no database): ``card_parse`` turns untrusted bytes into
a definition that passes ``definition_clean`` plus Kindred's meta and the avatar
bytes, or raises ``ValidationError`` whose message names the problem;
``card_build`` / ``card_json_bytes`` / ``card_png`` write a card back.

Lossless round trip. Stored definitions are Card V3 ``data`` dicts, unknown keys
and extensions included. ``definition_clean`` normalises two things a card
carries (it trims the name and lowercases/deduplicates tags) and adds the
spec's fields a card left out; so the importer remembers, in
``extensions.kindred.import``, the keys the card carried and the original
spelling of the name and tags. Export puts them back as long as the current
value is still the normalised form of the original (an edit in the studio wins),
and leaves out optional fields the card did not carry while they are empty.
Kindred's own fields (tagline, category, style, language, content rating) travel
in ``extensions.kindred`` and are read back on import.

PNG is parsed here with a strict chunk reader (signature, lengths, CRCs,
truncation) instead of Pillow's text handling: Pillow caps text chunks at 1 MB
and is lenient about damage we want to report. The avatar goes to Pillow (via
``config.images``) only after the text chunks are stripped.
"""

from __future__ import annotations

import base64
import binascii
import colorsys
import copy
import io
import json
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import ValidationError

from characters.definition import definition_clean
from config.text import value_problem

# --- Limits ------------------------------------------------------------------
MAX_CARD_UPLOAD = 10 * 1024 * 1024  # a whole uploaded file (PNG, JSON or CHARX)
MAX_CARD_JSON = 5 * 1024 * 1024  # the card's JSON text, decoded
MAX_JSON_DEPTH = 64  # nesting of objects/arrays inside a card
MAX_CHARX_MEMBERS = 1000
MAX_CHARX_UNCOMPRESSED = 64 * 1024 * 1024  # sum of the declared member sizes
MAX_AVATAR_BYTES = 5 * 1024 * 1024  # mirrors config.images.MAX_BYTES
MAX_PNG_CHUNKS = 10_000

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ZIP_SIGNATURE = b"PK\x03\x04"
SPEC_V2 = "chara_card_v2"
SPEC_V3 = "chara_card_v3"
CARD_KEYWORDS = ("chara", "ccv3")
TEXT_CHUNKS = (b"tEXt", b"zTXt", b"iTXt")

# Kindred's fields, carried in ``data.extensions.kindred`` (see characters.services).
META_KEYS = ("tagline", "category", "style", "language", "content_rating")
KINDRED = "kindred"
IMPORT_NOTE = "import"  # inside extensions.kindred: what the card originally carried

V1_FIELDS = (
    "name",
    "description",
    "personality",
    "scenario",
    "first_mes",
    "mes_example",
)
# Card V2 ``data`` fields (spec_v2.md), in the spec's order.
V2_FIELDS = (
    *V1_FIELDS,
    "creator_notes",
    "system_prompt",
    "post_history_instructions",
    "alternate_greetings",
    "character_book",
    "tags",
    "creator",
    "character_version",
    "extensions",
)
V2_REQUIRED = tuple(f for f in V2_FIELDS if f != "character_book")
V3_ONLY = (
    "assets",
    "nickname",
    "creator_notes_multilingual",
    "source",
    "group_only_greetings",
    "creation_date",
    "modification_date",
)
V3_FIELDS = (*V2_FIELDS, *V3_ONLY)
V3_REQUIRED = (*V2_REQUIRED, "group_only_greetings")
# Tags that mark a card as adult content when it says nothing else.
MATURE_TAGS = frozenset({"nsfw", "18+", "adult", "mature", "explicit"})

Format = Literal["png", "v2", "v3"]
FORMATS: tuple[Format, ...] = ("png", "v2", "v3")


def _refuse(message: str, field: str = "file") -> ValidationError:
    return ValidationError({field: [message]})


def _mb(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB"


@dataclass(frozen=True)
class ParsedCard:
    """What an uploaded card holds, validated."""

    data: dict[str, Any]  # passes definition_clean; Card V3 ``data`` shape
    meta: dict[str, Any]  # Kindred fields from extensions.kindred (meta_clean checks)
    avatar: bytes | None  # image bytes (PNG with text chunks stripped, or CHARX icon)
    avatar_name: str  # a file name whose extension matches the claimed type
    container: str  # "png", "json" or "charx"
    spec: str  # "v1", "v2" or "v3"

    @property
    def description(self) -> str:
        return f"Character Card {self.spec.upper()} ({self.container.upper()})"


# --- PNG chunks ----------------------------------------------------------------


@dataclass(frozen=True)
class PngChunk:
    type: bytes
    data: bytes


def _chunk_name(ctype: bytes) -> str:
    return ctype.decode("latin-1")


def png_read_chunks(raw: bytes) -> list[PngChunk]:
    """Split a PNG into chunks, checking the signature, every length and CRC, and
    that the file starts with IHDR and reaches IEND. Bytes after IEND are ignored."""
    if not raw.startswith(PNG_SIGNATURE):
        raise _refuse("The file is not a PNG image: its PNG signature is missing.")
    chunks: list[PngChunk] = []
    pos = len(PNG_SIGNATURE)
    size = len(raw)
    while True:
        if pos + 8 > size:
            raise _refuse(
                "The PNG is truncated: it ends before its IEND chunk "
                f"(after {len(chunks)} chunks)."
            )
        length, ctype = struct.unpack(">I4s", raw[pos : pos + 8])
        if not ctype.isalpha() or not ctype.isascii():
            raise _refuse(
                f"The PNG is damaged: invalid chunk type {ctype!r} at byte {pos}."
            )
        if length > 0x7FFFFFFF:
            raise _refuse(
                f"The PNG is damaged: the “{_chunk_name(ctype)}” chunk claims "
                f"{length} bytes."
            )
        end = pos + 8 + length + 4
        if end > size:
            raise _refuse(
                f"The PNG is truncated: its “{_chunk_name(ctype)}” chunk needs "
                f"{length} bytes but the file ends first."
            )
        data = raw[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", raw[end - 4 : end])
        if zlib.crc32(ctype + data) != crc:
            raise _refuse(
                f"The PNG is damaged: the CRC of its “{_chunk_name(ctype)}” chunk "
                "does not match its content."
            )
        if not chunks and ctype != b"IHDR":
            raise _refuse("The PNG is damaged: it does not start with an IHDR chunk.")
        chunks.append(PngChunk(ctype, data))
        if len(chunks) > MAX_PNG_CHUNKS:
            raise _refuse(f"The PNG has more than {MAX_PNG_CHUNKS:,} chunks.")
        pos = end
        if ctype == b"IEND":
            return chunks


def png_write_chunks(chunks: list[PngChunk]) -> bytes:
    out = io.BytesIO()
    out.write(PNG_SIGNATURE)
    for chunk in chunks:
        out.write(struct.pack(">I", len(chunk.data)))
        out.write(chunk.type)
        out.write(chunk.data)
        out.write(struct.pack(">I", zlib.crc32(chunk.type + chunk.data)))
    return out.getvalue()


def png_text_chunk(keyword: str, text: str) -> PngChunk:
    """A tEXt chunk (keyword and text are Latin-1; card payloads are base64)."""
    return PngChunk(b"tEXt", keyword.encode("latin-1") + b"\0" + text.encode("latin-1"))


def _text_keyword(chunk: PngChunk) -> str | None:
    """The keyword of a text chunk, or None for other chunks."""
    if chunk.type not in TEXT_CHUNKS:
        return None
    keyword, sep, _ = chunk.data.partition(b"\0")
    return keyword.decode("latin-1") if sep else ""


def _png_card_texts(chunks: list[PngChunk]) -> dict[str, bytes]:
    """The first ``chara`` and ``ccv3`` tEXt payloads, by lowercase keyword."""
    found: dict[str, bytes] = {}
    for chunk in chunks:
        if chunk.type != b"tEXt":
            continue
        keyword, sep, text = chunk.data.partition(b"\0")
        if not sep:
            continue
        key = keyword.decode("latin-1").lower()
        if key in CARD_KEYWORDS and key not in found:
            found[key] = text
    return found


def png_strip_text(chunks: list[PngChunk]) -> bytes:
    """The image without any text chunk (card payloads and other metadata)."""
    return png_write_chunks([c for c in chunks if c.type not in TEXT_CHUNKS])


# --- JSON ------------------------------------------------------------------------


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


def _json_from_bytes(raw: bytes, *, where: str) -> object:
    """Decode UTF-8 (a BOM is allowed) and parse JSON; ``where`` names the source."""
    if len(raw) > MAX_CARD_JSON:
        raise _refuse(
            f"{where} is {_mb(len(raw))} of JSON; the limit is {_mb(MAX_CARD_JSON)}."
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _refuse(
            f"{where} is not valid UTF-8 text (byte 0x{raw[exc.start]:02x} at "
            f"position {exc.start})."
        ) from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise _refuse(
            f"{where} is not valid JSON: {exc.msg} (line {exc.lineno}, column "
            f"{exc.colno})."
        ) from None
    except RecursionError:
        raise _refuse(f"{where} is nested too deeply to be a character card.") from None
    except ValueError as exc:  # NaN/Infinity, or an integer with too many digits
        raise _refuse(f"{where} is not valid JSON: {exc}.") from None


# --- Reading the containers -----------------------------------------------------


def _from_png(raw: bytes) -> tuple[object, bytes, str]:
    chunks = png_read_chunks(raw)
    texts = _png_card_texts(chunks)
    keyword = "ccv3" if "ccv3" in texts else "chara" if "chara" in texts else None
    if keyword is None:
        other = {
            (_text_keyword(c) or "").lower()
            for c in chunks
            if c.type in (b"zTXt", b"iTXt")
        }
        hint = (
            " (it has a compressed or international text chunk with that name; "
            "cards must be in tEXt)"
            if other & set(CARD_KEYWORDS)
            else ""
        )
        raise _refuse(
            "The PNG has no character card in it: no “ccv3” or “chara” tEXt "
            f"chunk{hint}."
        )
    payload = b"".join(texts[keyword].split())  # writers may wrap base64 lines
    payload += b"=" * (-len(payload) % 4)
    try:
        decoded = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise _refuse(f"The PNG's “{keyword}” chunk is not valid base64.") from None
    obj = _json_from_bytes(decoded, where=f"The PNG's “{keyword}” chunk")
    return obj, png_strip_text(chunks), "avatar.png"


def _safe_member_path(name: str) -> bool:
    if not name or name.startswith(("/", "\\")) or "\\" in name or "\x00" in name:
        return False
    parts = name.split("/")
    return not (":" in parts[0] or any(p == ".." for p in parts))


def _zip_read(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, what: str
) -> bytes:
    if info.file_size > limit:
        raise _refuse(f"{what} is {_mb(info.file_size)}; the limit is {_mb(limit)}.")
    try:
        with zf.open(info) as fh:
            data = fh.read(limit + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
        raise _refuse(f"The CHARX archive is damaged: {what} cannot be read.") from None
    except NotImplementedError:
        raise _refuse(
            f"The CHARX archive uses a compression method Kindred cannot read for "
            f"{what}."
        ) from None
    if len(data) > limit:
        raise _refuse(f"{what} is larger than {_mb(limit)}.")
    return data


def _from_charx(raw: bytes) -> tuple[object, bytes | None, str]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise _refuse("The file is not a valid CHARX (zip) archive.") from None
    if len(infos) > MAX_CHARX_MEMBERS:
        raise _refuse(
            f"The CHARX archive has {len(infos):,} files; the limit is "
            f"{MAX_CHARX_MEMBERS:,}."
        )
    total = sum(info.file_size for info in infos)
    if total > MAX_CHARX_UNCOMPRESSED:
        raise _refuse(
            f"The CHARX archive expands to {_mb(total)}; the limit is "
            f"{_mb(MAX_CHARX_UNCOMPRESSED)} (a decompression bomb?)."
        )
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        if not _safe_member_path(info.filename):
            raise _refuse(
                f"The CHARX archive contains an unsafe path “{info.filename[:200]}”."
            )
        if info.flag_bits & 0x1:
            raise _refuse("The CHARX archive is encrypted; Kindred cannot read it.")
        members[info.filename] = info
    if "card.json" not in members:
        raise _refuse("The CHARX archive has no card.json at its root.")
    card_raw = _zip_read(zf, members["card.json"], MAX_CARD_JSON, "card.json")
    obj = _json_from_bytes(card_raw, where="The CHARX card.json")
    avatar: bytes | None = None
    avatar_name = ""
    icon = _main_icon(obj)
    if icon is not None:
        uri, _ext = icon
        for prefix in ("embeded://", "embedded://"):
            if uri.startswith(prefix):
                path = uri[len(prefix) :]
                if not _safe_member_path(path):
                    raise _refuse(f"The card's icon has an unsafe path “{uri[:200]}”.")
                icon_info = members.get(path)
                if icon_info is None:
                    raise _refuse(
                        f"The card's main icon “{uri[:200]}” is not in the CHARX archive."
                    )
                avatar = _zip_read(
                    zf, icon_info, MAX_AVATAR_BYTES, "The card's main icon"
                )
                # No name: the content decides the type (CHARX writers mislabel
                # "ext" often enough, and config.images checks the content anyway).
                avatar_name = ""
                break
    return obj, avatar, avatar_name


def _main_icon(obj: object) -> tuple[str, str] | None:
    """The (uri, ext) of the V3 main icon asset, if the card names one."""
    data = obj.get("data") if isinstance(obj, dict) else None
    assets = data.get("assets") if isinstance(data, dict) else None
    if not isinstance(assets, list):
        return None
    icons = [
        a
        for a in assets
        if isinstance(a, dict)
        and a.get("type") == "icon"
        and isinstance(a.get("uri"), str)
    ]
    main = next(
        (a for a in icons if a.get("name") == "main"), icons[0] if icons else None
    )
    if main is None:
        return None
    ext = main.get("ext")
    return main["uri"], ext.lower() if isinstance(ext, str) else ""


_OTHER_IMAGES = {
    b"\xff\xd8\xff": "JPEG",
    b"GIF87a": "GIF",
    b"GIF89a": "GIF",
    b"RIFF": "WebP",
}


def _sniff_other_image(raw: bytes) -> str | None:
    for magic, name in _OTHER_IMAGES.items():
        if raw.startswith(magic) and (name != "WebP" or raw[8:12] == b"WEBP"):
            return name
    return None


# --- Card JSON → definition -------------------------------------------------------


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


def card_json_to_data(obj: object) -> tuple[dict[str, Any], dict[str, Any], str]:
    """A card's JSON → (raw V3-shaped ``data``, Kindred meta, spec "v1"/"v2"/"v3").

    The data is not yet cleaned; ``card_parse`` does that."""
    if not isinstance(obj, dict):
        raise _refuse(f"The card must be a JSON object, not {_type_name(obj)}.", "spec")
    spec = obj.get("spec")
    if spec is None:
        if not any(key in obj for key in V1_FIELDS):
            raise _refuse(
                "This JSON is not a character card: it has no “spec” and none of "
                "the V1 fields (name, description, personality, scenario, "
                "first_mes, mes_example).",
                "spec",
            )
        data: dict[str, Any] = {key: obj[key] for key in V1_FIELDS if key in obj}
        # SillyTavern's V1 exports carry these two alongside the V1 fields.
        if isinstance(obj.get("creatorcomment"), str):
            data["creator_notes"] = obj["creatorcomment"]
        if isinstance(obj.get("tags"), list):
            data["tags"] = obj["tags"]
        data.setdefault("name", "")
        return data, {}, "v1"
    if spec not in (SPEC_V2, SPEC_V3):
        shown = spec if isinstance(spec, str) else json.dumps(spec)
        if spec == "lorebook_v3":
            raise _refuse(
                "This is a lorebook (spec “lorebook_v3”), not a character card.", "spec"
            )
        raise _refuse(
            f"Unsupported card spec “{str(shown)[:60]}”: expected “{SPEC_V2}” or "
            f"“{SPEC_V3}”.",
            "spec",
        )
    version = obj.get("spec_version")
    if version is not None and not isinstance(version, str | int | float):
        raise _refuse(
            f"“spec_version” must be text such as “3.0”, not {_type_name(version)}.",
            "spec",
        )
    if "data" not in obj:
        raise _refuse("The card has no “data” object.", "data")
    raw_data = obj["data"]
    if not isinstance(raw_data, dict):
        raise _refuse(
            f"The card's “data” must be an object, not {_type_name(raw_data)}.", "data"
        )
    data = copy.deepcopy(raw_data)
    if "name" not in data:
        raise _refuse("The card has no name (“data.name” is missing).", "name")
    meta = _take_kindred_meta(data)
    return data, meta, "v3" if spec == SPEC_V3 else "v2"


def _take_kindred_meta(data: dict[str, Any]) -> dict[str, Any]:
    """Move Kindred's fields out of ``extensions.kindred`` (they live in meta)."""
    ext = data.get("extensions")
    if not isinstance(ext, dict) or KINDRED not in ext:
        return {}
    kindred = ext[KINDRED]
    if not isinstance(kindred, dict):
        raise _refuse(
            f"“extensions.kindred” must be an object, not {_type_name(kindred)}.",
            "extensions",
        )
    meta = {key: kindred[key] for key in META_KEYS if key in kindred}
    rest = {k: v for k, v in kindred.items() if k not in META_KEYS and k != IMPORT_NOTE}
    if rest:
        ext[KINDRED] = rest
    else:
        del ext[KINDRED]
    return meta


def tags_normalise(tags: list[str]) -> list[str]:
    """The tag normalisation of ``definition_clean`` (whitespace, case, duplicates)."""
    out: list[str] = []
    for raw in tags:
        tag = " ".join(raw.split()).lower()
        if tag and tag not in out:
            out.append(tag)
    return out


def _remember_original(raw: dict[str, Any], clean: dict[str, Any]) -> None:
    """Note in ``extensions.kindred.import`` what normalisation changed or added,
    so export gives the card back as it came."""
    note: dict[str, Any] = {"keys": list(raw)}
    if raw.get("name") != clean["name"]:
        note["name"] = raw["name"]
    if isinstance(raw.get("tags"), list) and raw["tags"] != clean["tags"]:
        note["tags"] = raw["tags"]
    clean["extensions"].setdefault(KINDRED, {})[IMPORT_NOTE] = note


def card_parse(raw: bytes, *, filename: str = "") -> ParsedCard:
    """Untrusted bytes → a validated card. ``ValidationError`` names the problem."""
    if len(raw) > MAX_CARD_UPLOAD:
        raise _refuse(
            f"The file is {_mb(len(raw))}; the limit for a character card is "
            f"{MAX_CARD_UPLOAD // 1_048_576} MB."
        )
    if not raw.strip():
        raise _refuse("The file is empty.")
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    avatar: bytes | None = None
    avatar_name = ""
    obj: object
    if raw.startswith(PNG_SIGNATURE):
        container = "png"
        obj, avatar, avatar_name = _from_png(raw)
    elif raw.startswith(ZIP_SIGNATURE) or ext == "charx":
        container = "charx"
        obj, avatar, avatar_name = _from_charx(raw)
    elif (other := _sniff_other_image(raw)) is not None:
        raise _refuse(
            f"This is a {other} image; character cards travel inside PNG files. "
            "Upload the card's PNG, JSON or CHARX file."
        )
    elif ext == "png":
        raise _refuse("The file is not a PNG image: its PNG signature is missing.")
    else:
        container = "json"
        obj = _json_from_bytes(raw, where="The file")
    problem = value_problem(obj, "the card", max_depth=MAX_JSON_DEPTH)
    if problem:
        raise _refuse(f"The card has {problem}.")
    data, meta, spec = card_json_to_data(obj)
    clean = definition_clean(data)
    _remember_original(data, clean)
    if "content_rating" not in meta and MATURE_TAGS & set(clean["tags"]):
        meta["content_rating"] = "mature"
    return ParsedCard(
        data=clean,
        meta=meta,
        avatar=avatar,
        avatar_name=avatar_name,
        container=container,
        spec=spec,
    )


# --- Definition → card JSON -------------------------------------------------------


_REQUIRED_DEFAULTS: dict[str, Any] = {
    "alternate_greetings": [],
    "group_only_greetings": [],
    "tags": [],
    "extensions": {},
}


def _is_empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {}


def card_build(
    data: dict[str, Any], meta: dict[str, Any], *, spec: Literal["v2", "v3"]
) -> dict[str, Any]:
    """A stored definition (+ Kindred meta) → a V2 or V3 card object."""
    d = copy.deepcopy(data)
    ext = d.get("extensions")
    if not isinstance(ext, dict):
        ext = {}
    kindred = dict(ext.get(KINDRED) or {}) if isinstance(ext.get(KINDRED), dict) else {}
    note = kindred.pop(IMPORT_NOTE, None)
    note = note if isinstance(note, dict) else {}
    carried = note.get("keys")
    carried_keys = set(carried) if isinstance(carried, list) else set()
    name = note.get("name")
    if isinstance(name, str) and name.strip() == d.get("name"):
        d["name"] = name
    tags = note.get("tags")
    if (
        isinstance(tags, list)
        and all(isinstance(t, str) for t in tags)
        and tags_normalise(tags) == d.get("tags")
    ):
        d["tags"] = tags
    kindred.update({k: meta[k] for k in META_KEYS if k in meta})
    ext[KINDRED] = kindred
    d["extensions"] = ext

    fields = V3_FIELDS if spec == "v3" else V2_FIELDS
    required = V3_REQUIRED if spec == "v3" else V2_REQUIRED
    out: dict[str, Any] = {}
    # Spec fields in the spec's order, then whatever else the card carried.
    for key in (*fields, *(k for k in d if k not in fields)):
        if key not in d:
            if key in required:
                out[key] = _REQUIRED_DEFAULTS.get(key, "")
            continue
        if key in required or key in carried_keys or not _is_empty(d[key]):
            out[key] = d[key]
    if spec == "v3":
        return {"spec": SPEC_V3, "spec_version": "3.0", "data": out}
    return {"spec": SPEC_V2, "spec_version": "2.0", "data": out}


def card_json_bytes(card: dict[str, Any], *, pretty: bool = True) -> bytes:
    """UTF-8 JSON with CJK and emoji as themselves, not \\u escapes."""
    if pretty:
        return json.dumps(card, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    return json.dumps(card, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def card_png(image_png: bytes, *, v2: dict[str, Any], v3: dict[str, Any]) -> bytes:
    """``image_png`` with its card chunks replaced by ``chara`` (V2) and ``ccv3`` (V3)
    tEXt chunks, written just before IEND."""
    chunks = [
        c
        for c in png_read_chunks(image_png)
        if (_text_keyword(c) or "").lower() not in CARD_KEYWORDS
    ]
    payloads = [
        png_text_chunk(
            keyword,
            base64.b64encode(card_json_bytes(card, pretty=False)).decode("ascii"),
        )
        for keyword, card in (("chara", v2), ("ccv3", v3))
    ]
    return png_write_chunks([*chunks[:-1], *payloads, chunks[-1]])


def placeholder_png(*, initial: str, hue: int, size: int = 512) -> bytes:
    """A gradient square with the character's initial, for characters without an
    avatar (a card PNG needs an image to travel in)."""
    from PIL import Image, ImageDraw, ImageFont

    def rgb(h: float, lightness: float) -> tuple[int, int, int]:
        r, g, b = colorsys.hls_to_rgb(h % 1.0, lightness, 0.62)
        return int(r * 255), int(g * 255), int(b * 255)

    top, bottom = rgb(hue / 12, 0.62), rgb(hue / 12 + 0.08, 0.42)
    image = Image.new("RGB", (size, size))
    draw = ImageDraw.Draw(image)
    for y in range(size):
        t = y / (size - 1)
        draw.line(
            [(0, y), (size, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    if initial.isascii() and initial.strip():
        try:
            font: ImageFont.FreeTypeFont | ImageFont.ImageFont = ImageFont.load_default(
                size=size // 2
            )
        except (OSError, ImportError):  # Pillow without FreeType: no letter
            font = ImageFont.load_default()
        draw.text(
            (size / 2, size / 2), initial, fill=(255, 255, 255), font=font, anchor="mm"
        )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
