"""Import the registry from XLSX or CSV in two steps. The preview checks every row and answers, per row, a new
enterprise, the changes to an existing one field by field, or no change; nothing is written. The import applies
the same file once the person has confirmed what the preview showed: its digest covers the file and the planned
changes, so a file edited in between, or an enterprise changed by someone else meanwhile, is refused rather than
applied unseen. One bad row means nothing is written; the audit entry keeps the diff."""
import hashlib
import json
from dataclasses import dataclass

import sqlalchemy as sa

from ..models import Enterprise, Region
from ..models.sync_state import allocate_changes
from . import audit
from .credit_codes import credit_code_problem
from .declarations import DATE_FIELDS as DECLARATION_DATES, check_declaration, refresh_due
from .enterprise_diffs import Reader, changed_fields, plain
from .enterprises import EDITABLE, assessed_class_problems, check_enterprise_fields
from .errors import Conflict, Invalid, invalid, problem
from .hazard_names import hazard_lookup
from .permissions import require
from .reference_store import table_data
from .registry_files import RegistryFile, column_of, parse_row

CHUNK = 500  # credit codes per query (bound parameters stay well under every database's limit)


@dataclass
class RowPlan:
    """What one row of the file does."""

    number: int
    data: dict
    enterprise: Enterprise | None  # the existing enterprise the row's credit code names
    changes: dict  # attribute → (stored value, value in the file)

    @property
    def status(self):
        if self.enterprise is None:
            return "new"
        return "update" if self.changes else "unchanged"


def _existing(session, codes, lock):
    found = {}
    codes = sorted(set(codes))
    for start in range(0, len(codes), CHUNK):
        query = sa.select(Enterprise).where(Enterprise.credit_code.in_(codes[start:start + CHUNK]))
        found.update((e.credit_code, e) for e in session.scalars(query.with_for_update() if lock else query))
    return found


def _row_problems(session, actor, data, enterprise, today):
    problems = []
    issue = credit_code_problem(data.get("credit_code")) if data.get("credit_code") else None
    if issue:
        problems.append(problem("credit_code", *issue))
    if enterprise is not None and not actor.covers_region(enterprise.region_id):
        # Another district's enterprise is never moved or renamed by an import; its own staff keep it.
        problems.append(problem("credit_code", "other_district", "该单位已登记在其他辖区，不能通过导入修改",
                                "This enterprise is registered in another district; an import cannot change it"))
    # The code was matched and the district looked up among the actor's districts already: the rest of the rules.
    checked = {k: v for k, v in data.items() if k not in ("credit_code", "region_id")}
    if enterprise is not None and "hazard_class" in checked and "hazard_class_scheme" not in checked:
        checked["hazard_class_scheme"] = enterprise.hazard_class_scheme  # a new class under the scheme on file
    # The declaration dates are judged with those on file: a file giving only the latest date is checked against the
    # first one already recorded.
    return (problems + check_enterprise_fields(session, checked) + check_declaration(enterprise, data, today)
            + assessed_class_problems(session, enterprise, data))


def _plan(session, actor, filename, content, max_rows, lock=False, today=None):
    """Every row's plan, or Invalid listing every problem with its row and the file's column. `lock`: the
    enterprises the file names are locked until the import commits (a second import of them waits, then finds
    them changed and is refused as outdated instead of overwriting what the first one wrote)."""
    require(actor, "enterprise.create")
    file = RegistryFile(filename, content)
    districts = session.execute(sa.select(Region.id, Region.name, Region.code)
                                .where(Region.id.in_(actor.region_ids), Region.level == "district")).all()
    regions = {key: r.id for r in districts for key in (r.name, r.code)}
    hazards = hazard_lookup(table_data(session, "hazard_factors"))
    parsed, seen = [], {}
    for number, values in file.rows():
        if len(parsed) >= max_rows:
            raise invalid(f"一次最多导入{max_rows}行", "file", "too_many_rows", f"一次最多导入{max_rows}行",
                          f"At most {max_rows} rows per import")
        data, found = parse_row(values, regions, hazards)
        code = data.get("credit_code")
        if code in seen:
            found.append(problem("credit_code", "duplicate_in_file", f"与第{seen[code]}行重复",
                                 f"Same code as row {seen[code]}"))
        elif code:
            seen[code] = number
        parsed.append((number, data, found))
    existing = _existing(session, seen, lock)
    plans, problems = [], []
    for number, data, found in parsed:
        enterprise = existing.get(data.get("credit_code"))
        fields = {p["field"] for p in found}
        found += [p for p in _row_problems(session, actor, data, enterprise, today)
                  if column_of(p["field"]) not in fields]
        problems += [dict(p, field=column_of(p["field"]), row=number, column=file.column(p["field"])) for p in found]
        plans.append(RowPlan(number, data, enterprise, changed_fields(enterprise, data) if enterprise else {}))
    if problems:
        raise Invalid(f"{len({p['row'] for p in problems})}行有错误，未导入任何数据", details=problems)
    return plans, _digest(content, plans)


def _digest(content, plans):
    """SHA-256 over the file and what it would do: confirming it confirms exactly the preview that was shown."""
    planned = [[p.number, p.enterprise.id if p.enterprise else None, p.status,
                {k: plain(v) for k, v in p.data.items()} if p.enterprise is None
                else {k: [plain(old), plain(new)] for k, (old, new) in p.changes.items()}] for p in plans]
    digest = hashlib.sha256(content)
    digest.update(json.dumps(planned, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8"))
    return digest.hexdigest()


def _view(plans, reader, enterprise_ids=None):
    counts = {status: sum(p.status == status for p in plans) for status in ("new", "update", "unchanged")}
    rows = [{"row": p.number, "credit_code": p.data["credit_code"],
             "name": p.enterprise.name if p.enterprise is not None else p.data.get("name"),
             "region_name": reader.text("region_id", p.data.get("region_id")), "status": p.status,
             "enterprise_id": p.enterprise.id if p.enterprise is not None else (enterprise_ids or {}).get(p.number),
             "changes": reader.describe(p.changes)} for p in plans]
    return {"counts": counts, "rows": rows}


def preview_import(session, actor, filename, content, *, max_rows=20000, today=None):
    """What importing the file would do, row by row, with the digest that confirms it; writes nothing. `today`: the
    business date declaration dates may not be after."""
    plans, digest = _plan(session, actor, filename, content, max_rows, today=today)
    return {"digest": digest, **_view(plans, Reader(session))}


def import_enterprises(session, actor, filename, content, digest, *, max_rows=20000, today=None):
    """Apply a previewed file: Conflict when the file or the registry changed since the preview (nothing is
    written), Invalid when a row is bad; else the rows as written and an audit entry with the diff."""
    if not digest:
        raise invalid("请先预览，确认后再导入", "digest", "required", "请先预览，确认后再导入",
                      "Preview the file first and confirm its digest")
    plans, current = _plan(session, actor, filename, content, max_rows, lock=True, today=today)
    if digest != current:
        raise Conflict("预览之后文件或名录已有变化，未导入任何数据，请重新预览", code="PREVIEW_OUTDATED", details=[
            problem("digest", "outdated", "预览之后文件或名录已有变化，请重新预览并确认",
                    "The file or the registry changed after the preview; preview again")])
    enterprise_ids = _write(session, plans)
    audit.record(session, actor, "enterprise.import", filename,
                 created=sum(p.status == "new" for p in plans), updated=sum(p.status == "update" for p in plans),
                 unchanged=sum(p.status == "unchanged" for p in plans),
                 enterprises=[_audited(p, enterprise_ids) for p in plans if p.status != "unchanged"])
    return _view(plans, Reader(session), enterprise_ids)


def _audited(plan, enterprise_ids):
    entry = {"row": plan.number, "credit_code": plan.data["credit_code"],
             "enterprise_id": plan.enterprise.id if plan.enterprise is not None else enterprise_ids[plan.number]}
    if plan.status == "new":
        return {**entry, "action": "created", "name": plan.data.get("name")}
    return {**entry, "action": "updated", "name": plan.enterprise.name,
            "changes": {k: {"old": plain(old), "new": plain(new)} for k, (old, new) in plan.changes.items()}}


def _write(session, plans):
    """Create and change the enterprises; returns {row number: id} of those created."""
    changing = [p for p in plans if p.status != "unchanged"]
    first = allocate_changes(session, len(changing)) if changing else 0
    created = {}
    for offset, plan in enumerate(changing):
        if plan.enterprise is None:
            fields = {k: plan.data[k] for k in EDITABLE if k in plan.data}
            enterprise = Enterprise(credit_code=plan.data["credit_code"], **{"declared_hazards": [], **fields})
            session.add(enterprise)
            created[plan.number] = enterprise
            stamped = ["credit_code", *fields]
        else:
            enterprise = plan.enterprise
            for attribute, (_old, new) in plan.changes.items():
                setattr(enterprise, attribute, new)
            stamped = list(plan.changes)
        if set(DECLARATION_DATES) & set(stamped):
            refresh_due(session, enterprise)
            stamped.append("declaration_due_on")
        enterprise.field_versions = {**(enterprise.field_versions or {}), **{f: first + offset for f in stamped}}
        enterprise.change_no = first + offset
    session.flush()
    return {number: enterprise.id for number, enterprise in created.items()}
