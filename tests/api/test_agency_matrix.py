"""Roles × agencies × districts over every endpoint and the pull: each user receives and reads exactly the work of
their role or agency in their jurisdiction — a CDC sampler never an inspection, its finding or its conflict; the
supervision agency the CDC's monitoring results read-only; another district nothing — and acts on nothing else.

The world holds, in both districts, every root kind handed in, children, an issued document and open conflicts. A
leak is any id of the world that is not the user's to see appearing in any answer (pull, list, detail, labels,
documents, conflicts, figures, PDFs), or any action on it that does not answer 403/404.
"""
import re
import uuid

import pytest

from server.extensions import db
from server.models import Conflict, Document, Record
from tests.issuing.inspections import complete_inspection
from tests.support import enterprise_in, login
from tests.sync.tablets import (HANDED_IN_ASSISTANCE, HANDED_IN_FOLLOWUP, HANDED_IN_VISIT, Tablet, hand_in_visit,
                                sample_fields, visit_fields)

DISTRICTS = {"lh": "临河区", "dg": "东港区"}
ALL = {"sampling_visit", "inspection", "assistance_visit", "followup"}
# Written from the work plans, not from the code: who works on what.
KINDS = {"sampler": {"sampling_visit"}, "sampler2": {"sampling_visit"}, "inspector": {"inspection"},
         "inspector2": {"inspection"}, "assistant": {"assistance_visit"}, "followup": {"followup"},
         "supervisor": {"inspection", "sampling_visit"},          # 执法大队: its inspections + the CDC's monitoring
         "cdc_supervisor": {"sampling_visit", "assistance_visit", "followup"},
         "lab": {"sampling_visit"}}                                 # the CDC's laboratory: the samples it analyses
REVIEWS = {"supervisor": {"inspection"}, "cdc_supervisor": {"sampling_visit", "assistance_visit", "followup"}}
USERS = [f"{prefix}_{role}" for prefix in DISTRICTS for role in KINDS] + ["city_supervisor", "admin"]


def expected(username):
    """(kinds seen, districts seen, kinds reviewed, kinds whose conflicts are settled)."""
    if username in ("city_supervisor", "admin"):
        return ALL, set(DISTRICTS.values()), set(), ALL if username == "admin" else set()
    prefix, role = username.split("_", 1)
    settles = REVIEWS.get(role, set())
    return KINDS[role], {DISTRICTS[prefix]}, REVIEWS.get(role, set()), settles


def _world(client):
    """Every root kind in both districts, handed in, with an issued notice and two open conflicts each."""
    roots = {}
    for prefix, district in DISTRICTS.items():
        enterprise = enterprise_in(district).id
        sampler = Tablet(login(client, f"{prefix}_sampler"))
        visit = sampler.create("sampling_visit", visit_fields(enterprise, **HANDED_IN_VISIT))
        sampler.create("sample", sample_fields(f"{prefix.upper()}-001"), parent=visit)
        hand_in_visit(sampler, visit)
        sampler.push()
        assistant = Tablet(login(client, f"{prefix}_assistant"))
        assistance = assistant.create("assistance_visit", {**HANDED_IN_ASSISTANCE, "enterprise_id": enterprise,
                                                           "visit_date": "2026-04-08"})
        assistant.submit(assistance)
        assistant.push()
        follow = Tablet(login(client, f"{prefix}_followup"))
        patient = follow.create("followup", {**HANDED_IN_FOLLOWUP, "case_no": f"{prefix}-FU-1", "patient_name": "患者甲",
                                             "followup_date": "2026-04-08", "vital_status": "alive"})
        follow.submit(patient)
        follow.push()
        inspector = login(client, f"{prefix}_inspector")
        tablet, inspection, findings = complete_inspection(client, inspector, district=district,
                                                           officers=(f"{prefix}_inspector", f"{prefix}_inspector2"))
        issued = inspector.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": inspection,
                                                        "doc_type": "supervision_opinion"})
        assert issued.status_code == 201, issued.get_json()
        # Conflicts: a second sampler on the visit, a second inspector's late edit of the issued finding.
        other = Tablet(login(client, f"{prefix}_sampler2"))
        other.pull()
        sampler.update(visit, {"production_status": "满负荷生产"})
        other.update(visit, {"production_status": "减产50%"})
        sampler.push()
        assert other.push()["results"][0]["status"] == "conflict"
        late = Tablet(login(client, f"{prefix}_inspector2"))
        late.pull()
        late.update(findings[0], {"deadline_days": 10})
        assert late.push()["results"][0]["status"] == "conflict"
        roots.update({visit: ("sampling_visit", district), assistance: ("assistance_visit", district),
                      patient: ("followup", district), inspection: ("inspection", district)})
    return roots


def _owners(roots):
    """Every id of the world (records, documents, conflicts) → (root kind, district) of the work it belongs to."""
    owners = {}
    for record in db.session.query(Record).filter(Record.root_id.in_(roots)):
        owners[record.id] = roots[record.root_id]
    for document in db.session.query(Document).filter(Document.record_id.in_(roots)):
        owners[document.id] = roots[document.record_id]
    for conflict in db.session.query(Conflict):
        owners[conflict.id] = owners[conflict.record_id]
    return owners


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _ids_in(text, owners):
    return {found for found in UUID.findall(text) if found in owners}


def _text(response):
    return response.get_data().decode("utf-8", "replace")


def _get(caller, url):
    response = caller.get(url)
    assert response.status_code < 500, (url, response.status_code)
    return response


@pytest.mark.parametrize("username", USERS)
def test_each_user_sees_and_acts_on_exactly_their_agencys_work(client, username):
    roots = _world(client)
    owners = _owners(roots)
    kinds, districts, reviews, settles = expected(username)
    mine = {i for i, (kind, district) in owners.items() if kind in kinds and district in districts}
    caller = login(client, username)

    # The pull: what reaches the device.
    pulled = {c["id"] for c in Tablet(caller).pull() if c["id"] in owners}
    assert pulled <= mine, {owners[i] for i in pulled - mine}
    assert {i for i in mine if i in roots} <= pulled  # and the work they need does arrive

    # Every reading endpoint, with every id of the world where it takes one.
    seen = set()
    lists = ["/api/records?per_page=200&status=", "/api/documents", "/api/sync/conflicts?status=",
             "/api/rectifications", "/api/kpis?date_from=2026-01-01&date_to=2026-12-31", "/api/audit",
             "/api/documents/number-register", "/api/documents/number-blocks", "/api/draws",
             "/api/monitoring/visits?per_page=200", "/api/monitoring/visits?state=field&per_page=200"]
    for url in lists:
        seen |= _ids_in(_text(_get(caller, url)), owners)
    documents = {d.id: d.record_id for d in db.session.query(Document)}
    for record_id in roots:
        for url in (f"/api/records/{record_id}", f"/api/records/{record_id}/labels",
                    f"/api/documents?record_id={record_id}", f"/api/sync/conflicts?status=&record_id={record_id}",
                    f"/api/monitoring/visits/{record_id}"):
            response = _get(caller, url)
            seen |= _ids_in(_text(response), owners)
            if response.status_code == 200 and url.startswith(("/api/records/", "/api/monitoring/")) \
                    and record_id not in mine:
                pytest.fail(f"{username} read {roots[record_id]} at {url}")
    for document_id in documents:
        response = _get(caller, f"/api/documents/{document_id}")
        seen |= _ids_in(_text(response), owners)
        pdf = _get(caller, f"/api/documents/{document_id}/pdf")
        assert (pdf.status_code == 200) == (document_id in mine), (username, owners[document_id], pdf.status_code)
    assert seen <= mine, sorted({owners[i] for i in seen - mine})

    # Acting: review, settle, void — only on the agency's own work; refusals change nothing.
    for record_id, (kind, district) in roots.items():
        own = kind in reviews and district in districts
        if not own:
            before = db.session.get(Record, record_id).review_status
            answer = caller.post(f"/api/records/{record_id}/review", json={"action": "approve"})
            assert answer.status_code in (403, 404), (username, kind, district, answer.status_code)
            db.session.expire_all()
            assert db.session.get(Record, record_id).review_status == before
    # The monitoring chain: only the visit's own sampler hands over, only its own laboratory enters results.
    role = username.split("_", 1)[1] if "_" in username and username != "city_supervisor" else username
    for record_id, (kind, district) in roots.items():
        if kind != "sampling_visit":
            continue
        sample_id = db.session.query(Record.id).filter(Record.root_id == record_id, Record.entity == "sample").scalar()
        if not (role in ("sampler", "sampler2") and district in districts):
            answer = caller.post(f"/api/monitoring/visits/{record_id}/handover", json={})
            assert answer.status_code in (403, 404), (username, district, answer.status_code)
        if not (role == "lab" and district in districts):
            answer = caller.put(f"/api/monitoring/samples/{sample_id}/result", json={"result_kind": "mass"})
            assert answer.status_code in (403, 404), (username, district, answer.status_code)
    for conflict_id in [c.id for c in db.session.query(Conflict)]:
        kind, district = owners[conflict_id]
        if not (kind in settles and district in districts):
            answer = caller.post(f"/api/sync/conflicts/{conflict_id}/resolve", json={"choice": "server"})
            assert answer.status_code in (403, 404), (username, kind, district, answer.status_code)
    for document_id in documents:
        kind, district = owners[document_id]
        if not (kind in reviews and district in districts) and username != "admin":
            answer = caller.post(f"/api/documents/{document_id}/void", json={"reason": "测试作废"})
            assert answer.status_code in (403, 404), (username, kind, district, answer.status_code)
    db.session.expire_all()
    assert db.session.query(Conflict).filter(Conflict.status == "open").count() == 4
