"""Untrusted image uploads: checked, re-encoded, stripped of metadata.

Shared by profile avatars and character avatars. An upload is refused when it is
too large, not an image, not the type its name or content type claims, over the
pixel limit, or a decompression bomb; what passes is decoded and re-encoded, which
drops EXIF/XMP/ICC and any appended payload (a PNG's card chunks included).
"""

from __future__ import annotations

import io
import uuid
import warnings
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 4096
ALLOWED = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
CLAIMS = {
    "png": "PNG",
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "webp": "WEBP",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/webp": "WEBP",
}


def _claimed_format(name: str, content_type: str | None) -> set[str]:
    claims = set()
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext:
        if ext not in CLAIMS:
            raise ValidationError(
                f"“.{ext}” files are not accepted: upload a PNG, JPEG or WebP image."
            )
        claims.add(CLAIMS[ext])
    if content_type and content_type in CLAIMS:
        claims.add(CLAIMS[content_type])
    return claims


def image_open(
    data: bytes, *, name: str = "", content_type: str | None = None
) -> Image.Image:
    """Decode and verify ``data``; raise ``ValidationError`` with the reason."""
    if len(data) > MAX_BYTES:
        raise ValidationError(
            f"The image is {len(data) / 1_048_576:.1f} MB; the limit is "
            f"{MAX_BYTES // 1_048_576} MB."
        )
    claims = _claimed_format(name, content_type)
    try:
        with warnings.catch_warnings():
            # Pillow warns past MAX_IMAGE_PIXELS and raises past twice that; both
            # are a decompression bomb to us.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            fmt = image.format or ""
            if fmt not in ALLOWED:
                raise ValidationError(
                    f"This file is a {fmt or 'unknown'} image: upload a PNG, JPEG or "
                    "WebP image."
                )
            if claims and fmt not in claims:
                raise ValidationError(
                    f"The file claims to be {'/'.join(sorted(claims))} but its "
                    f"content is {fmt}."
                )
            width, height = image.size
            if width > MAX_SIDE or height > MAX_SIDE:
                raise ValidationError(
                    f"The image is {width}×{height} pixels; the limit is "
                    f"{MAX_SIDE}×{MAX_SIDE}."
                )
            image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ValidationError(
            "The image expands to too many pixels (a decompression bomb)."
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            "The file is not a readable image (or it is truncated)."
        ) from None
    return image


def image_reencode(
    image: Image.Image, *, max_side: int | None = None
) -> tuple[bytes, str]:
    """Re-encode without metadata; PNG keeps transparency, others become WebP."""
    image = ImageOps.exif_transpose(image) or image
    if max_side and max(image.size) > max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    has_alpha = image.mode in ("RGBA", "LA", "P") and (
        image.mode != "P" or "transparency" in image.info
    )
    if has_alpha:
        image.convert("RGBA").save(out, format="PNG", optimize=True)
        return out.getvalue(), "png"
    image.convert("RGB").save(out, format="WEBP", quality=88, method=4)
    return out.getvalue(), "webp"


def image_clean(
    upload: IO[bytes], *, name: str | None = None, max_side: int | None = None
) -> ContentFile[bytes]:
    """Validate an upload and return a re-encoded ``ContentFile`` with a fresh name."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(
            f"The image is {size / 1_048_576:.1f} MB; the limit is "
            f"{MAX_BYTES // 1_048_576} MB."
        )
    data = upload.read(MAX_BYTES + 1)
    image = image_open(
        data,
        name=name or getattr(upload, "name", "") or "",
        content_type=getattr(upload, "content_type", None),
    )
    encoded, ext = image_reencode(image, max_side=max_side)
    return ContentFile(encoded, name=f"{uuid.uuid4().hex}.{ext}")
