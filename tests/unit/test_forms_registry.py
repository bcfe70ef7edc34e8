"""The form registry: versioned definitions, their hashes, entities, and the lint that guards them."""
import copy
import json
import re
from pathlib import Path

import pytest

from server.form_registry import (DefinitionError, UnknownEntity, UnknownForm, canonical_json,
                                  definition_hash, entities, lint_definition, load_registry, validate)

ROOT = Path(__file__).resolve().parents[2]
FORMS = ROOT / "forms"
REGISTRY = load_registry(FORMS)
ENTITY_TREE = {
    "workplace_survey": None, "survey_workshop": "workplace_survey", "survey_post": "survey_workshop",
    "sampling_visit": None, "sample": "sampling_visit", "noise_measurement": "sampling_visit",
    "inspection": None, "checklist_result": "inspection", "finding": "inspection",
    "assistance_visit": None, "followup": None,
    "reinspection": None, "reinspection_item": "reinspection",
    "patient": None, "patient_employer": "patient", "stage_change": "patient",
    "campaign": None, "campaign_enterprise": "campaign", "construction_project": None,
    "radiology_institution": None, "radiology_device": "radiology_institution",
    "literacy_survey": None, "literacy_respondent": "literacy_survey",
    "exam_institution": None, "exam_card_count": "exam_institution", "institution_supervision": "exam_institution",
    "supervision_item": "institution_supervision",
    "training_session": None, "training_enterprise": "training_session", "health_exam_batch": None,
}


def test_devices_get_the_newest_version_of_each_form_with_its_hash_and_titles():
    current = {item["form_id"]: item for item in REGISTRY.current()}
    assert set(current) == {"workplace_survey", "sampling_record", "enforcement_checklist",
                            "assistance_visit", "pneumoconiosis_followup", "reinspection", "pneumoconiosis_patient",
                            "governance_campaign", "construction_project", "radiology_institution",
                            "literacy_survey", "exam_institution", "training_session", "health_exam_batch"}
    assert current["sampling_record"]["version"] == 3
    assert current["enforcement_checklist"]["version"] == 3  # an inspection names the campaign it serves
    assert current["pneumoconiosis_followup"]["version"] == 2  # a follow-up names the patient's file
    for item in current.values():
        assert re.fullmatch("[0-9a-f]{64}", item["hash"])
        assert item["title_zh"] and item["title_en"]


def test_a_late_device_still_finds_the_old_version_it_filled():
    old = REGISTRY.get("sampling_record", 1)
    assert old["version"] == 1
    assert REGISTRY.versions("sampling_record") == [1, 2, 3]
    with pytest.raises(UnknownForm):
        REGISTRY.get("sampling_record", 99)
    with pytest.raises(UnknownForm):
        REGISTRY.get("heat_record", 1)


def test_entity_names_are_the_sync_protocols_with_their_parents():
    for entity, parent in ENTITY_TREE.items():
        assert REGISTRY.parent_entity(entity) == parent
    assert REGISTRY.form_for_entity("finding") == "enforcement_checklist"
    assert REGISTRY.form_for_entity("noise_measurement") == "sampling_record"
    with pytest.raises(UnknownForm):
        REGISTRY.form_for_entity("attachment")
    tree = {item["entity"]: item["parent"] for s in REGISTRY.current()
            for item in entities(REGISTRY.get(s["form_id"], s["version"]))}
    assert tree == ENTITY_TREE


def test_validating_an_entity_of_another_form_is_refused():
    with pytest.raises(UnknownEntity):
        validate(REGISTRY.get("reinspection", 1), "sample", {})
    with pytest.raises(ValueError):
        validate(REGISTRY.get("reinspection", 1), "reinspection", {}, mode="final")


def test_published_definitions_never_change_their_hash():
    # forms/hashes.json holds the hash of every published version; an edit to an old file breaks it.
    locked = json.loads((FORMS / "hashes.json").read_text(encoding="utf-8"))
    found = {}
    for item in REGISTRY.all_versions():
        found.setdefault(item["form_id"], {})[str(item["version"])] = item["hash"]
    assert found == locked


def test_the_hash_is_sha256_of_canonical_json():
    definition = {"b": 1, "a": ["气温", 0.5], "c": {"z": None, "y": True}}
    assert canonical_json(definition) == '{"a":["气温",0.5],"b":1,"c":{"y":true,"z":null}}'
    assert definition_hash(definition) == definition_hash(json.loads(json.dumps(definition, indent=4)))


def test_a_record_holds_no_arrays_of_children():
    for item in REGISTRY.all_versions():
        definition = REGISTRY.get(item["form_id"], item["version"])
        for spec in definition["entities"]:
            types = {field["type"] for section in spec["sections"] for field in section["fields"]}
            assert "collection" not in types and "array" not in types


def test_no_eval_in_either_validator():
    # Conditions and computed values are interpreted from JSON; nothing from a definition is run.
    sources = list((ROOT / "server" / "form_registry").glob("*.py"))
    sources += list((ROOT / "pwa" / "static" / "js" / "forms").glob("*.js"))
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(?<![.\w])(eval|exec|compile)\(|new Function\(", text), path


def _minimal():
    return {"form_id": "demo", "version": 1, "title_zh": "示例", "title_en": "Demo", "entities": [
        {"entity": "demo", "parent": None, "label_zh": "示例", "label_en": "Demo", "sections": [
            {"id": "main", "label_zh": "主要", "label_en": "Main", "fields": [
                {"id": "count", "type": "number", "label_zh": "数量", "label_en": "Count", "min": 0},
                {"id": "kind", "type": "select", "label_zh": "类型", "label_en": "Kind",
                 "choices": [{"value": "a", "label_zh": "甲", "label_en": "A"}]},
            ]}]}]}


def _fields(definition):
    return definition["entities"][0]["sections"][0]["fields"]


@pytest.mark.parametrize("break_it, reason", [
    (lambda d: _fields(d)[0].update(requried=True), "unknown key 'requried'"),
    (lambda d: _fields(d)[0].update(type="formula"), "no known type"),
    (lambda d: _fields(d)[1]["choices"].append({"value": "B c", "label_zh": "乙", "label_en": "B"}),
     "snake_case"),
    (lambda d: _fields(d)[0].update(show_if={"field": "kind", "op": "matches", "value": "a"}),
     "unknown operator"),
    (lambda d: _fields(d)[0].update(show_if={"field": "nowhere", "op": "truthy"}), "not a field"),
    (lambda d: _fields(d)[0].update(min=1.0), "prints differently in JS"),
    (lambda d: _fields(d).append({"id": "code", "type": "text", "label_zh": "编号", "label_en": "Code",
                                  "pattern": "\\d+"}), "use [0-9]"),
    (lambda d: _fields(d).append({"id": "total", "type": "computed", "label_zh": "合计", "label_en": "Total",
                                  "function": "__import__", "args": {}}), "unknown function"),
    (lambda d: _fields(d).append({"id": "x", "type": "computed", "label_zh": "x", "label_en": "x",
                                  "function": "abs_difference", "args": {"a": "y", "b": "count"}})
     or _fields(d).append({"id": "y", "type": "computed", "label_zh": "y", "label_en": "y",
                           "function": "abs_difference", "args": {"a": "x", "b": "count"}}), "cycle"),
    (lambda d: _fields(d).append({"id": "sig", "type": "signature", "label_zh": "签名", "label_en": "Signature"}),
     "declare max_count 1"),
    (lambda d: _fields(d)[0].pop("label_en"), "missing 'label_en'"),
    (lambda d: d["entities"].append(dict(d["entities"][0], entity="other")), "only root"),
    (lambda d: d.update(upcast={"from_version": 0, "entities": {}}), "previous version"),
])
def test_a_broken_definition_fails_at_load_with_the_reason(break_it, reason):
    definition = _minimal()
    lint_definition(copy.deepcopy(definition))
    break_it(definition)
    with pytest.raises(DefinitionError) as info:
        lint_definition(definition)
    assert reason in str(info.value)


def test_a_file_whose_name_disagrees_with_its_content_is_refused(tmp_path):
    folder = tmp_path / "definitions" / "demo"
    folder.mkdir(parents=True)
    (folder / "2.json").write_text(json.dumps(_minimal()), encoding="utf-8")
    with pytest.raises(DefinitionError, match="file name"):
        load_registry(tmp_path)


def test_an_entity_cannot_move_to_another_form(tmp_path):
    for form_id in ("demo", "copy"):
        folder = tmp_path / "definitions" / form_id
        folder.mkdir(parents=True)
        (folder / "1.json").write_text(json.dumps(dict(_minimal(), form_id=form_id)), encoding="utf-8")
    with pytest.raises(DefinitionError, match="changes form"):
        load_registry(tmp_path)
