"""Four-eyes reference data over HTTP: a changed limit is pending until a second admin verifies it, applies from its
effective date, and evaluations — the online preview and the one stored with a synced visit — cite the version."""
import datetime as dt

import pytest

from tests.support import BUSINESS_NOW, enterprise_in, error_of, login
from tests.sync.tablets import Tablet, sample_fields, visit_fields

from .admins import SECOND_ADMIN, SECOND_ADMIN_NAME, add_second_admin

TODAY = dt.datetime.fromisoformat(BUSINESS_NOW).date()


@pytest.fixture
def second(app, client):
    add_second_admin(app)
    return login(client, SECOND_ADMIN)


def _toluene_twa(caller):
    rows = caller.get("/api/reference/oel_limits?key=toluene").get_json()["items"]
    return next(r for r in rows if r["data"]["limit_type"] == "PC-TWA")


def _preview(caller, value=45.0):
    visit = {"sampling_date": "2026-04-08", "temperature_c": 20, "pressure_kpa": 101.3}
    sample = {"id": "s-1", "sample_type": "field", "hazard_key": "toluene", "post": "调漆工", "workshop": "涂装",
              "duration_type": "long_time", "limit_type": "pc_twa", "exposure_hours_per_day": 8,
              "start_time": "2026-04-08T08:00:00+08:00", "end_time": "2026-04-08T16:00:00+08:00",
              "flow_before_l_min": 0.1, "flow_after_l_min": 0.1, "lab_concentration_mg_m3": value}
    response = caller.post("/api/evaluations", json={"visit": visit, "samples": [sample]})
    assert response.status_code == 200, response.get_json()
    evaluation = response.get_json()["groups"][0]["evaluation"]
    return evaluation["result"], evaluation["limits_used"][0]


def test_an_edit_is_pending_and_the_preview_keeps_the_limit_in_force(client, second):
    admin, sampler = login(client, "admin"), login(client, "lh_sampler")
    row = _toluene_twa(admin)
    response = admin.patch(f"/api/reference/oel_limits/{row['row_key']}",
                           json={"changes": {"value": 40}, "reason": "GBZ 2.1-2019 第3号修改单"})
    assert response.status_code == 200, response.get_json()
    change = response.get_json()
    assert (change["status"], change["proposed_by_name"], change["effective_on"]) == \
        ("pending", "系统管理员", TODAY.isoformat())
    assert change["changes"] == [{"field": "value", "label_zh": "接触限值", "label_en": "Limit value",
                                  "before": 50.0, "after": 40.0}]
    assert _toluene_twa(admin)["data"]["value"] == 50.0
    assert _preview(sampler)[0] == "conform"
    pending = admin.get("/api/reference/changes?status=pending").get_json()["items"]
    assert [c["id"] for c in pending] == [change["id"]]
    tables = {t["name"]: t for t in admin.get("/api/reference").get_json()["items"]}
    assert tables["oel_limits"]["pending"] == 1

    own = admin.post(f"/api/reference/changes/{change['id']}/verify", json={"reason": "自查"})
    assert own.status_code == 403
    error = error_of(own)
    assert error["code"] == "FOUR_EYES" and error["details"][0]["message"] == "这项修改是您提交的，须由另一名管理员核验"
    again = admin.patch(f"/api/reference/oel_limits/{row['row_key']}", json={"changes": {"value": 30}, "reason": "x"})
    assert again.status_code == 409 and error_of(again)["code"] == "CHANGE_PENDING"
    assert sampler.post(f"/api/reference/changes/{change['id']}/verify", json={"reason": "x"}).status_code == 403
    assert _toluene_twa(admin)["data"]["value"] == 50.0


def test_a_second_admin_verifies_and_the_limit_applies_from_its_date(client, second, clock, runner):
    admin, sampler = login(client, "admin"), login(client, "lh_sampler")
    row = _toluene_twa(admin)
    effective = (TODAY + dt.timedelta(days=11)).isoformat()
    change = admin.patch(f"/api/reference/oel_limits/{row['row_key']}",
                         json={"changes": {"value": 40}, "reason": "第3号修改单", "effective_on": effective}).get_json()
    response = second.post(f"/api/reference/changes/{change['id']}/verify", json={"reason": "对照修改单原文"})
    assert response.status_code == 200, response.get_json()
    verified = response.get_json()
    assert (verified["status"], verified["number"], verified["in_force_from"], verified["decided_by_name"]) == \
        ("scheduled", 2, effective, SECOND_ADMIN_NAME)
    assert _preview(sampler)[1]["value"] == 50.0

    clock.set(f"{effective}T08:00:00+08:00")
    result, limit = _preview(sampler)
    assert (result, limit["value"], limit["version"], limit["version_from"]) == ("nonconform", 40.0, 2, effective)
    # The daily housekeeping puts it into the row itself, which tablets receive by sync.
    tablet = Tablet(sampler)
    tablet.pull()
    assert runner.invoke(args=["housekeeping", "reference-versions"]).output.startswith("已生效参考数据修改 1 项")
    received = [c for c in tablet.pull() if c["kind"] == "reference" and c["id"] == f"oel_limits:{row['row_key']}"]
    assert [c["data"]["value"] for c in received] == [40.0]
    assert _toluene_twa(admin)["version"] == 2 and _toluene_twa(admin)["version_from"] == effective
    history = admin.get(f"/api/reference/oel_limits/{row['row_key']}/history").get_json()["items"]
    assert [(h["action"], h["user_name"]) for h in history] == [
        ("update", "系统管理员"), ("approve", SECOND_ADMIN_NAME), ("apply", SECOND_ADMIN_NAME)]


def test_a_stored_evaluation_keeps_the_version_it_used(client, second, clock):
    admin, sampler = login(client, "admin"), login(client, "lh_sampler")
    tablet = Tablet(sampler)
    enterprise = enterprise_in("临河区").id

    def visit_with_toluene(code):
        visit = tablet.create("sampling_visit", visit_fields(enterprise, task_no=code))
        tablet.create("sample", sample_fields(f"{code}-01", hazard_key="toluene", lab_concentration_mg_m3=45.0),
                      parent=visit)
        assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
        stored = sampler.get(f"/api/records/{visit}").get_json()
        return visit, stored["record"]["computed"]["evaluation"]

    first, evaluation = visit_with_toluene("LH-2026-041")
    limit = evaluation["groups"][0]["evaluation"]["limits_used"][0]
    assert (limit["value"], limit["version"], limit["version_from"]) == (50.0, 1, None)
    assert evaluation["reference_as_of"] == TODAY.isoformat()

    row = _toluene_twa(admin)
    change = admin.patch(f"/api/reference/oel_limits/{row['row_key']}",
                         json={"changes": {"value": 40}, "reason": "第3号修改单"}).get_json()
    assert second.post(f"/api/reference/changes/{change['id']}/verify", json={"reason": "核对"}).status_code == 200
    clock.advance(days=1)
    _second, evaluation = visit_with_toluene("LH-2026-042")
    group = evaluation["groups"][0]["evaluation"]
    assert (group["result"], group["limits_used"][0]["value"], group["limits_used"][0]["version"],
            group["limits_used"][0]["version_from"]) == ("nonconform", 40.0, 2, TODAY.isoformat())
    kept = sampler.get(f"/api/records/{first}").get_json()["record"]["computed"]["evaluation"]["groups"][0]["evaluation"]
    assert (kept["result"], kept["limits_used"][0]["value"], kept["limits_used"][0]["version"]) == ("conform", 50.0, 1)


def test_a_withdrawn_change_is_never_applied_and_bad_values_are_refused(client, second):
    admin = login(client, "admin")
    row = _toluene_twa(admin)
    path = f"/api/reference/oel_limits/{row['row_key']}"
    bad = admin.patch(path, json={"changes": {"value": "四十", "effective_to": "2026-13-01"}, "reason": "x"})
    assert bad.status_code == 422
    assert {(d["field"], d["message"]) for d in error_of(bad)["details"]} == {
        ("value", "“接触限值”须为数字"), ("effective_to", "“停止适用日期（当日起不再适用）”须为日期（年-月-日）")}
    past = admin.patch(path, json={"changes": {"value": 40}, "reason": "x", "effective_on": "2026-11-19"})
    assert past.status_code == 422 and error_of(past)["details"][0]["field"] == "effective_on"
    change = admin.patch(path, json={"changes": {"value": 40}, "reason": "x"}).get_json()
    withdrawn = second.post(f"/api/reference/changes/{change['id']}/withdraw", json={"reason": "与原文不符"})
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
    late = second.post(f"/api/reference/changes/{change['id']}/verify", json={"reason": "核对"})
    assert late.status_code == 409 and error_of(late)["code"] == "CHANGE_NOT_PENDING"
    assert second.post("/api/reference/changes/999999/verify", json={"reason": "核对"}).status_code == 404
    assert _toluene_twa(admin)["data"]["value"] == 50.0


def test_the_rows_come_with_chinese_labels_for_every_field(client):
    body = login(client, "admin").get("/api/reference/oel_limits?key=toluene").get_json()
    fields = {f["key"]: f for f in body["fields"]}
    assert fields["value"]["label_zh"] == "接触限值" and fields["value"]["editable"] is True
    assert fields["name_zh"]["label_zh"] == "中文名称" and fields["effective_to"]["type"] == "date"
    assert fields["limit_type"]["editable"] is False and fields["verified"]["editable"] is False
