"""A reviewer with a long queue: sorts it, asks for bigger pages, and approves several records at once — each by the
same rule as alone and audited one by one; the ones that cannot be approved come back named, with the reason."""
import sqlalchemy as sa

from server.extensions import db
from server.models import AuditEntry, Record
from tests.issuing.inspections import complete_inspection
from tests.support import error_of, login
from tests.sync.tablets import HANDED_IN_FOLLOWUP, Tablet, handed_in_visit


def _enterprises(caller):
    items = caller.get("/api/enterprises?per_page=50").get_json()["items"]
    return {item["name"]: item["id"] for item in items if item["region_name"] == "临河区"}


def _cdc_work(client):
    """Three sampling visits of three enterprises (one waiting for the laboratory) and a follow-up, handed in."""
    sampler = Tablet(login(client, "lh_sampler"))
    names = sorted(_enterprises(sampler.caller))[:3]
    ids = _enterprises(sampler.caller)
    visits = {"first": handed_in_visit(sampler, ids[names[0]], "LH-2026-101", "2026-05-06"),
              "second": handed_in_visit(sampler, ids[names[1]], "LH-2026-102", "2026-03-02"),
              "waiting": handed_in_visit(sampler, ids[names[2]], "LH-2026-103", "2026-06-15", result=None)}
    assert {r["status"] for r in sampler.push()["results"]} == {"applied"}
    nurse = Tablet(login(client, "lh_followup"))
    followup = nurse.create("followup", {**HANDED_IN_FOLLOWUP, "case_no": "FU-101", "patient_name": "马德顺",
                                         "id_number": "370303196505120017", "followup_date": "2026-04-20",
                                         "vital_status": "alive"})
    nurse.submit(followup)
    assert {r["status"] for r in nurse.push()["results"]} == {"applied"}
    return visits, followup, names


def _audit(action):
    return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)
                              .order_by(AuditEntry.id)).all()


def test_bulk_approval_approves_the_others_and_names_the_one_refused(client):
    visits, followup, names = _cdc_work(client)
    reviewer = login(client, "lh_cdc_supervisor")
    chosen = [visits["first"], visits["second"], visits["waiting"], followup]
    response = reviewer.post("/api/records/approvals", json={"ids": chosen})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert sorted(line["id"] for line in body["approved"]) == sorted([visits["first"], visits["second"], followup])
    assert {line["review_status"] for line in body["approved"]} == {"approved"}
    (refused,) = body["refused"]
    # Named as the reviewer knows it: the enterprise and the task number, and why.
    assert refused["id"] == visits["waiting"] and refused["code"] == "NOT_EVALUATED"
    assert refused["name"] == f"{names[2]} · 任务 LH-2026-103"
    assert "待实验室检测" in refused["reason"]
    assert {line["name"] for line in body["approved"]} >= {"马德顺", f"{names[0]} · 任务 LH-2026-101"}
    states = {r.id: (r.review_status, r.locked_reason) for r in db.session.scalars(
        sa.select(Record).where(Record.id.in_(chosen)))}
    assert states == {visits["first"]: ("approved", "approved"), visits["second"]: ("approved", "approved"),
                      followup: ("approved", "approved"), visits["waiting"]: ("submitted", None)}
    # Audited one by one, as three single approvals would be; the patient's name read is audited too.
    assert sorted(e.target for e in _audit("record.approve")) == sorted([visits["first"], visits["second"], followup])
    assert [(e.target, e.details["via"]) for e in _audit("record.read_personal")] == [(followup, "bulk_approve")]
    # Nothing is approved twice: a second bulk names them all as already decided.
    again = reviewer.post("/api/records/approvals", json={"ids": [visits["first"], followup]}).get_json()
    assert again["approved"] == [] and {r["code"] for r in again["refused"]} == {"CONFLICT"}
    assert len(_audit("record.approve")) == 3


def test_another_agencys_record_is_refused_by_name_and_the_own_approved(client):
    visits, _followup, names = _cdc_work(client)
    inspector = login(client, "lh_inspector")
    tablet, inspection, _ = complete_inspection(client, inspector)
    tablet.submit(inspection)
    assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
    # The 执法大队's reviewer sees the CDC's monitoring (shared, read-only) but does not review it.
    body = login(client, "lh_supervisor").post("/api/records/approvals", json={
        "ids": [inspection, visits["first"], "00000000-0000-4000-8000-000000000000"]}).get_json()
    assert [line["id"] for line in body["approved"]] == [inspection]
    refused = {line["id"]: line for line in body["refused"]}
    assert refused[visits["first"]]["code"] == "FORBIDDEN"
    assert refused[visits["first"]]["name"] == f"{names[0]} · 任务 LH-2026-101"
    assert "临河区疾病预防控制中心" in refused[visits["first"]]["reason"]
    unknown = refused["00000000-0000-4000-8000-000000000000"]
    assert (unknown["code"], unknown["name"]) == ("NOT_FOUND", None)  # nothing is told of what one cannot read


def test_bulk_approval_is_for_reviewers_and_bounded(client):
    visits, _followup, _ = _cdc_work(client)
    sampler = login(client, "lh_sampler")
    assert sampler.post("/api/records/approvals", json={"ids": [visits["first"]]}).status_code == 403
    reviewer = login(client, "lh_cdc_supervisor")
    for ids in ([], [visits["first"]] * 101):
        response = reviewer.post("/api/records/approvals", json={"ids": ids})
        assert response.status_code == 422 and error_of(response)["details"][0]["field"] == "ids"
    assert db.session.get(Record, visits["first"]).review_status == "submitted"


def test_the_queue_sorts_pages_and_names_the_subject(client):
    visits, followup, names = _cdc_work(client)
    reviewer = login(client, "lh_cdc_supervisor")

    def order(**query):
        params = "&".join(f"{k}={v}" for k, v in {"status": "submitted", **query}.items() if v != "")
        body = reviewer.get(f"/api/records?{params}").get_json()
        return [item["id"] for item in body["items"]]

    received = order()  # newest received first, as before
    assert received[0] == followup and set(received) == {*visits.values(), followup}
    assert order(order="asc")[-1] == followup  # the visits came in one push: one instant, then by id
    # Record date: 03-02, 04-20 (the follow-up), 05-06, 06-15.
    assert order(sort="record_date", order="asc") == [visits["second"], followup, visits["first"], visits["waiting"]]
    assert order(sort="record_date") == [visits["waiting"], visits["first"], followup, visits["second"]]
    assert order(sort="kind") == [followup, *order(sort="kind")[1:]] and order(sort="kind", order="asc")[-1] == followup
    by_subject = reviewer.get("/api/records?status=submitted&sort=subject&order=asc&personal=true").get_json()["items"]
    subjects = [item["enterprise_name"] or item["patient_name"] for item in by_subject]
    assert subjects == sorted(subjects)  # code-point order of the enterprises and the patient
    first = order(per_page=2)
    assert len(first) == 2 and order(per_page=2, page=2) == received[2:]
    reviewer.post(f"/api/records/{visits['first']}/review", json={"action": "approve"})
    # By state, ascending: what waits for a decision first, the approved last; descending the other way round.
    assert order(status="", sort="state", order="asc")[-1] == visits["first"]
    assert order(status="", sort="state")[0] == visits["first"]
    assert reviewer.get("/api/records?sort=size").status_code == 422


def test_patient_names_show_in_the_queue_only_when_asked_and_audited(client):
    _visits, followup, _ = _cdc_work(client)
    reviewer = login(client, "lh_cdc_supervisor")
    plain = {i["id"]: i for i in reviewer.get("/api/records?status=submitted").get_json()["items"]}
    assert plain[followup]["patient_name"] is None and _audit("record.read_personal") == []
    lines = {i["id"]: i for i in reviewer.get("/api/records?status=submitted&personal=true").get_json()["items"]}
    assert lines[followup]["patient_name"] == "马德顺" and "id_number" not in lines[followup]
    assert all(line["task_no"].startswith("LH-2026-10") for line in lines.values() if line["entity"] == "sampling_visit")
    (entry,) = _audit("record.read_personal")
    assert (entry.target, entry.details["via"], entry.details["fields"]) == (followup, "queue", ["patient_name"])
