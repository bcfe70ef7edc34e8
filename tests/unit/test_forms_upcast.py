"""Upcasting: a record filled with sampling_record v1 read through v2."""
import pytest

from server.form_registry import DefinitionError, UnknownForm, lint_definition, load_registry, validate

REGISTRY = load_registry()


def test_a_v1_sample_reads_through_v2_with_the_pump_id_renamed():
    old = {"sample_code": "CY25031-001", "sample_type": "field", "pump_id": "PUMP-07"}
    new = REGISTRY.upcast(old, "sample", 1, 2)
    assert new == {"sample_code": "CY25031-001", "sample_type": "field", "sampler_id": "PUMP-07"}
    assert old["pump_id"] == "PUMP-07"  # what the device submitted is never rewritten
    assert validate(REGISTRY.get("sampling_record", 2), "sample", new) == []


def test_a_v1_noise_measurement_gets_the_only_mode_v1_had():
    new = REGISTRY.upcast({"laeq_1_db": 88.2}, "noise_measurement", 1, 2)
    assert new == {"laeq_1_db": 88.2, "measurement_mode": "sound_level_meter"}


def test_a_default_never_overwrites_an_answer_and_a_new_name_wins_over_the_old():
    assert REGISTRY.upcast({"measurement_mode": "dosimeter"}, "noise_measurement", 1, 2) == \
        {"measurement_mode": "dosimeter"}
    assert REGISTRY.upcast({"pump_id": "OLD", "sampler_id": "NEW"}, "sample", 1, 2) == {"sampler_id": "NEW"}


def test_entities_without_rules_and_same_version_pass_through_unchanged():
    visit = {"task_no": "CY-2025-031", "temperature_c": 25}
    assert REGISTRY.upcast(visit, "sampling_visit", 1, 2) == visit
    assert REGISTRY.upcast(visit, "sampling_visit", 2, 2) == visit


def test_downcasting_and_unknown_versions_are_refused():
    with pytest.raises(ValueError):
        REGISTRY.upcast({}, "sample", 2, 1)
    with pytest.raises(UnknownForm):
        REGISTRY.upcast({}, "sample", 1, 99)


def test_an_upcast_rule_must_point_at_fields_of_the_new_version():
    definition = REGISTRY.get("sampling_record", 2)
    broken = dict(definition, upcast={"from_version": 1, "entities": {
        "sample": {"rename": {"pump_id": "pump_number"}},
        "noise_measurement": {"defaults": {"measurement_mode": "smartphone"}}}})
    with pytest.raises(DefinitionError) as info:
        lint_definition(broken)
    assert "pump_number" in str(info.value) and "measurement_mode" in str(info.value)
