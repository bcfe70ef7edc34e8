"""The monitoring chain after the site, as commands: hand samples over, receive them, enter laboratory results,
record the entry into the national system; and the visit as the laboratory and the office read it.

Every command that changes what the evaluation reads recomputes the visit's stored evaluation in the same
transaction and gives the visit a new change number, so tablets receive the result through pull.
"""
import datetime as dt
import uuid
from collections import defaultdict

import sqlalchemy as sa

from ..domain import audit
from ..domain import monitoring as rules
from ..domain.errors import Conflict, Forbidden, Invalid, NotFound, problem
from ..domain.permissions import readable_entities, require
from ..form_registry import entity_spec, field_map
from ..clock import CHINA
from ..models import Agency, Device, Document, DocumentVoid, Enterprise, LabResult, NationalEntry, Record, SampleHandover, User
from ..models.transactions import begin_write, for_update
from .batch import Batch, allocate_and_resolve
from .derive import _set_computed, lab_results_of, visit_evaluation

VISIT = "sampling_visit"


# ---------------------------------------------------------------------------------------------------------------
# Finding the visit


def _visit(session, actor, visit_id, *, lock=False):
    query = sa.select(Record).where(Record.id == visit_id)
    visit = session.scalar(for_update(query, session) if lock else query)
    kinds = readable_entities(actor)
    if (visit is None or visit.deleted or visit.entity != VISIT or not actor.covers_region(visit.region_id)
            or (kinds is not None and VISIT not in kinds)):
        raise NotFound("采样任务不存在")
    return visit


def _own_agency(actor, visit):
    """Commands on a visit belong to the agency that sampled it (its sampler, its laboratory, its reviewer)."""
    if not actor.has_role("admin") and actor.agency_id != visit.agency_id:
        raise Forbidden("此采样任务属于其他机构，只能查看", details=[problem(
            None, "other_agency", "只有本机构的人员可以办理", "Only the visit's own agency acts on it")])


def _samples(session, visit_id):
    rows = session.execute(sa.select(Record.id, Record.data).where(
        Record.root_id == visit_id, Record.entity == "sample", Record.deleted.is_(False))).all()
    return [dict(row.data, id=row.id) for row in rows]


def _reports():
    """The 检测报告 in force (not voided, not superseded by an amendment)."""
    voided = sa.select(DocumentVoid.document_id)
    amended = sa.select(Document.amends_id).where(Document.amends_id.is_not(None))
    return sa.select(Document).where(Document.doc_type == rules.REPORT_TYPE, Document.id.not_in(voided),
                                     Document.id.not_in(amended))


def _report(session, visit_id):
    """The 检测报告 in force for the visit, or None."""
    return session.scalar(_reports().where(Document.record_id == visit_id).order_by(Document.issued_at.desc()).limit(1))


def _refresh_evaluation(session, actor, visit, clock, reference_loader, op, fields):
    """Recompute the visit's stored evaluation with the laboratory's results and log what changed."""
    batch = Batch(session=session, actor=actor, device=session.get(Device, actor.device_id) if actor.device_id else None,
                  forms=None, entities=None, clock=clock)
    batch.records[visit.id] = visit
    with session.no_autoflush:
        index = batch.next_index()
        batch.touch(visit, index)
        _set_computed(batch, visit, {**(visit.computed or {}), "evaluation": visit_evaluation(batch, visit, reference_loader())})
        batch.log_change(visit.id, index, op, fields)
        allocate_and_resolve(batch)
        batch.write(session)


# ---------------------------------------------------------------------------------------------------------------
# Commands


def hand_over(session, actor, visit_id, conditions, signature, *, clock):
    """The sampler hands the visit's samples to the laboratory (送检)."""
    require(actor, "sample.handover")
    begin_write(session)
    visit = _visit(session, actor, visit_id, lock=True)
    _own_agency(actor, visit)
    open_handover = session.scalar(sa.select(SampleHandover.id).where(
        SampleHandover.visit_id == visit.id, SampleHandover.received_at.is_(None)))
    if open_handover:
        raise Conflict("这些样品已送检，等待实验室接收", code="ALREADY_HANDED_OVER",
                       details=[problem(None, "handed_over", "已有一份交接单待实验室接收", "A handover awaits receipt")])
    received = {code for h in session.scalars(sa.select(SampleHandover).where(SampleHandover.visit_id == visit.id))
                for code in (h.receipt or {}).get("received", [])}
    # A later handover carries what the laboratory has not received yet (e.g. a sample found missing, now found).
    items = rules.handover_items([s for s in _samples(session, visit.id) if s.get("sample_code") not in received],
                                 conditions or {})
    handover = SampleHandover(id=str(uuid.uuid4()), visit_id=visit.id, region_id=visit.region_id,
                              agency_id=visit.agency_id, items=items, handed_by=actor.user_id, handed_at=clock.now(),
                              handed_signature=signature, receipt={})
    session.add(handover)
    audit.record(session, actor, "sample.handover", visit.id, samples=len(items))
    session.commit()
    return handover


def receive(session, actor, handover_id, codes, damaged, signature, *, clock):
    """The laboratory receives a handover by the codes it scanned or typed; differences are recorded, not refused."""
    require(actor, "sample.receive")
    begin_write(session)
    handover = session.scalar(for_update(sa.select(SampleHandover).where(SampleHandover.id == handover_id), session))
    if handover is None or not actor.covers_region(handover.region_id):
        raise NotFound("交接单不存在")
    visit = _visit(session, actor, handover.visit_id)
    _own_agency(actor, visit)
    if handover.received_at is not None:
        raise Conflict("该交接单已接收", code="ALREADY_RECEIVED",
                       details=[problem(None, "received", "该交接单已接收", "Already received")])
    if not codes:
        raise Invalid("请扫描或输入样品编号", details=[problem("codes", "required", "至少扫描或输入一个样品编号",
                                                       "Scan or type at least one code")])
    handover.receipt = rules.receipt_of(handover.items, codes, damaged or ())
    handover.received_by, handover.received_at, handover.received_signature = actor.user_id, clock.now(), signature
    audit.record(session, actor, "sample.receive", visit.id, **{k: len(v) for k, v in handover.receipt.items()})
    session.commit()
    return handover


def enter_result(session, actor, sample_id, values, *, clock, reference_loader):
    """The laboratory enters (or corrects) one sample's result; the visit's evaluation follows."""
    require(actor, "lab.result")
    begin_write(session)
    sample = session.scalar(sa.select(Record).where(Record.id == sample_id, Record.entity == "sample",
                                                    Record.deleted.is_(False)))
    if sample is None or not actor.covers_region(sample.region_id):
        raise NotFound("样品不存在")
    visit = _visit(session, actor, sample.root_id, lock=True)
    _own_agency(actor, visit)
    if not rules.needs_laboratory(sample.data):
        raise Invalid("直读样品的结果在现场记录，无需实验室录入", details=[problem(
            None, "direct_reading", "直读样品无需实验室结果", "Direct readings need no laboratory result")])
    received = {code for h in session.scalars(sa.select(SampleHandover).where(
        SampleHandover.visit_id == visit.id, SampleHandover.received_at.is_not(None)))
        for code in (h.receipt or {}).get("received", [])}
    if sample.data.get("sample_code") not in received:
        raise Conflict("该样品尚未由实验室接收，不能录入结果", code="NOT_RECEIVED", details=[problem(
            None, "not_received", f"样品 {sample.data.get('sample_code')} 尚未接收", "Sample not received yet")])
    sampling_date = rules_date(visit.data.get("sampling_date"))
    check = rules.check_lab_values(values, sample=sample.data, sampling_date=sampling_date, today=clock.today())
    result = session.get(LabResult, sample.id, with_for_update=True)
    now = clock.now()
    if result is not None and result.locked_by:
        # The issued 检测报告 printed this result: the correction waits for a 更正 of the report, which applies it.
        if check.values != result.values:
            result.pending = {"values": check.values, "by": actor.user_id, "at": now.isoformat()}
            audit.record(session, actor, "lab.correction", sample.id, report=result.locked_by)
        session.commit()
        return result
    if result is None:
        result = LabResult(sample_id=sample.id, visit_id=visit.id, region_id=visit.region_id, values=check.values,
                           version=1, history=[], analysis_date=check.analysis_date, entered_by=actor.user_id,
                           entered_at=now, updated_by=actor.user_id, updated_at=now)
        session.add(result)
    elif result.values != check.values:
        result.history = [*result.history, {"version": result.version, "values": result.values,
                                            "by": result.updated_by, "at": result.updated_at.isoformat()}]
        result.values, result.version, result.analysis_date = check.values, result.version + 1, check.analysis_date
        result.updated_by, result.updated_at = actor.user_id, now
    session.flush()
    audit.record(session, actor, "lab.result", sample.id, version=result.version)
    _refresh_evaluation(session, actor, visit, clock, reference_loader, "lab_result",
                        {"sample_id": sample.id, "version": result.version})
    session.commit()
    return result


def apply_pending_results(session, visit_id, by, at):
    """A 更正 of the 检测报告 is being issued: the corrections waiting since the report take effect (each a new
    version, the old one kept in the history). Returns how many results changed."""
    changed = 0
    for result in session.scalars(sa.select(LabResult).where(LabResult.visit_id == visit_id,
                                                             LabResult.pending.is_not(None))):
        pending = result.pending
        result.history = [*result.history, {"version": result.version, "values": result.values,
                                            "by": result.updated_by, "at": result.updated_at.isoformat()}]
        result.values, result.version = pending["values"], result.version + 1
        result.analysis_date = rules_date(pending["values"].get("analysis_date"))
        result.updated_by, result.updated_at, result.pending = pending["by"], at, None
        changed += 1
    session.flush()
    return changed


def rules_date(text):
    """A stored ISO date, or None."""
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def record_national_entry(session, actor, visit_id, entered_on, *, clock):
    """The visit's results were entered into the national monitoring system on `entered_on` (a China date)."""
    require(actor, "national.entry")
    begin_write(session)
    visit = _visit(session, actor, visit_id, lock=True)
    _own_agency(actor, visit)
    if _report(session, visit.id) is None:
        raise Conflict("检测报告出具后才能登记录入国家系统", code="REPORT_NOT_ISSUED", details=[problem(
            None, "report_missing", "尚未出具检测报告", "The monitoring report is not issued yet")])
    if entered_on > clock.today():
        raise Invalid("录入日期不能晚于今天", details=[problem("entered_on", "future", f"录入日期 {entered_on} 晚于今天",
                                                       "Entry date in the future")])
    sampled = rules_date(visit.data.get("sampling_date"))
    if sampled and entered_on < sampled:
        raise Invalid("录入日期不能早于采样日期", details=[problem("entered_on", "before_sampling",
                                                         f"录入日期 {entered_on} 早于采样日期 {sampled}", "Before sampling")])
    entry = session.get(NationalEntry, visit.id)
    if entry is not None:
        raise Conflict("已登记录入国家系统", code="ALREADY_ENTERED", details=[problem(
            None, "entered", f"已于 {entry.entered_on} 登记", "Already entered")])
    entry = NationalEntry(visit_id=visit.id, region_id=visit.region_id, entered_on=entered_on,
                          entered_by=actor.user_id, recorded_at=clock.now())
    session.add(entry)
    audit.record(session, actor, "national.entry", visit.id, entered_on=entered_on.isoformat())
    session.commit()
    return entry


# ---------------------------------------------------------------------------------------------------------------
# Reading


class Names:
    """Display names of users, enterprises, hazards and the form's choices, looked up once per request."""

    def __init__(self, session, forms, hazards):
        self.session, self._users, self._enterprises = session, {}, {}
        self.hazards = hazards
        definition = forms.get("sampling_record", forms.versions("sampling_record")[-1])
        fields = field_map(entity_spec(definition, "sample"))
        self.choices = {name: {c["value"]: c["label_zh"] for c in (spec.get("choices") or [])}
                        for name, spec in fields.items()}

    def user(self, user_id):
        if user_id is None:
            return None
        if user_id not in self._users:
            user = self.session.get(User, user_id)
            self._users[user_id] = user.display_name if user else ""
        return self._users[user_id]

    def agency(self, agency_id):
        agency = self.session.get(Agency, agency_id)
        return agency.name if agency else ""

    def enterprise(self, enterprise_id):
        if enterprise_id not in self._enterprises:
            enterprise = self.session.get(Enterprise, enterprise_id) if enterprise_id else None
            self._enterprises[enterprise_id] = enterprise.name if enterprise else ""
        return self._enterprises[enterprise_id]

    def choice(self, field, value):
        return self.choices.get(field, {}).get(value, "") if value else ""


def _facts(session, visit):
    return _facts_of(session, [visit])[visit.id]


def _facts_of(session, visits):
    """Each visit's facts and lifecycle state, read for all of them at once (a page of a list costs a few
    statements, not a few per visit): {visit id: (samples, handovers, results, report, entry, evaluation, state)}."""
    ids = [visit.id for visit in visits]
    if not ids:
        return {}
    samples, handovers, results = defaultdict(list), defaultdict(list), defaultdict(dict)
    for row in session.execute(sa.select(Record.id, Record.root_id, Record.data).where(
            Record.root_id.in_(ids), Record.entity == "sample", Record.deleted.is_(False))):
        samples[row.root_id].append(dict(row.data, id=row.id))
    for handover in session.scalars(sa.select(SampleHandover).where(SampleHandover.visit_id.in_(ids))
                                    .order_by(SampleHandover.handed_at)):
        handovers[handover.visit_id].append(handover)
    for result in session.scalars(sa.select(LabResult).where(LabResult.visit_id.in_(ids))):
        results[result.visit_id][result.sample_id] = result
    reports = {}
    for document in session.scalars(_reports().where(Document.record_id.in_(ids))
                                    .order_by(Document.issued_at.desc())):
        reports.setdefault(document.record_id, document)
    entries = {entry.visit_id: entry for entry in session.scalars(
        sa.select(NationalEntry).where(NationalEntry.visit_id.in_(ids)))}
    facts = {}
    for visit in visits:
        evaluation = (visit.computed or {}).get("evaluation")
        key = rules.lifecycle(review_status=visit.review_status, samples=samples[visit.id],
                              handovers=handovers[visit.id], results=results[visit.id],
                              report_issued=visit.id in reports, entered=visit.id in entries, evaluation=evaluation)
        facts[visit.id] = (samples[visit.id], handovers[visit.id], results[visit.id], reports.get(visit.id),
                           entries.get(visit.id), evaluation, rules.state_of(key, visit.review_status))
    return facts


def with_states(session, lines):
    """Record lines (dicts with id and entity) with the lifecycle state of those that are sampling visits."""
    ids = [line["id"] for line in lines if line.get("entity") == VISIT]
    visits = list(session.scalars(sa.select(Record).where(Record.id.in_(ids)))) if ids else []
    facts = _facts_of(session, visits)
    for line in lines:
        if line["id"] in facts:
            line["monitoring_state"] = facts[line["id"]][-1]
    return lines


def summary_of(session, visit, names, facts=None):
    samples, _handovers, results, _report_doc, _entry, _evaluation_, state = facts or _facts(session, visit)
    lab = [s for s in samples if rules.needs_laboratory(s)]
    return {"visit_id": visit.id, "task_no": visit.data.get("task_no"), "enterprise_name": names.enterprise(
        visit.enterprise_id), "sampling_date": visit.data.get("sampling_date"), "state": state,
        "review_status": visit.review_status, "samples_for_lab": len(lab),
        "results_entered": sum(s["id"] in results for s in lab)}


def list_visits(session, actor, names, *, state=None, page=1, per_page=20):
    """The agency's visits with their lifecycle state, newest received first; filtered by state when asked.

    The cost follows the page or the open work, not the history: unfiltered (or 已录入国家系统, the last state) the
    page is read in SQL; any other state is open work — a visit not yet entered into the national system — and only
    those visits are judged."""
    require(actor, "monitoring.read")
    kinds = readable_entities(actor)
    if kinds is not None and VISIT not in kinds:
        return {"items": [], "total": 0, "page": page, "per_page": per_page}
    query = sa.select(Record).where(Record.entity == VISIT, Record.deleted.is_(False),
                                    Record.region_id.in_(actor.region_ids)).order_by(Record.created_at.desc(), Record.id)
    entered = sa.select(NationalEntry.visit_id)
    start = (page - 1) * per_page
    if state in (None, "entered"):
        if state:
            query = query.where(Record.id.in_(entered))
        total = session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
        visits = session.scalars(query.offset(start).limit(per_page)).all()
        facts = _facts_of(session, visits)
        items = [summary_of(session, visit, names, facts[visit.id]) for visit in visits]
        return {"items": items, "total": total, "page": page, "per_page": per_page}
    query = query.where(Record.id.not_in(entered))
    if state in ("handed_over", "laboratory"):
        # The laboratory's work list: visits with a handover (few).
        query = query.where(Record.id.in_(sa.select(SampleHandover.visit_id)))
    visits = session.scalars(query).all()
    items = []
    for chunk in range(0, len(visits), 500):
        part = visits[chunk:chunk + 500]
        facts = _facts_of(session, part)
        items += [summary_of(session, visit, names, facts[visit.id]) for visit in part
                  if facts[visit.id][-1]["key"] == state]
    return {"items": items[start:start + per_page], "total": len(items), "page": page, "per_page": per_page}


def handover_view(handover, names):
    return {"id": handover.id, "handed_at": handover.handed_at.isoformat(), "handed_by_name": names.user(handover.handed_by),
            "items": [dict(item, condition_zh=rules.CONDITIONS.get(item["condition"], "")) for item in handover.items],
            "received_at": handover.received_at.isoformat() if handover.received_at else None,
            "received_by_name": names.user(handover.received_by), "receipt": handover.receipt or {}}


def visit_view(session, actor, visit_id, names):
    """The visit as the laboratory and the office read it: state, samples with results, handovers, QC, evaluation."""
    require(actor, "monitoring.read")
    visit = _visit(session, actor, visit_id)
    samples, handovers, results, report, entry, evaluation, state = _facts(session, visit)
    handed = {i["sample_code"]: i for h in handovers for i in h.items}
    received = {c for h in handovers for c in (h.receipt or {}).get("received", [])}
    rows = []
    for sample in sorted(samples, key=lambda s: s.get("sample_code") or ""):
        code, result = sample.get("sample_code"), results.get(sample["id"])
        rows.append({"sample_id": sample["id"], "sample_code": code, "sample_type": sample.get("sample_type"),
                     "collector": sample.get("collector"),
                     "sample_type_zh": names.choice("sample_type", sample.get("sample_type")),
                     "hazard_zh": names.hazards.get(sample.get("hazard_key"), ""),
                     "collector_zh": names.choice("collector", sample.get("collector")),
                     "needs_lab": rules.needs_laboratory(sample), "handed": code in handed, "received": code in received,
                     "condition_zh": rules.CONDITIONS.get(handed[code]["condition"], "") if code in handed else "",
                     "result": result.values if result else None, "result_version": result.version if result else None,
                     "locked": bool(result and result.locked_by),
                     "correction": result.pending["values"] if result and result.pending else None})
    values = {k: r.values for k, r in results.items()}
    return {"visit_id": visit.id, "task_no": visit.data.get("task_no"),
            "enterprise_name": names.enterprise(visit.enterprise_id), "sampling_date": visit.data.get("sampling_date"),
            "state": state, "review_status": visit.review_status, "samples": rows,
            "handovers": [handover_view(h, names) for h in handovers],
            "qc": rules.quality_control(samples, values, evaluation), "evaluation": evaluation,
            "report": {"id": report.id, "number": report.number} if report else None,
            "national_entry": {"entered_on": entry.entered_on.isoformat(), "entered_by_name": names.user(entry.entered_by)}
            if entry else None}


def handover_sheet(session, actor, handover_id, names):
    """What the 样品交接单 prints: the visit, every sample handed over with its condition and what the laboratory
    found, both people with their signatures (blob references) and times."""
    handover = session.get(SampleHandover, handover_id)
    if handover is None or not actor.covers_region(handover.region_id):
        raise NotFound("交接单不存在")
    visit = _visit(session, actor, handover.visit_id)
    samples = {s["id"]: s for s in _samples(session, visit.id)}
    receipt = handover.receipt or {}
    rows = []
    for item in handover.items:
        sample = samples.get(item["sample_id"], {})
        code = item["sample_code"]
        found = ("缺少" if code in receipt.get("missing", []) else "已接收" if code in receipt.get("received", [])
                 else "") if handover.received_at else "待接收"
        rows.append({"sample_code": code, "hazard_zh": names.hazards.get(sample.get("hazard_key"), ""),
                     "sample_type_zh": names.choice("sample_type", sample.get("sample_type")),
                     "collector_zh": names.choice("collector", sample.get("collector")),
                     "condition_zh": rules.CONDITIONS.get(item["condition"], ""),
                     "received_zh": found + ("（破损）" if code in receipt.get("damaged", []) else "")})
    return {"agency_name": names.agency(visit.agency_id), "task_no": visit.data.get("task_no") or "",
            "enterprise_name": names.enterprise(visit.enterprise_id), "sampling_date": visit.data.get("sampling_date"),
            "rows": rows, "count": len(rows), "extra": receipt.get("extra", []),
            "handed_by": names.user(handover.handed_by), "handed_at": handover.handed_at.astimezone(CHINA).isoformat(),
            "received_by": names.user(handover.received_by),
            "received_at": handover.received_at.astimezone(CHINA).isoformat() if handover.received_at else None,
            "signatures": {"handed": f"sha256:{handover.handed_signature}" if handover.handed_signature else None,
                           "received": f"sha256:{handover.received_signature}" if handover.received_signature
                           else None}}

