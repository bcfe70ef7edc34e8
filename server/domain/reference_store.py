"""Reference data in the database: loaded from reference/*.json and read by the rules.

Shipped files refresh the rows they own until an admin changes one. An admin's change is a new version of the row
(domain/reference_versions.py): it takes effect only once a second admin has verified it, and only from its
effective date, so every read here that a verdict depends on asks for the rows in force on a business date.
"""
import json
from pathlib import Path

import sqlalchemy as sa

from ..clock import CHINA
from ..models import ReferenceAudit, ReferenceRow, ReferenceTable, ReferenceVersion, User, utcnow
from ..models.sync_state import allocate_changes
from . import audit
from .errors import Forbidden, Invalid, NotFound, problem
from .evaluations import EvaluationReference
from .grades import load_evaluation_rules
from .noise import load_noise_limits
from .oel import OEL_TABLE, parse_oel_row
from .peaks import load_peak_rules
from .permissions import require
from .reference_fields import table_fields
from .references import check_confidence, parse_date, read_table
from .sampling import load_sampling_qc

# Tables whose rows a verdict cites (LimitUsed): their rows carry the version they were read at.
CITED_TABLES = (OEL_TABLE, "physical_limits")


def row_identity(table, raw, index=None):
    """The stable key of a row inside its table (OEL rows: substance|condition|type|fraction|unit|from)."""
    if table == OEL_TABLE:
        return parse_oel_row(raw, index).row_id
    return f"{raw['key']}|{raw.get('effective_from') or ''}"


def check_row(table, raw, index=None):
    """Raise Invalid when a row breaks its table's rules."""
    if table == OEL_TABLE:
        parse_oel_row(raw, index)
    else:
        check_confidence(raw, index)
        parse_date(raw.get("effective_from"), "effective_from", index)
        parse_date(raw.get("effective_to"), "effective_to", index)


def row_columns(raw):
    """The columns of a reference row that mirror its data."""
    return {"key": raw["key"], "data": raw, "confidence": raw["confidence"], "verified": bool(raw["verified"]),
            "effective_from": parse_date(raw.get("effective_from")),
            "effective_to": parse_date(raw.get("effective_to"))}


def load_reference_files(session, directory):
    """Insert or refresh every shipped row (rows admins changed, or have a change waiting for, are kept); returns the
    number of rows changed."""
    changed = []
    for path in sorted(Path(directory).rglob("*.json")):
        envelope = json.loads(path.read_text(encoding="utf-8"))
        data = read_table(path, envelope.get("table"))
        _upsert_table(session, data, path.relative_to(directory).as_posix())
        existing = {r.row_key: r for r in session.scalars(
            sa.select(ReferenceRow).where(ReferenceRow.table_name == data["table"]))}
        versioned = set(session.scalars(sa.select(ReferenceVersion.row_key).where(
            ReferenceVersion.table_name == data["table"], ReferenceVersion.state != "withdrawn")))
        for index, raw in enumerate(data["rows"]):
            check_row(data["table"], raw, index)
            row_key = row_identity(data["table"], raw, index)
            row = existing.get(row_key)
            if row is None and row_key not in versioned:
                row = ReferenceRow(table_name=data["table"], row_key=row_key, **row_columns(raw))
                session.add(row)
                changed.append(row)
            elif row is not None and row.edited_by is None and row_key not in versioned and row.data != raw:
                for name, value in row_columns(raw).items():
                    setattr(row, name, value)
                changed.append(row)
    if changed:
        first = allocate_changes(session, len(changed))
        for offset, row in enumerate(changed):
            row.change_no = first + offset
    session.flush()
    return len(changed)


def _upsert_table(session, data, file):
    table = session.get(ReferenceTable, data["table"]) or ReferenceTable(name=data["table"])
    table.title_zh, table.title_en = data["title_zh"], data["title_en"]
    table.version, table.source, table.note, table.file = data["version"], data["source"], data.get("note"), file
    table.loaded_at = utcnow()
    session.add(table)


def _counts(session, *where):
    return dict(session.execute(sa.select(ReferenceRow.table_name, sa.func.count()).where(*where)
                                .group_by(ReferenceRow.table_name)).all())


def list_tables(session):
    """Every reference table with its row, unverified-row and pending-change counts."""
    counts, unverified = _counts(session), _counts(session, ReferenceRow.verified.is_(False))
    pending = dict(session.execute(sa.select(ReferenceVersion.table_name, sa.func.count())
                                   .where(ReferenceVersion.state == "pending")
                                   .group_by(ReferenceVersion.table_name)).all())
    tables = session.scalars(sa.select(ReferenceTable).order_by(ReferenceTable.name)).all()
    return [{"table": t, "rows": counts.get(t.name, 0), "unverified": unverified.get(t.name, 0),
             "pending": pending.get(t.name, 0)} for t in tables]


def require_table(session, table):
    """The reference table, or NotFound."""
    found = session.get(ReferenceTable, table)
    if found is None:
        raise NotFound("参考数据表不存在")
    return found


def table_rows(session, table, key=None):
    """Rows of a table (optionally one key), ordered for display: the versions in force as last applied."""
    require_table(session, table)
    query = sa.select(ReferenceRow).where(ReferenceRow.table_name == table)
    if key:
        query = query.where(ReferenceRow.key == key)
    return session.scalars(query.order_by(ReferenceRow.id)).all()


def table_listing(session, table, key=None):
    """A table's rows for the admin screens, with every field's label, type and whether an edit may change it."""
    rows = table_rows(session, table, key)
    every = rows if not key else table_rows(session, table)
    return {"items": rows, "fields": table_fields(table, [row.data for row in every])}


def table_data(session, table):
    """Just the row payloads of a table, as the domain rules take them (the versions applied so far)."""
    return [row.data for row in table_rows(session, table)]


def rows_in_force(session, table, today):
    """The payloads of a table in force on `today` (a business date): the stored rows, replaced or joined by verified
    versions whose date has come and that housekeeping has not applied yet. Rows a verdict cites carry
    `row_version` and `row_version_from` (the version and the date it took effect)."""
    due = session.scalars(sa.select(ReferenceVersion).where(
        ReferenceVersion.table_name == table, ReferenceVersion.state == "verified",
        ReferenceVersion.applied_at.is_(None), ReferenceVersion.in_force_from <= today)
        .order_by(ReferenceVersion.number)).all()
    newest = {version.row_key: version for version in due}
    found = []
    for row in table_rows(session, table):
        version = newest.pop(row.row_key, None)
        if version is not None and version.number > row.version:
            found.append((version.data, version.number, version.in_force_from))
        else:
            found.append((row.data, row.version, row.version_from))
    found += [(v.data, v.number, v.in_force_from) for v in newest.values()]  # rows added by a version
    if table not in CITED_TABLES:
        return [data for data, _number, _since in found]
    return [dict(data, row_version=number, row_version_from=since.isoformat() if since else None)
            for data, number, since in found]


def evaluation_reference(session, today):
    """Everything an exposure evaluation reads, as in force on `today` (verified changes whose date has come)."""
    return EvaluationReference(
        oel_rows=tuple(parse_oel_row(data, index) for index, data in enumerate(rows_in_force(session, OEL_TABLE, today))),
        peak_rules=load_peak_rules(rows=rows_in_force(session, "peak_rules", today)),
        evaluation_rules=load_evaluation_rules(rows=rows_in_force(session, "exposure_evaluation_rules", today)),
        sampling_qc=load_sampling_qc(rows=rows_in_force(session, "sampling_qc", today)),
        noise_limits=load_noise_limits(rows=rows_in_force(session, "physical_limits", today)), as_of=today,
        dust_keys=frozenset(row["key"] for row in rows_in_force(session, "hazard_factors", today)
                            if row.get("category") == "dust"))


def find_row(session, table, row_key):
    """The stored row, or None."""
    return session.scalar(sa.select(ReferenceRow).where(ReferenceRow.table_name == table,
                                                        ReferenceRow.row_key == row_key))


def get_row(session, table, row_key):
    """The stored row, or NotFound."""
    row = find_row(session, table, row_key)
    if row is None:
        raise NotFound("参考数据行不存在")
    return row


def add_row_audit(session, user_id, table, row_key, action, before, after, reason, *, at):
    """One entry of a row's trail (reference_audit), at a business-clock instant."""
    session.add(ReferenceAudit(table_name=table, row_key=row_key, action=action, before=before, after=after,
                               reason=reason, user_id=user_id, at=at))


def require_reason(reason, field="reason"):
    """Invalid unless a reason (the basis of the change or of the check) is given."""
    if not (reason or "").strip():
        raise Invalid("请说明依据", details=[problem(field, "required", "请填写依据（如标准条款、文件号）",
                                                 "Give the basis (standard, notice)")])


def verify_reference_row(session, actor, table, row_key, reason, *, now):
    """A second admin confirms a row's current values against the official text; the one who last keyed it may not."""
    require(actor, "reference.edit")
    require_reason(reason)
    row = get_row(session, table, row_key)
    if row.edited_by == actor.user_id:
        raise Forbidden("核验须由另一人完成（四眼原则）", code="FOUR_EYES",
                        details=[problem(None, "four_eyes", "您最后修改了此行，不能自行核验",
                                         "You keyed this row; another admin must verify it")])
    before = row.data
    row.data = dict(before, verified=True, confidence="verified", verified_by=actor.display_name or actor.username,
                    verified_at=now.astimezone(CHINA).date().isoformat())
    row.verified, row.confidence = True, "verified"
    row.change_no = allocate_changes(session)
    add_row_audit(session, actor.user_id, table, row_key, "verify", before, row.data, reason, at=now)
    audit.record(session, actor, "reference.verify", f"{table}:{row.row_key}", reason=reason)
    return row


def row_history(session, actor, table, row_key):
    """The trail of one row, oldest first, with the name of who did each step."""
    require(actor, "reference.history")
    require_table(session, table)
    entries = session.execute(sa.select(ReferenceAudit, User.display_name, User.username)
                              .join(User, User.id == ReferenceAudit.user_id)
                              .where(ReferenceAudit.table_name == table, ReferenceAudit.row_key == row_key)
                              .order_by(ReferenceAudit.id)).all()
    if not entries and find_row(session, table, row_key) is None:
        raise NotFound("参考数据行不存在")
    return [{"action": e.action, "before": e.before, "after": e.after, "reason": e.reason, "at": e.at,
             "user_name": name or username} for e, name, username in entries]
