"""Issuing documents on site: numbered, snapshotted, the record locked, corrections only by amendment."""
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError

from server.extensions import db
from server.models import Agency, Document, Record, VoidedNumber
from tests.issuing.inspections import complete_inspection
from tests.support import error_of, login, user


def _issue(caller, record_id, doc_type="supervision_opinion", **extra):
    return caller.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": record_id,
                                               "doc_type": doc_type, **extra})


def test_issuing_numbers_the_opinion_locks_the_inspection_and_opens_rectification_items(client):
    inspector = login(client, "lh_inspector")
    tablet, inspection, findings = complete_inspection(client, inspector)
    response = _issue(inspector, inspection)
    assert response.status_code == 201, response.get_json()
    document = response.get_json()
    assert document["number"] == "2026—001" and document["status"] == "valid"
    assert "/verify/" in document["verify_url"] and len(document["content_hash"]) == 64
    assert _issue(inspector, inspection, "onsite_record").get_json()["number"] == "2026—001"  # its own series
    assert db.session.get(Record, inspection).locked_reason == "document"
    tablet.update(findings[0], {"fact": "事后改写"})
    late = tablet.push()["results"][0]  # kept as a conflict for a 更正, never written over the issued finding
    assert late["status"] == "conflict" and late["conflicts"][0]["field"] == "fact"
    assert db.session.get(Record, findings[0]).data["fact"] != "事后改写"
    items = {c["data"]["finding_id"]: c["data"] for c in tablet.pull() if c.get("entity") == "rectification_item"}
    assert set(items) == set(findings)
    assert items[findings[0]]["deadline"] == "2026-05-08" and items[findings[1]]["deadline"] == "2026-04-23"
    assert items[findings[0]]["status"] == "open" and items[findings[0]]["document_number"] == "2026—001"


def test_a_second_inspection_gets_the_next_number(client):
    inspector = login(client, "lh_inspector")
    tablet, first, _ = complete_inspection(client, inspector)
    _, second, _ = complete_inspection(client, inspector, tablet=tablet)
    numbers = [_issue(inspector, r).get_json()["number"] for r in (first, second)]
    assert numbers == ["2026—001", "2026—002"]


def test_an_incomplete_inspection_cannot_be_issued(client):
    inspector = login(client, "lh_inspector")
    tablet, inspection, _ = complete_inspection(client, inspector)
    tablet.update(inspection, {"party_rep_title": ""})
    tablet.push()
    response = _issue(inspector, inspection)
    assert response.status_code == 422 and error_of(response)["code"] == "INCOMPLETE"
    assert any(d["field"].endswith("party_rep_title") for d in error_of(response)["details"])
    assert db.session.scalar(sa.select(sa.func.count(Document.id))) == 0


def test_issued_documents_cannot_be_changed_even_with_sql(app, client):
    inspector = login(client, "lh_inspector")
    _, inspection, _ = complete_inspection(client, inspector)
    document_id = _issue(inspector, inspection).get_json()["id"]
    for statement in ("UPDATE documents SET number = 'forged' WHERE id = :id", "DELETE FROM documents WHERE id = :id"):
        with pytest.raises((DBAPIError, IntegrityError)) as refused:
            db.session.execute(sa.text(statement), {"id": document_id})
        assert "immutable" in str(refused.value)
        db.session.rollback()
    assert db.session.get(Document, document_id).number == "2026—001"


def test_a_correction_is_an_amendment_and_the_original_shows_as_amended(client):
    inspector = login(client, "lh_inspector")
    _, inspection, _ = complete_inspection(client, inspector)
    original = _issue(inspector, inspection).get_json()
    amendment = _issue(inspector, inspection, amends_id=original["id"])
    assert amendment.status_code == 201 and amendment.get_json()["number"] == "2026—002"
    assert inspector.get(f"/api/documents/{original['id']}").get_json()["status"] == "amended"
    assert inspector.get(f"/api/documents/{amendment.get_json()['id']}").get_json()["status"] == "valid"
    # The list says the same, newest first, a page at a time.
    listed = inspector.get(f"/api/documents?record_id={inspection}&per_page=1").get_json()
    assert (listed["total"], listed["total_more"], len(listed["items"])) == (2, False, 1)
    assert [(d["number"], d["status"]) for d in listed["items"]] == [("2026—002", "valid")]
    second = inspector.get(f"/api/documents?record_id={inspection}&per_page=1&page=2").get_json()
    assert [(d["number"], d["status"]) for d in second["items"]] == [("2026—001", "amended")]


def test_a_supervisor_voids_a_document_with_a_reason(client):
    inspector = login(client, "lh_inspector")
    _, inspection, _ = complete_inspection(client, inspector)
    document = _issue(inspector, inspection).get_json()
    supervisor = login(client, "lh_supervisor")
    assert supervisor.post(f"/api/documents/{document['id']}/void", json={"reason": ""}).status_code == 422
    voided = supervisor.post(f"/api/documents/{document['id']}/void", json={"reason": "当事人名称填写错误，已重新出具"})
    assert voided.status_code == 200 and voided.get_json()["status"] == "voided"
    assert inspector.post(f"/api/documents/{document['id']}/void", json={"reason": "x"}).status_code == 403


def test_the_provincial_notice_is_switched_on_per_agency(client):
    inspector = login(client, "lh_inspector")
    _, inspection, _ = complete_inspection(client, inspector)
    refused = _issue(inspector, inspection, "rectification_notice")
    assert refused.status_code == 422 and error_of(refused)["code"] == "DOCUMENT_TYPE_DISABLED"
    agency = db.session.get(Agency, user("lh_inspector").agency_id)
    agency.settings = {**(agency.settings or {}), "rectification_notice": True}
    db.session.commit()
    response = _issue(inspector, inspection, "rectification_notice")
    assert response.status_code == 201 and response.get_json()["number"] == "临卫职改〔2026〕1号"


def test_a_retried_issue_request_returns_the_same_document(client):
    inspector = login(client, "lh_inspector")
    _, inspection, _ = complete_inspection(client, inspector)
    request = {"id": str(uuid.uuid4()), "record_id": inspection, "doc_type": "supervision_opinion"}
    first = inspector.post("/api/documents", json=request).get_json()
    again = inspector.post("/api/documents", json=request).get_json()
    assert first["number"] == again["number"] and first["id"] == again["id"]
    assert db.session.scalar(sa.select(sa.func.count(Document.id))) == 1


def test_samplers_cannot_issue_enforcement_documents(client):
    inspector = login(client, "lh_inspector")
    _, inspection, _ = complete_inspection(client, inspector)
    assert _issue(login(client, "lh_sampler"), inspection).status_code in (403, 404)


def _issue_offline(tablet, inspection, number, doc_type="supervision_opinion"):
    document_id = str(uuid.uuid4())
    tablet._mutation("document", document_id, "issue", {"record_id": inspection, "doc_type": doc_type,
                                                         "number": number, "issued_at": "2026-04-08T11:20:00+08:00"})
    return document_id, tablet.push()["results"][-1]


def test_offline_issuance_uses_the_devices_reserved_block(client):
    inspector = login(client, "lh_inspector")
    tablet, inspection, _ = complete_inspection(client, inspector)
    block = inspector.post("/api/documents/number-blocks", json={"doc_type": "supervision_opinion", "size": 5})
    assert block.status_code == 201
    block = block.get_json()
    assert (block["first_number"], block["last_number"]) == ("2026—001", "2026—005")
    # Online issuance elsewhere skips the reserved numbers.
    other_tablet, other, _ = complete_inspection(client, login(client, "lh_inspector2"))
    assert _issue(other_tablet.caller, other).get_json()["number"] == "2026—006"
    document_id, result = _issue_offline(tablet, inspection, "2026—003")
    assert result["status"] == "applied" and result["document_number"] == "2026—003"
    stored = db.session.get(Document, document_id)
    assert stored.offline is True and stored.issued_at.isoformat().startswith("2026-04-08T03:20")
    assert db.session.get(Record, inspection).locked_reason == "document"


def test_an_offline_number_outside_the_devices_block_is_refused(client):
    inspector = login(client, "lh_inspector")
    tablet, inspection, _ = complete_inspection(client, inspector)
    inspector.post("/api/documents/number-blocks", json={"doc_type": "supervision_opinion", "size": 5})
    colleague = login(client, "lh_inspector2")
    colleague.post("/api/documents/number-blocks", json={"doc_type": "supervision_opinion", "size": 5})
    for number in ("2026—009", "2026—042", "2025—002"):  # the colleague's block, nobody's, another year
        _, result = _issue_offline(tablet, inspection, number)
        assert result["status"] == "rejected"
        assert result["error"]["details"][0]["code"] in ("outside_reserved_block", "no_reserved_block")
    assert db.session.scalar(sa.select(sa.func.count(Document.id))) == 0


def test_a_number_cannot_be_used_twice(client):
    inspector = login(client, "lh_inspector")
    tablet, inspection, _ = complete_inspection(client, inspector)
    _, second, _ = complete_inspection(client, inspector, tablet=tablet)
    inspector.post("/api/documents/number-blocks", json={"doc_type": "supervision_opinion", "size": 5})
    assert _issue_offline(tablet, inspection, "2026—002")[1]["status"] == "applied"
    _, result = _issue_offline(tablet, second, "2026—002")
    assert result["status"] == "rejected" and result["error"]["code"] == "NUMBER_USED"


def test_releasing_a_block_voids_its_unused_numbers_with_the_reason(client):
    inspector = login(client, "lh_inspector")
    tablet, inspection, _ = complete_inspection(client, inspector)
    block = inspector.post("/api/documents/number-blocks", json={"doc_type": "supervision_opinion", "size": 4}).get_json()
    _issue_offline(tablet, inspection, "2026—002")
    second_block = inspector.post("/api/documents/number-blocks",
                                  json={"doc_type": "supervision_opinion", "size": 2}).get_json()
    released = inspector.post(f"/api/documents/number-blocks/{block['id']}/release", json={"reason": "年终归还"})
    assert released.status_code == 200
    voided = db.session.scalars(sa.select(VoidedNumber).order_by(VoidedNumber.seq)).all()
    assert [(v.seq, v.reason) for v in voided] == [(1, "年终归还"), (3, "年终归还"), (4, "年终归还")]
    assert [b["id"] for b in inspector.get("/api/documents/number-blocks").get_json()["items"]] == [second_block["id"]]


def test_a_block_returned_unused_at_the_series_end_gives_its_numbers_back_without_a_hole(client):
    inspector = login(client, "lh_inspector")
    tablet, inspection, _ = complete_inspection(client, inspector)
    _, second, _ = complete_inspection(client, inspector, tablet=tablet)
    block = inspector.post("/api/documents/number-blocks", json={"doc_type": "supervision_opinion"}).get_json()
    assert (block["first_number"], block["last_number"]) == ("2026—001", "2026—003")  # small blocks by default
    assert _issue_offline(tablet, inspection, "2026—001")[1]["status"] == "applied"
    released = inspector.post(f"/api/documents/number-blocks/{block['id']}/release", json={"unused": True})
    assert released.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(VoidedNumber)) == 0
    assert _issue(inspector, second).get_json()["number"] == "2026—002"  # online, right after the offline one
    register = login(client, "lh_supervisor").get("/api/documents/number-register").get_json()
    series = {s["doc_type"]: s for s in register["series"]}["supervision_opinion"]
    assert [(e["number"], e["state_zh"]) for e in series["entries"]] == [("2026—001", "已出具"),
                                                                          ("2026—002", "已出具")]
    assert sum(series["counts"].values()) == series["allocated"] == 2


def test_a_block_returned_before_later_numbers_keeps_them_in_the_register_as_returned(client):
    inspector = login(client, "lh_inspector")
    tablet, inspection, _ = complete_inspection(client, inspector)
    block = inspector.post("/api/documents/number-blocks", json={"doc_type": "supervision_opinion"}).get_json()
    _, online, _ = complete_inspection(client, login(client, "lh_inspector2"))
    assert _issue(login(client, "lh_inspector2"), online).get_json()["number"] == "2026—004"
    assert _issue_offline(tablet, inspection, "2026—002")[1]["status"] == "applied"
    assert inspector.post(f"/api/documents/number-blocks/{block['id']}/release",
                          json={"unused": True}).status_code == 200
    register = login(client, "lh_supervisor").get("/api/documents/number-register").get_json()
    series = {s["doc_type"]: s for s in register["series"]}["supervision_opinion"]
    assert [(e["number"], e["state_zh"], e.get("reason")) for e in series["entries"]] == [
        ("2026—001", "未使用已归还", "设备未使用，同步时归还"), ("2026—002", "已出具", None),
        ("2026—003", "未使用已归还", "设备未使用，同步时归还"), ("2026—004", "已出具", None)]
    assert series["counts"]["issued"] + series["counts"]["returned"] == series["allocated"] == 4


def test_only_the_device_or_its_agencys_supervisor_releases_a_block(client):
    inspector = login(client, "lh_inspector")
    block = inspector.post("/api/documents/number-blocks", json={"doc_type": "supervision_opinion", "size": 3}).get_json()
    for outsider in ("dg_supervisor", "lh_inspector2"):  # another district's supervisor; a colleague's tablet
        refused = login(client, outsider).post(f"/api/documents/number-blocks/{block['id']}/release",
                                               json={"reason": "试图归还"})
        assert refused.status_code == 404
    assert [b["id"] for b in inspector.get("/api/documents/number-blocks").get_json()["items"]] == [block["id"]]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(VoidedNumber)) == 0
    released = login(client, "lh_supervisor").post(f"/api/documents/number-blocks/{block['id']}/release",
                                                   json={"reason": "平板丢失"})
    assert released.status_code == 200
    assert inspector.get("/api/documents/number-blocks").get_json()["items"] == []


def test_re_sending_another_districts_document_id_reveals_nothing(client):
    inspector = login(client, "lh_inspector")
    _, inspection, _ = complete_inspection(client, inspector)
    document = _issue(inspector, inspection).get_json()
    outsider = login(client, "dg_inspector")
    again = outsider.post("/api/documents", json={"id": document["id"], "record_id": inspection,
                                                  "doc_type": "supervision_opinion"})
    assert again.status_code == 404 and "verify" not in again.get_data(as_text=True)
    from tests.sync.tablets import Tablet
    tablet = Tablet(outsider)
    tablet._mutation("document", document["id"], "issue", {"record_id": inspection, "doc_type": "supervision_opinion",
                                                            "number": document["number"],
                                                            "issued_at": "2026-04-08T11:20:00+08:00"})
    result = tablet.push()["results"][-1]
    assert result["status"] == "rejected" and "document_number" not in result


def test_other_roles_of_the_district_do_not_read_enforcement_documents_or_rectifications(client):
    inspector = login(client, "lh_inspector")
    _, inspection, _ = complete_inspection(client, inspector)
    document = _issue(inspector, inspection).get_json()
    for username in ("lh_sampler", "lh_assistant", "lh_followup"):
        caller = login(client, username)
        assert caller.get(f"/api/documents?record_id={inspection}").get_json()["items"] == []
        assert caller.get(f"/api/documents/{document['id']}").status_code == 404
        assert caller.get(f"/api/documents/{document['id']}/pdf").status_code == 404
        refused = caller.get("/api/rectifications")
        assert refused.status_code == 403 and error_of(refused)["code"] == "FORBIDDEN"
    assert [d["number"] for d in login(client, "lh_supervisor").get(
        f"/api/documents?record_id={inspection}").get_json()["items"]] == [document["number"]]


def test_a_notice_is_not_issued_while_two_tablets_disagree_on_what_it_would_show(client):
    from server.models import Conflict
    from tests.sync.tablets import Tablet
    inspector = login(client, "lh_inspector")
    first, inspection, findings = complete_inspection(client, inspector)
    second = Tablet(login(client, "lh_inspector2"))
    second.pull()
    first.pull()
    first.update(findings[0], {"fact": "未组织12名接噪工人体检"})
    second.update(findings[0], {"fact": "未组织接触噪声作业的劳动者进行职业健康检查"})
    first.push()
    assert second.push()["results"][0]["status"] == "conflict"
    refused = _issue(inspector, inspection)
    assert refused.status_code == 422 and error_of(refused)["code"] == "OPEN_CONFLICTS"
    detail = error_of(refused)["details"][0]
    assert detail["code"] == "conflict_open" and "未组织12名接噪工人体检" in detail["message"]
    assert "未组织接触噪声作业的劳动者进行职业健康检查" in detail["message"] and "fact" not in detail["message"]
    assert db.session.scalar(sa.select(sa.func.count(Document.id))) == 0
    conflict_id = db.session.scalar(sa.select(Conflict.id).where(Conflict.status == "open"))
    resolved = login(client, "lh_supervisor").post(f"/api/sync/conflicts/{conflict_id}/resolve",
                                                   json={"choice": "client"})
    assert resolved.status_code == 200
    assert _issue(inspector, inspection).status_code == 201


def test_online_issuance_from_a_tablet_holding_a_block_takes_its_own_numbers_first(client):
    inspector = login(client, "lh_inspector")
    tablet, inspection, _ = complete_inspection(client, inspector)
    _, second, _ = complete_inspection(client, inspector, tablet=tablet)
    block = inspector.post("/api/documents/number-blocks", json={"doc_type": "supervision_opinion"}).get_json()
    _, colleague_work, _ = complete_inspection(client, login(client, "lh_inspector2"))
    assert _issue(login(client, "lh_inspector2"), colleague_work).get_json()["number"] == "2026—004"
    assert _issue_offline(tablet, inspection, block["first_number"])[1]["status"] == "applied"
    assert _issue(inspector, second).get_json()["number"] == "2026—002"  # not 005: 002 is this tablet's
