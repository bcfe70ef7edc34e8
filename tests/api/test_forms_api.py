"""Devices fetch the form versions they fill; a record that breaks its version is refused field by field."""
from tests.support import error_of, login


def test_current_forms_with_hashes(client):
    body = login(client, "lh_sampler").get("/api/forms").get_json()
    current = {item["form_id"]: item for item in body["items"]}
    assert current["sampling_record"]["version"] == 3
    assert current["enforcement_checklist"]["title_zh"]
    assert all(len(item["hash"]) == 64 for item in body["items"])


def test_old_versions_stay_available_for_late_devices(client):
    caller = login(client, "lh_sampler")
    every = caller.get("/api/forms?all_versions=true").get_json()["items"]
    assert {(i["form_id"], i["version"]) for i in every} >= {("sampling_record", 1), ("sampling_record", 2)}
    old = caller.get("/api/forms/sampling_record/1").get_json()
    assert old["version"] == 1 and old["definition"]["entities"][0]["entity"] == "sampling_visit"
    assert caller.get("/api/forms/sampling_record/42").status_code == 404


def test_a_record_breaking_its_form_gets_per_field_messages_in_both_languages(client):
    caller = login(client, "lh_sampler")
    response = caller.post("/api/forms/sampling_record/3/check", json={
        "entity": "sample", "mode": "draft",
        "data": {"sample_type": "sideways", "flow_before_l_min": -1, "colour": "red", "volume_l": 12},
    })
    assert response.status_code == 422
    details = {d["field"]: d for d in error_of(response)["details"]}
    assert details["sample_type"]["code"] == "choice"
    assert details["flow_before_l_min"]["code"] == "min"
    assert details["colour"]["code"] == "unknown_field"
    assert details["volume_l"]["code"] == "readonly"
    assert all(d["message"] and d["message_en"] and d["message"] != d["message_en"] for d in details.values())


def test_complete_mode_needs_required_fields_and_reference_keys_come_from_the_database(client):
    caller = login(client, "lh_sampler")
    response = caller.post("/api/forms/sampling_record/3/check", json={
        "entity": "sample", "mode": "complete", "data": {"sample_code": "X-1", "hazard_key": "unobtainium"},
        "parent": {"sampling_date": "2026-04-08"}})
    details = {(d["field"], d["code"]) for d in error_of(response)["details"]}
    assert ("hazard_key", "reference") in details
    assert ("sample_type", "required") in details


def test_a_valid_sample_returns_its_computed_volumes(client):
    caller = login(client, "lh_sampler")
    response = caller.post("/api/forms/sampling_record/3/check", json={
        "entity": "sample", "mode": "draft",
        "data": {"flow_before_l_min": 2.0, "flow_after_l_min": 2.0, "start_time": "2026-04-08T08:00:00+08:00",
                 "end_time": "2026-04-08T10:00:00+08:00", "duration_type": "long_time"},
        "parent": {"sampling_date": "2026-04-08", "temperature_c": 20, "pressure_kpa": 101.3}})
    assert response.status_code == 200
    computed = response.get_json()["computed"]
    # 2 L/min × 120 min = 240 L; at 20 ℃ and 101.3 kPa the standard volume equals it.
    assert computed["volume_l"] == 240 and abs(computed["standard_volume_l"] - 240) < 1e-9


def test_unknown_entity_is_a_field_error(client):
    response = login(client, "lh_sampler").post("/api/forms/sampling_record/3/check",
                                                 json={"entity": "spaceship", "data": {}})
    assert response.status_code == 422 and error_of(response)["details"][0]["field"] == "entity"
