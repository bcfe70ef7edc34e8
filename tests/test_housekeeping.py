"""Cleanup that runs from cron: it removes only what nothing needs any more, never an issued document's bytes."""
import datetime as dt


from server.clock import host_now
from server.extensions import db
from server.media import LocalBlobStorage
from server.models import Blob, ExportJob, Record
from server.sync.housekeeping import collect_orphan_blobs, discard_old_exports, purge_tombstones
from tests.supervision.test_exports import _finished
from tests.issuing.test_published_documents import _issued_opinion, _photo
from tests.support import enterprise_in, login, upload_blob
from tests.sync.tablets import Tablet, sample_fields, visit_fields


def test_orphaned_blobs_go_but_evidence_and_issued_documents_stay(app, client):
    inspector, _, _, document = _issued_opinion(client)
    with inspector.get(f"/api/documents/{document['id']}/pdf"):
        pass
    orphan = upload_blob(inspector, _photo(42), "image/jpeg")  # uploaded, never attached to any record
    storage = LocalBlobStorage(app.config["BLOB_ROOT"])
    now = host_now()
    recent = collect_orphan_blobs(db.session, storage, older_than=dt.timedelta(days=7), now=now)
    assert recent == []  # a fresh upload may still be waiting for its record
    removed = collect_orphan_blobs(db.session, storage, older_than=dt.timedelta(days=7), now=now + dt.timedelta(days=30))
    db.session.commit()
    assert removed == [orphan]
    assert not storage.exists(orphan) and db.session.get(Blob, orphan) is None
    kept = set(storage.iter_hashes("original"))
    snapshot_images = {ref.split(":")[1] for ref in document_images(document["id"])}
    assert snapshot_images and snapshot_images <= kept
    with inspector.get(f"/api/documents/{document['id']}/pdf") as response:
        assert response.status_code == 200


def document_images(document_id):
    from server.models import Document
    snapshot = db.session.get(Document, document_id).snapshot
    refs = [*snapshot["signatures"]["officers"], snapshot["signatures"]["party"],
            *[p["data_uri"] for p in snapshot["photos"]]]
    return [r for r in refs if r]


def test_purging_tombstones_keeps_live_records(client):
    tablet = Tablet(login(client, "lh_sampler"))
    visit = tablet.create("sampling_visit", visit_fields(enterprise_in("临河区").id))
    keep = tablet.create("sample", sample_fields("HK-001"), parent=visit)
    gone = tablet.create("sample", sample_fields("HK-002"), parent=visit)
    tablet.push()
    tablet.pull()
    tablet.delete(gone)
    tablet.push()
    assert purge_tombstones(db.session, keep_last_changes=0) == 1
    db.session.commit()
    assert db.session.get(Record, gone) is None and db.session.get(Record, keep) is not None


def test_housekeeping_commands_run_from_the_cli(runner):
    for args in (["housekeeping", "tombstones", "--keep-changes", "100"], ["housekeeping", "blobs", "--dry-run"],
                 ["housekeeping", "uploads"], ["housekeeping", "tokens"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output




def test_exports_are_cleared_after_the_keeping_period_with_their_files(app, client):
    supervisor = login(client, "lh_cdc_supervisor")
    job = supervisor.post("/api/exports", json={"kind": "followups", "format": "csv"}).get_json()
    assert _finished(supervisor, job)["status"] == "done"
    storage = LocalBlobStorage(app.config["BLOB_ROOT"])
    sha256 = db.session.get(ExportJob, job["id"]).file_sha256
    assert storage.exists(sha256)
    now = host_now()
    assert collect_orphan_blobs(db.session, storage, older_than=dt.timedelta(days=7), now=now + dt.timedelta(days=30)) \
        == []  # an export's file is no orphan while its job is kept
    assert discard_old_exports(db.session, storage, older_than=dt.timedelta(days=7), now=now) == 0

    later = now + dt.timedelta(days=8)
    assert discard_old_exports(db.session, storage, older_than=dt.timedelta(days=7), now=later) == 1
    db.session.commit()

    assert supervisor.get(f"/api/exports/{job['id']}").status_code == 404
    assert not storage.exists(sha256)


def test_every_housekeeping_command_also_runs_as_a_scheduled_job(app):
    """On PostgreSQL the job workers run housekeeping at its times: no task is left to a cron line."""
    from server.jobs import KINDS

    commands = set(app.cli.commands["housekeeping"].commands)
    scheduled = {name.removeprefix("housekeeping.").replace("_", "-") for name, kind in KINDS.items()
                 if name.startswith("housekeeping.") and kind.schedule}
    assert commands == scheduled
