"""Push: applied exactly once, in order, whatever the network does."""
import datetime as dt

import sqlalchemy as sa
from flask_jwt_extended import create_access_token

from server.extensions import db
from server.models import Device, Mutation, Record, RecordChange
from server.sync.faults import FaultPlan
from tests.support import enterprise_in, error_of, login
from tests.sync.tablets import Tablet, new_id, sample_fields, visit_fields


def _sampler(client, username="lh_sampler"):
    return Tablet(login(client, username))


def _changes_of(record_id):
    return db.session.scalar(sa.select(sa.func.count()).where(RecordChange.record_id == record_id))


def test_retry_after_a_lost_response_is_answered_from_the_log(client):
    tablet = _sampler(client)
    visit = tablet.create("sampling_visit", visit_fields(enterprise_in("临河区").id))
    batch = list(tablet.outbox)
    first = tablet.push(batch)
    again = tablet.push(batch)  # the first response never reached the tablet
    assert first["results"][0]["status"] == "applied" and again["results"][0]["replayed"] is True
    assert again["results"][0]["change_no"] == first["results"][0]["change_no"]
    assert _changes_of(visit) == 1
    assert db.session.scalar(sa.select(sa.func.count()).where(Mutation.record_id == visit)) == 1


def test_failure_before_commit_applies_nothing_and_the_retry_applies_once(app, client):
    tablet = _sampler(client)
    visit = tablet.create("sampling_visit", visit_fields(enterprise_in("临河区").id))
    app.config["SYNC_FAULTS"] = FaultPlan(crash_before_commit=True)
    try:
        response = tablet.caller.post("/api/sync/push", json={"protocol": 1, "device_id": tablet.device_id,
                                                              "mutations": tablet.outbox})
    finally:
        app.config.pop("SYNC_FAULTS")
    assert response.status_code == 503 and error_of(response)["code"] == "RETRY_LATER"
    assert db.session.get(Record, visit) is None
    assert db.session.get(Device, tablet.device_id).last_client_seq == 0
    assert tablet.push()["results"][0]["status"] == "applied"
    assert _changes_of(visit) == 1


def test_a_bad_mutation_is_rejected_with_its_payload_and_the_device_moves_on(client):
    tablet = _sampler(client)
    visit = tablet.create("sampling_visit", visit_fields(enterprise_in("临河区").id))
    tablet.create("sample", sample_fields("S-1", flow_before_l_min=-4), parent=visit)
    good = tablet.create("sample", sample_fields("S-2"), parent=visit)
    body = tablet.push()
    assert [r["status"] for r in body["results"]] == ["applied", "rejected", "applied"]
    rejected = body["results"][1]["error"]
    assert rejected["code"] == "VALIDATION_FAILED"
    assert rejected["details"][0]["field"] == "flow_before_l_min" and rejected["details"][0]["message"]
    assert body["last_client_seq"] == 3 and db.session.get(Record, good) is not None
    logged = db.session.scalar(sa.select(Mutation).where(Mutation.client_seq == 2,
                                                         Mutation.device_id == tablet.device_id))
    assert logged.status == "rejected" and logged.payload["fields"]["flow_before_l_min"] == -4
    tablet.create("sample", sample_fields("S-3"), parent=visit)
    assert tablet.push()["results"][0]["status"] == "applied"


def test_a_transient_failure_commits_the_prefix_and_the_rest_follows_on_retry(app, client):
    tablet = _sampler(client)
    visit = tablet.create("sampling_visit", visit_fields(enterprise_in("临河区").id))
    second = tablet.create("sample", sample_fields("S-1"), parent=visit)
    tablet.create("sample", sample_fields("S-2"), parent=visit)
    app.config["SYNC_FAULTS"] = FaultPlan(transient_at={tablet.outbox[1]["mutation_id"]})
    try:
        body = tablet.push()
    finally:
        app.config.pop("SYNC_FAULTS")
    assert body["stopped_early"] is True and body["last_client_seq"] == 1
    assert [r["client_seq"] for r in body["results"]] == [1]
    assert db.session.get(Record, second) is None and len(tablet.outbox) == 2
    retry = tablet.push()
    assert [r["status"] for r in retry["results"]] == ["applied", "applied"] and retry["last_client_seq"] == 3


def test_sequence_gap_is_refused_and_reordered_requests_still_apply_in_order(client):
    tablet = _sampler(client)
    visit = tablet.create("sampling_visit", visit_fields(enterprise_in("临河区").id))
    tablet.create("sample", sample_fields("S-1"), parent=visit)
    first, second = tablet.outbox
    gap = tablet.push([second], expect=409)
    assert gap["error"]["code"] == "SEQ_GAP" and gap["error"]["details"][0]["expected"] == 1
    body = tablet.push([second, first])  # arrives out of order in one request: applied by sequence
    assert [r["client_seq"] for r in body["results"]] == [1, 2]
    assert all(r["status"] == "applied" for r in body["results"])


def test_the_same_sequence_with_another_mutation_is_refused_loudly(client):
    tablet = _sampler(client)
    visit = tablet.create("sampling_visit", visit_fields(enterprise_in("临河区").id))
    original = dict(tablet.outbox[0])
    tablet.push()
    impostor = dict(original, mutation_id="00000000-0000-0000-0000-00000000beef", fields={"task_no": "X"})
    body = tablet.push([impostor], expect=409)
    assert body["error"]["code"] == "SEQ_REUSED"
    assert db.session.get(Record, visit).data["task_no"] == original["fields"]["task_no"]


def test_a_revoked_device_cannot_push(client):
    tablet = _sampler(client)
    tablet.create("sampling_visit", visit_fields(enterprise_in("临河区").id))
    admin = login(client, "admin")
    admin.post(f"/api/devices/{tablet.device_id}/revoke", json={"reason": "遗失"})
    body = tablet.push(expect=403)
    assert body["error"]["code"] == "DEVICE_REVOKED"
    assert len(tablet.outbox) == 1  # nothing is lost on the tablet


def test_expired_token_then_re_login_keeps_the_device_and_its_sequence(app, client):
    tablet = _sampler(client)
    tablet.create("sampling_visit", visit_fields(enterprise_in("临河区").id))
    tablet.push()
    user_id = db.session.get(Device, tablet.device_id).user_id
    expired = create_access_token(identity=str(user_id), expires_delta=dt.timedelta(seconds=-5),
                                  additional_claims={"device_id": tablet.device_id, "roles": ["sampler"]})
    tablet.caller.tokens["access_token"] = expired
    tablet.create("sampling_visit", visit_fields(enterprise_in("临河区").id))
    assert tablet.push(expect=401)["error"]["code"] == "TOKEN_EXPIRED"
    device_id = tablet.device_id
    tablet.caller = login(client, "lh_sampler", device_id=device_id)
    assert tablet.device_id == device_id
    body = tablet.push()
    assert body["device_id"] == tablet.device_id and body["last_client_seq"] == 2


def test_another_user_on_the_same_tablet_cannot_push_the_previous_users_queue(client):
    first = _sampler(client)
    first.create("sampling_visit", visit_fields(enterprise_in("临河区").id))
    first.push()
    queued = first.create("sampling_visit", visit_fields(enterprise_in("临河区").id))
    second = login(client, "lh_sampler2", device_id=first.device_id)
    assert second.device_id != first.device_id
    response = second.post("/api/sync/push", json={"protocol": 1, "device_id": first.device_id,
                                                   "mutations": first.outbox})
    assert response.status_code == 403 and error_of(response)["code"] == "DEVICE_MISMATCH"
    assert db.session.get(Record, queued) is None


def test_an_old_form_version_is_upcast_and_an_unknown_one_quarantined(client):
    tablet = _sampler(client)
    visit = tablet.create("sampling_visit", visit_fields(enterprise_in("临河区").id))
    sample = tablet.create("sample", sample_fields("S-1", sampler_id="P-01"), parent=visit)
    tablet.push()
    # An app still on version 1 of the form names the pump "pump_id"; the record is at version 3.
    tablet.update(sample, {"pump_id": "P-77"}, form_version=1)
    tablet.update(sample, {"notes": "新版本"}, form_version=99)
    body = tablet.push()
    assert body["results"][0]["status"] == "applied"
    assert db.session.get(Record, sample).data["sampler_id"] == "P-77"
    assert body["results"][1]["status"] == "quarantined"
    assert body["results"][1]["error"]["code"] == "UNKNOWN_FORM_VERSION"
    logged = db.session.scalar(sa.select(Mutation).where(Mutation.status == "quarantined"))
    assert logged.payload["fields"] == {"notes": "新版本"}


def test_a_record_created_with_an_old_version_keeps_it(client):
    tablet = _sampler(client)
    visit = tablet.create("sampling_visit", visit_fields(enterprise_in("临河区").id), form_version=1)
    old_fields = {k: v for k, v in sample_fields("S-1", pump_id="P-01").items() if k != "sampler_id"}  # v1 names
    sample = tablet.create("sample", old_fields, parent=visit, form_version=1)
    body = tablet.push()
    assert [r["status"] for r in body["results"]] == ["applied", "applied"], body
    stored = db.session.get(Record, sample)
    assert stored.form_version == 1 and stored.data["pump_id"] == "P-01"


def test_an_approved_record_is_locked_against_device_edits(client):
    tablet = _sampler(client)
    enterprise = enterprise_in("临河区")
    visit = tablet.create("sampling_visit", visit_fields(enterprise.id, humidity_pct=60, method_standards=["gbz_159_2004"],
                                                          production_status="正常生产", sampler_1_name="王海燕",
                                                          sampler_2_name="李明", checker_name="赵丽",
                                                          escort_name="马晓东"))
    tablet.push()
    tablet.submit(visit)
    submitted = tablet.push()
    assert submitted["results"][0]["status"] == "rejected"
    assert submitted["results"][0]["error"]["code"] == "INCOMPLETE"  # the escort has not signed yet
    sig = "a" * 64
    tablet.create("attachment", {"field": "escort_signature", "sha256": sig, "mime": "image/png", "kind": "signature"},
                  parent=visit)
    tablet.submit(visit)
    body = tablet.push()
    assert body["results"][-1]["review_status"] == "submitted"
    supervisor = login(client, "lh_cdc_supervisor")
    assert supervisor.post(f"/api/records/{visit}/review", json={"action": "approve"}).status_code == 200
    tablet.update(visit, {"notes": "事后补充"})
    late = tablet.push()
    assert late["results"][0]["status"] == "rejected"
    assert late["results"][0]["error"]["code"] == "RECORD_LOCKED"
    assert "notes" not in db.session.get(Record, visit).data


def test_a_batch_repeating_a_mutation_id_refuses_the_repeat_and_the_device_moves_on(client):
    tablet = Tablet(login(client, "lh_sampler"))
    visit = tablet.create("sampling_visit", visit_fields(enterprise_in("临河区").id))
    first = tablet.create("sample", sample_fields("DUP-001"), parent=visit)
    repeat = tablet._mutation("sample", new_id(), "create", sample_fields("DUP-002"), parent=visit)
    repeat["mutation_id"] = tablet.outbox[1]["mutation_id"]  # a client bug: the same id twice in one batch
    after = tablet.create("sample", sample_fields("DUP-003"), parent=visit)
    body = tablet.push()
    assert [r["status"] for r in body["results"]] == ["applied", "applied", "rejected", "applied"]
    assert body["results"][2]["error"]["code"] == "DUPLICATE_MUTATION_ID"
    assert body["last_client_seq"] == 4
    again = tablet.push([*tablet.outbox])  # nothing waits behind the refused repeat
    assert again["last_client_seq"] == 4
    codes = {r.data["sample_code"] for r in db.session.scalars(sa.select(Record).where(Record.entity == "sample"))}
    assert codes == {"DUP-001", "DUP-003"} and first and after
