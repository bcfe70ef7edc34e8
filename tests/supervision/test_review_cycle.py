"""A supervisor reviews what the field hands over; decisions travel back to the tablet through sync."""
import datetime as dt
import uuid

from server.extensions import db
from server.models import Record
from tests.issuing.inspections import complete_inspection
from tests.support import enterprise_in, error_of, login
from tests.sync.tablets import Tablet, sample_fields, visit_fields

SIGNATURE = "c" * 64


def _submitted_visit(client):
    tablet = Tablet(login(client, "lh_sampler"))
    visit = tablet.create("sampling_visit", visit_fields(
        enterprise_in("临河区").id, humidity_pct=55, method_standards=["gbz_159_2004"], production_status="正常生产",
        sampler_1_name="王海燕", sampler_2_name="李明", checker_name="赵丽", escort_name="马晓东"))
    # Its result is in (a reviewer approves an evaluated visit, not one waiting for the laboratory).
    tablet.create("sample", sample_fields("LH-0408-001", lab_concentration_mg_m3=1.2), parent=visit)
    tablet.create("attachment", {"field": "escort_signature", "sha256": SIGNATURE, "mime": "image/png"}, parent=visit)
    tablet.submit(visit)
    assert tablet.push()["results"][-1]["review_status"] == "submitted"
    return tablet, visit


def test_return_resubmit_approve_through_sync(client):
    tablet, visit = _submitted_visit(client)
    supervisor = login(client, "lh_cdc_supervisor")
    queue = supervisor.get("/api/records?status=submitted").get_json()
    assert [item["id"] for item in queue["items"]] == [visit]
    assert queue["items"][0]["author"] == "王海燕" and queue["items"][0]["team"] == "采样一组"
    returned = supervisor.post(f"/api/records/{visit}/review",
                               json={"action": "return", "comment": "请补充风速，并核对采样点名称"})
    assert returned.status_code == 200 and returned.get_json()["review_status"] == "returned"
    tablet.pull()
    payload = tablet.replica[visit]["payload"]
    assert payload["review_status"] == "returned" and payload["review_comment"] == "请补充风速，并核对采样点名称"
    tablet.update(visit, {"wind_speed_m_s": 0.8})
    tablet.submit(visit)
    assert tablet.push()["results"][-1]["review_status"] == "resubmitted"
    approved = supervisor.post(f"/api/records/{visit}/review", json={"action": "approve"})
    assert approved.status_code == 200 and approved.get_json()["locked_reason"] == "approved"
    tablet.pull()
    assert tablet.replica[visit]["payload"]["locked"] == "approved"
    tablet.update(visit, {"notes": "补记"})
    assert tablet.push()["results"][0]["error"]["code"] == "RECORD_LOCKED"


def test_supervisors_cannot_approve_a_draft_or_review_twice(client):
    tablet = Tablet(login(client, "lh_sampler"))
    visit = tablet.create("sampling_visit", visit_fields(enterprise_in("临河区").id))
    tablet.push()
    supervisor = login(client, "lh_cdc_supervisor")
    response = supervisor.post(f"/api/records/{visit}/review", json={"action": "approve"})
    assert response.status_code == 409
    assert db.session.get(Record, visit).review_status == "draft"


def test_another_districts_supervisor_sees_nothing_of_it(client):
    _, visit = _submitted_visit(client)
    other = login(client, "dg_cdc_supervisor")
    assert other.get("/api/records").get_json()["total"] == 0
    assert other.get(f"/api/records/{visit}").status_code == 404
    assert other.post(f"/api/records/{visit}/review", json={"action": "approve"}).status_code == 404


def test_record_view_shows_children_and_who_changed_what_from_which_device(client):
    tablet, visit = _submitted_visit(client)
    detail = login(client, "lh_cdc_supervisor").get(f"/api/records/{visit}").get_json()
    assert detail["record"]["data"]["escort_name"] == "马晓东"
    assert {c["entity"] for c in detail["children"]} == {"sample", "attachment"}
    creates = [h for h in detail["history"] if h["op"] == "create"]
    assert creates and all(h["user"] == "王海燕" and h["device_id"] == tablet.device_id for h in creates)
    assert "evaluation" in detail["record"]["computed"]


def test_field_staff_do_not_get_the_review_queue(client):
    response = login(client, "lh_sampler").get("/api/records")
    assert response.status_code == 403 and error_of(response)["code"] == "FORBIDDEN"


def test_rectification_items_follow_their_deadlines_until_a_reinspection_closes_them(client, clock):
    today = clock.today()
    inspector = login(client, "lh_inspector")
    findings = [{"item_key": "warning_signs", "fact": "未设置警示标识", "violated_article": "第二十四条第二款",
                 "penalty_article": "第七十二条第（八）项", "requirement": "设置警示标识", "deadline_days": 43},
                {"item_key": "health_exam_noise", "fact": "未组织在岗期间职业健康检查", "violated_article": "第三十五条第一款",
                 "penalty_article": "第七十一条第（四）项", "requirement": "组织职业健康检查",
                 "deadline_date": (today - dt.timedelta(days=2)).isoformat()}]
    tablet, inspection, finding_ids = complete_inspection(client, inspector, findings=findings)
    tablet.update(inspection, {"inspection_date": (today - dt.timedelta(days=40)).isoformat()})
    tablet.push()
    issued = inspector.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": inspection,
                                                    "doc_type": "supervision_opinion"})
    assert issued.status_code == 201, issued.get_json()
    document = issued.get_json()
    supervisor = login(client, "lh_supervisor")
    listing = supervisor.get("/api/rectifications").get_json()
    by_fact = {item["fact"]: item for item in listing["items"]}
    assert by_fact["未设置警示标识"]["status"] == "due_soon"
    assert by_fact["未组织在岗期间职业健康检查"]["status"] == "overdue"
    assert listing["summary"] == {"open": 0, "due_soon": 1, "overdue": 1, "reinspecting": 0, "closed": 0}
    tablet.pull()
    items = {v["data"]["fact"]: k for k, v in tablet.replica.items() if v["entity"] == "rectification_item"}
    reinspection = tablet.create("reinspection", {
        "enterprise_id": enterprise_in("临河区").id, "notice_document_id": document["id"],
        "notice_number": document["number"], "reinspection_date": today.isoformat()})
    tablet.create("reinspection_item", {"rectification_item_id": items["未设置警示标识"], "result": "rectified",
                                        "evidence_note": "已在车间入口张贴警示标识"}, parent=reinspection)
    tablet.create("reinspection_item", {"rectification_item_id": items["未组织在岗期间职业健康检查"],
                                        "result": "partly_rectified", "evidence_note": "已预约体检机构"},
                  parent=reinspection)
    assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
    # A re-inspection that is not issued yet closes nothing: both items are 复查中 until its 复查意见书 is issued
    # (tests/issuing/test_published_documents.py follows them to 已整改 / 未整改).
    after = supervisor.get("/api/rectifications").get_json()
    assert after["summary"] == {"open": 0, "due_soon": 0, "overdue": 0, "reinspecting": 2, "closed": 0}
    assert all(item["closed_on"] is None for item in after["items"])



def test_a_submitted_record_changed_in_the_field_goes_back_to_review_as_resubmitted(client):
    tablet, visit = _submitted_visit(client)
    tablet.update(visit, {"escort_name": "马晓东（安全员）"})
    assert tablet.push()["results"][-1]["status"] == "applied"
    supervisor = login(client, "lh_cdc_supervisor")
    record = supervisor.get(f"/api/records/{visit}").get_json()
    assert record["record"]["review_status"] == "resubmitted"
    changed = [h for h in record["history"] if h["op"] == "update"]
    assert changed[-1]["fields"] == {"escort_name": "马晓东（安全员）"}  # what changed since it was handed in
    assert visit in {i["id"] for i in supervisor.get("/api/records?status=resubmitted").get_json()["items"]}
