"""Incomplete contexts are refused with the key named; status marks show on every page."""
import pytest

from server.documents import TYPES, ContextError

from . import demo


def _without(context, path):
    target = context
    for part in path[:-1]:
        target = target[part]
    del target[path[-1]]
    return context


@pytest.mark.parametrize("doc_type, path, key", [
    ("supervision_opinion", ("document", "number"), "document.number"),
    ("supervision_opinion", ("findings", 0, "deadline"), "findings[0].deadline"),
    ("supervision_opinion", ("relief",), "relief"),
    ("rectification_notice", ("party", "credit_code"), "party.credit_code"),
    ("onsite_record", ("inspection", "recorder"), "inspection.recorder"),
    ("onsite_record", ("officers", 1, "cert_no"), "officers[1].cert_no"),
    ("assistance_feedback", ("aspects", 2, "status"), "aspects[2].status"),
    ("sampling_record_sheet", ("visit", "escort_name"), "visit.escort_name"),
    ("sampling_record_sheet", ("samples", 3, "flow_after"), "samples[3].flow_after"),
    ("sampling_feedback", ("summary", 0, "sample_codes"), "summary[0].sample_codes"),
    ("reinspection_opinion", ("original", "number"), "original.number"),
    ("reinspection_opinion", ("verification",), "verification"),
])
def test_a_missing_key_is_named_in_the_error(renderer, doc_type, path, key):
    context = _without(demo.BUILDERS[doc_type](), path)
    with pytest.raises(ValueError, match=key.replace("[", r"\[").replace("]", r"\]")) as caught:
        renderer.render_pdf(doc_type, context)
    assert isinstance(caught.value, ContextError) and caught.value.key == key


@pytest.mark.parametrize("doc_type, change, key", [
    ("supervision_opinion", lambda c: c.update(officers=c["officers"][:1]), "officers"),
    ("supervision_opinion", lambda c: c["document"].update(type="onsite_record"), "document.type"),
    ("supervision_opinion", lambda c: c["document"].update(status="draft"), "document.status"),
    ("supervision_opinion", lambda c: c["document"].update(status="amended"), "document.amended_by_number"),
    ("supervision_opinion", lambda c: c["document"].update(issued_at="2026-04-01T11:30:00"), "document.issued_at"),
    ("supervision_opinion", lambda c: c["findings"][1].update(deadline="2026年4月17日"), "findings[1].deadline"),
    ("supervision_opinion", lambda c: c["party"].update(name="  "), "party.name"),
    ("sampling_record_sheet", lambda c: c["visit"].update(sampling_date="2026/04/01"), "visit.sampling_date"),
    ("sampling_feedback", lambda c: c.update(report_due_date="4月30日"), "report_due_date"),
    ("reinspection_opinion", lambda c: c["items"][2].update(deadline="下周"), "items[2].deadline"),
    ("assistance_feedback", lambda c: c["aspects"][0].update(status="ok"), "aspects[0].status"),
    ("onsite_record", lambda c: c["photos"][1].update(taken_at="10:19"), "photos[1].taken_at"),
])
def test_values_the_document_cannot_print_are_refused(renderer, doc_type, change, key):
    context = demo.BUILDERS[doc_type]()
    change(context)
    with pytest.raises(ContextError) as caught:
        renderer.render_html(doc_type, context)
    assert caught.value.key == key


def test_unknown_document_types_are_refused(renderer):
    with pytest.raises(ValueError, match="unknown document type"):
        renderer.render_pdf("penalty_decision", demo.supervision_opinion())
    assert set(TYPES) == set(demo.BUILDERS)  # every registered type has a rendered demonstration


def _with_status(status, **document):
    context = demo.supervision_opinion()
    context["document"].update(status=status, **document)
    return context


@pytest.mark.parametrize("name, context, mark", [
    ("amended", _with_status("amended", amended_by_number="2026—015"), "已更正，见2026—015"),
    ("voided", _with_status("voided"), "已作废"),
    ("preview", _with_status("preview"), "预览，非正式文书"),
])
def test_amended_voided_and_preview_documents_are_marked_on_every_page(render, name, context, mark):
    context["findings"] = demo.findings(6)  # two pages
    doc = render(f"supervision_opinion-{name}", "supervision_opinion", context)
    assert doc.pdf.pages >= 2
    for page in range(1, doc.pdf.pages + 1):
        assert mark in doc.pdf.flat_text(page)


def test_an_issued_document_carries_no_status_mark(demo_documents):
    text = demo_documents["supervision_opinion"].pdf.flat_text()
    for mark in ("已更正", "已作废", "预览", "非正式文书"):
        assert mark not in text


def test_a_correcting_document_names_the_one_it_corrects(render):
    context = _with_status("issued", amends_number="2026—012")
    context["document"]["number"] = "2026—015"
    doc = render("supervision_opinion-amends", "supervision_opinion", context)
    assert "本文书更正2026—012" in doc.pdf.flat_text(1)


def test_every_document_type_has_its_template_and_a_builder_for_its_record_kind():
    from server.documents.renderer import TEMPLATE_DIR
    from server.form_registry import load_registry

    forms = load_registry()
    for kind in TYPES.values():
        assert (TEMPLATE_DIR / kind.template).is_file(), kind.key
        assert forms.form_for_entity(kind.entity) and kind.role in {"inspector", "sampler", "assistant", "supervisor"}
        assert callable(kind.build) and kind.title_zh
