"""Avatars drawn by code, for demo characters and card exports without one."""

from __future__ import annotations

import colorsys
import hashlib
import io

from PIL import Image, ImageChops, ImageDraw, ImageFont


def _color(h: float, s: float, v: float) -> tuple[int, int, int]:
    r, g, b = colorsys.hsv_to_rgb(h % 1.0, s, v)
    return int(r * 255), int(g * 255), int(b * 255)


def avatar_generate(seed: str, *, initial: str = "", size: int = 512) -> bytes:
    """A PNG: a diagonal two-colour gradient, soft circles placed by the seed's
    hash, and the initial in the middle. The same seed gives the same picture."""
    digest = hashlib.sha256(seed.encode()).digest()
    hue = digest[0] / 255
    top = _color(hue, 0.55, 0.95)
    bottom = _color(hue + 0.12 + digest[1] / 2550, 0.75, 0.55)
    # A diagonal mask from Pillow's built-in 256×256 linear gradient.
    vertical = Image.linear_gradient("L").resize((size, size))
    mask = ImageChops.add(vertical, vertical.rotate(90), scale=2.0)
    image = Image.composite(
        Image.new("RGB", (size, size), bottom),
        Image.new("RGB", (size, size), top),
        mask,
    )
    overlay = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for i in range(5):
        cx = digest[2 + i] / 255 * size
        cy = digest[8 + i] / 255 * size
        r = size * (0.12 + digest[14 + i] / 255 * 0.3)
        alpha = 40 + digest[20 + i] % 50
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(255, 255, 255, alpha))
    image = Image.alpha_composite(image.convert("RGBA"), overlay)
    letter = (initial or seed[:1] or "?")[:1].upper()
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=int(size * 0.46))
    draw.text(
        (size / 2, size / 2), letter, font=font, fill=(255, 255, 255, 235), anchor="mm"
    )
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()
