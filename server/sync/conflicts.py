"""Supervisors list conflicts and resolve them; a resolution is a normal change that syncs out."""
import sqlalchemy as sa

from ..domain.errors import Conflict as ConflictError
from ..domain.errors import Invalid, NotFound
from ..domain.permissions import require
from ..form_registry import validate
from ..models import Conflict, Device
from ..models.transactions import begin_write, for_update
from .batch import Batch, allocate_and_resolve
from .merge import Pending

CHOICES = ("server", "client", "value")


def list_conflicts(session, actor, *, status="open", record_id=None):
    """Conflicts in the actor's jurisdiction (newest first), with both values."""
    require(actor, "conflict.resolve")
    query = sa.select(Conflict).where(Conflict.region_id.in_(actor.region_ids))
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


def resolve_conflict(session, actor, conflict_id, *, clock, choice, value=None, forms):
    """Decide a conflict: keep the server value, take the device's, or enter another value."""
    require(actor, "conflict.resolve")
    if choice not in CHOICES:
        raise Invalid("选择无效", details=[{"field": "choice", "code": "choice", "message": "应为 server/client/value",
                                          "message_en": "One of server, client, value"}])
    begin_write(session)
    conflict = session.scalar(for_update(sa.select(Conflict).where(Conflict.id == conflict_id), session))
    if conflict is None or not actor.covers_region(conflict.region_id):
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
        if conflict.kind == "field":
            _apply_field(batch, record, conflict, _chosen_value(conflict, choice, value), forms)
        else:
            _apply_deletion(batch, record, conflict, choice)
        conflict.status, conflict.resolved_by, conflict.resolved_at = "resolved", actor.user_id, batch.now
        conflict.resolution = {"choice": choice, "value": _chosen_value(conflict, choice, value)
                               if conflict.kind == "field" else None}
        batch.touch(conflict, batch.next_index())
        others = session.scalar(sa.select(sa.func.count()).where(Conflict.record_id == record.id,
                                                                 Conflict.status == "open", Conflict.id != conflict.id))
        record.conflict_open = bool(others)
        batch.touch(record, record.change_no if isinstance(record.change_no, Pending) else batch.next_index())
        allocate_and_resolve(batch)
        batch.write(session)
    return conflict

