"""Records the office writes on the server rather than a tablet: an imported register's files, a campaign's
enrolments and confirmations. They go through the same batch as a push (change numbers, the history in
record_changes, the tablets get them at their next pull), written by the office user, marked by the operation."""
from ..models import Device, new_uuid
from .batch import Batch, NewRecord, allocate_and_resolve


def office_batch(session, actor, forms, clock):
    """A batch of the office user's writes (no device, or the user's own)."""
    return Batch(session=session, actor=actor, device=session.get(Device, actor.device_id) if actor.device_id else None,
                 forms=forms, entities=None, clock=clock)


def create_record(batch, *, entity, form_id, version, data, parent=None, op="import"):
    """A new record (a root file, or a child of `parent` in its root, region and agency); returns its id."""
    index = batch.next_index()
    actor = batch.actor
    record = NewRecord(id=new_uuid(), entity=entity, form_id=form_id, form_version=version,
                       parent_id=parent.id if parent is not None else None,
                       root_id=parent.root_id if parent is not None else None,
                       region_id=parent.region_id if parent is not None else actor.region_id,
                       agency_id=parent.agency_id if parent is not None else actor.agency_id,
                       enterprise_id=parent.enterprise_id if parent is not None else None,
                       data=dict(data), computed={}, field_versions={k: index for k in data},
                       field_writers={}, deleted=False, conflict_open=False, review_status=None,
                       created_by=actor.user_id, created_device=actor.device_id, created_at=batch.now,
                       updated_by=actor.user_id, updated_device=actor.device_id, updated_at=batch.now,
                       created_change_no=index)
    record.root_id = record.root_id or record.id
    batch.records[record.id] = record
    batch.new_records.append(record)
    batch.touch(record, index)
    batch.log_change(record.id, index, op, dict(data))
    return record.id


def update_record(batch, record, changed, op="import"):
    """Set fields of a stored record (the others are kept)."""
    index = batch.next_index()
    record.data = {**record.data, **changed}
    record.field_versions = {**(record.field_versions or {}), **{k: index for k in changed}}
    record.field_writers = {**(record.field_writers or {}), **{k: op for k in changed}}
    record.updated_by, record.updated_at = batch.actor.user_id, batch.now
    batch.records[record.id] = record
    batch.touch(record, index)
    batch.log_change(record.id, index, op, changed)


def finish(batch):
    """Allocate the change numbers and write the batch."""
    allocate_and_resolve(batch)
    batch.write(batch.session)
