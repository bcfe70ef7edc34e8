"""Verify uploaded photos and derive the display and thumbnail copies; original bytes are never modified."""

import io
import struct
from dataclasses import dataclass

from PIL import Image

from server.domain.errors import Invalid
from server.media.formats import ACCEPTED, MIME_TYPES, declared_size, is_complete, sniff_format

ORIENTATION_TAG = 0x0112
# Pillow's own failures on malformed input; anything else is a bug and should surface as one.
# An ICC profile is kept only where it describes RGB data (not CMYK or grey sources).
_RGB_MODES = ("RGB", "RGBA", "RGBa", "P", "PA")
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, KeyError, struct.error)


@dataclass(frozen=True)
class ImageInfo:
    """What a verified image is: format, stored pixel size and the EXIF orientation (1–8)."""

    format: str
    width: int
    height: int
    mime: str
    orientation: int = 1

    @property
    def display_size(self) -> tuple[int, int]:
        """Size once the orientation is applied (5–8 turn the picture by 90°)."""
        if self.orientation in (5, 6, 7, 8):
            return self.height, self.width
        return self.width, self.height


@dataclass(frozen=True)
class DerivedCopy:
    """One derived JPEG: bytes and pixel size."""

    data: bytes
    width: int
    height: int
    mime: str = "image/jpeg"


@dataclass(frozen=True)
class Derived:
    """The display copy (PDFs, screens) and the thumbnail (lists) of one original."""

    display: DerivedCopy
    thumb: DerivedCopy


def inspect_image(data: bytes, *, max_bytes: int, max_pixels: int) -> ImageInfo:
    """Verify that `data` is a whole JPEG, PNG or WebP within the limits; raises Invalid with a stable code."""
    if len(data) > max_bytes:
        raise _refusal("IMAGE_TOO_LARGE", f"图片文件过大（{_mb(len(data))}），上限为 {_mb(max_bytes)}",
                       f"The image file is too large ({_mb(len(data))}); the limit is {_mb(max_bytes)}.",
                       limit=max_bytes, actual=len(data))
    fmt = _accepted_format(data)
    width, height = _checked_size(data, fmt, max_pixels)
    if not is_complete(data, fmt):
        raise _corrupt()
    try:
        with Image.open(io.BytesIO(data), formats=[fmt]) as im:
            im.verify()  # structure and checksums (PNG CRCs) without decoding
        with Image.open(io.BytesIO(data), formats=[fmt]) as im:
            if im.size != (width, height):
                raise ValueError("header size changed between reads")
            orientation = _orientation(im)
            _decode_all(im)
    except _DECODE_ERRORS as exc:
        raise _corrupt() from exc
    return ImageInfo(fmt, width, height, MIME_TYPES[fmt], orientation)


def derive_copies(data: bytes, *, display_max_px: int = 1600, thumb_max_px: int = 320,
                  quality: int = 82, max_pixels: int | None = None) -> Derived:
    """Make the display copy and thumbnail: upright, RGB, no metadata, never upscaled; raises Invalid."""
    fmt = _accepted_format(data)
    width, height = _checked_size(data, fmt, max_pixels)
    try:
        with Image.open(io.BytesIO(data), formats=[fmt]) as im:
            # Decode JPEGs at 1/2, 1/4 or 1/8 scale (libjpeg DCT scaling): a 12 MP photo then costs a
            # fraction of a full decode. The request keeps at least display_max_px on the longest side.
            im.draft("RGB", _fit((width, height), display_max_px))
            icc = im.info.get("icc_profile") if im.mode in _RGB_MODES else None
            orientation = _orientation(im)
            im.load()
            # Shrunk first, then turned: the turn then moves a third fewer pixels. The longest side is the
            # same either way, so the display copy's size does not change.
            # After a DCT-scaled decode at most 2× is left to go, where Pillow's antialiased bilinear filter
            # is barely softer than bicubic and a third cheaper.
            display = _upright(_shrink(_to_rgb(im), display_max_px, Image.Resampling.BILINEAR), orientation)
    except _DECODE_ERRORS as exc:
        raise _corrupt() from exc
    thumb = _shrink(display, thumb_max_px)
    return Derived(_encode(display, quality, icc), _encode(thumb, quality, icc))


def _accepted_format(data: bytes) -> str:
    fmt = sniff_format(data)
    if fmt is None:
        raise _refusal("NOT_AN_IMAGE", "文件不是图片，请上传 JPEG、PNG 或 WebP 照片",
                       "The file is not an image; upload a JPEG, PNG or WebP photo.")
    if fmt not in ACCEPTED:
        raise _refusal("UNSUPPORTED_IMAGE_TYPE", f"不支持的图片格式（{fmt}），请使用 JPEG、PNG 或 WebP",
                       f"Unsupported image type ({fmt}); use JPEG, PNG or WebP.", detected=fmt)
    return fmt


def _checked_size(data: bytes, fmt: str, max_pixels: int | None) -> tuple[int, int]:
    """Refuse by the header alone: a bomb is a few KB that claims billions of pixels."""
    ceiling = _pixel_ceiling()
    if max_pixels is None:
        max_pixels = ceiling
    elif ceiling is not None and max_pixels > ceiling:
        # Above Pillow's limit Image.open warns or raises on its own; keep one authority, ours.
        raise ValueError(f"max_pixels {max_pixels} exceeds PIL.Image.MAX_IMAGE_PIXELS {ceiling}")
    size = declared_size(data, fmt)
    if size is None or 0 in size:
        raise _corrupt()
    width, height = size
    if max_pixels is not None and width * height > max_pixels:
        raise _refusal("IMAGE_TOO_MANY_PIXELS",
                       f"图片尺寸过大（{width}×{height} 像素），上限为 {max_pixels // 10_000} 万像素",
                       f"The image is too large ({width}×{height} pixels); the limit is {max_pixels:,} pixels.",
                       limit=max_pixels, actual=width * height)
    return width, height


def _pixel_ceiling() -> int | None:
    # Read at call time: configuration may change Pillow's limit after import.
    return Image.MAX_IMAGE_PIXELS


def _decode_all(im: Image.Image) -> None:
    """Decode every byte of pixel data so a truncated upload fails here, not later in a PDF."""
    if im.format in ("JPEG", "MPO"):
        # Scaled decoding still reads the whole entropy-coded stream, at 1/64 of the memory.
        im.draft(None, (max(1, im.width // 8), max(1, im.height // 8)))
    im.load()


def _orientation(im: Image.Image) -> int:
    """EXIF orientation 1–8; a damaged EXIF block means "as stored" rather than refusing the evidence."""
    try:
        value = im.getexif().get(ORIENTATION_TAG, 1)
    except _DECODE_ERRORS:
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


# EXIF orientation → the turn that makes the picture upright (as ImageOps.exif_transpose does).
_TURNS = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
          5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
          8: Image.Transpose.ROTATE_90}


def _upright(im: Image.Image, orientation: int) -> Image.Image:
    """The picture turned as the camera meant it (orientation read from the original's EXIF)."""
    turn = _TURNS.get(orientation)
    return im.transpose(turn) if turn is not None else im


def _to_rgb(im: Image.Image) -> Image.Image:
    """RGB for JPEG: transparency flattened on white (as on paper), 16-bit grey scaled, not clipped."""
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        im = im.convert("I").point(lambda v: v / 257).convert("L")
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info:
        rgba = im.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return im if im.mode == "RGB" else im.convert("RGB")


def _shrink(im: Image.Image, longest: int, resample=Image.Resampling.BICUBIC) -> Image.Image:
    # Image.thumbnail's defaults: bicubic after a box reduction of large factors. Lanczos looked the same
    # at these ratios and cost a third of the 150 ms budget for a 12 MP photo.
    return im.resize(_fit(im.size, longest), resample, reducing_gap=2.0)


def _fit(size: tuple[int, int], longest: int) -> tuple[int, int]:
    """The size that fits `size` into a `longest`-pixel box, never larger than `size`."""
    scale = min(1.0, longest / max(size))
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _encode(im: Image.Image, quality: int, icc: bytes | None) -> DerivedCopy:
    # Derived copies go into PDFs handed to enterprises: no EXIF (GPS, device serial), XMP or comments.
    # The ICC profile stays: tablet cameras shoot Display P3 and colours shift without it.
    im.info = {}
    out = io.BytesIO()
    im.save(out, "JPEG", quality=quality, icc_profile=icc)
    return DerivedCopy(out.getvalue(), im.width, im.height)


def _corrupt() -> Invalid:
    return _refusal("IMAGE_CORRUPT", "图片已损坏或不完整，请重新拍摄或重新上传",
                    "The image is damaged or incomplete; take or upload it again.")


def _refusal(code: str, message: str, message_en: str, **extra) -> Invalid:
    detail = {"field": "file", "code": code, "message": message, "message_en": message_en, **extra}
    return Invalid(message, details=[detail], code=code)


def _mb(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB"
