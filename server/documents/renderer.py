"""DocumentRenderer: Jinja templates → HTML → PDF with WeasyPrint, one instance per worker process."""
import logging
import threading
from pathlib import Path

import jinja2
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from .commonfont import FAMILY, CommonFontError, ensure_common_font
from .contexts import validate_context
from .fetcher import AssetFetcher
from .formatting import FILTERS, GLOBALS
from .labels import label_pages
from .photos import PRINT_MAX_PX, PrintCopies
from .qr import qr_data_uri
from .subsetting import ensure_harfbuzz_subsetting, probe_subsetting

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATE_DIR = PACKAGE_DIR / "templates"
ASSET_DIR = PACKAGE_DIR / "static"
LABEL_LAYOUTS = ("thermal_50x30", "a4_sheet")
PROBE_HTML = (f'<html lang="zh-CN"><body style="font-family: \'{FAMILY}\', \'Noto Serif CJK SC\'">'
              '卫生监督意见书</body></html>')
LOGGER = logging.getLogger(__name__)


def build_environment(template_overrides=None):
    """The Jinja environment: autoescape on for every template, strict undefined, the documents' filters."""
    loaders = [jinja2.FileSystemLoader(str(TEMPLATE_DIR))]
    if template_overrides:
        # A province's own template (e.g. its 责令改正通知书) replaces the package one of the same name.
        loaders.insert(0, jinja2.FileSystemLoader(str(template_overrides)))
    env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(FILTERS)
    env.globals.update(GLOBALS)
    return env


class DocumentRenderer:
    """Renders the field documents; holds the shared font configuration, templates, styles and fetcher."""

    def __init__(self, template_overrides=None, photo_max_px=PRINT_MAX_PX, common_font=True, font_cache_dir=None):
        """`common_font`: register the common-characters face (commonfont.py; built into `font_cache_dir` when
        missing). Without it, or when it cannot be built, every character comes from the full Noto face."""
        ensure_harfbuzz_subsetting()
        # Three 1600 px display copies alone can pass the 1.2 MB budget; photos print 56 mm wide, where 800 px
        # is still over 360 dpi. None embeds the display copies unchanged.
        self.print_copies = PrintCopies(photo_max_px)
        self.font_config = FontConfiguration()
        self.common_font = _common_font(font_cache_dir) if common_font else None
        self.fetcher = AssetFetcher(ASSET_DIR, extra_files=[self.common_font] if self.common_font else ())
        self.env = build_environment(template_overrides)
        self._base_url = ASSET_DIR.as_uri() + "/"
        if self.common_font:
            # Registered in the shared FontConfiguration once; the stylesheets name the family.
            CSS(string=f'@font-face {{ font-family: "{FAMILY}"; src: url("{self.common_font.as_uri()}"); }}',
                url_fetcher=self.fetcher, font_config=self.font_config)
        # Parsed once: a shared FontConfiguration and stylesheets keep warm renders fast and memory flat.
        self._styles = {name: CSS(filename=str(ASSET_DIR / f"{name}.css"), url_fetcher=self.fetcher,
                                  font_config=self.font_config)
                        for name in ("documents", "labels_thermal_50x30", "labels_a4_sheet")}
        self._lock = threading.Lock()
        with self._lock:
            probe_subsetting(lambda: self._write(PROBE_HTML, None))

    def render_html(self, doc_type, context):
        """The document as self-contained HTML; ValueError naming the key when the context is incomplete."""
        checked = validate_context(doc_type, context)
        return self._html(doc_type, checked, qr_data_uri(checked["verification"]["url"]))

    def render_pdf(self, doc_type, context):
        """The document as PDF bytes (A4, CJK font embedded as a subset)."""
        checked = validate_context(doc_type, context)
        qr = qr_data_uri(checked["verification"]["url"])
        with self._lock, self.fetcher.inline_images() as add:
            by_reference = images_by_reference(checked, add, self.print_copies.print_copy)
            html = self._html(doc_type, by_reference, add(qr))
            return self._write(html, "documents")

    def render_labels(self, labels, layout="thermal_50x30"):
        """Sample labels as PDF: one 50×30 mm page per label, or A4 sheets of 3×7 labels."""
        if layout not in LABEL_LAYOUTS:
            raise ValueError(f"未知的标签版式：{layout}（unknown label layout, expected one of {LABEL_LAYOUTS}）")
        pages = label_pages(labels, per_page=1 if layout == "thermal_50x30" else 21)
        with self._lock, self.fetcher.inline_images() as add:
            pages = [[{**label, "qr": add(label["qr"])} for label in page] for page in pages]
            html = self.env.get_template("labels.html").render(pages=pages, layout=layout)
            return self._write(html, f"labels_{layout}")

    def render_sheet(self, template, context):
        """A working sheet that is not an issued document (no number, no verification code): 样品交接单, reports.
        `signatures` and `images` (name → PNG/JPEG data: URI) are inlined."""
        with self._lock, self.fetcher.inline_images() as add:
            context = dict(context, **{group: {k: add(v) if v else None for k, v in (context.get(group) or {}).items()}
                                       for group in ("signatures", "images")})
            html = self.env.get_template(template).render(**context)
            return self._write(html, "documents")

    def _html(self, doc_type, checked, verification_qr):
        template = self.env.get_template(f"{doc_type}.html")
        return template.render(**checked, doc_type=doc_type, verification_qr=verification_qr)

    def _write(self, html, style):
        """HTML → PDF; callers hold the lock (Pango and fontconfig are not safe for concurrent renders)."""
        stylesheets = [self._styles[style]] if style else []
        document = HTML(string=html, base_url=self._base_url, url_fetcher=self.fetcher)
        return document.write_pdf(stylesheets=stylesheets, font_config=self.font_config)


def _common_font(cache_dir):
    try:
        return ensure_common_font(cache_dir)
    except CommonFontError as error:
        LOGGER.warning("文书常用字字体不可用，改用完整字体（每份文书约慢 70 ms）: %s", error)
        return None


def images_by_reference(checked, add, photo_transform):
    """The context with every image data: URI replaced by the short reference `add` registers for it."""
    signatures = dict(checked["signatures"])
    signatures["officers"] = [add(uri) if uri else None for uri in signatures["officers"]]
    for key in ("party", "witness_signature"):
        signatures[key] = add(signatures[key]) if signatures[key] else None
    photos = [{**photo, "data_uri": add(photo["data_uri"], photo_transform)} for photo in checked["photos"]]
    return {**checked, "signatures": signatures, "photos": photos}

