"""Start-up check that WeasyPrint subsets fonts with HarfBuzz, not fontTools (about 50 ms against about 10 s)."""
import logging

from weasyprint.pdf import fonts as pdf_fonts
from weasyprint.text.ffi import harfbuzz

HINT = ("请在服务器上安装 libharfbuzz-subset0（HarfBuzz ≥ 4.1）后重启；否则 WeasyPrint 改用 fontTools 裁剪中文字体，"
        "每份文书约需 10 秒。Install Debian's libharfbuzz-subset0 (HarfBuzz >= 4.1) and restart.")
# A subset CJK font is tens of kilobytes; the whole Noto Sans/Serif CJK face is over 10 MB.
PROBE_MAX_BYTES = 300_000


class FontSubsettingUnavailable(RuntimeError):
    """WeasyPrint would embed CJK fonts without HarfBuzz subsetting."""


def ensure_harfbuzz_subsetting():
    """Raise FontSubsettingUnavailable unless WeasyPrint's own condition for HarfBuzz subsetting holds."""
    # WeasyPrint 70 (pdf/fonts.py, Font.subset) uses HarfBuzz only if libharfbuzz-subset was dlopen'ed when
    # weasyprint.text.ffi was imported (`harfbuzz_subset` is not None) and HarfBuzz is at least 4.1.0;
    # otherwise it falls back to fontTools with a log warning and nothing else.
    if pdf_fonts.harfbuzz_subset is None:
        raise FontSubsettingUnavailable("未找到 libharfbuzz-subset 库。" + HINT)
    if not harfbuzz.hb_version_atleast(4, 1, 0):
        raise FontSubsettingUnavailable("HarfBuzz 版本低于 4.1.0。" + HINT)


class _Captured(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def probe_subsetting(render_probe):
    """Run `render_probe() -> bytes` and raise if WeasyPrint fell back or embedded a whole font."""
    captured = _Captured()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(captured)
    try:
        pdf = render_probe()
    finally:
        logger.removeHandler(captured)
    complaints = [message for message in captured.messages if "subset" in message.lower()]
    if complaints:
        raise FontSubsettingUnavailable(f"字体裁剪失败：{complaints[0]}。" + HINT)
    if len(pdf) > PROBE_MAX_BYTES:
        raise FontSubsettingUnavailable(f"试渲染的 PDF 有 {len(pdf)} 字节，字体未被裁剪。" + HINT)
