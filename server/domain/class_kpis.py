"""The 分类监督执法 figures of the dashboard, each against its target (reference table kpi_targets):
- 分类等级评定有效率: enterprises of the registry whose class assessment is current (not past its reassessment date;
  a scheme without a period counts as current) ÷ the registry;
- 双随机 in the period: draws made, enterprises drawn (coverage of the registry), and drawn enterprises inspected in the
  period (completion) against its target.
"""
import datetime as dt
from collections import Counter

import sqlalchemy as sa

from ..clock import CHINA
from ..models import ClassAssessment, Draw, Enterprise, Record
from .class_assessments import ReassessmentPeriods, due_status, latest_dues
from .reviews import COUNTED_STATES

CURRENT = ("current", "due_soon", "no_period")


def _pct(part, whole):
    return round(part / whole * 100, 1) if whole else None


def _utc_bounds(date_from, date_to):
    """The period's China-time dates as UTC instants [start, end)."""
    start = dt.datetime.combine(date_from, dt.time(), CHINA).astimezone(dt.timezone.utc)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), CHINA).astimezone(dt.timezone.utc)
    return start, end


def classification_figures(session, regions, *, date_from, date_to, today, targets):
    """The register's figures for the districts `regions`, judged as of `today`, draws of the period."""
    regions = sorted(regions)
    dues, periods = latest_dues(session, regions), ReassessmentPeriods(session)
    states = Counter(due_status(due, True, today) for due in dues.values())
    # The registry's own classes (enterprises not assessed here yet), counted in SQL by scheme and date: a province's
    # registry is tens of thousands of enterprises but a few thousand dates.
    classed = sa.and_(Enterprise.hazard_class.is_not(None), Enterprise.hazard_class != "",
                      Enterprise.hazard_class_assessed_on.is_not(None))
    is_classed = sa.case((classed, True), else_=False)  # one expression: PostgreSQL groups by the one selected
    groups = session.execute(sa.select(Enterprise.hazard_class_scheme, Enterprise.hazard_class_assessed_on,
                                       is_classed.label("classed"), sa.func.count())
                             .where(Enterprise.region_id.in_(regions),
                                    Enterprise.id.not_in(sa.select(ClassAssessment.enterprise_id)))
                             .group_by(Enterprise.hazard_class_scheme, Enterprise.hazard_class_assessed_on,
                                       is_classed)).all()
    for scheme, assessed_on, has_class, n in groups:
        due = periods.next_due(scheme, assessed_on) if has_class else None
        states[due_status(due, bool(has_class), today)] += n
    registry = len(dues) + sum(n for *_rest, n in groups)
    current = sum(states[s] for s in CURRENT)
    current_target = (targets.get("class_assessment_current") or {}).get("target_pct", 100)
    current_pct = _pct(current, registry)

    start, end = _utc_bounds(date_from, date_to)
    draws = session.scalars(sa.select(Draw).where(Draw.region_id.in_(regions), Draw.created_at >= start,
                                                  Draw.created_at < end)).all()
    drawn = {a["enterprise_id"] for d in draws for a in d.result.get("assignments", [])}
    inspected = set(session.scalars(sa.select(Record.enterprise_id).where(
        Record.entity == "inspection", Record.parent_id.is_(None), Record.deleted.is_(False),
        Record.enterprise_id.in_(sorted(drawn)), Record.business_date.between(date_from, date_to),
        Record.review_status.in_(COUNTED_STATES)))) if drawn else set()
    completion_target = (targets.get("draw_inspection_completion") or {}).get("target_pct", 100)
    completion = _pct(len(inspected), len(drawn))
    return {"registry_enterprises": registry, "assessed_current": current,
            "overdue": states["overdue"], "due_soon": states["due_soon"], "never": states["never"],
            "current_pct": current_pct, "current_target_pct": current_target,
            "current_meets_target": None if current_pct is None else current_pct >= current_target,
            "draws": len(draws), "drawn": len(drawn), "drawn_coverage_pct": _pct(len(drawn), registry),
            "drawn_inspected": len(inspected), "drawn_inspected_pct": completion,
            "drawn_inspected_target_pct": completion_target,
            "drawn_inspected_meets_target": None if completion is None else completion >= completion_target}
