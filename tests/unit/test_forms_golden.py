"""Golden cases (forms/cases): what the server's validator says about records devices sync.

The same files drive the PWA's validator (tests/js/forms.test.mjs), so a record a tablet accepts
offline is the record the server accepts.
"""
import json
from pathlib import Path

import pytest

from server.form_registry import compute, load_registry, validate

FORMS = Path(__file__).resolve().parents[2] / "forms"
CASES = sorted((FORMS / "cases").glob("*/*/*.json"))
REGISTRY = load_registry(FORMS)


def _load(path):
    case = json.loads(path.read_text(encoding="utf-8"))
    definition = REGISTRY.get(path.parent.parent.name, int(path.parent.name))
    return case, definition


def _pairs(errors):
    return sorted({(error["field"], error["code"]) for error in errors})


@pytest.mark.parametrize("path", CASES, ids=lambda p: "/".join(p.parts[-3:]))
def test_golden_case(path):
    case, definition = _load(path)
    errors = validate(definition, case["entity"], case["data"], case["mode"],
                      case.get("context"), case.get("parent"))
    assert _pairs(errors) == _pairs(case["expect"]["errors"]), case["name"]
    assert (errors == []) is case["expect"]["valid"]
    for error in errors:
        assert error["message_zh"].strip() and error["message_en"].strip(), error
    expected = case["expect"].get("computed")
    if expected is not None:
        values = compute(definition, case["entity"], case["data"], case.get("parent"))
        tolerance = case["expect"].get("tolerance", 1e-9)
        for name, want in expected.items():
            got = values[name]
            assert (got is None) == (want is None), (name, got, want)
            assert want is None or abs(got - want) <= tolerance, (name, got, want)


def test_every_form_version_has_cases_of_both_modes_valid_and_invalid():
    for summary in REGISTRY.all_versions():
        folder = FORMS / "cases" / summary["form_id"] / str(summary["version"])
        cases = [json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")]
        assert len(cases) >= 6, folder
        assert {case["mode"] for case in cases} == {"draft", "complete"}, folder
        assert {case["expect"]["valid"] for case in cases} == {True, False}, folder


def test_every_case_names_an_entity_of_its_form_and_only_known_keys():
    for path in CASES:
        case, definition = _load(path)
        assert set(case) <= {"name", "entity", "mode", "data", "parent", "context", "expect"}, path
        assert set(case["expect"]) <= {"valid", "errors", "computed", "tolerance"}, path
        assert case["entity"] in {item["entity"] for item in definition["entities"]}, path
        assert case["expect"]["valid"] is (case["expect"]["errors"] == []), path


@pytest.mark.parametrize("form_id, case, code", [
    ("sampling_record", "sample_blank_without_post", None),
    ("sampling_record", "sample_end_before_start", "constraint"),
    ("sampling_record", "sample_flow_out_of_range", "max"),
    ("sampling_record", "sample_unknown_field", "unknown_field"),
    ("sampling_record", "sample_computed_sent", "readonly"),
    ("enforcement_checklist", "result_corrected_on_site_without_note", "required"),
    ("pneumoconiosis_followup", "followup_dead_without_date", "required"),
    ("workplace_survey", "post_hazard_category_bad_choice", "choice"),
    ("enforcement_checklist", "finding_without_photos", "min_count"),
    ("sampling_record", "visit_draft_half_filled", None),
])
def test_the_scenarios_field_staff_hit_most_are_covered(form_id, case, code):
    doc = json.loads((FORMS / "cases" / form_id / "1" / f"{case}.json").read_text(encoding="utf-8"))
    assert [error["code"] for error in doc["expect"]["errors"]][:1] == ([code] if code else [])
