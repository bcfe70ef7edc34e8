"""The pneumoconiosis patients' register 尘肺病患者一人一档: who is due a follow-up, who is overdue, and the
follow-up rate 随访率 of a period against its target.

A patient's file is a record of the register (entity `patient`, form pneumoconiosis_patient); the follow-ups of a
patient are the follow-up records with the file's case number 病例编号 (the register's key, copied into the
follow-up when it starts from the file, which also links it by `patient_id`). Follow-ups count once handed in
(submitted or approved), like every figure.

The cycle (随访周期) is reference data: kpi_targets row `followup_rate`, `period_months` (12 unless set): a patient
followed up on a day is due again that many months later; a file never followed up is due from the day it was
opened. A patient who died or moved out is no longer followed (不再随访); one lost to follow-up (失访) stays due.
"""
import datetime as dt
from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa

from ..clock import months_before
from ..models import Record, User
from .classification import add_months
from .document_contexts import choice_labels
from .permissions import readable_entities
from .reference_store import table_data
from .reviews import COUNTED_STATES
from .values import day_or_none

REGISTER = "patient"
FOLLOWUP = "followup"
NOT_FOLLOWED = ("dead", "moved_out")  # 死亡, 迁出: the file is closed for follow-up
DUE_SOON_DAYS = 30
DEFAULT_PERIOD_MONTHS = 12
STATES = ("overdue", "due", "followed", "closed")  # 逾期未随访, 本期待随访, 已随访, 不再随访
STATE_NAMES = {"overdue": "逾期未随访", "due": "本期待随访", "followed": "已随访", "closed": "不再随访"}
FORM_ID = "pneumoconiosis_patient"


def followup_target(session):
    """(target %, cycle in months) from reference data."""
    row = next((r for r in table_data(session, "kpi_targets") if r["key"] == "followup_rate"), {})
    return row.get("target_pct"), row.get("period_months") or DEFAULT_PERIOD_MONTHS



def next_due(data, last_followup, period_months):
    """The day a patient is due a follow-up: a cycle after the last one, else the day the file was opened."""
    if last_followup is not None:
        return add_months(last_followup, period_months)
    return day_or_none(data.get("registered_on")) or day_or_none(data.get("diagnosis_date"))


def due_state(data, last_followup, today, period_months, soon_days=DUE_SOON_DAYS):
    """(state, due day) today: closed (died or moved out), overdue (due before today), due (within `soon_days`) or
    followed (the next one is later)."""
    if data.get("status") in NOT_FOLLOWED:
        return "closed", None
    due = next_due(data, last_followup, period_months)
    if due is None or due < today:
        return "overdue", due
    if due <= today + dt.timedelta(days=soon_days):
        return "due", due
    return "followed", due


@dataclass
class Followed:
    """What the register needs of a patient's follow-ups: the last before a day and how many after it."""

    last_before: dt.date | None = None
    in_period: int = 0


def _case_no():
    return Record.data["case_no"].as_string()


def followups_by_case(session, regions, date_from, date_to, since=None):
    """Handed-in follow-ups of these regions by case number: the last one before date_from (and after `since`, when
    given) and the number in [date_from, date_to] (one query, grouped in SQL)."""
    case_no = _case_no()  # one expression: PostgreSQL groups by the very expression selected
    query = (sa.select(case_no.label("case_no"),
                       sa.func.max(Record.business_date).filter(Record.business_date < date_from).label("last"),
                       sa.func.count().filter(Record.business_date.between(date_from, date_to)).label("n"))
             .where(Record.entity == FOLLOWUP, Record.parent_id.is_(None), Record.deleted.is_(False),
                    Record.region_id.in_(sorted(regions)), Record.review_status.in_(COUNTED_STATES),
                    Record.business_date <= date_to, *([Record.business_date > since] if since else []))
             .group_by(case_no))
    return {row.case_no: Followed(row.last, row.n) for row in session.execute(query) if row.case_no}


def patients(session, regions):
    """The register's files in these regions (plain rows)."""
    return session.execute(sa.select(Record.id, Record.region_id, Record.created_by, Record.data).where(
        Record.entity == REGISTER, Record.parent_id.is_(None), Record.deleted.is_(False),
        Record.region_id.in_(sorted(regions)))).all()


def register_lines(session, regions, today):
    """Every patient of the regions with the state of their follow-up today, most urgent first."""
    _target, period = followup_target(session)
    followed = followups_by_case(session, regions, today + dt.timedelta(days=1), today + dt.timedelta(days=1))
    names = dict(session.execute(sa.select(User.id, User.display_name)).all())
    lines = []
    for patient in patients(session, regions):
        data = patient.data or {}
        seen = followed.get(data.get("case_no"), Followed())
        current, due = due_state(data, seen.last_before, today, period)
        worker = patient.created_by  # the follow-up worker who keeps the file
        lines.append({"id": patient.id, "region_id": patient.region_id, "case_no": data.get("case_no"),
                      "patient_name": data.get("patient_name"), "stage": data.get("stage"),
                      "status": data.get("status"), "last_followup": seen.last_before.isoformat()
                      if seen.last_before else None, "due_on": due.isoformat() if due else None, "state": current,
                      "worker_id": worker, "worker": names.get(worker)})
    lines.sort(key=lambda line: (STATES.index(line["state"]), line["due_on"] or "", line["case_no"] or ""))
    return lines


def followup_rate(session, regions, date_from, date_to):
    """随访率 of a period: of the patients due a follow-up in it (not closed before it, file opened by its end, due
    by its end), how many were followed up in it; with the target from reference data."""
    target, period = followup_target(session)
    files = patients(session, regions)
    # Only the follow-ups of the last cycle before the period's end can make a patient not due in it (the one before
    # them was followed by a later one, or is over a cycle old): the rows read follow the period, not the history.
    followed = followups_by_case(session, regions, date_from, date_to, since=months_before(date_to, period + 1)) \
        if files else {}
    due = done = 0
    for patient in files:
        data = patient.data or {}
        opened = day_or_none(data.get("registered_on"))
        if opened is not None and opened > date_to:
            continue
        seen = followed.get(data.get("case_no"), Followed())
        closed_on = day_or_none(data.get("status_date"))
        if data.get("status") in NOT_FOLLOWED and not seen.in_period and (closed_on is None or closed_on < date_from):
            continue  # closed before the period and not followed in it
        day = next_due(data, seen.last_before, period)
        if day is not None and day > date_to:
            continue  # followed recently enough: not due in this period
        due += 1
        done += seen.in_period > 0
    return {"due": due, "followed": done, "rate_pct": round(done / due * 100, 1) if due else None,
            "target_pct": target, "meets_target": None if not due or target is None else done / due * 100 >= target,
            "period_months": period}


def state_counts(lines):
    """How many patients are in each state."""
    counts = Counter(line["state"] for line in lines)
    return {state: counts.get(state, 0) for state in STATES}


def register_page(session, actor, today, forms, *, state=None, worker_id=None, query=None, page=1, per_page=50):
    """One page of the actor's register as people read it (stage, status and state in Chinese beside their keys),
    the counts by state over the whole register and the cycle. The register is the CDC's: an agency whose roles do
    not read patients' files gets an empty one."""
    kinds = readable_entities(actor)
    regions = actor.region_ids if kinds is None or REGISTER in kinds else set()
    every = register_lines(session, regions, today)
    lines = [line for line in every if (not state or line["state"] == state)
             and (not worker_id or line["worker_id"] == worker_id)
             and (not query or query in (line["patient_name"] or "") or query in (line["case_no"] or ""))]
    labels = choice_labels(forms.get(FORM_ID, forms.versions(FORM_ID)[-1]), REGISTER) if forms else {}
    start = (page - 1) * per_page
    items = [{**line, "stage_zh": labels.get("stage", {}).get(line["stage"]),
              "status_zh": labels.get("status", {}).get(line["status"]), "state_zh": STATE_NAMES[line["state"]]}
             for line in lines[start:start + per_page]]
    return {"items": items, "total": len(lines), "page": page, "per_page": per_page,
            "summary": state_counts(every), "period_months": followup_target(session)[1]}
