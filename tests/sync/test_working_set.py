"""A tablet's first copy is its working set, not the district's history: open work and the last twelve months of
closed records (pull protocol 2); what changes afterwards all follows; older records come from the enterprise's
history when online. Older PWAs (protocol 1) still receive everything."""
import uuid

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import Record
from tests.issuing.inspections import complete_inspection
from tests.support import error_of, login
from tests.sync.tablets import Tablet, handed_in_visit

# Business today is 2026-11-20: the working set's closed records are those dated from 2025-11-20.


def _history(client):
    """Four sampling visits of one enterprise: approved two years ago, approved last month, handed in long ago and
    still waiting for review, approved just inside the twelve months."""
    sampler = Tablet(login(client, "lh_sampler"))
    enterprise = next(e["id"] for e in sampler.caller.get("/api/enterprises?per_page=50").get_json()["items"]
                      if e["region_name"] == "临河区")
    visits = {name: handed_in_visit(sampler, enterprise, f"WS-{name}", day) for name, day in (
        ("old", "2024-10-08"), ("recent", "2026-10-12"), ("waiting", "2024-06-03"), ("edge", "2025-11-20"))}
    assert {r["status"] for r in sampler.push()["results"]} == {"applied"}
    reviewer = login(client, "lh_cdc_supervisor")
    for name in ("old", "recent", "edge"):
        response = reviewer.post(f"/api/records/{visits[name]}/review", json={"action": "approve"})
        assert response.status_code == 200, response.get_json()
    return enterprise, visits


def _roots(changes, entity="sampling_visit"):
    return {c["data"]["task_no"] for c in changes if c["kind"] == "record" and c["entity"] == entity}


@pytest.mark.parametrize("limit", [500, 3])
def test_the_first_copy_holds_open_work_and_the_last_twelve_months(client, limit):
    enterprise, visits = _history(client)
    tablet = Tablet(login(client, "lh_sampler2"))
    changes = tablet.pull(limit=limit, protocol=2)
    assert _roots(changes) == {"WS-recent", "WS-waiting", "WS-edge"}
    # The old visit's samples and signature stay on the server with it; the others' come along.
    samples = {c["data"]["sample_code"] for c in changes if c["kind"] == "record" and c["entity"] == "sample"}
    assert samples == {"WS-recent-01", "WS-waiting-01", "WS-edge-01"}
    assert not any(c.get("root_id") == visits["old"] for c in changes)
    # The registry and the reference data come whole.
    assert any(c["kind"] == "enterprise" for c in changes) and any(c["kind"] == "reference" for c in changes)

    # Work done afterwards follows, whatever its date (a visit of 2023 typed in late).
    sampler = Tablet(login(client, "lh_sampler"))
    later = handed_in_visit(sampler, enterprise, "WS-later", "2023-03-01")
    assert {r["status"] for r in sampler.push()["results"]} == {"applied"}
    assert _roots(tablet.pull(limit=limit, protocol=2)) == {"WS-later"}
    assert later in tablet.replica


def test_an_older_pwa_still_receives_everything(client):
    _history(client)
    tablet = Tablet(login(client, "lh_sampler2"))
    assert _roots(tablet.pull(protocol=1)) == {"WS-old", "WS-recent", "WS-waiting", "WS-edge"}


def test_the_enterprise_history_brings_the_older_records(client):
    enterprise, visits = _history(client)
    caller = login(client, "lh_sampler2")
    response = caller.get(f"/api/enterprises/{enterprise}/history")
    assert response.status_code == 200
    body = response.get_json()
    assert body["count"] == 4
    roots = [r["data"]["task_no"] for r in body["records"] if r["entity"] == "sampling_visit"]
    assert roots == ["WS-recent", "WS-edge", "WS-old", "WS-waiting"]  # newest first
    old = [r for r in body["records"] if r["root_id"] == visits["old"]]
    assert {r["entity"] for r in old} >= {"sampling_visit", "sample"}
    assert next(r for r in old if r["id"] == visits["old"])["review_status"] == "approved"
    # Another district's enterprise is not this sampler's to read.
    other = next(e["id"] for e in login(client, "dg_sampler").get("/api/enterprises?per_page=50").get_json()["items"]
                 if e["region_name"] == "东港区")
    refused = caller.get(f"/api/enterprises/{other}/history")
    assert refused.status_code in (403, 404) and error_of(refused)["message"]


def test_an_old_inspection_with_an_open_rectification_comes_along(client):
    """Approved two years ago, but its 意见书's items are not 销号 yet: the inspector's tablet needs it to re-inspect."""
    inspector = login(client, "lh_inspector")
    field, inspection, _ = complete_inspection(client, inspector, inspection_date="2024-09-02")
    _, closed, _ = complete_inspection(client, inspector, inspection_date="2024-09-03", tablet=field)
    for record_id in (inspection, closed):
        response = inspector.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": record_id,
                                                          "doc_type": "supervision_opinion"})
        assert response.status_code == 201, response.get_json()
    with client.application.app_context():
        for item in db.session.scalars(sa.select(Record).where(Record.entity == "rectification_item",
                                                               Record.root_id == closed)):
            item.data = {**item.data, "closed_on": "2024-10-01"}  # settled by a re-inspection long ago
        for root in db.session.scalars(sa.select(Record).where(Record.id.in_([inspection, closed]))):
            root.review_status, root.locked_reason = "approved", "approved"
        db.session.commit()
    tablet = Tablet(login(client, "lh_inspector2"))
    changes = tablet.pull(protocol=2)
    roots = {c["id"] for c in changes if c["kind"] == "record" and c["entity"] == "inspection"}
    assert inspection in roots and closed not in roots
    assert any(c["entity"] == "rectification_item" and c["root_id"] == inspection for c in changes
               if c["kind"] == "record")
