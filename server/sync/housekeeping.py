"""Housekeeping safe to run from cron or as periodic jobs: old tombstones, orphaned blobs, abandoned uploads, old
exports, expired tokens."""
import json
import re

import sqlalchemy as sa

from ..models import Blob, BlobHolder, Document, DocumentFile, ExportJob, Record, SyncState, Upload
from ..models.transactions import begin_write
from ..models.sync_state import STATE_ID

IMAGE_REF = re.compile(r"sha256:([0-9a-f]{64})")


def purge_tombstones(session, *, keep_last_changes):
    """Delete tombstones older than the newest `keep_last_changes` change numbers; returns rows purged.

    A device whose cursor is older than the new horizon could miss a purged deletion, so its next pull is
    answered with a reset (it keeps its unsynced data and copies the rest again).
    """
    begin_write(session)
    state = session.get(SyncState, STATE_ID)
    horizon = max(state.change_no - keep_last_changes, state.tombstone_horizon)
    purged = session.execute(sa.delete(Record).where(Record.deleted.is_(True), Record.change_no <= horizon)).rowcount
    state.tombstone_horizon = horizon
    return purged


def referenced_hashes(session):
    """Every blob the data still needs: attachments, issued PDFs, images inside document snapshots, export files."""
    keep = set(session.scalars(sa.select(Record.blob_sha256).where(Record.blob_sha256.is_not(None))))
    keep |= set(session.scalars(sa.select(DocumentFile.pdf_sha256)))
    keep |= set(session.scalars(sa.select(ExportJob.file_sha256).where(ExportJob.file_sha256.is_not(None))))
    for (snapshot,) in session.execute(sa.select(Document.snapshot)):
        keep |= set(IMAGE_REF.findall(json.dumps(snapshot)))
    return keep


def collect_orphan_blobs(session, storage, *, older_than, now, dry_run=False):
    """Delete stored files nothing refers to any more and that are older than `older_than` (a timedelta).

    Never a blob an issued document shows; a recent upload may be waiting for its record, so it stays.
    """
    keep = referenced_hashes(session)
    cutoff = now - older_than
    published = dict(session.execute(sa.select(Blob.sha256, Blob.uploaded_at)).all())
    removed = []
    for sha256 in list(storage.iter_hashes("original")):
        uploaded = published.get(sha256)
        if sha256 in keep or (uploaded is not None and uploaded > cutoff):
            continue
        if uploaded is None and storage.modified_at(sha256, "original") > cutoff.timestamp():
            continue
        removed.append(sha256)
        if not dry_run:
            for variant in ("original", "display", "thumb"):
                storage.delete(sha256, variant)
            session.execute(sa.delete(BlobHolder).where(BlobHolder.sha256 == sha256))
            session.execute(sa.delete(Blob).where(Blob.sha256 == sha256))
    return removed


def discard_stale_uploads(session, staging, *, older_than, now):
    """Drop resumable uploads nobody continued (the device starts them again if it still needs them), and staged
    chunks no upload knows any more (a restored database, a start whose transaction never committed)."""
    cutoff = now - older_than
    old = session.scalars(sa.select(Upload).where(Upload.created_at < cutoff)).all()
    for upload in old:  # finished ones too: kept only so that finishing again answers with the blob
        staging.discard(upload.id)
        session.delete(upload)
    known = set(session.scalars(sa.select(Upload.id)))
    strays = [upload_id for upload_id, _, mtime in staging.iter_uploads()
              if upload_id not in known and mtime < cutoff.timestamp()]
    for upload_id in strays:
        staging.discard(upload_id)
    return sum(1 for upload in old if upload.finished_at is None) + len(strays)


def discard_old_exports(session, storage, *, older_than, now):
    """Delete export jobs created more than `older_than` ago, and their files unless a newer export or a published
    upload has the same bytes; returns the jobs removed."""
    cutoff = now - older_than
    old = session.scalars(sa.select(ExportJob).where(ExportJob.created_at < cutoff)).all()
    files = {job.file_sha256 for job in old if job.file_sha256}
    for job in old:
        session.delete(job)
    session.flush()
    kept = set(session.scalars(sa.select(ExportJob.file_sha256).where(ExportJob.file_sha256.in_(files))))
    kept |= set(session.scalars(sa.select(Blob.sha256).where(Blob.sha256.in_(files))))
    for sha256 in sorted(files - kept):
        storage.delete(sha256, "original")
    return len(old)
