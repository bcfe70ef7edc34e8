"""Reference data in the database: loaded from reference/*.json, read by the rules, edited by admins.

Shipped files refresh the rows they own until an admin edits one; an edit is kept, audited, and clears the
row's verification (a changed value needs a new check). Verifying needs a second person: the one who
keyed a value cannot also confirm it (reference.md: "key it from the official PDF, with a four-eyes check").
"""
import json
from pathlib import Path

import sqlalchemy as sa

from ..models import ReferenceAudit, ReferenceRow, ReferenceTable, utcnow
from ..models.sync_state import allocate_changes
from . import audit
from .errors import Forbidden, Invalid, NotFound
from .evaluations import EvaluationReference
from .grades import load_evaluation_rules
from .noise import load_noise_limits
from .oel import OEL_TABLE, parse_oel_row
from .peaks import load_peak_rules
from .sampling import load_sampling_qc
from .permissions import require
from .references import check_confidence, parse_date, read_table

IDENTITY_FIELDS = ("key", "condition", "limit_type", "fraction", "unit", "effective_from")


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


def _columns(raw):
    return {"key": raw["key"], "data": raw, "confidence": raw["confidence"], "verified": bool(raw["verified"]),
            "effective_from": parse_date(raw.get("effective_from")),
            "effective_to": parse_date(raw.get("effective_to"))}


def load_reference_files(session, directory):
    """Insert or refresh every shipped row (admin-edited rows are kept); returns the number of rows changed."""
    changed = []
    for path in sorted(Path(directory).rglob("*.json")):
        envelope = json.loads(path.read_text(encoding="utf-8"))
        data = read_table(path, envelope.get("table"))
        _upsert_table(session, data, path.relative_to(directory).as_posix())
        existing = {r.row_key: r for r in session.scalars(
            sa.select(ReferenceRow).where(ReferenceRow.table_name == data["table"]))}
        for index, raw in enumerate(data["rows"]):
            check_row(data["table"], raw, index)
            row_key = row_identity(data["table"], raw, index)
            row = existing.get(row_key)
            if row is None:
                row = ReferenceRow(table_name=data["table"], row_key=row_key, **_columns(raw))
                session.add(row)
                changed.append(row)
            elif row.edited_by is None and row.data != raw:
                for name, value in _columns(raw).items():
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


def list_tables(session):
    """Every reference table with its row and unverified-row counts."""
    counts = dict(session.execute(sa.select(ReferenceRow.table_name, sa.func.count())
                                  .group_by(ReferenceRow.table_name)).all())
    unverified = dict(session.execute(sa.select(ReferenceRow.table_name, sa.func.count())
                                      .where(ReferenceRow.verified.is_(False))
                                      .group_by(ReferenceRow.table_name)).all())
    tables = session.scalars(sa.select(ReferenceTable).order_by(ReferenceTable.name)).all()
    return [{"table": t, "rows": counts.get(t.name, 0), "unverified": unverified.get(t.name, 0)} for t in tables]


def table_rows(session, table, key=None):
    """Rows of a table (optionally one key), ordered for display."""
    if session.get(ReferenceTable, table) is None:
        raise NotFound("参考数据表不存在")
    query = sa.select(ReferenceRow).where(ReferenceRow.table_name == table)
    if key:
        query = query.where(ReferenceRow.key == key)
    return session.scalars(query.order_by(ReferenceRow.id)).all()


def table_data(session, table):
    """Just the row payloads of a table, as the domain rules take them."""
    return [row.data for row in table_rows(session, table)]


def oel_rows(session):
    """The OEL table as OelRow objects, including admins' edits."""
    return tuple(parse_oel_row(data, index) for index, data in enumerate(table_data(session, OEL_TABLE)))


def _row(session, table, row_key):
    row = session.scalar(sa.select(ReferenceRow).where(ReferenceRow.table_name == table,
                                                       ReferenceRow.row_key == row_key))
    if row is None:
        raise NotFound("参考数据行不存在")
    return row


def _audit(session, actor, row, action, before, reason):
    session.add(ReferenceAudit(table_name=row.table_name, row_key=row.row_key, action=action, before=before,
                               after=row.data, reason=reason, user_id=actor.user_id))


def _require_reason(reason):
    if not (reason or "").strip():
        raise Invalid("请说明修改依据", details=[{"field": "reason", "code": "required",
                                            "message": "请填写修改依据（如标准条款、文件号）",
                                            "message_en": "Give the basis of the change (standard, notice)"}])


def create_reference_row(session, actor, table, raw, reason):
    """An admin adds a row (e.g. a new limit when an amendment takes effect)."""
    require(actor, "reference.edit")
    _require_reason(reason)
    if session.get(ReferenceTable, table) is None:
        raise NotFound("参考数据表不存在")
    raw = dict(raw, verified=False, confidence=raw.get("confidence", "memory"))
    if raw["confidence"] == "verified":
        raw["confidence"] = "third_party"
    check_row(table, raw)
    row_key = row_identity(table, raw)
    if session.scalar(sa.select(ReferenceRow.id).where(ReferenceRow.table_name == table,
                                                       ReferenceRow.row_key == row_key)):
        raise Invalid("该行已存在", details=[{"field": "key", "code": "unique", "message": "同一标识的行已存在",
                                         "message_en": "A row with this identity exists"}])
    row = ReferenceRow(table_name=table, row_key=row_key, edited_by=actor.user_id, edited_at=utcnow(),
                       change_no=allocate_changes(session), **_columns(raw))
    session.add(row)
    session.flush()
    _audit(session, actor, row, "create", None, reason)
    audit.record(session, actor, "reference.create", f"{table}:{row.row_key}", reason=reason)
    return row


def edit_reference_row(session, actor, table, row_key, changes, reason):
    """An admin changes values of a row; identity fields stay (add a new row for a new period instead)."""
    require(actor, "reference.edit")
    _require_reason(reason)
    row = _row(session, table, row_key)
    fixed = [f for f in changes if f in IDENTITY_FIELDS and changes[f] != row.data.get(f)]
    fixed += [f for f in ("verified", "verified_by", "verified_at") if f in changes]
    if changes.get("confidence") == "verified":
        fixed.append("confidence")
    if fixed:
        raise Invalid("这些字段不能直接修改", details=[
            {"field": f, "code": "readonly", "message": "不能直接修改（标识字段请新增一行；核验请用核验操作）",
             "message_en": "Not editable here (add a row for a new period; use verify to verify)"} for f in fixed])
    before = row.data
    data = dict(before, **changes, verified=False, verified_by=None, verified_at=None)
    if data["confidence"] == "verified":
        data["confidence"] = "third_party"  # the verified value was changed: it is no longer the checked one
    check_row(table, data)
    for name, value in _columns(data).items():
        setattr(row, name, value)
    row.edited_by, row.edited_at, row.change_no = actor.user_id, utcnow(), allocate_changes(session)
    _audit(session, actor, row, "update", before, reason)
    audit.record(session, actor, "reference.update", f"{table}:{row.row_key}", reason=reason,
                 changed=sorted(k for k in changes))
    return row


def verify_reference_row(session, actor, table, row_key, reason, *, today):
    """A second admin confirms a row against the official text; the one who last keyed it may not."""
    require(actor, "reference.edit")
    _require_reason(reason)
    row = _row(session, table, row_key)
    if row.edited_by == actor.user_id:
        raise Forbidden("核验须由另一人完成（四眼原则）", code="FOUR_EYES",
                        details=[{"field": None, "code": "four_eyes", "message": "您最后修改了此行，不能自行核验",
                                  "message_en": "You keyed this row; another admin must verify it"}])
    before = row.data
    row.data = dict(before, verified=True, confidence="verified", verified_by=actor.display_name or actor.username,
                    verified_at=today.isoformat())
    row.verified, row.confidence = True, "verified"
    row.change_no = allocate_changes(session)
    _audit(session, actor, row, "verify", before, reason)
    audit.record(session, actor, "reference.verify", f"{table}:{row.row_key}", reason=reason)
    return row


def row_history(session, actor, table, row_key):
    """Audit entries of one row, oldest first."""
    require(actor, "reference.history")
    _row(session, table, row_key)
    return session.scalars(sa.select(ReferenceAudit).where(ReferenceAudit.table_name == table,
                                                           ReferenceAudit.row_key == row_key)
                           .order_by(ReferenceAudit.id)).all()


def evaluation_reference(session):
    """Everything an exposure evaluation reads, from the database (so admins' edits apply)."""
    return EvaluationReference(
        oel_rows=oel_rows(session),
        peak_rules=load_peak_rules(rows=table_data(session, "peak_rules")),
        evaluation_rules=load_evaluation_rules(rows=table_data(session, "exposure_evaluation_rules")),
        sampling_qc=load_sampling_qc(rows=table_data(session, "sampling_qc")),
        noise_limits=load_noise_limits(rows=table_data(session, "physical_limits")))
