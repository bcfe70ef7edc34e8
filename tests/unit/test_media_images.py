"""Photo evidence from the inspectors' tablets: what the server accepts, refuses, and derives for PDFs."""

import hashlib
import io
import os
import struct
import zlib

import pytest
from PIL import Image, ImageFile

from server.domain.errors import Invalid
from server.media import derive_copies, inspect_image, stamp_evidence
from server.media.stamps import NOTO_CJK_PATH, StampFontMissing

LIMITS = {"max_bytes": 30 * 1024 * 1024, "max_pixels": 50_000_000}
GPS_IFD = 0x8825
ORIENTATION = 0x0112
RED, BLUE = (220, 20, 20), (20, 20, 220)


def photo(size=(400, 300), fmt="JPEG", orientation=None, gps=False, mode="RGB", **save) -> bytes:
    """A picture with a red top-left quarter on blue, so turning it shows where that corner went."""
    im = Image.new(mode, size, BLUE if mode == "RGB" else (*BLUE, 255))
    im.paste(RED, (0, 0, size[0] // 2, size[1] // 2))
    exif = Image.Exif()
    if orientation:
        exif[ORIENTATION] = orientation
    if gps:
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)})
    out = io.BytesIO()
    im.save(out, fmt, exif=exif, **save)
    return out.getvalue()


def camera_photo_12mp() -> bytes:
    """4000×3000 like a tablet camera, smooth gradients so it encodes quickly, with GPS in its EXIF."""
    ramp = Image.linear_gradient("L").resize((4000, 3000))
    im = Image.merge("RGB", [ramp, ramp.transpose(Image.Transpose.ROTATE_180), ramp])
    exif = Image.Exif()
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (39.0, 54.0, 27.0)})
    out = io.BytesIO()
    im.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def opened(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


def refusal(data: bytes, **limits) -> Invalid:
    with pytest.raises(Invalid) as caught:
        inspect_image(data, **{**LIMITS, **limits})
    return caught.value


def assert_explained(error: Invalid, code: str) -> None:
    assert error.code == code
    (detail,) = error.details
    assert detail["code"] == code and detail["field"] == "file"
    assert detail["message"] and detail["message_en"] and detail["message"] == error.message


def test_photo_taken_with_the_tablet_upright_is_shown_upright_and_the_original_stays_byte_exact():
    original = photo(orientation=6, gps=True)
    kept = bytes(original)

    info = inspect_image(original, **LIMITS)
    derived = derive_copies(original)

    assert (info.format, info.width, info.height, info.orientation) == ("JPEG", 400, 300, 6)
    assert info.display_size == (300, 400)
    display = opened(derived.display.data)
    assert display.size == (derived.display.width, derived.display.height) == (300, 400)
    # Orientation 6 means "turn 90° clockwise": the red top-left corner ends up top-right.
    assert _near(display.getpixel((290, 10)), RED) and _near(display.getpixel((10, 10)), BLUE)
    assert original == kept and hashlib.sha256(original).digest() == hashlib.sha256(kept).digest()
    assert opened(original).getexif()[ORIENTATION] == 6


def test_12mp_camera_photo_gets_a_1600px_display_copy_and_a_320px_thumbnail_without_location():
    original = camera_photo_12mp()
    assert opened(original).getexif().get_ifd(GPS_IFD), "precondition: the original carries GPS"

    derived = derive_copies(original)

    for copy, longest in ((derived.display, 1600), (derived.thumb, 320)):
        im = opened(copy.data)
        assert im.format == "JPEG" and im.mode == "RGB" and copy.mime == "image/jpeg"
        assert max(im.size) == longest and im.size == (copy.width, copy.height)
        assert abs(im.width / im.height - 4 / 3) < 0.01
        assert not im.getexif() and not im.getexif().get_ifd(GPS_IFD)
        assert "exif" not in im.info and "xmp" not in im.info
        assert inspect_image(copy.data, **LIMITS).format == "JPEG"
    assert opened(original).getexif().get_ifd(GPS_IFD), "the evidence keeps its location"


def test_screenshot_with_transparency_is_flattened_on_white_like_paper():
    original = photo(fmt="PNG", mode="RGBA")
    im = Image.open(io.BytesIO(original))
    im = im.copy()
    im.paste((0, 0, 0, 0), (200, 150, 400, 300))  # a transparent corner
    out = io.BytesIO()
    im.save(out, "PNG")

    assert inspect_image(out.getvalue(), **LIMITS).mime == "image/png"
    display = opened(derive_copies(out.getvalue()).display.data)

    assert display.mode == "RGB"
    assert _near(display.getpixel((390, 290)), (255, 255, 255))
    assert _near(display.getpixel((10, 10)), RED)


def test_webp_from_the_tablet_is_accepted():
    original = photo(fmt="WEBP", quality=90)

    info = inspect_image(original, **LIMITS)
    derived = derive_copies(original)

    assert (info.format, info.mime, info.width, info.height) == ("WEBP", "image/webp", 400, 300)
    assert opened(derived.display.data).size == (400, 300)


def test_a_small_photo_is_never_enlarged():
    derived = derive_copies(photo(size=(200, 100)))

    assert (derived.display.width, derived.display.height) == (200, 100)
    assert (derived.thumb.width, derived.thumb.height) == (200, 100)


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, "GIF")
    return out.getvalue()


def _tiff() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "TIFF")
    return out.getvalue()


@pytest.mark.parametrize(("data", "code"), [
    pytest.param(_gif(), "UNSUPPORTED_IMAGE_TYPE", id="gif"),
    pytest.param(_tiff(), "UNSUPPORTED_IMAGE_TYPE", id="tiff"),
    pytest.param(b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "UNSUPPORTED_IMAGE_TYPE",
                 id="svg"),
    pytest.param(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "UNSUPPORTED_IMAGE_TYPE", id="heic"),
    pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "NOT_AN_IMAGE", id="pdf"),
    pytest.param(os.urandom(4096), "NOT_AN_IMAGE", id="random-bytes"),
    pytest.param(b"", "NOT_AN_IMAGE", id="empty"),
])
def test_files_that_are_not_accepted_photos_are_refused_by_content_not_name(data, code):
    assert_explained(refusal(data), code)
    with pytest.raises(Invalid):
        derive_copies(data)


def test_unsupported_type_names_what_was_sent():
    error = refusal(_gif())

    assert error.details[0]["detected"] == "GIF"
    assert "GIF" in error.message and "GIF" in error.details[0]["message_en"]


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_upload_cut_off_mid_file_is_refused_as_corrupt(fmt, keep):
    whole = photo(size=(640, 480), fmt=fmt, quality=90) if fmt != "PNG" else _noisy_png()

    error = refusal(whole[: int(len(whole) * keep)])

    assert_explained(error, "IMAGE_CORRUPT")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_cut_off_upload_is_refused_even_when_pillow_is_told_to_accept_truncated_files(fmt, monkeypatch):
    # WeasyPrint sets this flag for the whole server process when it is imported.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    whole = photo(size=(640, 480), fmt=fmt, quality=90) if fmt != "PNG" else _noisy_png()

    assert_explained(refusal(whole[: len(whole) * 2 // 3]), "IMAGE_CORRUPT")
    assert inspect_image(whole, max_bytes=10**8, max_pixels=10**7).width in (320, 640)  # the whole file is fine


def test_png_with_a_damaged_checksum_is_refused_as_corrupt():
    data = bytearray(_noisy_png())
    data[-20] ^= 0xFF  # inside the last IDAT chunk

    assert_explained(refusal(bytes(data)), "IMAGE_CORRUPT")


@pytest.mark.parametrize("bomb", [
    pytest.param(lambda: _png_claiming(20_000, 20_000), id="png-400MP"),
    pytest.param(lambda: _png_claiming(10_000, 10_000), id="png-100MP-pillow-warning-zone"),
    pytest.param(lambda: _jpeg_claiming(60_000, 60_000), id="jpeg-3.6GP"),
    pytest.param(lambda: _webp_claiming(16_383, 16_383), id="webp-268MP"),
])
def test_decompression_bomb_is_refused_from_its_header_without_decoding(bomb, monkeypatch):
    data = bomb()
    assert len(data) < 10_000, "precondition: a few KB claiming a huge picture"

    def must_not_decode(*args, **kwargs):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(Image, "open", must_not_decode)
    monkeypatch.setattr(ImageFile.ImageFile, "load", must_not_decode)

    error = refusal(data)
    assert_explained(error, "IMAGE_TOO_MANY_PIXELS")
    assert error.details[0]["limit"] == LIMITS["max_pixels"]
    with pytest.raises(Invalid) as caught:
        derive_copies(data, max_pixels=LIMITS["max_pixels"])
    assert caught.value.code == "IMAGE_TOO_MANY_PIXELS"


def test_image_just_within_the_pixel_limit_is_accepted():
    assert inspect_image(photo(size=(400, 300)), max_bytes=LIMITS["max_bytes"], max_pixels=120_000).width == 400
    assert_explained(refusal(photo(size=(400, 300)), max_pixels=119_999), "IMAGE_TOO_MANY_PIXELS")


def test_file_over_the_size_limit_is_refused_before_anything_else():
    data = camera_photo_12mp()

    error = refusal(data, max_bytes=len(data) - 1)

    assert_explained(error, "IMAGE_TOO_LARGE")
    assert error.details[0]["actual"] == len(data)


def test_a_pixel_limit_above_pillows_own_is_a_configuration_error():
    with pytest.raises(ValueError, match="MAX_IMAGE_PIXELS"):
        inspect_image(photo(), max_bytes=LIMITS["max_bytes"], max_pixels=Image.MAX_IMAGE_PIXELS + 1)


@pytest.mark.skipif(not os.path.exists(NOTO_CJK_PATH), reason="Noto Sans CJK not installed")
def test_evidence_stamp_captions_the_display_copy_in_chinese():
    display = derive_copies(photo(size=(1600, 1200))).display.data

    stamped = stamp_evidence(display, ["2025-11-21 10:42（设备时间）", "精密铸造有限公司 3号车间", "记录 0f3c9a"])

    before, after = opened(display), opened(stamped)
    assert after.size == before.size and not after.getexif()
    assert after.getpixel((5, after.height - 5)) != before.getpixel((5, before.height - 5))
    assert _near(after.getpixel((5, 5)), before.getpixel((5, 5)))


def test_evidence_stamp_without_the_cjk_font_says_so(tmp_path):
    with pytest.raises(StampFontMissing, match="fonts-noto-cjk"):
        stamp_evidence(photo(), ["记录"], font_path=str(tmp_path / "missing.ttc"))


def _near(pixel, expected, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected))


def _noisy_png() -> bytes:
    out = io.BytesIO()
    Image.effect_noise((320, 240), 50).save(out, "PNG")
    return out.getvalue()


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def _png_claiming(width: int, height: int) -> bytes:
    """A valid-looking 1-bit PNG header for a huge picture; a few rows of data are enough to be plausible."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress((b"\x00" + bytes((width + 7) // 8)) * 8)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", rows)
            + _png_chunk(b"IEND", b""))


def _jpeg_claiming(width: int, height: int) -> bytes:
    data = bytearray(photo(size=(16, 16)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def _webp_claiming(width: int, height: int) -> bytes:
    data = bytearray(photo(size=(16, 16), fmt="WEBP", mode="RGBA"))  # alpha makes Pillow write VP8X
    assert data[12:16] == b"VP8X"
    data[24:30] = (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return bytes(data)
