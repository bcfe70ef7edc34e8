"""Import a register (the patients' 一人一档, a ledger's files: 三同时 projects, 放射诊疗 institutions) from XLSX (or
CSV) in two steps, as the enterprise registry is imported (domain/enterprise_imports.py): the preview reads every
row — the columns are the register form's own Chinese labels (病例编号, 姓名, 性别, 期别…), a choice by its words (男,
矽肺, 贰期), a date as a date — checks it with the form's own validator and answers per row: a new file, the changes
to the file of that key field by field, no change, or what is wrong (row, column, reason). Nothing is written. The
import applies the same file once the person confirmed what the preview showed (its digest covers the file and the
plan): one bad row, or a file changed since, and nothing is written. Files are written as records (synced to the
tablets of those who keep the register like any change), each change in the history, the whole import in the audit
trail.

A register is described by a `Sheet`: its form and root entity, the key field that names a file, the field read as
its name, the verb that allows the import and the values a new file gets when the sheet is silent.
"""
import datetime as dt
import hashlib
import json

import sqlalchemy as sa

from ..domain import audit
from dataclasses import dataclass, field

from ..domain.errors import Conflict, Forbidden, Invalid, invalid, problem
from ..domain.permissions import own_entities, require
from ..domain.registry_files import sheet_rows
from ..form_registry import entity_spec, field_map, validate
from ..models import Record
from ..models.transactions import begin_write, for_update
from .office_writes import create_record, finish, office_batch, update_record

IMPORTED_TYPES = ("text", "number", "date", "select", "multi_select", "boolean")
YES, NO = ("是", "有", "yes", "true", "1"), ("否", "无", "no", "false", "0")


@dataclass(frozen=True)
class Sheet:
    """A register as an imported sheet reads it."""

    form_id: str
    entity: str               # the file's record kind (a root entity of the form)
    key: str                  # the field naming a file, unique in the actor's jurisdiction
    name_field: str           # the field shown as the file's name in the report
    verb: str                 # the permissions verb allowing the import
    what_zh: str              # 患者档案, 建设项目台账…: in the messages
    new_defaults: dict = field(default_factory=dict)


def _definition(forms, sheet):
    version = forms.versions(sheet.form_id)[-1]
    return forms.get(sheet.form_id, version), version


def _columns(definition, sheet):
    """The importable fields by the headers a file may use: the form's Chinese label, or the field's id."""
    fields = {name: spec for name, spec in field_map(entity_spec(definition, sheet.entity)).items()
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
    if kind == "multi_select":  # several choices by their words in one cell: 介入放射学、X射线影像诊断
        chosen = []
        for part in str(value).replace("，", "、").replace(",", "、").replace("；", "、").replace(";", "、").split("、"):
            part = part.strip()
            if not part:
                continue
            match = next((c["value"] for c in spec["choices"] if part in (c["label_zh"], c["value"])), None)
            if match is None:
                return None, f"“{part}”不是可选项（可选：{'、'.join(c['label_zh'] for c in spec['choices'])}）"
            if match not in chosen:
                chosen.append(match)
        return (chosen or None), None
    if kind == "boolean":
        text = str(value).strip().lower()
        return (True, None) if text in YES else (False, None) if text in NO else (None, f"“{value}”应为“是”或“否”")
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None, f"“{value}”不是数字"
        return (int(value) if isinstance(value, float) and value.is_integer() else value), None
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()
    return text, None


def _existing(session, actor, sheet, keys, lock):
    query = sa.select(Record).where(Record.entity == sheet.entity, Record.parent_id.is_(None),
                                    Record.deleted.is_(False), Record.region_id.in_(sorted(actor.region_ids)))
    files = {}
    for record in session.scalars(for_update(query, session) if lock else query):
        key = (record.data or {}).get(sheet.key)
        if key in keys:
            files[key] = record
    return files


def _plan(session, actor, forms, sheet, filename, content, max_rows, lock=False):
    require(actor, sheet.verb)
    kinds = own_entities(actor)
    if kinds is not None and sheet.entity not in kinds:  # a CDC keeps no 三同时 ledger, a supervision agency no patients
        raise Forbidden(f"{sheet.what_zh}不由您所在机构维护", code="AGENCY_KIND", details=[
            problem(None, "agency_kind", f"{sheet.what_zh}不由您所在机构维护", "Another kind of agency keeps this register")])
    definition, version = _definition(forms, sheet)
    fields, lookup = _columns(definition, sheet)
    key = sheet.key
    table = sheet_rows(filename, content)
    if not table:
        raise invalid("文件为空", "file", "empty", "文件为空", "The file is empty")
    positions = {}
    for index, title in enumerate(table[0]):
        name = lookup.get(str(title or "").strip())
        if name and name not in positions.values():
            positions[index] = name
    if key not in positions.values():
        raise Invalid("缺少必需的列", details=[problem(key, "missing_column", f"缺少列：{fields[key]['label_zh']}",
                                                 f"Missing column: {key}", column=fields[key]["label_zh"])])
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
    keys = [data.get(key) for _, data in parsed]
    seen = set()
    label = fields[key]["label_zh"].split("（")[0].strip()
    for (number, data), value in zip(parsed, keys):
        if value in seen:
            problems.append(problem(key, "duplicate", f"第 {number} 行：{label} {value} 在文件中重复", f"Duplicate {key}",
                                    row=number, column=fields[key]["label_zh"]))
        seen.add(value)
    files = _existing(session, actor, sheet, {k for k in keys if k}, lock)
    plans = []
    for number, data in parsed:
        current = files.get(data.get(key))
        merged = {**(current.data if current else {}), **data}
        if current is None:
            merged = {**sheet.new_defaults, **merged}
        for error in validate(definition, sheet.entity, merged, mode="complete"):
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
    if spec and spec["type"] == "multi_select" and isinstance(value, list):
        return "、".join(next((c["label_zh"] for c in spec["choices"] if c["value"] == v), str(v)) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _view(plans, definition, sheet, ids=None):
    fields, _ = _columns(definition, sheet)
    counts = {status: sum(p["status"] == status for p in plans) for status in ("new", "update", "unchanged")}
    rows = [{"row": p["row"], "key": (p["file"].data if p["file"] else p["data"]).get(sheet.key),
             "name": (p["file"].data if p["file"] else p["data"]).get(sheet.name_field), "status": p["status"],
             "file_id": p["file"].id if p["file"] else (ids or {}).get(p["row"]),
             "changes": [{"field": k, "label": fields[k]["label_zh"], "old": _shown(fields[k], old),
                          "new": _shown(fields[k], new)} for k, (old, new) in p["changes"].items()]} for p in plans]
    return {"counts": counts, "rows": rows}


def preview(session, actor, forms, sheet, filename, content, *, max_rows=20000):
    """What importing the file would do, row by row, with the digest that confirms it; writes nothing."""
    plans, digest, definition, _ = _plan(session, actor, forms, sheet, filename, content, max_rows)
    return {"digest": digest, **_view(plans, definition, sheet)}


def apply(session, actor, forms, sheet, clock, filename, content, digest, *, max_rows=20000):
    """Apply a previewed file: Conflict when the file or a file of the register changed since the preview (nothing
    is written), Invalid when a row is bad; else the rows as written, and the audit entry with the diff."""
    if not digest:
        raise invalid("请先预览，确认后再导入", "digest", "required", "请先预览，确认后再导入",
                      "Preview the file first and confirm its digest")
    begin_write(session)
    plans, current, definition, version = _plan(session, actor, forms, sheet, filename, content, max_rows, lock=True)
    if digest != current:
        raise Conflict(f"预览之后文件或{sheet.what_zh}已有变化，未导入任何数据，请重新预览", code="PREVIEW_OUTDATED",
                       details=[problem("digest", "outdated", f"预览之后文件或{sheet.what_zh}已有变化，请重新预览并确认",
                                        "The file or the register changed after the preview; preview again")])
    batch = office_batch(session, actor, forms, clock)
    ids = {}
    with session.no_autoflush:
        for plan in plans:
            if plan["status"] == "new":
                ids[plan["row"]] = create_record(batch, entity=sheet.entity, form_id=sheet.form_id, version=version,
                                                 data=plan["data"])
            elif plan["status"] == "update":
                update_record(batch, plan["file"], {k: new for k, (_old, new) in plan["changes"].items()})
        finish(batch)
    audit.record(session, actor, sheet.verb, filename,
                 created=sum(p["status"] == "new" for p in plans), updated=sum(p["status"] == "update" for p in plans),
                 unchanged=sum(p["status"] == "unchanged" for p in plans),
                 files=[{"row": p["row"], "key": (p["file"].data if p["file"] else p["data"]).get(sheet.key),
                         "action": "created" if p["status"] == "new" else "updated",
                         "changes": {k: {"old": old, "new": new} for k, (old, new) in p["changes"].items()}}
                        for p in plans if p["status"] != "unchanged"])
    return _view(plans, definition, sheet, ids)

