"""Whatever an inspector or an enterprise types is printed as text: it never reaches the file system or network."""
import re
from pathlib import Path

import pytest
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from server.documents import ContextError
from server.documents.contexts import validate_context

from . import demo
from .pdf_tools import Pdf, squash, temp_pdf

PAYLOAD = ('<img src="file:///etc/passwd"><link rel="attachment" href="file:///etc/passwd">'
           '<a rel="attachment" href="file:///etc/passwd">附件</a>'
           '<style>body{background:url(file:///etc/passwd)}</style>'
           '<p style="background:url(http://example.com/x)">url(file:///etc/passwd) url(http://example.com/x)</p>')
# Keys whose values are dates, enums, images or links, not text someone typed.
NOT_FREE_TEXT = {"type", "status", "issued_at", "signed_at", "taken_at", "start", "end", "deadline",
                 "inspection_date", "follow_up_date", "sampling_date", "report_due_date", "data_uri", "url",
                 "amends_number", "amended_by_number"}
SIGNATURE_TEXT = {"party_name", "party_title", "witness_name"}
# Context keys a document does not print at all (nothing to escape there): the sampling and assistance sheets
# name their staff from visit.samplers / staff, the sampling record's header has no contact person (§1.3) and
# names the escort from visit.escort_name, a refused 现场笔录 shows the refusal and witness, not the party, and the
# 检测报告 is signed by the people who tested, reviewed and approved it, not by the enterprise.
UNPRINTED = {"assistance_feedback": {"officers"}, "sampling_feedback": {"officers"},
             "sampling_record_sheet": {"officers", "legal_representative", "contact_name", "contact_phone",
                                       "party_name", "party_title"},
             "onsite_record": {"party_name", "party_title"},
             "monitoring_report": {"officers", "party_name", "party_title"}}
TEMPLATES = Path(__file__).resolve().parents[2] / "server" / "documents" / "templates"
STATIC = TEMPLATES.parent / "static"


def _poison(value, marks, only=None, key=None, skip=frozenset()):
    """The context with a numbered mark and PAYLOAD appended to every free-text field (or only to mark `only`)."""
    if isinstance(value, dict):
        return {k: v if k in NOT_FREE_TEXT or k in skip or (key == "signatures" and k not in SIGNATURE_TEXT)
                else _poison(v, marks, only, k, skip) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(item, marks, only, key, skip) for item in value]
    if isinstance(value, str) and not value.startswith("data:"):
        mark = f"[F{len(marks)}]"
        marks.append(mark)
        return value + mark + PAYLOAD if only in (None, mark) else value
    return value


def _context(doc_type):
    if doc_type == "onsite_record":
        return demo.onsite_record(observation_repeats=1, refused=True)  # so that the witness is printed too
    return demo.BUILDERS[doc_type]()


def _body_text(pdf, doc_type):
    # Page margins (footer, QR, running header) are left out so that a paragraph or table row broken over a
    # page joins up again; top and bottom margins in mm as in documents.css.
    return pdf.body_text(crop=(16, 34) if doc_type == "sampling_record_sheet" else (16, 30))


def _on_one_tall_page(renderer, doc_type, context):
    """The renderer's HTML and stylesheet on a single 5 m page: no table row is split by a page break."""
    tall = CSS(string="@page { size: 210mm 5000mm } @page sheet { size: 297mm 5000mm }")
    html = HTML(string=renderer.render_html(doc_type, context), base_url=STATIC.as_uri() + "/",
                url_fetcher=renderer.fetcher)
    return temp_pdf(html.write_pdf(stylesheets=[CSS(filename=str(STATIC / "documents.css")), tall],
                                   font_config=renderer.font_config))


@pytest.mark.parametrize("doc_type", list(demo.BUILDERS))
def test_markup_in_every_free_text_field_is_printed_literally_and_fetches_nothing(renderer, artifacts, doc_type):
    marks = []
    skip = UNPRINTED.get(doc_type, frozenset())
    context = _poison(_context(doc_type), marks, skip=skip)
    assert len(marks) > 15
    renderer.fetcher.refused.clear()
    renderer.fetcher.fetched.clear()
    pdf = Pdf(renderer.render_pdf(doc_type, context), artifacts / f"{doc_type}-injection.pdf")

    assert list(renderer.fetcher.refused) == []
    assert not [url for url in renderer.fetcher.fetched if "passwd" in url or "example.com" in url]
    assert pdf.embedded_files() == []
    assert "root:x:0" not in pdf.text()
    text = _body_text(pdf, doc_type)
    # A table row taller than what is left of a page is split, and its cells' text then interleaves in the
    # text stream; those few fields are read again from the same HTML laid out on one very tall page.
    interleaved = [mark for mark in marks if squash(mark + PAYLOAD) not in text]
    if interleaved:
        tall = _on_one_tall_page(renderer, doc_type, context).flat_text()
        assert [mark for mark in interleaved if squash(mark + PAYLOAD) not in tall] == []
    assert list(renderer.fetcher.refused) == []


def test_html_output_escapes_user_text(renderer):
    context = demo.supervision_opinion()
    context["findings"][0]["fact"] = PAYLOAD
    html = renderer.render_html("supervision_opinion", context)
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    assert '<img src="file:///etc/passwd">' not in html
    assert '<link rel="attachment"' not in html


ATTACK_HTML = f"""<html><head><link rel="attachment" href="file:///etc/passwd">
<style>body {{ background: url(file:///etc/passwd) }} p {{ background: url(http://example.com/x) }}</style></head>
<body><p>raw markup</p>{PAYLOAD}<img src="http://example.com/x.png"></body></html>"""


def test_the_fetcher_refuses_and_records_files_and_network_even_for_raw_markup(renderer):
    renderer.fetcher.refused.clear()
    pdf = temp_pdf(HTML(string=ATTACK_HTML, url_fetcher=renderer.fetcher).write_pdf(font_config=renderer.font_config))
    refused = set(renderer.fetcher.refused)
    assert "file:///etc/passwd" in refused
    assert {"http://example.com/x", "http://example.com/x.png"} <= refused
    assert pdf.embedded_files() == []
    assert "root:x:0" not in pdf.text()


def test_without_the_fetcher_the_same_markup_would_attach_the_password_file():
    # The attack is real: WeasyPrint's default fetcher reads file:// URLs and embeds the file in the PDF.
    pdf = temp_pdf(HTML(string=ATTACK_HTML.replace("http://", "file:///nonexistent/"),
                        url_fetcher=URLFetcher()).write_pdf())
    assert any("passwd" in name for name in pdf.embedded_files())


def test_only_the_packages_own_assets_are_served_from_disk(renderer):
    assert renderer.fetcher.fetch((STATIC / "seal.svg").as_uri()).read().startswith(b"<svg")
    for url in [(STATIC / ".." / "renderer.py").as_uri(), (STATIC / "seal.svg").as_uri() + "?x=1",
                "file://evil.example/etc/passwd", "ftp://example.com/x", "inline:999"]:
        with pytest.raises(ValueError):
            renderer.fetcher.fetch(url)
        assert renderer.fetcher.refused[-1] == url


@pytest.mark.parametrize("path, value", [
    (("photos", 0, "data_uri"), "file:///etc/passwd"),
    (("signatures", "party"), "http://example.com/sign.png"),
    (("signatures", "witness_signature"), "data:image/svg+xml;base64,PHN2Zz4="),
    (("verification", "url"), "javascript:alert(1)"),
])
def test_image_and_link_fields_accept_only_inline_images_and_web_links(path, value):
    context = demo.supervision_opinion()
    target = context
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    with pytest.raises(ContextError) as caught:
        validate_context("supervision_opinion", context)
    assert caught.value.key == re.sub(r"\.(\d+)", r"[\1]", ".".join(map(str, path)))


def test_no_template_marks_anything_safe_or_turns_escaping_off():
    for template in TEMPLATES.glob("*.html"):
        source = template.read_text(encoding="utf-8")
        assert not re.search(r"\|\s*safe\b|\{%-?\s*autoescape|Markup", source), template.name
