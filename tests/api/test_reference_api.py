"""Reference data in a fresh database, and admins editing it with a trail and a second pair of eyes."""
import json
import pathlib

import sqlalchemy as sa

from server.extensions import db
from server.models import ReferenceRow
from tests.support import error_of, login

REFERENCE = pathlib.Path(__file__).resolve().parents[2] / "reference"


def _benzene_twa_key(client):
    rows = login(client, "admin").get("/api/reference/oel_limits?key=benzene").get_json()["items"]
    return next(r["row_key"] for r in rows if r["data"]["limit_type"] == "PC-TWA" and r["data"]["value"] == 3.0)


def test_fresh_database_holds_every_oel_row_with_its_confidence(app):
    shipped = json.loads((REFERENCE / "oel" / "gbz2_1.json").read_text())["rows"]
    stored = db.session.scalars(sa.select(ReferenceRow).where(ReferenceRow.table_name == "oel_limits")).all()
    assert len(stored) == len(shipped) >= 100
    by_identity = {(r.data["key"], r.data["condition"], r.data["limit_type"], r.data["fraction"], r.data["unit"],
                    r.data["effective_from"]): r for r in stored}
    for row in shipped:
        match = by_identity[(row["key"], row["condition"], row["limit_type"], row["fraction"], row["unit"],
                             row["effective_from"])]
        assert match.data["value"] == row["value"]
        assert match.confidence == row["confidence"] and match.verified is row["verified"]
    names = {r.data["name_zh"] for r in stored}
    assert {"苯", "甲醛", "矽尘", "乙草胺", "电焊烟尘", "一氧化碳"} <= names
    assert not any(r.verified for r in stored)  # nothing in GBZ 2.1 has been checked against the PDF yet


def test_everyone_reads_reference_tables_with_unverified_counts(client):
    body = login(client, "lh_sampler").get("/api/reference").get_json()
    tables = {t["name"]: t for t in body["items"]}
    assert tables["oel_limits"]["unverified"] == tables["oel_limits"]["rows"]
    assert tables["law_articles"]["rows"] > 50 and "checklist_items" in tables


def test_admin_edit_is_audited_and_waits_for_verification(client):
    admin = login(client, "admin")
    key = _benzene_twa_key(client)
    refused = admin.patch(f"/api/reference/oel_limits/{key}", json={"changes": {"value": 2.5}, "reason": ""})
    assert refused.status_code == 422
    response = admin.patch(f"/api/reference/oel_limits/{key}",
                           json={"changes": {"note": "按国卫通知核对"}, "reason": "核对修改单原文"})
    assert response.status_code == 200 and response.get_json()["status"] == "pending"
    history = admin.get(f"/api/reference/oel_limits/{key}/history").get_json()["items"]
    assert [h["action"] for h in history] == ["update"]
    assert history[0]["before"]["note"] != history[0]["after"]["note"] == "按国卫通知核对"


def test_identity_fields_cannot_be_edited_in_place(client):
    admin = login(client, "admin")
    key = _benzene_twa_key(client)
    response = admin.patch(f"/api/reference/oel_limits/{key}",
                           json={"changes": {"limit_type": "MAC", "verified": True}, "reason": "x"})
    assert response.status_code == 422
    assert {d["field"] for d in error_of(response)["details"]} == {"limit_type", "verified"}
    assert {d["message"].split("”")[0] for d in error_of(response)["details"]} == {"“限值类型", "“已核验"}


def test_verification_needs_a_second_admin(client):
    admin = login(client, "admin")
    created = admin.post("/api/users", json={"username": "admin2", "password": "Second@2026", "display_name": "复核员",
                                             "agency_id": admin.tokens["user"]["agency_id"], "roles": ["admin"]})
    assert created.status_code == 201, created.get_json()
    key = _benzene_twa_key(client)
    change = admin.patch(f"/api/reference/oel_limits/{key}", json={"changes": {"note": "录入"}, "reason": "录入原文"})
    change_id = change.get_json()["id"]
    own = admin.post(f"/api/reference/changes/{change_id}/verify", json={"reason": "自查"})
    assert own.status_code == 403 and error_of(own)["code"] == "FOUR_EYES"
    second = login(client, "admin2", password="Second@2026")
    assert second.post(f"/api/reference/changes/{change_id}/verify", json={"reason": "x"}).status_code == 403
    changed = second.post("/api/auth/password", json={"current_password": "Second@2026", "new_password": "Fuhe#2026x"})
    assert changed.status_code == 200  # an initial password is changed before anything else
    verified = second.post(f"/api/reference/changes/{change_id}/verify", json={"reason": "对照GBZ 2.1-2019第1号修改单"})
    assert verified.status_code == 200
    assert verified.get_json()["status"] == "current" and verified.get_json()["data"]["verified_by"] == "复核员"
    row = next(r for r in admin.get("/api/reference/oel_limits?key=benzene").get_json()["items"] if r["row_key"] == key)
    assert row["verified"] is True and row["data"]["note"] == "录入" and row["version"] == 2
    # The values in force were keyed by `admin`: he may not confirm them against the text either.
    again = admin.post(f"/api/reference/oel_limits/{key}/verify", json={"reason": "自查"})
    assert again.status_code == 403 and error_of(again)["code"] == "FOUR_EYES"


def test_field_staff_cannot_edit_reference_data(client):
    key = _benzene_twa_key(client)
    sampler = login(client, "lh_sampler")
    before = sampler.get("/api/reference/oel_limits").get_json()
    response = sampler.patch(f"/api/reference/oel_limits/{key}", json={"changes": {"value": 100}, "reason": "x"})
    assert response.status_code == 403 and error_of(response)["code"] == "FORBIDDEN"
    assert sampler.get("/api/reference/oel_limits").get_json() == before  # the limit is unchanged


def test_an_edited_limit_is_used_by_evaluations_once_a_second_admin_verified_it(client):
    admin = login(client, "admin")
    key = _benzene_twa_key(client)
    change = admin.patch(f"/api/reference/oel_limits/{key}", json={"changes": {"value": 1.0}, "reason": "演示：收紧限值"})
    visit, samples = _benzene_visit("2026-04-08", 2.0)
    sampler = login(client, "lh_sampler")
    group = sampler.post("/api/evaluations", json={"visit": visit, "samples": samples}).get_json()["groups"][0]
    assert (group["evaluation"]["result"], group["evaluation"]["limits_used"][0]["value"]) == ("conform", 3.0)
    admin.post("/api/users", json={"username": "admin2", "password": "Second@2026", "display_name": "复核员",
                                   "agency_id": admin.tokens["user"]["agency_id"], "roles": ["admin"]})
    second = login(client, "admin2", password="Second@2026")
    second.post("/api/auth/password", json={"current_password": "Second@2026", "new_password": "Fuhe#2026x"})
    verified = second.post(f"/api/reference/changes/{change.get_json()['id']}/verify", json={"reason": "核对"})
    assert verified.status_code == 200
    group = sampler.post("/api/evaluations", json={"visit": visit, "samples": samples}).get_json()["groups"][0]
    assert group["evaluation"]["result"] == "nonconform"
    assert group["evaluation"]["limits_used"][0]["value"] == 1.0


def _benzene_visit(date, concentration):
    visit = {"sampling_date": date, "temperature_c": 20, "pressure_kpa": 101.3}
    samples = [{"id": "s-1", "sample_type": "field", "hazard_key": "benzene", "post": "喷漆工", "workshop": "涂装",
                "duration_type": "long_time", "limit_type": "pc_twa", "exposure_hours_per_day": 8,
                "start_time": f"{date}T08:00:00+08:00", "end_time": f"{date}T16:00:00+08:00",
                "flow_before_l_min": 0.1, "flow_after_l_min": 0.1, "lab_concentration_mg_m3": concentration}]
    return visit, samples
