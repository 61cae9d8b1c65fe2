"""Character Card import and export: the use cases behind the studio, the API and
the ``import_card`` / ``export_card`` commands. The format work is in
``characters.cards``; this module adds permissions, storage and the avatar."""

from __future__ import annotations

import io
from typing import IO

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from characters.cards import (
    FORMATS,
    MAX_CARD_UPLOAD,
    card_build,
    card_json_bytes,
    card_parse,
    card_png,
    placeholder_png,
)
from characters.models import Character
from characters.selectors import character_get_for_user, definition_hidden_reason
from characters.services import character_create, character_definition
from community.models import User
from config.images import image_open

NOT_PUBLISHED = "This character has no published version to download."


# Multipart framing around the file (boundaries, headers, the publish field).
MULTIPART_OVERHEAD = 64 * 1024


def card_request_too_large(content_length: str | None) -> ValidationError | None:
    """Refuse an oversized upload from its Content-Length, before Django streams
    the whole body to a temporary file."""
    try:
        size = int(content_length or 0)
    except ValueError:
        return None
    if size <= MAX_CARD_UPLOAD + MULTIPART_OVERHEAD:
        return None
    return ValidationError(
        {
            "file": [
                f"The upload is {size / 1_048_576:.1f} MB; the limit for a character "
                f"card is {MAX_CARD_UPLOAD // 1_048_576} MB."
            ]
        }
    )


def card_read_upload(upload: IO[bytes] | bytes) -> bytes:
    """The bytes of an upload, refusing files over the card upload limit without
    reading more than the limit."""
    if isinstance(upload, bytes):
        raw = upload
    else:
        size = getattr(upload, "size", None)
        if isinstance(size, int) and size > MAX_CARD_UPLOAD:
            raw = b""
            too_big = size
        else:
            raw = upload.read(MAX_CARD_UPLOAD + 1)
            too_big = len(raw) if len(raw) > MAX_CARD_UPLOAD else 0
        if too_big:
            raise ValidationError(
                {
                    "file": [
                        f"The file is {too_big / 1_048_576:.1f} MB or more; the limit "
                        f"for a character card is {MAX_CARD_UPLOAD // 1_048_576} MB."
                    ]
                }
            )
    return raw


def character_import(
    *,
    owner: User,
    upload: IO[bytes] | bytes,
    filename: str = "",
    publish: bool = False,
) -> Character:
    """Create a character from a Character Card (V1/V2/V3 JSON, PNG or CHARX).

    Everything is checked before anything is written (the card, the definition's
    limits, Kindred's fields, the avatar), and the write is one transaction: a
    refused card leaves nothing behind. Raises ``ValidationError`` naming the
    problem."""
    raw = card_read_upload(upload)
    parsed = card_parse(raw, filename=filename)
    if parsed.avatar is not None:
        try:
            image_open(parsed.avatar, name=parsed.avatar_name)
        except ValidationError as exc:
            raise ValidationError(
                {"avatar": [f"The card's avatar: {m}" for m in exc.messages]}
            ) from None
    with transaction.atomic():
        return character_create(
            owner=owner,
            data=parsed.data,
            meta=parsed.meta,
            avatar=io.BytesIO(parsed.avatar) if parsed.avatar is not None else None,
            avatar_name=parsed.avatar_name,
            publish=publish,
            note=f"Imported from a {parsed.description}",
        )


def _avatar_png(character: Character) -> bytes:
    """The character's avatar as PNG bytes (avatars are stored as PNG or WebP), or
    a generated placeholder when there is none."""
    if character.avatar:
        try:
            with character.avatar.open("rb") as fh:
                stored: bytes = fh.read()
        except OSError:  # the file went missing from storage: use the placeholder
            stored = b""
        if stored.startswith(b"\x89PNG\r\n\x1a\n"):
            return stored
        if stored:
            from PIL import Image

            out = io.BytesIO()
            with Image.open(io.BytesIO(stored)) as image:
                image.convert("RGBA").save(out, format="PNG", optimize=True)
            return out.getvalue()
    return placeholder_png(initial=character.initial, hue=character.hue)


def character_export(
    *, character: Character, user: User | AnonymousUser, fmt: str
) -> tuple[bytes, str, str]:
    """A character as a card file: ``(content, filename, content_type)``.

    Who may export: whoever may see the character (``Http404`` otherwise, so a
    private character's existence never leaks) and, unless they own it, only
    when its definition is visible to others (``PermissionDenied``). The owner
    exports the newest definition (the draft if any); others the published one.
    """
    if fmt not in FORMATS:
        raise ValidationError(
            {"format": [f"Unknown format “{fmt[:20]}”; use one of: png, v2, v3."]}
        )
    visible = character_get_for_user(slug=character.slug, user=user)
    hidden = definition_hidden_reason(character=visible, user=user)
    if hidden is not None:
        raise PermissionDenied(f"{hidden} Its card cannot be downloaded.")
    is_owner = user.is_authenticated and user.pk == visible.owner_id
    if is_owner:
        data, meta = character_definition(visible)
    else:
        version = visible.published_version
        if version is None:  # character_get_for_user shows others published ones only
            raise PermissionDenied(NOT_PUBLISHED)
        data, meta = version.data, version.meta
    v2 = card_build(data, meta, spec="v2")
    v3 = card_build(data, meta, spec="v3")
    if fmt == "v2":
        return card_json_bytes(v2), f"{visible.slug}.v2.json", "application/json"
    if fmt == "v3":
        return card_json_bytes(v3), f"{visible.slug}.v3.json", "application/json"
    return (
        card_png(_avatar_png(visible), v2=v2, v3=v3),
        f"{visible.slug}.png",
        "image/png",
    )
