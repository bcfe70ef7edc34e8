"""Document numbers across New Year (China Standard Time): the year on a number is the year in China when it was
issued, a new year's series starts at 1, a tablet never prints last year's number, and a closed year's unused
reserved numbers are voided with their reason in the number register."""
import uuid

import sqlalchemy as sa

from server.extensions import db
from server.models import Agency, Document, NumberBlock, VoidedNumber
from tests.issuing.inspections import complete_inspection
from tests.support import error_of, login, user

NEW_YEARS_EVE = "2026-12-31T23:30:00+08:00"      # 15:30 UTC: already 2026-12-31 in UTC as well
AFTER_MIDNIGHT = "2027-01-01T00:10:00+08:00"     # 2026-12-31T16:10 UTC: still 2026 by UTC's calendar


def _issue(caller, record_id, doc_type="supervision_opinion"):
    response = caller.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": record_id,
                                                   "doc_type": doc_type})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _issue_offline(tablet, inspection, number, issued_at):
    document_id = str(uuid.uuid4())
    tablet._mutation("document", document_id, "issue", {"record_id": inspection, "doc_type": "supervision_opinion",
                                                         "number": number, "issued_at": issued_at})
    return document_id, tablet.push()["results"][-1]


def _reserve(caller, **extra):
    return caller.post("/api/documents/number-blocks", json={"doc_type": "supervision_opinion", "size": 3, **extra})


def test_a_document_issued_before_midnight_in_china_keeps_the_old_year_and_one_after_starts_the_new_at_one(
        client, clock):
    agency = db.session.get(Agency, user("lh_inspector").agency_id)
    agency.settings = {**(agency.settings or {}), "rectification_notice": True}
    db.session.commit()
    inspector = login(client, "lh_inspector")
    tablet, first, _ = complete_inspection(client, inspector)
    _, second, _ = complete_inspection(client, inspector, tablet=tablet)
    _, third, _ = complete_inspection(client, inspector, tablet=tablet)

    clock.set(NEW_YEARS_EVE)
    assert _issue(inspector, first, "rectification_notice")["number"] == "临卫职改〔2026〕1号"
    assert _issue(inspector, second, "rectification_notice")["number"] == "临卫职改〔2026〕2号"
    clock.set(AFTER_MIDNIGHT)
    late = _issue(inspector, third, "rectification_notice")
    assert late["number"] == "临卫职改〔2027〕1号"
    assert _issue(inspector, third, "onsite_record")["number"] == "2027—001"

    # The public verification page gives the date of issue as it was in China: 1 January, not 31 December.
    token = late["verify_url"].rsplit("/", 1)[1]
    page = client.get(f"/verify/{token}").get_data(as_text=True)
    assert "2027年1月1日" in page and "2026年12月31日" not in page


def test_next_years_block_can_be_reserved_in_december_only(client, clock):
    inspector = login(client, "lh_inspector")
    assert _reserve(inspector, year=2027).status_code == 422  # the clock stands in November
    refused = _reserve(inspector, year=2027)
    assert error_of(refused)["details"][0]["field"] == "year"
    assert "2026 年" in error_of(refused)["details"][0]["message"]
    clock.set("2026-12-01T08:00:00+08:00")
    this_year, next_year = _reserve(inspector).get_json(), _reserve(inspector, year=2027).get_json()
    assert (this_year["year"], this_year["first_number"]) == (2026, "2026—001")
    assert (next_year["year"], next_year["first_number"], next_year["last_number"]) == (2027, "2027—001", "2027—003")
    assert _reserve(inspector, year=2028).status_code == 422
    assert _reserve(inspector, year=2025).status_code == 422
    # Online issuance in the new year continues after the block the tablet holds.
    clock.set(AFTER_MIDNIGHT)
    other_tablet, other, _ = complete_inspection(client, login(client, "lh_inspector2"))
    assert _issue(other_tablet.caller, other)["number"] == "2027—004"


def test_a_tablet_offline_on_2_january_issues_from_its_new_year_block_and_never_prints_last_years_number(
        client, clock):
    inspector = login(client, "lh_inspector")
    tablet, inspection, _ = complete_inspection(client, inspector)
    clock.set("2026-12-30T17:00:00+08:00")  # the last sync of the year: blocks for both years
    old_block, new_block = _reserve(inspector).get_json(), _reserve(inspector, year=2027).get_json()

    clock.set("2027-01-02T09:00:00+08:00")
    _, stale = _issue_offline(tablet, inspection, old_block["first_number"], "2027-01-02T09:00:00+08:00")
    assert stale["status"] == "rejected"
    assert stale["error"]["details"][0]["code"] == "year_mismatch"
    assert "2027 年出具的文书不能使用 2026 年的编号" in stale["error"]["details"][0]["message"]
    document_id, result = _issue_offline(tablet, inspection, new_block["first_number"], "2027-01-02T09:00:00+08:00")
    assert result["status"] == "applied" and result["document_number"] == "2027—001"
    assert db.session.get(Document, document_id).year == 2027

    # Its first sync of the new year gives the old block back: nobody took a 2026 number after it, so its unused
    # numbers go back to the 2026 series and the register shows no hole.
    released = inspector.post(f"/api/documents/number-blocks/{old_block['id']}/release",
                              json={"reason": "年度结束，预留号段中未使用的号码作废"})
    assert released.status_code == 200
    supervisor = login(client, "lh_supervisor")
    register = supervisor.get("/api/documents/number-register?year=2026").get_json()
    series = {s["doc_type"]: s for s in register["series"]}["supervision_opinion"]
    assert series["entries"] == [] and series["allocated"] == 0
    current = supervisor.get("/api/documents/number-register").get_json()  # this year by the business clock
    assert current["year"] == 2027
    entries = {s["doc_type"]: s for s in current["series"]}["supervision_opinion"]["entries"]
    assert [(e["number"], e["state"]) for e in entries] == [
        ("2027—001", "issued"), ("2027—002", "reserved"), ("2027—003", "reserved")]
    assert entries[0]["issued_on"] == "2027-01-02" and entries[0]["offline"] is True


def test_blocks_a_device_never_returned_are_closed_by_housekeeping_after_the_grace_period(app, client, clock):
    inspector = login(client, "lh_inspector")
    tablet, inspection, _ = complete_inspection(client, inspector)
    clock.set("2026-12-15T10:00:00+08:00")
    block = _reserve(inspector).get_json()
    assert _issue_offline(tablet, inspection, block["first_number"], "2026-12-15T11:00:00+08:00")[1]["status"] == \
        "applied"
    runner = app.test_cli_runner()
    clock.set("2027-01-20T09:00:00+08:00")  # a device may still come back with December's documents
    assert "0 个" in runner.invoke(args=["housekeeping", "number-blocks"]).output
    assert db.session.get(NumberBlock, block["id"]).released_at is None
    clock.set("2027-02-01T09:00:00+08:00")
    assert "1 个" in runner.invoke(args=["housekeeping", "number-blocks"]).output
    db.session.expire_all()
    assert db.session.get(NumberBlock, block["id"]).released_at is not None
    voided = db.session.scalars(sa.select(VoidedNumber).order_by(VoidedNumber.seq)).all()
    assert [(v.year, v.seq, v.voided_by) for v in voided] == [(2026, 2, None), (2026, 3, None)]
    register = login(client, "lh_supervisor").get("/api/documents/number-register?year=2026").get_json()
    entries = {s["doc_type"]: s for s in register["series"]}["supervision_opinion"]["entries"]
    assert [(e["state"], e.get("voided_by")) for e in entries] == [("issued", None), ("voided", "系统"),
                                                                    ("voided", "系统")]
    assert entries[1]["reason"] == "年度结束后设备未归还号段，未使用的号码由系统作废"


def test_the_number_register_is_for_supervisors(client):
    assert login(client, "lh_inspector").get("/api/documents/number-register").status_code == 403
