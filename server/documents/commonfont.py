"""The documents' everyday Chinese face: Noto Serif CJK SC cut down, once per machine, to the common characters.

WeasyPrint subsets every embedded font on every render, and HarfBuzz's work grows with the source face: cutting the
few hundred glyphs of an opinion out of the 65,535-glyph Noto Serif CJK face takes about 70 ms. The same cut out of
a face that holds only GB 2312 (6,763 hanzi and its symbols), ASCII, Latin-1 and the CJK punctuation blocks (and
their layout alternates: 13,796 glyphs) takes about 23 ms, and the PDF is ~100 KB smaller. That face is built with HarfBuzz in about 0.3 s the first time a renderer starts, cached on disk
under a name derived from the installed source font, and registered with @font-face ahead of the full face — which
still draws any rarer character (a name such as 啰 or 堃), so nothing prints as a box.
"""
import hashlib
import logging
import os
import subprocess
import tempfile
from pathlib import Path

from cffi import FFI

LOGGER = logging.getLogger(__name__)
FAMILY = "Noto Serif CJK SC Common"
SOURCE_PATTERN = "Noto Serif CJK SC:style=Regular"
CACHE_ENV = "DOCUMENT_FONT_CACHE"
# Bump when the character set or the cut changes: the cached file name changes with it.
BUILD = "gb2312-1"
FILE_PREFIX = "NotoSerifCJKsc-common-"
# Besides GB 2312: ASCII and Latin-1, general punctuation (— ‘ ’ “ ” … ‰), letterlike symbols (℃ №), number
# forms (Ⅰ–Ⅻ), arrows, the mathematical operators (≤ ≥ ± × ÷ √), enclosed numbers (① ⑴ ⒈), box drawing,
# CJK symbols and punctuation (、。〔〕《》「」), and the fullwidth forms.
EXTRA_RANGES = ((0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2100, 0x218F), (0x2190, 0x21FF),
                (0x2200, 0x22FF), (0x2460, 0x24FF), (0x2500, 0x257F), (0x3000, 0x303F), (0xFF00, 0xFFEF))

_FFI = FFI()
_FFI.cdef("""
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
hb_blob_t *hb_blob_create_from_file_or_fail (const char *file_name);
void hb_blob_destroy (hb_blob_t *blob);
const char *hb_blob_get_data (hb_blob_t *blob, unsigned int *length);
hb_face_t *hb_face_create (hb_blob_t *blob, unsigned int index);
void hb_face_destroy (hb_face_t *face);
unsigned int hb_face_get_glyph_count (const hb_face_t *face);
hb_blob_t *hb_face_reference_blob (hb_face_t *face);
void hb_set_add (hb_set_t *set, uint32_t codepoint);
hb_subset_input_t *hb_subset_input_create_or_fail (void);
void hb_subset_input_destroy (hb_subset_input_t *input);
hb_set_t *hb_subset_input_unicode_set (hb_subset_input_t *input);
hb_face_t *hb_subset_or_fail (hb_face_t *source, const hb_subset_input_t *input);
""")


class CommonFontError(RuntimeError):
    """The common-characters face could not be located or built."""


def common_characters():
    """The code points the face keeps: GB 2312 (both its hanzi levels and its symbol rows) and EXTRA_RANGES."""
    points = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                points.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue  # an unassigned cell of the GB 2312 table
    for first, last in EXTRA_RANGES:
        points.update(range(first, last + 1))
    return sorted(points)


def default_cache_dir():
    """$DOCUMENT_FONT_CACHE, else the user's cache directory (XDG)."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "zhiye-field" / "fonts"


def locate_source(pattern=SOURCE_PATTERN):
    """(file, face index) of the installed face fontconfig picks for `pattern`."""
    try:
        found = subprocess.run(["fc-match", "--format", "%{file}|%{index}|%{family}", pattern], capture_output=True,
                               text=True, check=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError) as error:
        raise CommonFontError(f"fc-match failed: {error}") from error
    path, index, families = found.split("|", 2)
    if pattern.split(":", 1)[0] not in families.split(","):
        raise CommonFontError(f"{pattern} is not installed (fontconfig offers {families})")
    return Path(path), int(index)


def cut_face(path, index, code_points):
    """The face `index` of the font file `path` reduced by HarfBuzz to `code_points`, as OpenType bytes."""
    try:
        hb = _FFI.dlopen("libharfbuzz.so.0")
        hb_subset = _FFI.dlopen("libharfbuzz-subset.so.0")
    except OSError as error:
        raise CommonFontError(f"HarfBuzz is not available: {error}") from error
    blob = hb.hb_blob_create_from_file_or_fail(os.fsencode(path))
    if blob == _FFI.NULL:
        raise CommonFontError(f"cannot read {path}")
    face = hb.hb_face_create(blob, index)
    subset_input = hb_subset.hb_subset_input_create_or_fail()
    try:
        if hb.hb_face_get_glyph_count(face) == 0:
            raise CommonFontError(f"{path} has no face {index}")
        unicodes = hb_subset.hb_subset_input_unicode_set(subset_input)
        for point in code_points:
            hb.hb_set_add(unicodes, point)
        cut = hb_subset.hb_subset_or_fail(face, subset_input)
        if cut == _FFI.NULL:
            raise CommonFontError(f"HarfBuzz could not subset {path}")
        serialized = hb.hb_face_reference_blob(cut)
        length = _FFI.new("unsigned int *")
        data = _FFI.buffer(hb.hb_blob_get_data(serialized, length), length[0])[:]
        hb.hb_blob_destroy(serialized)
        hb.hb_face_destroy(cut)
        return data
    finally:
        hb_subset.hb_subset_input_destroy(subset_input)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)


def cache_name(path, index):
    """The cached file's name: changes when the installed source font or BUILD changes."""
    stat = path.stat()
    key = f"{BUILD}|{path}|{index}|{stat.st_size}|{stat.st_mtime_ns}"
    return FILE_PREFIX + hashlib.sha256(key.encode()).hexdigest()[:16] + ".otf"


def ensure_common_font(cache_dir=None):
    """The path of the common-characters face, built into `cache_dir` when missing; CommonFontError if it cannot
    be. Workers starting together may each build it: every one writes its own file and renames it into place."""
    cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    path, index = locate_source()
    target = cache_dir / cache_name(path, index)
    if target.is_file():
        return target
    data = cut_face(path, index, common_characters())
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=cache_dir, prefix=".building-", suffix=".otf")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except OSError as error:
        raise CommonFontError(f"cannot write {target}: {error}") from error
    for stale in cache_dir.glob(FILE_PREFIX + "*.otf"):
        if stale != target:
            stale.unlink(missing_ok=True)
    LOGGER.info("文书常用字字体已生成: %s (%d bytes)", target, len(data))
    return target
