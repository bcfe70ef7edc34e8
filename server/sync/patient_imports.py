"""Import the patients' register 一人一档 from XLSX (or CSV) in two steps, as the enterprise registry is imported
(domain/enterprise_imports.py): the preview reads every row — the columns are the file form's own Chinese labels
(病例编号, 姓名, 性别, 尘肺种类, 期别…), a choice by its words (男, 矽肺, 贰期), a date as a date — checks it with the
form's own validator and answers per row: a new file, the changes to the file of that case number field by field,
no change, or what is wrong (row, column, reason). Nothing is written. The import applies the same file once the
person confirmed what the preview showed (its digest covers the file and the plan): one bad row, or a file changed
since, and nothing is written. Files are written as records (synced to the follow-up workers' tablets like any
change), each change in the history, the whole import in the audit trail.
"""
import datetime as dt
import hashlib
import json

import sqlalchemy as sa

from ..domain import audit
from ..domain.errors import Conflict, Invalid, invalid, problem
from ..domain.patients import FORM_ID, REGISTER
from ..domain.permissions import require
from ..domain.registry_files import _table
from ..form_registry import entity_spec, field_map, validate
from ..models import Device, Record, new_uuid
from ..models.transactions import begin_write, for_update
from .batch import Batch, NewRecord, allocate_and_resolve

KEY = "case_no"
IMPORTED_TYPES = ("text", "number", "date", "select", "boolean")
YES, NO = ("是", "有", "yes", "true", "1"), ("否", "无", "no", "false", "0")


def _definition(forms):
    version = forms.versions(FORM_ID)[-1]
    return forms.get(FORM_ID, version), version


def _columns(definition):
    """The importable fields by the headers a file may use: the form's Chinese label, or the field's id."""
    fields = {name: spec for name, spec in field_map(entity_spec(definition, REGISTER)).items()
              if spec["type"] in IMPORTED_TYPES}
    # The label as the form has it (病例编号（报告卡号）), without its explanation (病例编号), or the field's id.
    short = {spec["label_zh"].split("（")[0].strip(): name for name, spec in fields.items()}
    return fields, {**short, **{spec["label_zh"]: name for name, spec in fields.items()}, **{name: name for name in fields}}


def _cell(spec, value):
    """A cell as the form stores it, or (None, reason) when it cannot be read; blank is not answered."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    kind = spec["type"]
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date().isoformat(), None
        if isinstance(value, dt.date):
            return value.isoformat(), None
        text = str(value).strip().replace("/", "-").replace(".", "-")
        try:
            return dt.date.fromisoformat(text).isoformat(), None
        except ValueError:
            return None, f"“{value}”不是日期（应为 2024-03-01 这样的日期）"
    if kind == "select":
        text = str(value).strip()
        for choice in spec["choices"]:
            if text in (choice["label_zh"], choice["value"]):
                return choice["value"], None
        return None, f"“{text}”不是可选项（可选：{'、'.join(c['label_zh'] for c in spec['choices'])}）"
    if kind == "boolean":
        text = str(value).strip().lower()
        return (True, None) if text in YES else (False, None) if text in NO else (None, f"“{value}”应为“是”或“否”")
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None, f"“{value}”不是数字"
        return (int(value) if isinstance(value, float) and value.is_integer() else value), None
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()
    return text, None


def _existing(session, actor, keys, lock):
    query = sa.select(Record).where(Record.entity == REGISTER, Record.parent_id.is_(None), Record.deleted.is_(False),
                                    Record.region_id.in_(sorted(actor.region_ids)))
    files = {}
    for record in session.scalars(for_update(query, session) if lock else query):
        key = (record.data or {}).get(KEY)
        if key in keys:
            files[key] = record
    return files


def _plan(session, actor, forms, filename, content, max_rows, lock=False):
    require(actor, "patient.import")
    definition, version = _definition(forms)
    fields, lookup = _columns(definition)
    table = _table(filename, content)
    if not table:
        raise invalid("文件为空", "file", "empty", "文件为空", "The file is empty")
    positions = {}
    for index, title in enumerate(table[0]):
        name = lookup.get(str(title or "").strip())
        if name and name not in positions.values():
            positions[index] = name
    if KEY not in positions.values():
        raise Invalid("缺少必需的列", details=[problem(KEY, "missing_column", f"缺少列：{fields[KEY]['label_zh']}",
                                                 "Missing column: case number", column=fields[KEY]["label_zh"])])
    rows = [(number, values) for number, values in enumerate(table[1:], start=2)
            if any(v is not None and str(v).strip() for v in values)]
    if len(rows) > max_rows:
        raise invalid(f"一次最多导入 {max_rows} 行", "file", "too_many_rows", f"文件有 {len(rows)} 行，一次最多 {max_rows} 行",
                      f"At most {max_rows} rows at a time")
    problems, parsed = [], []
    for number, values in rows:
        data, wrong = {}, []
        for index, name in positions.items():
            value, reason = _cell(fields[name], values[index] if index < len(values) else None)
            if reason:
                wrong.append(problem(name, "value", f"第 {number} 行“{fields[name]['label_zh']}”：{reason}",
                                     f"Row {number}, {name}: unreadable value", row=number,
                                     column=fields[name]["label_zh"]))
            elif value is not None:
                data[name] = value
        parsed.append((number, data))
        problems += wrong
    keys = [data.get(KEY) for _, data in parsed]
    seen = set()
    for (number, data), key in zip(parsed, keys):
        if key in seen:
            problems.append(problem(KEY, "duplicate", f"第 {number} 行：病例编号 {key} 在文件中重复", "Duplicate case number",
                                    row=number, column=fields[KEY]["label_zh"]))
        seen.add(key)
    files = _existing(session, actor, {k for k in keys if k}, lock)
    plans = []
    for number, data in parsed:
        current = files.get(data.get(KEY))
        merged = {**(current.data if current else {}), **data}
        if current is None:
            merged.setdefault("status", "alive")
        for error in validate(definition, REGISTER, merged, mode="complete"):
            problems.append(problem(error["field"], error["code"], f"第 {number} 行：{error['message_zh']}",
                                    error["message_en"], row=number,
                                    column=fields.get(error["field"], {}).get("label_zh", error["field"])))
        changes = {} if current is None else {k: (current.data.get(k), v) for k, v in data.items()
                                               if current.data.get(k) != v}
        plans.append({"row": number, "data": merged if current is None else data, "file": current,
                      "changes": changes, "status": "new" if current is None else "update" if changes else "unchanged"})
    if problems:
        raise Invalid(f"{len({p['row'] for p in problems if 'row' in p})}行有错误，未导入任何数据", details=problems)
    return plans, _digest(content, plans), definition, version


def _digest(content, plans):
    """SHA-256 over the file and what it would do: confirming it confirms exactly the preview that was shown."""
    planned = [[p["row"], p["file"].id if p["file"] else None, p["status"],
                p["data"] if p["file"] is None else {k: list(v) for k, v in p["changes"].items()}] for p in plans]
    digest = hashlib.sha256(content)
    digest.update(json.dumps(planned, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8"))
    return digest.hexdigest()


def _shown(spec, value):
    """A stored value as people read it (a choice by its words, yes/no in Chinese)."""
    if value is None or value == "":
        return None
    if spec and spec["type"] == "select":
        return next((c["label_zh"] for c in spec["choices"] if c["value"] == value), str(value))
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _view(plans, definition, ids=None):
    fields, _ = _columns(definition)
    counts = {status: sum(p["status"] == status for p in plans) for status in ("new", "update", "unchanged")}
    rows = [{"row": p["row"], "case_no": (p["file"].data if p["file"] else p["data"]).get(KEY),
             "name": (p["file"].data if p["file"] else p["data"]).get("patient_name"), "status": p["status"],
             "patient_id": p["file"].id if p["file"] else (ids or {}).get(p["row"]),
             "changes": [{"field": k, "label": fields[k]["label_zh"], "old": _shown(fields[k], old),
                          "new": _shown(fields[k], new)} for k, (old, new) in p["changes"].items()]} for p in plans]
    return {"counts": counts, "rows": rows}


def preview_patients(session, actor, forms, filename, content, *, max_rows=20000):
    """What importing the file would do, row by row, with the digest that confirms it; writes nothing."""
    plans, digest, definition, _ = _plan(session, actor, forms, filename, content, max_rows)
    return {"digest": digest, **_view(plans, definition)}


def import_patients(session, actor, forms, clock, filename, content, digest, *, max_rows=20000):
    """Apply a previewed file: Conflict when the file or a file of the register changed since the preview (nothing
    is written), Invalid when a row is bad; else the rows as written, and the audit entry with the diff."""
    if not digest:
        raise invalid("请先预览，确认后再导入", "digest", "required", "请先预览，确认后再导入",
                      "Preview the file first and confirm its digest")
    begin_write(session)
    plans, current, definition, version = _plan(session, actor, forms, filename, content, max_rows, lock=True)
    if digest != current:
        raise Conflict("预览之后文件或患者档案已有变化，未导入任何数据，请重新预览", code="PREVIEW_OUTDATED", details=[
            problem("digest", "outdated", "预览之后文件或患者档案已有变化，请重新预览并确认",
                    "The file or the register changed after the preview; preview again")])
    batch = Batch(session=session, actor=actor, device=session.get(Device, actor.device_id) if actor.device_id else None,
                  forms=forms, entities=None, clock=clock)
    ids = {}
    with session.no_autoflush:
        for plan in plans:
            if plan["status"] == "new":
                ids[plan["row"]] = _create(batch, plan["data"], version)
            elif plan["status"] == "update":
                _update(batch, plan["file"], {k: new for k, (_old, new) in plan["changes"].items()})
        allocate_and_resolve(batch)
        batch.write(session)
    audit.record(session, actor, "patient.import", filename,
                 created=sum(p["status"] == "new" for p in plans), updated=sum(p["status"] == "update" for p in plans),
                 unchanged=sum(p["status"] == "unchanged" for p in plans),
                 files=[{"row": p["row"], "case_no": (p["file"].data if p["file"] else p["data"]).get(KEY),
                         "action": "created" if p["status"] == "new" else "updated",
                         "changes": {k: {"old": old, "new": new} for k, (old, new) in p["changes"].items()}}
                        for p in plans if p["status"] != "unchanged"])
    return _view(plans, definition, ids)


def _create(batch, data, version):
    index = batch.next_index()
    record = NewRecord(id=new_uuid(), entity=REGISTER, form_id=FORM_ID, form_version=version, root_id=None,
                       region_id=batch.actor.region_id, agency_id=batch.actor.agency_id, enterprise_id=None,
                       data=dict(data), computed={}, field_versions={k: index for k in data},
                       field_writers={}, deleted=False, conflict_open=False, review_status=None,
                       created_by=batch.actor.user_id, created_device=batch.actor.device_id, created_at=batch.now,
                       updated_by=batch.actor.user_id, updated_device=batch.actor.device_id, updated_at=batch.now,
                       created_change_no=index)
    record.root_id = record.id
    batch.records[record.id] = record
    batch.new_records.append(record)
    batch.touch(record, index)
    batch.log_change(record.id, index, "import", dict(data))
    return record.id


def _update(batch, record, changed):
    index = batch.next_index()
    record.data = {**record.data, **changed}
    record.field_versions = {**(record.field_versions or {}), **{k: index for k in changed}}
    record.field_writers = {**(record.field_writers or {}), **{k: "import" for k in changed}}
    record.updated_by, record.updated_at = batch.actor.user_id, batch.now
    batch.records[record.id] = record
    batch.touch(record, index)
    batch.log_change(record.id, index, "import", changed)
