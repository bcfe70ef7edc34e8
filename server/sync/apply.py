"""Applying one mutation to the batch: the rules of create, update, delete and submit."""
import datetime as dt
import re

import sqlalchemy as sa

from ..documents.types import document_type
from ..domain.declarations import DATE_FIELDS as DECLARATION_DATES, check_declaration, refresh_due
from ..domain.enterprises import assessed_class_problems, check_enterprise_fields
from ..domain.errors import DomainError, problem
from ..domain.permissions import REGISTER_KINDS, check_enterprise_write, readable_entities
from ..domain.reviews import apply_review_action
from ..form_registry import UnknownForm, entity_spec, field_map, validate
from .batch import NewRecord, parse_device_time
from .entities import ATTACHMENT, DOCUMENT, ENTERPRISE, writable_entities
from .issuing import issue_document
from .errors import Quarantined, Rejected
from .merge import edited_since, merge_fields
from ..models import Document, DocumentVoid, Record
from .officers import check_officers

SHA256 = re.compile(r"^[0-9a-f]{64}$")
ATTACHMENT_FIELDS = {"field": str, "sha256": str, "mime": str, "size": int, "width": int, "height": int,
                     "captured_at": str, "caption": str, "kind": str}
ATTACHMENT_MIMES = ("image/jpeg", "image/png", "image/webp")


def _not_found():
    return Rejected("RECORD_NOT_FOUND", "记录不存在或不在您的辖区内")


def _check_access(batch, record):
    readable = readable_entities(batch.actor)
    if not batch.actor.covers_region(record.region_id) or (readable is not None and record.entity not in readable
                                                           and record.entity != ATTACHMENT):
        raise _not_found()


def _root_of(batch, record):
    root = batch.records.get(record.root_id)
    if root is None:
        raise Rejected("RECORD_NOT_FOUND", "记录所属的主记录不存在")
    return root


def _check_unlocked(batch, record):
    root = _root_of(batch, record)
    if root.locked_reason:
        reason = {"approved": "已审核通过", "document": "已出具正式文书"}.get(root.locked_reason, root.locked_reason)
        raise Rejected("RECORD_LOCKED", f"记录{reason}并已锁定，不能修改；如需更正请走更正程序",
                       [{"field": None, "code": "locked", "message": f"记录{reason}，已锁定",
                         "message_en": f"The record is locked ({root.locked_reason})"}])


def _definition(batch, info, version):
    if version is None:
        raise Rejected("FORM_VERSION_REQUIRED", "缺少表单版本", [{"field": "form_version", "code": "required",
                                                          "message": "缺少表单版本", "message_en": "form_version missing"}])
    try:
        return batch.forms.get(info.form_id, version)
    except UnknownForm:
        raise Quarantined("UNKNOWN_FORM_VERSION", f"服务器不认识表单 {info.form_id} 第{version}版，已隔离待处理",
                          [{"field": "form_version", "code": "unknown_version", "message": "未知的表单版本",
                            "message_en": f"Unknown version {version} of {info.form_id}"}]) from None


def _upcast_partial(batch, entity, values, from_version, to_version):
    """Renames of an older version applied to a partial update (defaults must not overwrite stored values)."""
    try:
        renamed = batch.forms.upcast(values, entity, from_version, to_version)
        defaults = batch.forms.upcast({}, entity, from_version, to_version)
    except (UnknownForm, ValueError) as error:
        raise Quarantined("UPCAST_FAILED", "无法把旧版本表单的数据转换到当前版本", [
            {"field": "form_version", "code": "upcast", "message": "旧版本数据无法转换", "message_en": str(error)}])
    return {k: v for k, v in renamed.items() if k not in defaults or k in values}


def _validate_attachment(values, creating):
    problems = []
    for name, value in values.items():
        kind = ATTACHMENT_FIELDS.get(name)
        if kind is None:
            problems.append((name, "unknown_field", "未知字段", "Unknown field"))
        elif value is not None and not isinstance(value, kind):
            problems.append((name, "type", "类型错误", "Wrong type"))
    if creating:
        problems += [(n, "required", "必填", "Required") for n in ("field", "sha256", "mime") if not values.get(n)]
    if isinstance(values.get("sha256"), str) and not SHA256.match(values["sha256"]):
        problems.append(("sha256", "format", "应为64位小写十六进制", "64 lowercase hex digits"))
    if values.get("mime") and values["mime"] not in ATTACHMENT_MIMES:
        problems.append(("mime", "choice", "仅支持 JPEG、PNG、WebP 图片", "JPEG, PNG or WebP only"))
    if isinstance(values.get("caption"), str) and len(values["caption"]) > 500:
        problems.append(("caption", "max_length", "说明过长", "Caption too long"))
    if problems:
        raise Rejected("VALIDATION_FAILED", "附件信息有误", [{"field": f, "code": c, "message": zh, "message_en": en}
                                                         for f, c, zh, en in problems])


def _validate_record(batch, info, data, definition, parent):
    """Raise Rejected when `data` breaks the entity's form (draft rules: half-filled records are fine)."""
    if info.name == ATTACHMENT:
        return
    errors = validate(definition, info.name, data, mode="draft", context={"references": batch.reference_keys()},
                      parent=parent.data if parent else None)
    if errors:
        raise Rejected("VALIDATION_FAILED", "记录不符合表单要求", [
            {"field": e["field"], "code": e["code"], "message": e["message_zh"], "message_en": e["message_en"]}
            for e in errors])


def _place_new_record(batch, info, mutation, values):
    """Root, region, agency and enterprise of a record being created."""
    if info.is_root:
        enterprise_id = values.get("enterprise_id")
        region_id = batch.actor.region_id
        if enterprise_id:
            enterprise = batch.enterprises.get(enterprise_id)
            if enterprise is None or not batch.actor.covers_region(enterprise.region_id):
                raise Rejected("ENTERPRISE_NOT_FOUND", "用人单位不存在或不在您的辖区内", [
                    {"field": "enterprise_id", "code": "not_found", "message": "用人单位不存在",
                     "message_en": "Unknown enterprise"}])
            region_id = enterprise.region_id
        return {"root_id": mutation["id"], "region_id": region_id, "enterprise_id": enterprise_id, "parent": None}
    parent = batch.records.get(mutation.get("parent"))
    if parent is None or parent.deleted:
        raise Rejected("PARENT_NOT_FOUND", "上级记录不存在或已删除", [
            {"field": "parent", "code": "not_found", "message": "上级记录不存在", "message_en": "Unknown parent"}])
    _check_access(batch, parent)
    if info.parent != "*" and parent.entity != info.parent:
        raise Rejected("WRONG_PARENT", f"{info.name} 的上级应为 {info.parent}", [
            {"field": "parent", "code": "wrong_parent", "message": "上级记录类型不符", "message_en": "Wrong parent kind"}])
    return {"root_id": parent.root_id, "region_id": parent.region_id, "enterprise_id": parent.enterprise_id,
            "parent": parent}


def _create(batch, info, mutation, values, index, device_time):
    if info.name == ATTACHMENT:
        _validate_attachment(values, creating=True)
    definition = _definition(batch, info, mutation.get("form_version")) if info.form_id else None
    place = _place_new_record(batch, info, mutation, values)
    if place["parent"] is not None:
        _check_unlocked(batch, place["parent"])
    _validate_record(batch, info, values, definition, place["parent"])
    check_officers(batch, definition, info.name, batch.actor.agency_id, values)
    _check_register_links(batch, definition, info.name, values)
    record = NewRecord(id=mutation["id"], entity=info.name, form_id=info.form_id,
                    form_version=mutation.get("form_version") if info.form_id else None,
                    parent_id=place["parent"].id if place["parent"] else None, root_id=place["root_id"],
                    region_id=place["region_id"], agency_id=batch.actor.agency_id,
                    enterprise_id=place["enterprise_id"], data=dict(values), computed={},
                    blob_sha256=values.get("sha256") if info.name == ATTACHMENT else None,
                    field_versions={k: index for k in values},
                    field_writers={k: batch.device.id for k in values}, deleted=False,
                    review_status="draft" if info.is_root and info.name not in REGISTER_KINDS else None,
                    conflict_open=False,
                    created_by=batch.actor.user_id, created_device=batch.device.id, created_at=batch.now,
                    device_created_at=device_time, updated_by=batch.actor.user_id, updated_device=batch.device.id,
                    updated_at=batch.now, device_updated_at=device_time, created_change_no=index)
    batch.records[record.id] = record
    batch.new_records.append(record)
    batch.touch(record, index)
    batch.log_change(record.id, index, "create", dict(values), mutation, device_time)
    batch.roots.add(record.root_id)
    return {"status": "applied", "applied_fields": sorted(values)}


def _check_register_links(batch, definition, entity, values):
    """A field naming a register's record (a follow-up's patient file) names one that exists, is of that register
    and lies in the writer's jurisdiction."""
    if definition is None:
        return
    for name, field in field_map(entity_spec(definition, entity)).items():
        if field["type"] != "register" or not values.get(name):
            continue
        target = batch.records.get(values[name]) or batch.session.get(Record, values[name])
        if (target is None or target.deleted or target.entity != field["register"]
                or not batch.actor.covers_region(target.region_id)):
            raise Rejected("REGISTER_NOT_FOUND", "关联的档案不存在或不在您的辖区内", [
                {"field": name, "code": "not_found", "message": "档案不存在", "message_en": "Unknown register record"}])


def _edit_after_delete(batch, record, mutation, values, index, device_time):
    conflict = batch.add_conflict(record, mutation, "edit_after_delete", server_value={"deleted": True},
                                  client_value=values, device_time=device_time)
    batch.touch(record, index)
    return {"status": "conflict", "applied_fields": [],
            "conflicts": [{"conflict_id": conflict["id"], "kind": "edit_after_delete", "field": None}]}


def _versioned_input(batch, info, record, mutation, values):
    """(values, base, data, version) with an older or newer form version brought onto one version."""
    base = dict(mutation.get("base") or {})
    data, version = record.data, record.form_version
    if not info.form_id:
        _validate_attachment(values, creating=False)
        if "sha256" in values and values["sha256"] != record.blob_sha256:
            raise Rejected("ATTACHMENT_IMMUTABLE", "附件内容不能替换，请删除后重新添加", [
                problem("sha256", "immutable", "附件内容不可更改", "An attachment's bytes cannot change")])
        return values, base, data, version
    sent = mutation.get("form_version")
    _definition(batch, info, sent)
    if sent < version:
        values = _upcast_partial(batch, info.name, values, sent, version)
        base = _upcast_partial(batch, info.name, base, sent, version)
    elif sent > version:
        # The device fills a newer version of the form now: the record moves up with it.
        data, version = batch.forms.upcast(data, info.name, version, sent), sent
    return values, base, data, version


def _conflict_items(conflicts):
    return [{"conflict_id": c["id"], "kind": "field", "field": c["field"], "server_value": c["server_value"]["value"]}
            for c in conflicts]


def _edit_after_issue(batch, info, record, mutation, values, index, device_time):
    """A device's edit that reaches a record after a document was issued on it: nothing the document shows changes
    silently, and nothing typed is lost. Each differing field is kept as a conflict; settling it for the device's
    value prepares a 更正 (sync/conflicts.py)."""
    values, base, data, _version = _versioned_input(batch, info, record, mutation, values)
    versions, writers = record.field_versions or {}, record.field_writers or {}
    conflicts = [batch.add_conflict(record, mutation, "field", field=name, server_value=data.get(name),
                                    client_value=value, base=base.get(name), server_version=versions.get(name),
                                    server_writer=writers.get(name), device_time=device_time)
                 for name, value in sorted(values.items()) if data.get(name) != value]
    if not conflicts:
        return {"status": "applied", "applied_fields": []}
    batch.touch(record, index)
    return {"status": "conflict", "applied_fields": [], "conflicts": _conflict_items(conflicts),
            "note": "locked_by_document"}


def _shown_fields(batch, root, entity):
    """The fields of `entity` that the documents issued on `root` show (None: every field). An issued document
    locks only what it shows: the phases after it (e.g. the laboratory's, or notes the 反馈 does not print) go on."""
    voided = sa.select(DocumentVoid.document_id)
    issued = set(batch.session.scalars(sa.select(Document.doc_type).where(Document.record_id == root.id,
                                                                          Document.id.not_in(voided))))
    issued |= {d.doc_type for d in batch.documents if d.record_id == root.id}
    shown = set()
    for doc_type in issued:
        kind = document_type(doc_type)
        if kind is None or kind.shows is None:
            return None
        shown |= kind.shows.get(entity, frozenset())
    return shown


def _update(batch, info, record, mutation, values, index, device_time):
    if info.form_id and _root_of(batch, record).locked_reason == "document":
        shown = _shown_fields(batch, _root_of(batch, record), record.entity)
        held = {k: v for k, v in values.items() if shown is None or k in shown}
        free = {k: v for k, v in values.items() if k not in held}
        outcome = _edit_after_issue(batch, info, record, mutation, held, index, device_time) if held else None
        if not free:
            return outcome
        applied = _merge_update(batch, info, record, mutation, free, index, device_time)
        if outcome is None or outcome["status"] == "applied":
            return applied
        return {**outcome, "applied_fields": applied["applied_fields"],
                "conflicts": outcome["conflicts"] + applied.get("conflicts", [])}
    _check_unlocked(batch, record)
    return _merge_update(batch, info, record, mutation, values, index, device_time)


def _merge_update(batch, info, record, mutation, values, index, device_time):
    values, base, data, version = _versioned_input(batch, info, record, mutation, values)
    merged = merge_fields(data, record.field_versions or {}, record.field_writers or {}, values, base,
                          batch.device.id)
    new_data = {**data, **merged.applied}
    if merged.applied or version != record.form_version:
        definition = _definition(batch, info, version) if info.form_id else None
        _validate_record(batch, info, new_data, definition, batch.records.get(record.parent_id))
        check_officers(batch, definition, info.name, record.agency_id, merged.applied)
    conflicts = [batch.add_conflict(record, mutation, "field", field=c.field, server_value=c.server_value,
                                    client_value=c.client_value, base=c.base, server_version=c.server_version,
                                    server_writer=c.server_writer, device_time=device_time)
                 for c in merged.conflicts]
    record.data, record.form_version = new_data, version
    if merged.applied:
        record.field_versions = {**record.field_versions, **{k: index for k in merged.applied}}
        record.field_writers = {**record.field_writers, **{k: batch.device.id for k in merged.applied}}
        record.updated_by, record.updated_device = batch.actor.user_id, batch.device.id
        record.updated_at, record.device_updated_at = batch.now, device_time
        batch.log_change(record.id, index, "update", merged.applied, mutation, device_time)
        batch.roots.add(record.root_id)
        _back_to_review(batch, record.root_id, mutation, device_time)
    if merged.applied or conflicts:
        batch.touch(record, index)
    result = {"status": "conflict" if conflicts else "applied", "applied_fields": sorted(merged.applied)}
    if conflicts:
        result["conflicts"] = _conflict_items(conflicts)
    return result


def _back_to_review(batch, root_id, mutation, device_time):
    """A record already handed in and changed from the field goes back to its reviewer as resubmitted; the
    record's history shows what changed."""
    batch.load([root_id])
    root = batch.records.get(root_id)
    if root is not None and root.review_status == "submitted":
        index = batch.next_index()
        root.review_status = "resubmitted"
        batch.touch(root, index)
        batch.log_change(root.id, index, "resubmit", {"review_status": "resubmitted",
                                                      "reason": "changed in the field"}, mutation, device_time)


def _descendants(batch, record):
    batch.load_root_members([record.root_id])
    members = batch.members(record.root_id)
    found, frontier = [], {record.id}
    while frontier:
        children = [m for m in members if m.parent_id in frontier and not m.deleted]
        found += children
        frontier = {c.id for c in children}
    return found


def _delete(batch, info, record, mutation, index, device_time):
    if record is None or record.deleted:
        return {"status": "applied", "applied_fields": [], "note": "already_absent"}
    _check_access(batch, record)
    _check_unlocked(batch, record)
    edited = edited_since(record.field_versions or {}, record.field_writers or {}, mutation.get("base") or {},
                          batch.device.id)
    if edited:
        # Someone else changed the record after the device last saw it: deleting would silently lose that work.
        conflict = batch.add_conflict(record, mutation, "delete_edit", server_value={f: record.data.get(f) for f in edited},
                                      client_value={"deleted": True}, device_time=device_time)
        batch.touch(record, index)
        return {"status": "conflict", "applied_fields": [],
                "conflicts": [{"conflict_id": conflict["id"], "kind": "delete_edit", "field": None, "fields": edited}]}
    for row, row_index in [(record, index)] + [(d, batch.next_index()) for d in _descendants(batch, record)]:
        row.deleted = True
        row.updated_by, row.updated_device, row.updated_at = batch.actor.user_id, batch.device.id, batch.now
        batch.touch(row, row_index)
        batch.log_change(row.id, row_index, "delete", {}, mutation, device_time)
    batch.roots.add(record.root_id)
    return {"status": "applied", "applied_fields": []}


def _submit(batch, info, record, mutation, index, device_time, check_complete):
    if record is None or record.deleted:
        raise _not_found()
    _check_access(batch, record)
    if record.locked_reason != "document":  # a record handed in with its on-site document may still be resubmitted
        _check_unlocked(batch, record)
    if not info.is_root:
        raise Rejected("NOT_A_ROOT", "只能提交主记录", [{"field": "id", "code": "not_root", "message": "只能提交主记录",
                                                     "message_en": "Only a root record is submitted"}])
    if info.name in REGISTER_KINDS:
        raise Rejected("REGISTER_NOT_REVIEWED", "档案随时更新，无需提交审核", [
            {"field": "id", "code": "register", "message": "档案无需提交审核",
             "message_en": "A register's file is kept up to date, not handed in"}])
    action = "resubmit" if record.review_status == "returned" else "submit"
    try:
        step = apply_review_action(record.review_status, action, batch.actor, owner_id=record.created_by, at=batch.now)
    except DomainError as error:
        raise Rejected(error.code, error.message, error.details) from None
    check_complete(batch, record)
    record.review_status, record.review_comment = step.state, None
    batch.touch(record, index)
    batch.log_change(record.id, index, action, {"review_status": step.state}, mutation, device_time)
    return {"status": "applied", "applied_fields": [], "review_status": step.state}


ENTERPRISE_DATES = {"first_declared_on": "初次申报日期", "last_declared_on": "最近申报/变更日期",
                    "hazard_class_assessed_on": "分类日期"}


def _enterprise_dates(values):
    """The enterprise's date fields as dates ((values, problems)): a device sends them as ISO text."""
    problems, typed = [], dict(values)
    for field, word in ENTERPRISE_DATES.items():
        value = values.get(field)
        if value is None or isinstance(value, dt.date):
            continue
        try:
            typed[field] = dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            problems.append(problem(field, "date", f"{word}应为日期（如 2026-03-01）", "Must be a date (YYYY-MM-DD)"))
    return typed, problems


def _apply_enterprise(batch, mutation, index, device_time):
    enterprise = batch.enterprises.get(mutation["id"])
    if enterprise is None or not batch.actor.covers_region(enterprise.region_id):
        raise _not_found()
    if mutation["op"] != "update":
        raise Rejected("OP_NOT_ALLOWED", "用人单位只能从设备修改联系方式")
    values = dict(mutation.get("fields") or {})
    try:
        check_enterprise_write(batch.actor, enterprise.region_id, values.keys())
    except DomainError as error:
        raise Rejected(error.code, error.message, error.details) from None
    values, wrong = _enterprise_dates(values)
    if wrong:
        raise Rejected("VALIDATION_FAILED", "用人单位信息有误", wrong)
    current = {k: getattr(enterprise, k) for k in values}
    merged = merge_fields(current, enterprise.field_versions or {}, enterprise.field_writers or {}, values,
                          mutation.get("base") or {}, batch.device.id)
    # The rules of an edit in the office hold for a change from a device: declaration dates, a class with history.
    problems = (check_enterprise_fields(batch.session, merged.applied, existing_id=enterprise.id)
                + check_declaration(enterprise, merged.applied, batch.clock.today())
                + assessed_class_problems(batch.session, enterprise, merged.applied))
    if problems:
        raise Rejected("VALIDATION_FAILED", "用人单位信息有误", problems)
    conflicts = [batch.add_conflict(enterprise, mutation, "field", field=c.field, server_value=c.server_value,
                                    client_value=c.client_value, base=c.base, server_version=c.server_version,
                                    server_writer=c.server_writer, device_time=device_time) for c in merged.conflicts]
    for name, value in merged.applied.items():
        setattr(enterprise, name, value)
    if set(DECLARATION_DATES) & set(merged.applied):
        refresh_due(batch.session, enterprise)  # the next declaration due follows the dates, as in the office
    enterprise.field_versions = {**(enterprise.field_versions or {}), **{k: index for k in merged.applied}}
    enterprise.field_writers = {**(enterprise.field_writers or {}), **{k: batch.device.id for k in merged.applied}}
    if merged.applied or conflicts:
        batch.touch(enterprise, index)
    result = {"status": "conflict" if conflicts else "applied", "applied_fields": sorted(merged.applied)}
    if conflicts:
        result["conflicts"] = _conflict_items(conflicts)
    return result


def _issue_offline(batch, mutation):
    """A document issued on the device with a number from its reserved block."""
    fields = mutation.get("fields") or {}
    if mutation["op"] != "issue":
        raise Rejected("OP_NOT_ALLOWED", "文书只能出具，不能修改或删除；更正请出具更正文书")
    issued_at = parse_device_time(fields.get("issued_at"))
    try:
        document = issue_document(batch, document_id=mutation["id"], record_id=fields.get("record_id"),
                                  doc_type=fields.get("doc_type"), number=fields.get("number"), issued_at=issued_at,
                                  amends_id=fields.get("amends_id"), base_url=batch.base_url)
    except DomainError as error:
        raise Rejected(error.code, error.message, error.details) from None
    return {"status": "applied", "applied_fields": [], "document_number": document.number}


def apply_mutation(batch, mutation, check_complete):
    """Apply one mutation; returns its result dict or raises Rejected / Quarantined / Transient."""
    entity = mutation["entity"]
    if entity not in writable_entities(batch.actor):
        raise Rejected("ENTITY_NOT_ALLOWED", f"您的角色不能修改 {entity} 记录")
    index = batch.next_index()
    device_time = parse_device_time(mutation.get("device_time"))
    if entity == ENTERPRISE:
        return _apply_enterprise(batch, mutation, index, device_time), index
    if entity == DOCUMENT:
        return _issue_offline(batch, mutation), index
    info = batch.entities.get(entity)
    if info is None:
        raise Quarantined("UNKNOWN_ENTITY", f"服务器不认识记录类型 {entity}")
    record = batch.records.get(mutation["id"])
    if record is not None and record.entity != entity:
        raise Rejected("ENTITY_MISMATCH", "记录类型与已有记录不符")
    op, values = mutation["op"], dict(mutation.get("fields") or {})
    if op == "create" and record is None:
        return _create(batch, info, mutation, values, index, device_time), index
    if op in ("create", "update"):
        if record is None:
            raise _not_found()
        _check_access(batch, record)
        if record.deleted:
            return _edit_after_delete(batch, record, mutation, values, index, device_time), index
        return _update(batch, info, record, mutation, values, index, device_time), index
    if op == "delete":
        return _delete(batch, info, record, mutation, index, device_time), index
    if op == "submit":
        return _submit(batch, info, record, mutation, index, device_time, check_complete), index
    raise Rejected("UNKNOWN_OP", f"未知操作 {op}")
