"""What a document shows does not change under it: a conflict holds issuing back, and a conflict settled after
issuance prepares a 更正 that supersedes the original (both kept)."""
import uuid

from server.extensions import db
from server.models import Document, Record
from tests.issuing.inspections import complete_inspection
from tests.support import error_of, login
from tests.sync.tablets import Tablet


def _issue(inspector, inspection, amends_id=None):
    return inspector.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": inspection,
                                                  "doc_type": "supervision_opinion", "amends_id": amends_id})


def _second_tablet(client, inspection):
    tablet = Tablet(login(client, "lh_inspector2"))
    tablet.pull()
    assert inspection in tablet.replica
    return tablet


def _conflict_on(supervisor, record_id):
    items = supervisor.get("/api/sync/conflicts").get_json()["items"]
    return next(c for c in items if c["record_id"] == record_id)


def test_a_notice_waits_for_a_conflict_on_its_finding_and_prints_the_settled_deadline(client):
    inspector = login(client, "lh_inspector")
    first, inspection, (finding, _) = complete_inspection(client, inspector)
    second = _second_tablet(client, inspection)
    first.update(finding, {"deadline_days": 20})
    second.update(finding, {"deadline_days": 10})
    first.push()
    assert second.push()["results"][0]["status"] == "conflict"
    supervisor = login(client, "lh_supervisor")
    record = supervisor.get(f"/api/records/{inspection}").get_json()["record"]
    assert record["conflict_open"] is True  # the inspection says so, not only its finding

    refused = _issue(inspector, inspection)
    assert refused.status_code == 422
    error = error_of(refused)
    assert error["code"] == "OPEN_CONFLICTS"
    assert "20" in error["details"][0]["message"] and "10" in error["details"][0]["message"]
    assert db.session.query(Document).count() == 0

    conflict = _conflict_on(supervisor, finding)
    assert supervisor.post(f"/api/sync/conflicts/{conflict['id']}/resolve", json={"choice": "client"}).status_code == 200
    assert supervisor.get(f"/api/records/{inspection}").get_json()["record"]["conflict_open"] is False
    issued = _issue(inspector, inspection)
    assert issued.status_code == 201
    document = db.session.get(Document, issued.get_json()["id"])
    shown = {f["record_id"]: f for f in document.snapshot["findings"]}
    assert shown[finding]["deadline"] == "2026-04-18"  # inspected on 8 April, 10 days as settled


def test_a_conflict_settled_after_issuance_is_a_correction_that_supersedes_the_original(client):
    inspector = login(client, "lh_inspector")
    _, inspection, (finding, _) = complete_inspection(client, inspector)
    late = _second_tablet(client, inspection)
    original = _issue(inspector, inspection).get_json()
    items = login(client, "lh_supervisor").get("/api/rectifications").get_json()["items"]
    item = next(i for i in items if i["inspection_id"] == inspection and i["fact"].startswith("未组织接触噪声"))
    assert item["deadline"] == "2026-05-08"

    # The second tablet had not heard of the notice; its edit is kept as a conflict, the record does not move.
    late.update(finding, {"deadline_days": 10})
    result = late.push()["results"][0]
    assert result["status"] == "conflict" and result["conflicts"][0]["server_value"] == 30
    assert db.session.get(Record, finding).data["deadline_days"] == 30

    supervisor = login(client, "lh_supervisor")
    conflict = _conflict_on(supervisor, finding)
    settled = supervisor.post(f"/api/sync/conflicts/{conflict['id']}/resolve", json={"choice": "client"})
    assert settled.status_code == 200 and settled.get_json()["resolution"]["amendment"] is True
    db.session.expire_all()
    assert db.session.get(Record, finding).data["deadline_days"] == 30  # the issued notice still says 30 days
    pending = db.session.get(Record, inspection).computed["pending_amendment"]
    assert [(p["field"], p["shown"], p["value"]) for p in pending] == [("deadline_days", 30, 10)]

    refused = _issue(inspector, inspection)
    assert refused.status_code == 422 and error_of(refused)["code"] in ("AMENDMENT_PENDING", "ALREADY_ISSUED")
    correction = _issue(inspector, inspection, amends_id=original["id"])
    assert correction.status_code == 201
    body = correction.get_json()
    assert body["number"] != original["number"] and body["amends_id"] == original["id"]
    db.session.expire_all()
    assert db.session.get(Record, finding).data["deadline_days"] == 10
    assert "pending_amendment" not in db.session.get(Record, inspection).computed
    documents = {d["id"]: d for d in inspector.get(f"/api/documents?record_id={inspection}").get_json()["items"]}
    assert documents[original["id"]]["status"] == "amended" and documents[body["id"]]["status"] == "valid"
    assert db.session.get(Document, original["id"]).snapshot["findings"][0]["deadline"] == "2026-05-08"  # as issued
    assert db.session.get(Document, body["id"]).snapshot["findings"][0]["deadline"] == "2026-04-18"
    items = supervisor.get("/api/rectifications").get_json()["items"]
    corrected = next(i for i in items if i["id"] == item["id"])
    assert corrected["document_number"] == body["number"] and corrected["deadline"] == "2026-04-18"
