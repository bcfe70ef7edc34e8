"""Supervisors approve (which locks) or return records; the decision reaches the device through pull."""
import sqlalchemy as sa

from ..domain import audit, record_views
from ..domain.errors import Conflict, DomainError, NotFound, problem
from ..domain.permissions import check_reviewer, readable_entities, reviewing_agency_id
from ..domain.reviews import apply_review_action
from ..models import Agency, Device, Record
from ..models.transactions import begin_write, for_update
from .batch import Batch, allocate_and_resolve


def _check_evaluated(visit):
    """A monitoring task is reviewed on its evaluation: not while the laboratory's results are still awaited."""
    evaluation = (visit.computed or {}).get("evaluation") or {}
    pending = (evaluation.get("summary") or {}).get("pending")
    if evaluation.get("status") == "not_evaluated" or not evaluation.get("summary") or pending:
        waiting = f"{pending} 组结果待实验室检测" if pending else "尚未完成评价"
        raise Conflict(f"实验室结果未齐（{waiting}），不能审核通过", code="NOT_EVALUATED", details=[problem(
            "action", "not_evaluated", f"{waiting}，评价完成后再审核", "The evaluation is not complete")])


def review_record(session, actor, record_id, action, comment=None, *, clock):
    """approve or return a submitted root record (by its own agency's reviewer); approval locks it and its children."""
    begin_write(session)
    return _review(session, actor, record_id, action, comment, clock)


def approve_records(session, actor, record_ids, *, clock):
    """Approve several records in one go, each by the same rule as alone and audited on its own, each in a savepoint:
    a record that cannot be approved (not evaluated, another agency's, already decided) stays as it was, named with
    the reason, and the others are approved. Returns {"approved": [...], "refused": [...]}, each line named."""
    begin_write(session)
    approved, refused = [], {}
    for record_id in dict.fromkeys(record_ids):
        try:
            with session.begin_nested():
                approved.append(_review(session, actor, record_id, "approve", None, clock))
        except DomainError as error:
            refused[record_id] = {"id": record_id, "code": error.code, "message": error.message,
                                  "reason": (error.details or [{}])[0].get("message") or error.message}
    lines = _named(session, actor, approved + _readable(session, actor, list(refused)))
    return {"approved": [lines[r.id] for r in approved],
            "refused": [{**lines.get(rid, {"entity": None, "name": None}), **refusal}
                        for rid, refusal in refused.items()]}


def _readable(session, actor, record_ids):
    """The roots among `record_ids` the actor may read (a refusal names only what the actor could open)."""
    kinds = readable_entities(actor)
    rows = session.scalars(sa.select(Record).where(Record.id.in_(record_ids), Record.parent_id.is_(None),
                                                   Record.deleted.is_(False))).all()
    return [r for r in rows if actor.covers_region(r.region_id) and (kinds is None or r.entity in kinds)]


def _named(session, actor, records):
    names = record_views.queue_names(session, records)
    names["patients"] = record_views.patient_names(session, actor, records, via="bulk_approve")
    lines = {}
    for record in records:
        line = record_views.summarize(record, names)
        lines[record.id] = {"id": record.id, "entity": record.entity, "name": record_views.subject_of(line),
                            "review_status": record.review_status}
    return lines


def _review(session, actor, record_id, action, comment, clock):
    record = session.scalar(for_update(sa.select(Record).where(Record.id == record_id), session))
    kinds = readable_entities(actor)
    if (record is None or record.deleted or record.parent_id is not None or not actor.covers_region(record.region_id)
            or (kinds is not None and record.entity not in kinds)):
        raise NotFound("记录不存在")
    batch = Batch(session=session, actor=actor, device=session.get(Device, actor.device_id), forms=None, entities=None,
                  clock=clock)
    if action in ("approve", "return"):
        record_agency = session.get(Agency, record.agency_id)
        check_reviewer(actor, record, record_agency, session.get(Agency, reviewing_agency_id(record_agency)))
    if action == "approve" and record.entity == "sampling_visit":
        _check_evaluated(record)
    step = apply_review_action(record.review_status, action, actor, owner_id=record.created_by, comment=comment,
                               at=batch.now)
    with session.no_autoflush:
        index = batch.next_index()
        record.review_status = step.state
        record.review_comment = comment if action == "return" else None
        if step.state == "approved":
            record.locked_reason = "approved"
        batch.touch(record, index)
        batch.log_change(record.id, index, action, {"review_status": step.state, "comment": comment})
        audit.record(session, actor, f"record.{action}", record.id, entity=record.entity, comment=comment)
        allocate_and_resolve(batch)
        batch.write(session)
    return record
