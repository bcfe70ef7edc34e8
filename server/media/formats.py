"""Recognise image formats by their leading bytes and read declared dimensions without decoding pixels."""

import io
import struct

from PIL import JpegImagePlugin

ACCEPTED = ("JPEG", "PNG", "WEBP")
MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# ISO-BMFF brands of HEIF/AVIF: what iPads and many Android tablets save when "high efficiency" is on.
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}


def sniff_format(data: bytes) -> str | None:
    """Name the format of `data` from its signature: an ACCEPTED name, another image type's name, or None."""
    head = data[:64]
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(_PNG_SIGNATURE):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return _sniff_unsupported(data)


def _sniff_unsupported(data: bytes) -> str | None:
    """Name image types we refuse, so the inspector is told "wrong type", not "not an image"."""
    head = data[:64]
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if head[:2] == b"BM" and len(data) >= 26:
        return "BMP"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "AVIF" if head[8:12] in (b"avif", b"avis") else "HEIC"
    if head[:4] == b"\x00\x00\x01\x00":
        return "ICO"
    text = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<svg", b"<?xml")) and b"<svg" in text:
        return "SVG"
    return None


def declared_size(data: bytes, fmt: str) -> tuple[int, int] | None:
    """Width and height stated in the header of an ACCEPTED format, or None if the header is unreadable."""
    try:
        if fmt == "PNG":
            return _png_size(data)
        if fmt == "WEBP":
            return _webp_size(data)
        if fmt == "JPEG":
            # Pillow's own marker parser, so our size and Image.open's can never disagree; it stops at the
            # first scan and allocates no pixels.
            return JpegImagePlugin.JpegImageFile(io.BytesIO(data)).size
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, KeyError, struct.error):
        return None
    raise ValueError(f"not an accepted format: {fmt}")


def _png_size(data: bytes) -> tuple[int, int] | None:
    # IHDR must be the first chunk (PNG spec 5.6), so the size sits at a fixed offset.
    if len(data) < 24 or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def _webp_size(data: bytes) -> tuple[int, int] | None:
    # Read here because Pillow's WebP plugin creates the decoder, canvas included, while opening.
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = struct.unpack("<I", data[21:25])[0]
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X" and len(data) >= 30:
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    return None


def is_complete(data: bytes, fmt: str) -> bool:
    """True when the file's own structure says it is whole, whatever Pillow's LOAD_TRUNCATED_IMAGES says.

    WeasyPrint sets that Pillow flag for the whole process at import, after which a photo cut off by a
    dropped connection would decode "successfully" with a grey bottom half: evidence must not be accepted so.
    """
    if fmt == "JPEG":
        # Entropy-coded data never contains FF D9 (0xFF is always stuffed), so an end-of-image marker after
        # the first start-of-scan ends the main image; an EXIF thumbnail's EOI comes before it.
        scan = data.find(b"\xff\xda")
        return scan > 0 and data.rfind(b"\xff\xd9") > scan
    if fmt == "PNG":
        return data.rfind(b"IEND") > len(_PNG_SIGNATURE)
    if fmt == "WEBP":
        return len(data) >= 12 and int.from_bytes(data[4:8], "little") + 8 <= len(data)
    return False
