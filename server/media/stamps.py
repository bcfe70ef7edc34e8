"""Caption a derived copy with time, place and record, as printed evidence photos carry. Never the original."""

import functools
import io
import os

from PIL import Image, ImageDraw, ImageFont

NOTO_CJK_PATH = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
# Face 2 of the Noto Sans CJK collection is SC: Simplified Chinese glyph shapes (face 0 is Japanese).
NOTO_CJK_SC_INDEX = 2


class StampFontMissing(RuntimeError):
    """The CJK font is not installed; the server's setup is incomplete (apt install fonts-noto-cjk)."""


def stamp_evidence(jpeg_bytes: bytes, lines: list[str], *, font_path: str = NOTO_CJK_PATH,
                   font_index: int = NOTO_CJK_SC_INDEX, quality: int = 82) -> bytes:
    """Return a JPEG of the derived copy with `lines` on a dark band at the bottom; raises StampFontMissing."""
    if not os.path.exists(font_path):
        raise StampFontMissing(f"CJK font not found at {font_path}; install fonts-noto-cjk")
    with Image.open(io.BytesIO(jpeg_bytes), formats=["JPEG"]) as im:
        im.load()
        picture = im.convert("RGB")
    if not lines:
        return _encode(picture, quality)
    lines = [str(line) for line in lines]
    font = _fitting_font(font_path, font_index, lines, picture.width)
    return _encode(_with_caption(picture, lines, font), quality)


def _fitting_font(path: str, index: int, lines: list[str], width: int) -> ImageFont.FreeTypeFont:
    """Text about 1/60 of the width, smaller if a long address would run off the picture."""
    size = max(12, width // 60)
    widest = max(_font(path, index, size).getlength(line) for line in lines)
    usable = width - size  # half a text height of margin on each side
    if widest > usable:
        size = max(10, int(size * usable / widest))
    return _font(path, index, size)


def _with_caption(picture: Image.Image, lines: list[str], font: ImageFont.FreeTypeFont) -> Image.Image:
    """Draw on a translucent band so the text stays legible over any part of the photo."""
    size = int(font.size)
    pad, line_height = size // 2, int(size * 1.35)
    band_height = pad * 2 + line_height * len(lines)
    top = max(0, picture.height - band_height)
    overlay = Image.new("RGBA", picture.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    draw.rectangle((0, top, picture.width, picture.height), fill=(0, 0, 0, 150))
    for i, line in enumerate(lines):
        draw.text((pad, top + pad + i * line_height), line, font=font, fill=(255, 255, 255, 255))
    return Image.alpha_composite(picture.convert("RGBA"), overlay).convert("RGB")


def cjk_font(size: int) -> ImageFont.FreeTypeFont:
    """Noto Sans CJK SC at a pixel size (charts, stamps), loaded once per size."""
    return _font(NOTO_CJK_PATH, NOTO_CJK_SC_INDEX, size)


@functools.lru_cache(maxsize=8)
def _font(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    # The collection is about 20 MB: load each size once per process.
    return ImageFont.truetype(path, size, index=index)


def _encode(picture: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=quality)  # no exif=: a stamped copy carries no metadata either
    return out.getvalue()
