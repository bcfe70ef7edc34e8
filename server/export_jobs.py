"""Export jobs: written in a background thread of the worker that took the request, progress in the database.

A district's yearly export runs to 100,000 rows; the office waits with a progress bar instead of a request
that times out, and the file is written row by row (openpyxl write-only mode, csv) so memory stays flat.
"""
import csv
import logging
import threading
from pathlib import Path

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from sqlalchemy.orm import Session

from .domain import audit
from .domain.errors import NotFound
from .domain.exports import ENTITY_OF, EXPORTS, export_table
from .domain.national_export import write_national_xlsx
from .extensions import db
from .models import ExportJob, Record, new_uuid, utcnow

log = logging.getLogger("server.exports")
PROGRESS_EVERY = 1000


def export_dir(app):
    """Where finished exports are kept (shared by the server's worker processes)."""
    path = Path(app.config["INSTANCE_PATH"]) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def start_export(app, actor, kind, fmt, filters):
    """Create the job and start writing it; returns the job (committed)."""
    export_table(db.session, actor, kind, filters, today=None)  # refuses an unknown kind before anything starts
    audit.record(db.session, actor, "export.start", kind, format=fmt,
                 filters={k: str(v) for k, v in (filters or {}).items() if v is not None})
    job = ExportJob(id=new_uuid(), user_id=actor.user_id, kind=kind, format=fmt, filters=filters,
                    rows_total=_estimate(db.session, actor, kind), status="queued")
    db.session.add(job)
    db.session.commit()
    thread = threading.Thread(target=run_export, args=(app, job.id, actor), name=f"export-{job.id}", daemon=True)
    thread.start()
    return job


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


def run_export(app, job_id, actor):
    """Write one export file (also callable directly, e.g. from a benchmark)."""
    with app.app_context():
        engine = db.engine
        job = db.session.get(ExportJob, job_id)
        path = export_dir(app) / f"{job_id}.{job.format}"
        _progress(engine, job_id, status="running")
        try:
            title, headers, rows = export_table(db.session, actor, job.kind, job.filters, forms=app.extensions["forms"],
                                               today=app.extensions["clock"].today())
            on_progress = lambda n: _progress(engine, job_id, rows_done=n)  # noqa: E731
            if job.kind == "national" and job.format == "xlsx":  # with its 说明 sheet and the machine keys
                done = write_national_xlsx(path, rows, on_progress)
            else:
                done = _write(path, job.format, title, headers, rows, on_progress)
            _progress(engine, job_id, status="done", rows_done=done, rows_total=done, file_name=path.name,
                      finished_at=utcnow())
        except Exception as error:  # the job reports failure instead of vanishing; details go to the log
            log.exception("export %s failed", job_id)
            _progress(engine, job_id, status="failed", error=f"{error.__class__.__name__}", finished_at=utcnow())
        finally:
            db.session.remove()


def job_of(session, actor, job_id):
    """The actor's own export job."""
    job = session.get(ExportJob, job_id)
    if job is None or job.user_id != actor.user_id:
        raise NotFound("导出任务不存在")
    return job


def file_name(job):
    """A readable download name: 样品检测结果_2026-11-22.xlsx."""
    return f"{EXPORTS[job.kind][0]}_{job.created_at.date().isoformat()}.{job.format}"
