"""Look at PDFs the way a reviewer would: poppler's pdftotext/pdffonts/pdfinfo/pdfdetach/pdfimages, and zbarimg."""
import re
import subprocess
import tempfile
from pathlib import Path


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
