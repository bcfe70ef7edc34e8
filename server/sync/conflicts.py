"""Supervisors list conflicts and resolve them; a resolution is a normal change that syncs out."""
import sqlalchemy as sa

from ..domain.errors import Conflict as ConflictError
from ..domain.errors import Invalid, NotFound, problem
from ..domain.permissions import own_entities, require
from ..form_registry import validate
from ..models import Conflict, Device
from ..models.transactions import begin_write, for_update
from .batch import Batch, allocate_and_resolve
from .merge import Pending

CHOICES = ("server", "client", "value")


def list_conflicts(session, actor, *, status="open", record_id=None):
    """Conflicts in the actor's jurisdiction on its agency's work (newest first), with both values."""
    require(actor, "conflict.resolve")
    query = sa.select(Conflict).where(Conflict.region_id.in_(actor.region_ids))
    kinds = own_entities(actor)
    if kinds is not None:
        query = query.where(Conflict.entity.in_(sorted(kinds | {"enterprise"})))
    if status:
        query = query.where(Conflict.status == status)
    if record_id:
        query = query.where(Conflict.record_id == record_id)
    return session.scalars(query.order_by(Conflict.created_at.desc(), Conflict.id)).all()


def _chosen_value(conflict, choice, value):
    if choice == "server":
        return conflict.server_value["value"]
    if choice == "client":
        return conflict.client_value["value"]
    return value


def _apply_field(batch, record, conflict, new_value, forms):
    if record.data.get(conflict.field) == new_value:
        return False
    data = {**record.data, conflict.field: new_value}
    if record.form_id:
        parent = batch.records.get(record.parent_id)
        errors = validate(forms.get(record.form_id, record.form_version), record.entity, data, mode="draft",
                          context={"references": batch.reference_keys()}, parent=parent.data if parent else None)
        if errors:
            raise Invalid("所选值不符合表单要求", details=[{"field": e["field"], "code": e["code"],
                                                      "message": e["message_zh"], "message_en": e["message_en"]}
                                                     for e in errors])
    index = batch.next_index()
    record.data = data
    record.field_versions = {**record.field_versions, conflict.field: index}
    record.field_writers = {**record.field_writers, conflict.field: f"resolution:{conflict.id}"}
    batch.touch(record, index)
    batch.log_change(record.id, index, "resolve", {conflict.field: new_value})
    return True


def _apply_deletion(batch, record, conflict, choice):
    """delete_edit: 'client' deletes after all; edit_after_delete: 'client' restores with the device's values."""
    if choice != "client":
        return
    index = batch.next_index()
    if conflict.kind == "delete_edit":
        for row in [record] + [m for m in batch.members(record.root_id) if _descends(batch, m, record.id)]:
            row.deleted = True
            batch.touch(row, index if row is record else batch.next_index())
            batch.log_change(row.id, row.change_no, "delete", {})
    else:
        record.deleted = False
        record.data = {**record.data, **(conflict.client_value["value"] or {})}
        batch.touch(record, index)
        batch.log_change(record.id, index, "restore", conflict.client_value["value"] or {})


def _descends(batch, record, ancestor_id):
    seen = record
    while seen is not None and seen.parent_id:
        if seen.parent_id == ancestor_id:
            return True
        seen = batch.records.get(seen.parent_id)
    return False


def _pend_amendment(batch, root, record, conflict, chosen, forms):
    """A record locked by an issued document does not change under it: the settled value waits on the root as a
    pending correction (待更正), applied when the 更正 document that supersedes the original is issued."""
    if record.form_id:
        definition = forms.get(record.form_id, record.form_version)
        parent = batch.records.get(record.parent_id)
        errors = validate(definition, record.entity, {**record.data, conflict.field: chosen}, mode="draft",
                          context={"references": batch.reference_keys()}, parent=parent.data if parent else None)
        if errors:
            raise Invalid("所选值不符合表单要求", details=[{"field": e["field"], "code": e["code"],
                                                      "message": e["message_zh"], "message_en": e["message_en"]}
                                                     for e in errors])
    pending = [p for p in (root.computed or {}).get("pending_amendment") or []
               if not (p["record_id"] == record.id and p["field"] == conflict.field)]
    pending.append({"conflict_id": conflict.id, "record_id": record.id, "entity": record.entity,
                    "field": conflict.field, "value": chosen, "shown": record.data.get(conflict.field)})
    root.computed = {**(root.computed or {}), "pending_amendment": pending}
    index = batch.next_index()
    batch.touch(root, index)
    # On the record whose field the 更正 will change, as its history reads it: the field and the value settled.
    batch.log_change(record.id, index, "amend_pending", {conflict.field: chosen})
    return True


def _refresh_conflict_flags(batch, root, record, resolved_id):
    """`conflict_open` says whether a conflict is still open: on the record itself and, for the root, anywhere in
    its tree (what the review queue and the issue screen show)."""
    session = batch.session
    ids = [root.id] + [m.id for m in batch.members(root.id)]
    open_on = set(session.scalars(sa.select(Conflict.record_id).where(
        Conflict.record_id.in_(ids), Conflict.status == "open", Conflict.id != resolved_id)))
    for row in {record.id: record, root.id: root}.values():
        flag = row.id in open_on if row is not root else bool(open_on)
        if row.conflict_open != flag:
            row.conflict_open = flag
        batch.touch(row, row.change_no if isinstance(row.change_no, Pending) else batch.next_index())


def resolve_conflict(session, actor, conflict_id, *, clock, choice, value=None, forms):
    """Decide a conflict: keep the server value, take the device's, or enter another value."""
    require(actor, "conflict.resolve")
    if choice not in CHOICES:
        raise Invalid("选择无效", details=[{"field": "choice", "code": "choice", "message": "应为 server/client/value",
                                          "message_en": "One of server, client, value"}])
    begin_write(session)
    conflict = session.scalar(for_update(sa.select(Conflict).where(Conflict.id == conflict_id), session))
    kinds = own_entities(actor)
    if (conflict is None or not actor.covers_region(conflict.region_id)
            or (kinds is not None and conflict.entity not in kinds | {"enterprise"})):
        raise NotFound("冲突不存在")
    if conflict.status != "open":
        raise ConflictError("该冲突已处理", code="ALREADY_RESOLVED")
    device = session.get(Device, actor.device_id)
    batch = Batch(session=session, actor=actor, device=device, forms=forms, entities=None, clock=clock)
    with session.no_autoflush:
        batch.load([conflict.record_id])
        record = batch.records.get(conflict.record_id)
        if record is None:
            raise NotFound("冲突所属的记录不存在")
        batch.load_root_members([record.root_id])
        root = batch.records.get(record.root_id) or record
        amendment = False
        if conflict.kind == "field":
            chosen = _chosen_value(conflict, choice, value)
            if root.locked_reason == "document" and record.data.get(conflict.field) != chosen:
                amendment = _pend_amendment(batch, root, record, conflict, chosen, forms)
            else:
                _apply_field(batch, record, conflict, chosen, forms)
        else:
            if root.locked_reason == "document" and choice == "client":
                raise ConflictError("记录已出具文书：删除或恢复不能在出具后进行，请保留文书所示内容",
                                    code="RECORD_LOCKED", details=[problem(
                                        "choice", "locked", "已出具文书的记录只能保留文书所示内容",
                                        "The record is locked by an issued document: keep what it shows")])
            _apply_deletion(batch, record, conflict, choice)
        conflict.status, conflict.resolved_by, conflict.resolved_at = "resolved", actor.user_id, batch.now
        conflict.resolution = {"choice": choice, "value": _chosen_value(conflict, choice, value)
                               if conflict.kind == "field" else None, "amendment": amendment}
        batch.touch(conflict, batch.next_index())
        _refresh_conflict_flags(batch, root, record, resolved_id=conflict.id)
        allocate_and_resolve(batch)
        batch.write(session)
    return conflict

