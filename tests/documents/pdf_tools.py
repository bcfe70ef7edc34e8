"""Look at PDFs the way a reviewer would: poppler's pdftotext/pdffonts/pdfinfo/pdfdetach/pdfimages, and zbarimg."""
import html
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image


def _run(*args):
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


class Pdf:
    """A rendered PDF written to a file, with the poppler views of it."""

    def __init__(self, data, path):
        self.data = data
        self.path = Path(path)
        self.path.write_bytes(data)

    def text(self, page=None, raw=False, crop=None):
        """pdftotext output of the document or one page; raw keeps content-stream order (cells stay whole).

        crop=(top, bottom) in mm keeps only the page body, leaving out what the page margins repeat.
        """
        args = ["pdftotext", "-enc", "UTF-8"] + (["-raw"] if raw else [])
        if page is not None:
            args += ["-f", str(page), "-l", str(page)]
        if crop is not None:
            width, height = self.page_size
            top, bottom = (round(mm / 25.4 * 72) for mm in crop)
            args += ["-x", "0", "-y", str(top), "-W", str(round(width)), "-H", str(round(height) - top - bottom)]
        return _run(*args, str(self.path), "-")

    def body_text(self, crop):
        """The page bodies one after the other, whitespace removed: text running over a page break joins up."""
        return "".join(squash(self.text(page, raw=True, crop=crop)) for page in range(1, self.pages + 1))

    def flat_text(self, page=None, raw=True):
        """The text without any whitespace, so that line wrapping does not split what a test looks for."""
        return squash(self.text(page, raw))

    @property
    def pages(self):
        return int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(self.path)), re.M)[1])

    @property
    def page_size(self):
        """(width, height) in points of the first page."""
        match = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", _run("pdfinfo", str(self.path)), re.M)
        return float(match[1]), float(match[2])

    def fonts(self):
        """pdffonts rows as dicts: name, type, emb, sub."""
        rows = []
        for line in _run("pdffonts", str(self.path)).splitlines()[2:]:
            parts = line.split()
            # name, type (may contain spaces), encoding, emb, sub, uni, object, id
            rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
        return rows

    def embedded_files(self):
        """pdfdetach -list: the names of files embedded in the PDF."""
        lines = _run("pdfdetach", "-list", str(self.path)).splitlines()
        assert lines and lines[0].endswith("embedded files"), lines
        return lines[1:]

    def images(self, page):
        """pdfimages -list rows of one page: (width, height) of each image drawn there."""
        out = _run("pdfimages", "-list", "-f", str(page), "-l", str(page), str(self.path))
        return [(int(line.split()[3]), int(line.split()[4])) for line in out.splitlines()[2:]
                if line.split()[2] == "image"]

    def page_pngs(self, prefix, dpi=150):
        """Each page rasterised with pdftoppm; returns the PNG paths in page order."""
        prefix = Path(prefix)
        _run("pdftoppm", "-r", str(dpi), "-png", str(self.path), str(prefix))
        pattern = re.compile(re.escape(prefix.name) + r"-(\d+)\.png")
        pages = [(int(m[1]), path) for path in prefix.parent.iterdir() if (m := pattern.fullmatch(path.name))]
        return [path for _, path in sorted(pages)]


def squash(text):
    """Text without whitespace of any kind."""
    return re.sub(r"\s+", "", text)


def decode_qr(png_path):
    """Every QR payload zbarimg finds in an image."""
    result = subprocess.run(["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(png_path)],
                            capture_output=True, text=True)
    return [line for line in result.stdout.splitlines() if line]


def temp_pdf(data):
    """A Pdf in a temporary file (for one-off checks)."""
    handle = tempfile.NamedTemporaryFile(suffix=".pdf", delete=False)
    handle.close()
    return Pdf(data, handle.name)


@dataclass(frozen=True)
class Word:
    """One word as pdftotext -bbox finds it: its page (from 1), text and box in points from the top left."""

    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other, tolerance=0.3):
        """True when the boxes share more than `tolerance` points across and half the lower one's height down: the
        boxes are the font's full ascent to descent, so lines of one paragraph touch a little and are no overlap."""
        down = min(self.y1, other.y1) - max(self.y0, other.y0)
        return (min(self.x1, other.x1) - max(self.x0, other.x0) > tolerance
                and down > 0.5 * min(self.y1 - self.y0, other.y1 - other.y0))


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def words(pdf):
    """Every word of the PDF with its box, page by page (poppler's pdftotext -bbox)."""
    found = []
    for number, page in enumerate(_run("pdftotext", "-bbox", str(pdf.path), "-").split("<page ")[1:], start=1):
        found += [Word(number, html.unescape(m[5]), *(float(v) for v in m.groups()[:4])) for m in WORD.finditer(page)]
    return found


def overlapping_words(page_words):
    """Pairs of words on one page whose boxes intersect: text of one table cell running into another's."""
    ordered = sorted(page_words, key=lambda w: (w.page, w.y0))
    pairs = []
    for index, word in enumerate(ordered):
        for other in ordered[index + 1:]:
            if other.page != word.page or other.y0 >= word.y1:
                break
            if word.overlaps(other):
                pairs.append((word, other))
    return pairs


def vertical_rules(png_path, dpi, min_length_mm=8.0, darkness=160):
    """The vertical lines drawn on a page image (table cell borders): (x, y_top, y_bottom) in points, each a run of
    dark pixels at least `min_length_mm` long; no glyph stroke is that tall."""
    columns = Image.open(png_path).convert("L").transpose(Image.Transpose.TRANSPOSE)  # one pixel row per column
    length, count = columns.size
    data = columns.tobytes().translate(bytes(1 if value < darkness else 0 for value in range(256)))
    run, scale = re.compile(rb"\x01{%d,}" % round(min_length_mm / 25.4 * dpi)), 72 / dpi
    return [(x * scale, (m.start() - x * length) * scale, (m.end() - x * length) * scale)
            for x in range(count) for m in run.finditer(data, x * length, (x + 1) * length)]


def words_across_rules(page_words, rules, tolerance=0.5):
    """Words that a vertical rule runs through: text that has left its cell."""
    return [(word, rule) for word in page_words for rule in rules
            if word.x0 + tolerance < rule[0] < word.x1 - tolerance and rule[1] < (word.y0 + word.y1) / 2 < rule[2]]
