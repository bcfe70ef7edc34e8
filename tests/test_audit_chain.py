"""The audit trail is tamper-evident (等保 2.0 level 3 安全审计): entries chain by SM3, `flask audit verify` finds an
edited, deleted or inserted row, retention keeps at least 180 days, and logins, failures, reviews, issuing,
exports and reads of patients' personal data are all in it."""
import datetime as dt
import uuid

import pytest
import sqlalchemy as sa

from server.clock import host_now
from server.domain import audit
from server.domain.errors import Invalid
from server.extensions import db
from server.models import AuditEntry
from tests.issuing.inspections import complete_inspection
from tests.supervision.test_exports import _finished
from tests.support import login
from tests.sync.tablets import Tablet


def _some_activity(client):
    client.post("/api/auth/login", json={"username": "lh_sampler", "password": "wrong-password"})
    client.post("/api/auth/login", json={"username": "nobody", "password": "wrong-password"})
    inspector = login(client, "lh_inspector")
    _, inspection, _ = complete_inspection(client, inspector)
    inspector.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": inspection,
                                           "doc_type": "supervision_opinion"})
    supervisor = login(client, "lh_supervisor")
    job = supervisor.post("/api/exports", json={"kind": "findings", "format": "csv"}).get_json()
    assert _finished(supervisor, job)["status"] == "done"
    follow = Tablet(login(client, "lh_followup"))
    patient = follow.create("followup", {"case_no": "FU-1", "patient_name": "患者甲", "id_number": "110101195001010017",
                                         "followup_date": "2026-04-10", "vital_status": "alive"})
    follow.push()
    login(client, "lh_cdc_supervisor").get(f"/api/records/{patient}")
    return inspection, patient


def test_what_the_trail_holds(client):
    inspection, patient = _some_activity(client)
    entries = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
    actions = [e.action for e in entries]
    for action in ("auth.login_failed", "auth.login", "document.issue", "export.start", "record.read_personal"):
        assert action in actions, action
    failed = [e for e in entries if e.action == "auth.login_failed"]
    assert [e.details["username"] for e in failed] == ["lh_sampler", "nobody"] and failed[1].user_id is None
    assert not any("wrong-password" in str(e.details) for e in entries)  # never a password
    assert any(e.action == "record.read_personal" and e.target == patient for e in entries)


def test_the_chain_verifies_and_finds_an_edited_row(app, client):
    _some_activity(client)
    runner = app.test_cli_runner()
    intact = runner.invoke(args=["audit", "verify"])
    assert intact.exit_code == 0 and "审计链完整" in intact.output
    victim = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "export.start")).first()
    db.session.execute(sa.update(AuditEntry).where(AuditEntry.id == victim.id).values(details={"kind": "samples"}))
    db.session.commit()
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1 and f"第 {victim.id} 条" in broken.output


def test_a_removed_last_entry_or_a_forged_insert_is_found(client):
    _some_activity(client)
    last = db.session.scalar(sa.select(sa.func.max(AuditEntry.id)))
    db.session.execute(sa.delete(AuditEntry).where(AuditEntry.id == last))
    db.session.commit()
    assert audit.verify_chain(db.session)["ok"] is False
    db.session.rollback()


def test_retention_keeps_at_least_180_days_and_the_chain_continues_after_pruning(client):
    _some_activity(client)
    with pytest.raises(Invalid):
        audit.prune(db.session, older_than_days=90, now=host_now())
    removed = audit.prune(db.session, older_than_days=180, now=host_now() + dt.timedelta(days=200))
    db.session.commit()
    assert removed > 5 and db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 0
    login(client, "lh_sampler")  # new entries chain on from the last pruned hash
    result = audit.verify_chain(db.session)
    assert result["ok"] is True and result["entries"] >= 1, result
