"""Chinese text is embedded as a font subset, every character has a glyph, and slow subsetting is refused."""
import subprocess
import unicodedata
from functools import lru_cache

import pytest
from fontTools.ttLib import TTFont

from server.documents import DocumentRenderer, FontSubsettingUnavailable
from server.documents import commonfont, subsetting

from . import demo

# A whole Noto CJK face is over 15 MB; a document that embeds one as a subset stays far below this.
SUBSET_PDF_MAX_BYTES = 600_000


def _strings(value):
    """Every piece of text in a context (numbers as printed), images left out."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str) and not value.startswith("data:"):
        yield value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield str(value)


@lru_cache(maxsize=None)
def _families():
    out = subprocess.run(["fc-list", "--format", "%{family}\n"], capture_output=True, text=True, check=True).stdout
    names = {name for line in out.splitlines() for name in line.split(",")}
    return sorted(names, key=len, reverse=True)


@lru_cache(maxsize=None)
def _cmap(embedded_name):
    """The character map of the font an embedded font (`ABCDEF+Noto-Serif-CJK-SC`) was cut from: an installed one,
    or the renderer's common-characters face."""
    base = embedded_name.split("+", 1)[1]
    if base == commonfont.FAMILY.replace(" ", "-"):
        with TTFont(commonfont.ensure_common_font(), lazy=True) as font:
            return frozenset(font.getBestCmap())
    family = next(name for name in _families() if base.startswith(name.replace(" ", "-")))
    style = base[len(family):].strip("-").replace("-", " ") or "Regular"
    found = subprocess.run(["fc-match", "--format", "%{file}|%{index}", f"{family}:style={style}"],
                           capture_output=True, text=True, check=True).stdout
    path, index = found.split("|")
    with TTFont(path, fontNumber=int(index), lazy=True) as font:
        return frozenset(font.getBestCmap())


def _uncovered(text, cmaps):
    covered = frozenset().union(*cmaps)
    return sorted({char for char in text if not char.isspace() and unicodedata.category(char) != "Cc"
                   and ord(char) not in covered})


@pytest.mark.parametrize("doc_type", list(demo.BUILDERS))
def test_fonts_are_embedded_as_subsets(demo_documents, doc_type):
    pdf = demo_documents[doc_type].pdf
    fonts = pdf.fonts()
    assert any("CJK" in font["name"] for font in fonts)
    for font in fonts:
        assert "+" in font["name"] and font["emb"] == "yes" and font["sub"] == "yes", font
    if not demo_documents[doc_type].context["photos"]:
        assert len(pdf.data) < SUBSET_PDF_MAX_BYTES


@pytest.mark.parametrize("doc_type", list(demo.BUILDERS))
def test_every_character_has_a_glyph_in_an_embedded_font(demo_documents, doc_type):
    doc = demo_documents[doc_type]
    cmaps = [_cmap(font["name"]) for font in doc.pdf.fonts()]
    assert _uncovered("".join(_strings(doc.context)), cmaps) == []
    # The template's own wording too: whatever pdftotext reads back must have been drawn from a real glyph.
    assert _uncovered(doc.pdf.text(), cmaps) == []


def test_characters_missing_from_noto_fall_back_to_an_embedded_dejavu(render):
    context = demo.sampling_record_sheet()
    context["samples"][0]["hazard_zh"] = "游离SiO₂粉尘（含量≥10%）"
    doc = render("sampling_record_sheet-subscript", "sampling_record_sheet", context)
    fonts = doc.pdf.fonts()
    assert any("DejaVu" in font["name"] for font in fonts)
    assert _uncovered("游离SiO₂粉尘（含量≥10%）", [_cmap(font["name"]) for font in fonts]) == []
    assert "SiO₂" in doc.pdf.text(raw=True)


def test_the_renderer_refuses_to_start_without_harfbuzz_subsetting(monkeypatch):
    # What WeasyPrint checks before subsetting: the libharfbuzz-subset handle it dlopen'ed at import.
    monkeypatch.setattr(subsetting.pdf_fonts, "harfbuzz_subset", None)
    with pytest.raises(FontSubsettingUnavailable, match="libharfbuzz-subset0"):
        DocumentRenderer()


def test_the_renderer_refuses_an_old_harfbuzz(monkeypatch):
    class OldHarfBuzz:
        @staticmethod
        def hb_version_atleast(major, minor, micro):
            return (major, minor, micro) <= (4, 0, 0)
    monkeypatch.setattr(subsetting, "harfbuzz", OldHarfBuzz)
    with pytest.raises(FontSubsettingUnavailable, match="4.1.0"):
        DocumentRenderer()


def test_the_start_up_probe_catches_a_fallback_or_a_whole_embedded_font():
    def falls_back():
        import logging
        logging.getLogger("weasyprint").warning("Using fontTools instead of HarfBuzz-Subset for font \"Noto\"")
        return b"%PDF"
    with pytest.raises(FontSubsettingUnavailable, match="fontTools"):
        subsetting.probe_subsetting(falls_back)
    with pytest.raises(FontSubsettingUnavailable, match="字体未被裁剪"):
        subsetting.probe_subsetting(lambda: b"x" * 16_000_000)


def test_the_glyph_check_notices_a_character_no_installed_font_has(render):
    # U+17000 (Tangut) is in no installed font: it prints as a box, and the check must say so.
    context = demo.assistance_feedback()
    context["guidance"] = "指导企业更换标识\U00017000"
    doc = render("assistance_feedback-missing-glyph", "assistance_feedback", context)
    cmaps = [_cmap(font["name"]) for font in doc.pdf.fonts()]
    assert _uncovered("".join(_strings(context)), cmaps) == ["\U00017000"]
