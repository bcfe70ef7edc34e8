"""Values the server derives after a push: form computed fields and a sampling visit's evaluation.

Only what the batch touched is recomputed: a changed record, the children of a record whose data changed
(a visit's temperature feeds its samples' standard volumes), and the evaluation of a visit any of whose
records changed. The visit row is locked by the push, so reading its members' data needs no further locks.
A derived change is a change like any other and reaches devices through pull.
"""
import datetime as dt

import sqlalchemy as sa

from ..domain.errors import Invalid
from ..domain.evaluations import evaluate_visit
from ..domain.monitoring import apply_results
from ..domain.rectifications import apply_reinspection_result, mark_reinspecting
from ..form_registry import compute
from ..models import Blob, LabResult, Record
from .batch import is_record
from .merge import Pending

SAMPLING_ROOT = "sampling_visit"


def _retouch(batch, record):
    # A row already changed in this batch keeps its pending number; others take a new one.
    batch.touch(record, record.change_no if isinstance(record.change_no, Pending) else batch.next_index())


def _set_computed(batch, record, computed):
    if computed != (record.computed or {}):
        record.computed = computed
        _retouch(batch, record)


def _published(batch, hashes):
    hashes = sorted(h for h in hashes if h)
    if not hashes:
        return set()
    return set(batch.session.scalars(sa.select(Blob.sha256).where(Blob.sha256.in_(hashes))))


def _recompute_fields(batch, record, parent):
    definition = batch.forms.get(record.form_id, record.form_version)
    fields = compute(definition, record.entity, record.data, parent=parent.data if parent else None)
    _set_computed(batch, record, {**(record.computed or {}), "fields": fields})


def _parents(batch, records):
    wanted = {r.parent_id for r in records if r.parent_id}
    batch.load(wanted)
    return {pid: batch.records.get(pid) for pid in wanted}


def _children_of_changed_parents(batch, changed):
    """Children whose computed values read a parent field that this batch changed."""
    updated = {c["record_id"] for c in batch.changes if c["op"] in ("update", "resolve")}
    parents = [r.id for r in changed if r.id in updated]
    if not parents:
        return []
    ids = batch.session.scalars(sa.select(Record.id).where(Record.parent_id.in_(parents),
                                                           Record.deleted.is_(False))).all()
    batch.load(ids)
    return [batch.records[i] for i in ids if i in batch.records]


def _visit_members(batch, root_id):
    """(entity, id, data) of a visit's live samples and noise measurements, batch changes included."""
    rows = batch.session.execute(sa.select(Record.id, Record.entity, Record.data).where(
        Record.root_id == root_id, Record.deleted.is_(False),
        Record.entity.in_(("sample", "noise_measurement")))).all()
    members = {row.id: (row.entity, row.data) for row in rows}
    for record in batch.records.values():
        if record.root_id == root_id and record.entity in ("sample", "noise_measurement"):
            if record.deleted:
                members.pop(record.id, None)
            else:
                members[record.id] = (record.entity, record.data)
    return members


def lab_results_of(session, visit_id):
    """The laboratory's results of a visit's samples: sample id → values as typed."""
    return dict(session.execute(sa.select(LabResult.sample_id, LabResult.values)
                                .where(LabResult.visit_id == visit_id)).all())


def visit_evaluation(batch, root, reference):
    """A sampling visit's evaluation from its members in this batch and the laboratory's results."""
    members = _visit_members(batch, root.id)
    samples = apply_results([dict(data, id=i) for i, (entity, data) in members.items() if entity == "sample"],
                            lab_results_of(batch.session, root.id))
    noise = [dict(data, id=i) for i, (entity, data) in members.items() if entity == "noise_measurement"]
    try:
        return evaluate_visit(root.data, samples, noise, reference)
    except Invalid as error:
        return {"status": "not_evaluated", "message_zh": error.message, "details": error.details}


def _results(records):
    """Re-inspection results that name the rectification item they judge."""
    return [r for r in records if is_record(r) and r.entity == "reinspection_item" and not r.deleted
            and r.data.get("result") and r.data.get("rectification_item_id")]


def _judge_items(batch, results, judged):
    """Apply `judged(item data, result)` to the rectification item of each result (in the actor's jurisdiction)."""
    batch.load([r.data["rectification_item_id"] for r in results])
    for result in results:
        item = batch.records.get(result.data["rectification_item_id"])
        if item is None or item.entity != "rectification_item" or not batch.actor.covers_region(item.region_id):
            continue
        data = judged(item.data, result)
        if data != item.data:
            item.data = data
            _retouch(batch, item)
            batch.log_change(item.id, item.change_no, "reinspection", {"status": data["status"]})


def _apply_reinspections(batch):
    """A re-inspection recording results puts the earlier notice's items under re-inspection (复查中); only the
    issued 复查意见书 settles them (settle_reinspection)."""
    _judge_items(batch, _results(batch.touched.values()), lambda data, result: mark_reinspecting(data, result.id))


def settle_reinspection(batch, root):
    """The 复查意见书 of `root` is issued: each of its results now closes (or keeps open) its item."""
    on = (dt.date.fromisoformat(root.data["reinspection_date"]) if root.data.get("reinspection_date")
          else batch.clock.today())
    _judge_items(batch, _results(batch.members(root.id)), lambda data, result: apply_reinspection_result(
        data, result.data["result"], on, result.data.get("evidence_note"), result.id))


def derive_roots(batch, reference_loader):
    """Recompute what the batch's changes affect; touch the rows whose derived values changed."""
    _apply_reinspections(batch)
    changed = [r for r in batch.touched.values() if is_record(r) and not r.deleted]
    changed += [c for c in _children_of_changed_parents(batch, changed) if c not in changed]
    parents = _parents(batch, changed)
    published = _published(batch, {r.data.get("sha256") for r in changed if r.entity == "attachment"})
    for record in changed:
        if record.entity == "attachment":
            # A record may reference a photo not uploaded yet; devices see when the server has the bytes.
            _set_computed(batch, record, {"uploaded": record.data.get("sha256") in published})
        elif record.form_id:
            _recompute_fields(batch, record, parents.get(record.parent_id))
    roots = {r.root_id for r in batch.touched.values() if is_record(r)}
    batch.load(roots)
    reference = None
    for root_id in sorted(roots):
        root = batch.records.get(root_id)
        if root is None or root.deleted or root.entity != SAMPLING_ROOT:
            continue
        reference = reference or reference_loader()
        _set_computed(batch, root, {**(root.computed or {}), "evaluation": visit_evaluation(batch, root, reference)})
