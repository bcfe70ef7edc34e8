"""Export jobs: written by a background job (server/jobs.py: the queue's worker on PostgreSQL, a thread on SQLite),
progress in the database, the finished file in the blob store (local disk, or the S3 bucket every app host shares):
host B serves the file host A's worker wrote.

A district's yearly export runs to 100,000 rows; the office waits with a progress bar instead of a request
that times out, and the file is written row by row (openpyxl write-only mode, csv) so memory stays flat. A worker
that dies in the middle leaves the job to another worker, which writes it again from the start (jobs.py).
"""
import csv
import dataclasses
import hashlib
import tempfile
from pathlib import Path

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from sqlalchemy.orm import Session

from . import jobs
from .domain import audit
from .domain.actors import Actor
from .domain.errors import Conflict, NotFound
from .domain.exports import ENTITY_OF, EXPORTS, export_table
from .domain.national_export import write_national_xlsx
from .extensions import db
from .media import blob_storage
from .models import ExportJob, Record, new_uuid, utcnow

PROGRESS_EVERY = 1000
EXPORT = "export"


def start_export(app, actor, kind, fmt, filters):
    """Create the job and queue its writing; returns the job (committed)."""
    export_table(db.session, actor, kind, filters, today=None)  # refuses an unknown kind before anything starts
    audit.record(db.session, actor, "export.start", kind, format=fmt,
                 filters={k: str(v) for k, v in (filters or {}).items() if v is not None})
    job = ExportJob(id=new_uuid(), user_id=actor.user_id, kind=kind, format=fmt, filters=filters,
                    rows_total=_estimate(db.session, actor, kind), status="queued")
    db.session.add(job)
    db.session.flush()
    started = jobs.enqueue(app, db.session, EXPORT, job_id=job.id, actor=actor_fields(actor))
    db.session.commit()
    started()
    return job


def actor_fields(actor):
    """The requester as the job's JSON argument: the export shows what they could see when they asked."""
    fields = dataclasses.asdict(actor)
    return {**fields, "roles": sorted(actor.roles), "region_ids": sorted(actor.region_ids)}


def _actor(fields):
    return Actor(**{**fields, "roles": frozenset(fields["roles"]), "region_ids": frozenset(fields["region_ids"])})


def _estimate(session, actor, kind):
    return session.scalar(sa.select(sa.func.count()).where(Record.entity == ENTITY_OF[kind], Record.deleted.is_(False),
                                                           Record.region_id.in_(actor.region_ids)))


def _progress(engine, job_id, **values):
    with Session(engine) as session:
        session.execute(sa.update(ExportJob).where(ExportJob.id == job_id).values(**values))
        session.commit()


# Text that a spreadsheet would run as a formula (=HYPERLINK(…), +1+…, @SUM, -…, a leading TAB or CR): typed
# in the field, it must arrive as the text it is (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value):
    """True for text a spreadsheet would evaluate."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_cell(value):
    """CSV: formula-like text gets the leading apostrophe spreadsheets read as "this is text"."""
    return "'" + value if is_formula_like(value) else value


def xlsx_cells(sheet, row):
    """XLSX: formula-like text is written as a string cell (openpyxl would otherwise store it as a formula)."""
    cells = []
    for value in row:
        if is_formula_like(value):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            value = cell
        cells.append(value)
    return cells


def _write(path, fmt, title, headers, rows, on_progress):
    count = 0
    if fmt == "csv":
        with open(path, "w", newline="", encoding="utf-8-sig") as out:  # BOM: Excel in China opens it as UTF-8
            writer = csv.writer(out)
            writer.writerow(headers)
            for count, row in enumerate(rows, start=1):
                writer.writerow([csv_cell(value) for value in row])
                if count % PROGRESS_EVERY == 0:
                    on_progress(count)
    else:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(title)
        sheet.append(headers)
        for count, row in enumerate(rows, start=1):
            sheet.append(xlsx_cells(sheet, row))
            if count % PROGRESS_EVERY == 0:
                on_progress(count)
        book.save(path)
    return count


def _queued_again(app, job_id, actor):
    """Its worker died: the job waits for another one, which starts the file again."""
    _progress(db.engine, job_id, status="queued", rows_done=0, error=None)


def _failed(app, reason, job_id, actor):
    """The job will not be tried again: the office sees 失败 and why (details are in the worker's log)."""
    _progress(db.engine, job_id, status="failed", error=reason, finished_at=utcnow())


@jobs.job(EXPORT, retrying=_queued_again, gave_up=_failed)
def run_export(app, job_id, actor):
    """Write one export file and publish it in the blob store (run by a job, in an app context)."""
    engine = db.engine
    job = db.session.get(ExportJob, job_id)
    if job is None:  # cleared by housekeeping, or a restored database: nothing to write
        return
    _progress(engine, job_id, status="running", rows_done=0, error=None)
    title, headers, rows = export_table(db.session, _actor(actor), job.kind, job.filters,
                                        forms=app.extensions["forms"], today=app.extensions["clock"].today())
    on_progress = lambda n: _progress(engine, job_id, rows_done=n)  # noqa: E731
    with tempfile.TemporaryDirectory(prefix="export-") as folder:  # this host's, only while it is written
        path = Path(folder) / f"{job_id}.{job.format}"
        if job.kind == "national" and job.format == "xlsx":  # with its 说明 sheet and the machine keys
            done = write_national_xlsx(path, rows, on_progress)
        else:
            done = _write(path, job.format, title, headers, rows, on_progress)
        with open(path, "rb") as written:
            sha256 = hashlib.file_digest(written, "sha256").hexdigest()
        blob_storage(app.config).put_file(sha256, "original", path)
    _progress(engine, job_id, status="done", rows_done=done, rows_total=done, file_name=file_name(job),
              file_sha256=sha256, finished_at=utcnow())


def job_of(session, actor, job_id):
    """The actor's own export job."""
    job = session.get(ExportJob, job_id)
    if job is None or job.user_id != actor.user_id:
        raise NotFound("导出任务不存在")
    return job


def file_name(job):
    """A readable download name: 样品检测结果_2026-11-22.xlsx."""
    return f"{EXPORTS[job.kind][0]}_{job.created_at.date().isoformat()}.{job.format}"


def open_file(app, job):
    """The finished file as a stream from the blob store, whichever host wrote it; Conflict until it is done."""
    if job.status != "done":
        raise Conflict("导出尚未完成", code="EXPORT_NOT_READY")
    if not job.file_sha256:  # written before exports were kept in the blob store
        raise NotFound("导出文件已不在服务器上，请重新导出", code="EXPORT_FILE_GONE")
    return blob_storage(app.config).open(job.file_sha256, "original")
