"""The common-characters face: built once per machine, embedded for everyday text; rarer characters still print, from
the full Noto face; without the face, documents come out as before."""
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageChops

from server.documents import DocumentRenderer, commonfont

from . import demo
from .pdf_tools import Pdf
from .test_fonts import _cmap, _strings, _uncovered

ROOT = Path(__file__).resolve().parents[2]
COMMON = commonfont.FAMILY.replace(" ", "-")  # as pdffonts names it
FULL = "Noto-Serif-CJK-SC"
RARE_NAMES = "王堃、李喆、赵珺"  # in Noto Serif CJK SC, not in GB 2312


def _embedded(pdf):
    return [font["name"].split("+", 1)[1] for font in pdf.fonts()]


def test_the_face_holds_gb2312_and_the_documents_punctuation_and_is_a_fraction_of_the_full_face(tmp_path):
    path = commonfont.ensure_common_font(tmp_path)
    source, index = commonfont.locate_source()
    with TTFont(path, lazy=True) as cut, TTFont(source, fontNumber=index, lazy=True) as full:
        cmap, glyphs, full_glyphs = cut.getBestCmap(), cut["maxp"].numGlyphs, full["maxp"].numGlyphs
    hanzi = [chr(code) for code in commonfont.common_characters() if 0x4E00 <= code <= 0x9FFF]
    assert len(hanzi) == 6763  # both levels of GB 2312
    assert all(ord(char) in cmap for char in hanzi)
    assert all(ord(char) in cmap for char in "〔〕、。《》“”：；（）℃≤≥±×①ⅡＡ—…·")
    assert not any(ord(char) in cmap for char in "堃喆珺")
    # Its glyphs are those characters plus their layout alternates (GSUB kept, so text shapes as with the full face).
    assert glyphs * 4 < full_glyphs


def test_it_is_built_once_and_again_when_the_installed_font_changes(tmp_path, monkeypatch):
    first = commonfont.ensure_common_font(tmp_path)

    def no_second_build(*args):
        raise AssertionError("the face was cut again although it is cached")
    monkeypatch.setattr(commonfont, "cut_face", no_second_build)
    assert commonfont.ensure_common_font(tmp_path) == first
    monkeypatch.undo()
    # The cache name follows the source font (path, size, time) and BUILD; another one means a new cut.
    monkeypatch.setattr(commonfont, "BUILD", "next")
    second = commonfont.ensure_common_font(tmp_path)
    assert second != first and second.is_file() and not first.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [second.name]


def test_everyday_documents_embed_only_the_common_face(demo_documents):
    for doc_type in ("supervision_opinion", "onsite_record", "rectification_notice", "reinspection_opinion"):
        embedded = _embedded(demo_documents[doc_type].pdf)
        assert COMMON in embedded and FULL not in embedded, (doc_type, embedded)


def test_rarer_characters_print_from_the_full_face(render):
    context = demo.assistance_feedback()
    context["guidance"] = f"企业联系人{RARE_NAMES}参加了培训。" + context["guidance"]
    doc = render("assistance_feedback-rare-characters", "assistance_feedback", context)
    embedded = _embedded(doc.pdf)
    assert COMMON in embedded and FULL in embedded
    assert RARE_NAMES in doc.pdf.flat_text()
    cmaps = [_cmap(font["name"]) for font in doc.pdf.fonts()]
    assert _uncovered("".join(_strings(context)), cmaps) == []


def test_the_common_face_prints_exactly_as_the_full_face(renderer, tmp_path):
    context = demo.supervision_opinion()
    context["photos"] = []  # the demo photos carry random grain
    context["findings"][0]["fact"] = "现场检查发现：调漆间（2026—031）“未设置”《警示标识》，①②，≤10%，ＡＢ。"
    full = DocumentRenderer(common_font=False)
    pages = []
    for name, each in (("common", renderer), ("full", full)):
        pdf = Pdf(each.render_pdf("supervision_opinion", context), tmp_path / f"{name}.pdf")
        pages.append([Image.open(png).convert("L") for png in pdf.page_pngs(tmp_path / name, dpi=100)])
    assert len(pages[0]) == len(pages[1]) >= 1
    for common_page, full_page in zip(*pages):
        assert ImageChops.difference(common_page, full_page).getbbox() is None


def test_without_the_face_documents_use_the_full_face_and_the_log_says_why(tmp_path, caplog):
    not_a_directory = tmp_path / "fonts"
    not_a_directory.write_text("")
    with caplog.at_level(logging.WARNING, logger="server.documents.renderer"):
        renderer = DocumentRenderer(font_cache_dir=not_a_directory)
    assert renderer.common_font is None
    assert "文书常用字字体不可用" in caplog.text
    context = demo.supervision_opinion()
    pdf = Pdf(renderer.render_pdf("supervision_opinion", context), tmp_path / "full-face.pdf")
    assert _embedded(pdf)[0] == FULL and COMMON not in _embedded(pdf)
    assert context["findings"][0]["violated_citation"] in pdf.flat_text()


def test_weasyprint_is_imported_without_compiler_runs_and_the_library_lookup_is_restored():
    # Each library name WeasyPrint guesses wrong used to run gcc (ctypes.util._findLib_gcc), ~13 ms a time.
    script = ("import ctypes.util\n"
              "runs = []\n"
              "real_gcc = ctypes.util._findLib_gcc\n"
              "ctypes.util._findLib_gcc = lambda name: runs.append(name) or real_gcc(name)\n"
              "before = ctypes.util.find_library\n"
              "import server.documents\n"
              "from weasyprint.pdf import fonts\n"
              "print(len(runs), ctypes.util.find_library is before, fonts.harfbuzz_subset is not None)")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["0", "True", "True"]


@pytest.fixture(autouse=True)
def _quiet_weasyprint(caplog):
    caplog.set_level(logging.ERROR, logger="weasyprint")
