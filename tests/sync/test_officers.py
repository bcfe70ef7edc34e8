"""The two officers of an inspection are people of the agency's roster, never numbers typed in: the roster reaches
the inspector's tablet with every pull, and the server refuses an officer who is not one of the agency's inspectors
holding a 执法证号 — when the tablet names them and again when a document is issued."""
import uuid

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import User
from tests.issuing.inspections import complete_inspection, inspection_fields
from tests.support import enterprise_in, login, user
from tests.sync.tablets import Tablet


def _roster(tablet):
    tablet.pull()
    return tablet.last_pull.get("roster")


def test_an_inspectors_pull_carries_the_agencys_officers_with_their_certificate_numbers(client):
    roster = _roster(Tablet(login(client, "lh_inspector")))
    first, second = user("lh_inspector"), user("lh_inspector2")
    assert sorted(roster, key=lambda o: o["id"]) == sorted([
        {"id": first.id, "name": first.display_name, "cert_no": first.enforcement_cert_no},
        {"id": second.id, "name": second.display_name, "cert_no": second.enforcement_cert_no}], key=lambda o: o["id"])
    assert all(o["cert_no"] for o in roster)
    # The other district's inspectors and the CDC's people are not officers of this agency; a sampler gets no roster.
    assert user("dg_inspector").id not in {o["id"] for o in roster}
    assert _roster(Tablet(login(client, "lh_sampler"))) is None


def test_the_roster_follows_the_user_registry_even_when_no_record_changed(client):
    tablet = Tablet(login(client, "lh_inspector"))
    assert user("lh_inspector2").id in {o["id"] for o in _roster(tablet)}
    admin = login(client, "admin")
    assert admin.patch(f"/api/users/{user('lh_inspector2').id}", json={"active": False}).status_code == 200
    roster = _roster(tablet)
    assert tablet.last_pull["changes"] == []  # nothing else changed: the roster still arrives
    assert [o["id"] for o in roster] == [user("lh_inspector").id]


def _without_cert(username):
    db.session.execute(sa.update(User).where(User.username == username).values(enforcement_cert_no=None))
    db.session.commit()


def _deactivate(username):
    db.session.execute(sa.update(User).where(User.username == username).values(active=False))
    db.session.commit()


@pytest.mark.parametrize("who, prepare, code, message", [
    ("dg_inspector", None, "not_officer", "执法人员2：所选人员不是本机构的执法人员"),
    ("lh_sampler", None, "not_officer", "执法人员2：所选人员不是本机构的执法人员"),
    (None, None, "not_officer", "执法人员2：所选人员不是本机构的执法人员"),
    ("lh_inspector2", _deactivate, "officer_inactive", "的账号已停用，请另选执法人员"),
    ("lh_inspector2", _without_cert, "no_cert_no", "没有执法证号，不能作为执法人员"),
])
def test_an_officer_who_is_not_one_of_the_agencys_certified_inspectors_is_refused(client, who, prepare, code, message):
    if prepare:
        prepare(who)
    chosen = str(user(who).id) if who else "987654"
    tablet = Tablet(login(client, "lh_inspector"))
    inspection = tablet.create("inspection", inspection_fields(enterprise_in("临河区").id, officer_2_id=chosen))
    result = tablet.push()["results"][0]
    assert result["status"] == "rejected"
    details = result["error"]["details"]
    assert [(d["field"], d["code"]) for d in details] == [("officer_2_id", code)]
    assert message in details[0]["message"] and details[0]["message_en"]
    assert tablet.caller.get(f"/api/records/{inspection}").status_code == 404  # nothing was stored


def test_changing_the_second_officer_to_another_agencys_inspector_keeps_the_first_choice(client):
    tablet = Tablet(login(client, "lh_inspector"))
    inspection = tablet.create("inspection", inspection_fields(enterprise_in("临河区").id))
    tablet.push()
    tablet.update(inspection, {"officer_2_id": str(user("dg_inspector").id), "officer_2_name": "东港的人"})
    result = tablet.push()["results"][0]
    assert result["status"] == "rejected" and result["error"]["details"][0]["field"] == "officer_2_id"
    record = tablet.caller.get(f"/api/records/{inspection}").get_json()
    assert record["record"]["data"]["officer_2_id"] == str(user("lh_inspector2").id)


def test_a_document_is_not_issued_while_an_officer_named_has_left(client):
    inspector = login(client, "lh_inspector")
    _, inspection, _ = complete_inspection(client, inspector)
    _deactivate("lh_inspector2")  # chosen while on the roster, gone before the notice is issued
    response = inspector.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": inspection,
                                                      "doc_type": "supervision_opinion"})
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "INCOMPLETE"
    officer = [d for d in error["details"] if d["field"].endswith(".officer_2_id")]
    assert officer and officer[0]["code"] == "officer_inactive"
    assert officer[0]["message"].startswith(f"执法人员2：{user('lh_inspector2').display_name}的账号已停用")
