"""The figures the district work plans report (DESIGN §1), for a period, by district and by team.

Sampling: enterprises monitored, samples, posts evaluated and the exceedance rate by hazard and industry,
days from sampling to the entry into the national monitoring system (recorded by the office: the day and who) and
the share entered within a month of the visits whose month has passed or that are entered; days from sampling to
the laboratory's analysis.
Enforcement: inspections, coverage of the registry against its target, rectification items by state.
Assistance: the four rates at enterprise and worker level, first visit vs latest. Follow-ups done.
"""
import datetime as dt
from collections import Counter, defaultdict
from statistics import median

import sqlalchemy as sa

from ..models import Enterprise, LabResult, NationalEntry, Record, Region, Team, User
from .assistance import baseline_and_latest_rates
from .patients import followup_rate
from .permissions import readable_entities
from .record_views import RECTIFICATION_STATES, inspection_item_states
from .reference_store import table_data
from .reviews import COUNTED_STATES
from .class_kpis import classification_figures
from .declarations import declaration_figures
from . import ledger_registry  # noqa: F401  (registers every ledger)
from .ledgers import ledger_figures
from .kpi_catalogue import catalogue_figures
from .literacy import literacy_figures

ROOTS = ("sampling_visit", "inspection", "assistance_visit", "followup")
KINDS_ZH = {"sampling_visit": "采样", "inspection": "监督检查", "assistance_visit": "帮扶", "followup": "随访"}
RATE_FIELDS = {"declared": "declaration_status", "tested_within_cycle": "testing_status",
               "exams_organised": "health_exam_status", "training_complete": "training_status",
               "warning_signs_set": "warning_notice_status", "ppe_provided": "ppe_status"}
COUNT_FIELDS = {"hazard_posts": "hazard_posts", "hazard_posts_tested": "hazard_posts_tested",
                "workers_due_exam": "workers_due_exam", "workers_examined": "workers_examined",
                "workers_trained": "workers_trained", "workers_exposed": "exposed_workers"}


def _pct(part, whole):
    return round(part / whole * 100, 1) if whole else None


# What the figures read of a root (the field history columns are not): plain rows, no ORM objects to build.
ROOT_COLUMNS = (Record.id, Record.entity, Record.region_id, Record.enterprise_id, Record.created_by,
                Record.review_status, Record.data, Record.tallies)


def period_roots(actor, regions, date_from, date_to, team_id=None):
    """The SELECT of the root records a period's figures count (and those returned, shown apart): the period in SQL,
    by the indexed business date (models/records.py), so the cost follows the period asked, not the history."""
    query = sa.select(*ROOT_COLUMNS).where(Record.entity.in_(ROOTS), Record.region_id.in_(sorted(regions)),
                                    Record.business_date.between(date_from, date_to),
                                    Record.parent_id.is_(None), Record.deleted.is_(False),
                                    Record.review_status.in_(COUNTED_STATES + ("returned",)))
    kinds = readable_entities(actor)
    if kinds is not None:
        query = query.where(Record.entity.in_(sorted(kinds & set(ROOTS))))  # each agency's figures are its own work
    if team_id:
        query = query.where(Record.created_by.in_(sa.select(User.id).where(User.team_id == team_id)))
    return query


def scope_regions(session, actor, region_id=None):
    """The regions a scope covers: a region and those below it within the actor's jurisdiction, or all of it."""
    return actor.region_ids & _subtree(session, region_id) if region_id else actor.region_ids


def _roots(session, actor, date_from, date_to, region_id, team_id):
    regions = scope_regions(session, actor, region_id)
    roots, returned = [], Counter()
    for record in session.execute(period_roots(actor, regions, date_from, date_to, team_id)):
        if record.review_status == "returned":
            returned[record.entity] += 1  # shown apart: back with the field worker
        else:
            roots.append(record)
    return roots, regions, returned


def _subtree(session, region_id):
    path = session.scalar(sa.select(Region.path).where(Region.id == region_id))
    return set(session.scalars(sa.select(Region.id).where(Region.path.startswith(path or "-")))) if path else set()


def _rate_table(rows):
    return [{"key": key, "evaluated": c["evaluated"], "nonconform": c["nonconform"],
             "exceedance_pct": _pct(c["nonconform"], c["evaluated"])} for key, c in sorted(rows.items())]


def sampling_figures(visits, enterprises, entry_days, entries=None, analysed=None, today=None):
    """Enterprises monitored, samples, posts evaluated and exceeding, timeliness of the laboratory and of the entry
    into the national system. entries: visit id → day entered; analysed: visit id → last analysis date."""
    entries, analysed = entries or {}, analysed or {}
    by_hazard, by_industry = defaultdict(Counter), defaultdict(Counter)
    samples = blanks = 0
    delays, late, lab_days, days = [], [], [], []
    for visit in visits:
        tallies = visit.tallies or {}  # models/records.py visit_tallies: set whenever the visit is written
        samples += (tallies.get("samples") or 0) - (tallies.get("blanks") or 0)
        blanks += tallies.get("blanks") or 0
        industry = (enterprises.get(visit.enterprise_id) or {}).get("industry") or "未分类"
        for hazard, outcome in tallies.get("posts") or []:
            for counter in (by_hazard[hazard], by_industry[industry]):
                counter["evaluated"] += 1
                counter["nonconform"] += outcome == "nonconform"
        sampled = dt.date.fromisoformat(visit.data["sampling_date"])
        days.append(sampled)
        if visit.id in entries:
            delays.append((entries[visit.id] - sampled).days)
        elif today is not None and (today - sampled).days > entry_days:
            late.append(visit.id)  # its month has passed without an entry
        if visit.id in analysed:
            lab_days.append((analysed[visit.id] - sampled).days)
    evaluated = sum(c["evaluated"] for c in by_hazard.values())
    nonconform = sum(c["nonconform"] for c in by_hazard.values())
    return {"visits": len(visits), "enterprises_monitored": len({v.enterprise_id for v in visits}),
            "samples": samples, "blanks": blanks, "posts_evaluated": evaluated, "posts_nonconform": nonconform,
            "exceedance_pct": _pct(nonconform, evaluated), "by_hazard": _rate_table(by_hazard),
            "by_industry": _rate_table(by_industry), "entry_days_median": median(delays) if delays else None,
            "entered": len(delays), "entry_overdue": len(late),
            "entered_within_month_pct": _pct(sum(d <= entry_days for d in delays), len(delays) + len(late)),
            "lab_days_median": median(lab_days) if lab_days else None,
            "first_day": min(days).isoformat() if days else None, "last_day": max(days).isoformat() if days else None}


def enforcement_figures(inspections, item_states, registry_size, target_pct):
    """Inspections, coverage of the registry against its target, rectification items of these inspections
    (item_states: inspection id → Counter of its items' states today)."""
    inspected = {i.enterprise_id for i in inspections}
    states = sum((item_states.get(i.id, Counter()) for i in inspections), Counter())
    coverage = _pct(len(inspected), registry_size)
    return {"inspections": len(inspections), "enterprises_inspected": len(inspected),
            "registry_enterprises": registry_size, "coverage_pct": coverage, "coverage_target_pct": target_pct,
            "coverage_meets_target": None if coverage is None else coverage >= target_pct,
            "rectification": {state: states.get(state, 0) for state in RECTIFICATION_STATES}}


def assistance_visit_values(visit):
    """An assistance visit as the rate definitions read it (status 已完成 counts as achieved)."""
    values = {"enterprise_id": visit.enterprise_id, "visit_date": visit.data.get("visit_date")}
    values.update({name: visit.data.get(field) == "done" for name, field in RATE_FIELDS.items()})
    values.update({name: visit.data.get(field) for name, field in COUNT_FIELDS.items()
                   if isinstance(visit.data.get(field), int)})
    return values


def assistance_figures(session, visits):
    """The programme's rates at the first and the latest visit of every assisted enterprise."""
    if not visits:
        return {"enterprises": 0, "baseline": {}, "latest": {}}
    definitions = table_data(session, "assistance_rates")
    return baseline_and_latest_rates([assistance_visit_values(v) for v in visits], definitions)


def followup_figures(followups):
    """Follow-ups done, patients reached, and their outcomes."""
    outcomes = Counter(f.data.get("vital_status") or "unknown" for f in followups)
    patients = {f.data.get("case_no") or f.data.get("id_number") or f.id for f in followups}
    return {"followups": len(followups), "patients": len(patients), "outcomes": dict(sorted(outcomes.items()))}


def _enterprise_facts(session, ids):
    rows = session.execute(sa.select(Enterprise.id, Enterprise.industry_name).where(Enterprise.id.in_(ids))).all()
    return {row.id: {"industry": row.industry_name} for row in rows}


def _team_rows(session, roots, region_names, figures):
    """Per team, keyed by its id within its district: two districts' 采样一组 are two rows, each naming its district
    (authors without a team are 未分组 of their district). Ordered by district, then team."""
    authors = dict(session.execute(sa.select(User.id, User.team_id)).all())
    team_names = dict(session.execute(sa.select(Team.id, Team.name)).all())
    groups = _split(roots, lambda r: (r.region_id, authors.get(r.created_by) or 0))
    rows = [{"team_id": tid or None, "name": team_names.get(tid, "未分组"), "region_id": rid,
             "district": region_names.get(rid), **figures(group, 0)} for (rid, tid), group in groups.items()]
    return sorted(rows, key=lambda r: (r["district"] or "", r["team_id"] is None, r["name"], r["team_id"] or 0))


def _split(roots, key):
    groups = defaultdict(list)
    for root in roots:
        groups[key(root)].append(root)
    return groups


def same_period_last_year(date_from, date_to):
    """The same dates a year earlier (去年同期); 29 February becomes the 28th."""
    def back(day):
        return day.replace(year=day.year - 1, day=28 if (day.month, day.day) == (2, 29) else day.day)
    return back(date_from), back(date_to)


def kpis(session, actor, *, date_from, date_to, today, region_id=None, team_id=None, yoy=False):
    """Every figure for the period, overall and per district and team; deadlines are judged as of `today`. With
    `yoy`, `previous` holds the same figures for the same period a year earlier."""
    figures = _kpis(session, actor, date_from, date_to, today, region_id, team_id)
    if yoy:
        before_from, before_to = same_period_last_year(date_from, date_to)
        figures["previous"] = _kpis(session, actor, before_from, before_to, today, region_id, team_id)
    # Every figure of the catalogue (domain/kpi_catalogue.py), with its status and last year's value beside it.
    regions = scope_regions(session, actor, region_id)
    figures["catalogue"] = catalogue_figures(session, actor, figures, regions, previous=figures.get("previous"),
                                             team_id=team_id)
    return figures


def _kpis(session, actor, date_from, date_to, today, region_id, team_id):
    roots, regions, returned = _roots(session, actor, date_from, date_to, region_id, team_id)
    targets = {row["key"]: row for row in table_data(session, "kpi_targets")}
    by_kind = _split(roots, lambda r: r.entity)
    enterprises = _enterprise_facts(session, {r.enterprise_id for r in roots if r.enterprise_id})
    registry = dict(session.execute(sa.select(Enterprise.region_id, sa.func.count()).where(
        Enterprise.region_id.in_(regions)).group_by(Enterprise.region_id)).all())
    entry_days = targets["entry_within_month"].get("entry_days", 30)
    coverage_target = targets["inspection_coverage"]["target_pct"]

    visit_ids = [r.id for r in by_kind["sampling_visit"]]
    entries = dict(session.execute(sa.select(NationalEntry.visit_id, NationalEntry.entered_on)
                                   .where(NationalEntry.visit_id.in_(visit_ids))).all()) if visit_ids else {}
    analysed = dict(session.execute(sa.select(LabResult.visit_id, sa.func.max(LabResult.analysis_date))
                                    .where(LabResult.visit_id.in_(visit_ids)).group_by(LabResult.visit_id)).all()) \
        if visit_ids else {}
    inspection_ids = [r.id for r in by_kind["inspection"]]
    item_states = inspection_item_states(session, actor, today=today, inspection_ids=inspection_ids) \
        if inspection_ids else {}

    def figures(subset, registry_size):
        kinds = _split(subset, lambda r: r.entity)
        return {"sampling": sampling_figures(kinds["sampling_visit"], enterprises, entry_days, entries, analysed,
                                             today),
                "enforcement": enforcement_figures(kinds["inspection"], item_states, registry_size, coverage_target),
                "followup": followup_figures(kinds["followup"])}

    names = dict(session.execute(sa.select(Region.id, Region.name).where(Region.id.in_(regions))).all())
    districts = [{"region_id": rid, "name": names.get(rid), **figures(group, registry.get(rid, 0))}
                 for rid, group in sorted(_split(roots, lambda r: r.region_id).items())]
    teams = _team_rows(session, roots, names, figures)
    overall = figures(roots, sum(registry.values()))
    overall["assistance"] = assistance_figures(session, by_kind["assistance_visit"])
    kinds = readable_entities(actor)
    # 随访率 over the patients' register (domain/patients.py): the CDC's work, against its target.
    overall["followup"]["rate"] = followup_rate(session, regions, date_from, date_to) \
        if kinds is None or "patient" in kinds else None
    # 分类监督执法 (domain/class_kpis.py): the supervision side's register and draws, against their targets.
    overall["classification"] = classification_figures(session, regions, date_from=date_from, date_to=date_to,
                                                       today=today, targets=targets) \
        if kinds is None or "inspection" in kinds else None
    # 职业病危害项目申报 (domain/declarations.py): the registry's declarations, the supervision side's work.
    overall["declarations"] = declaration_figures(session, regions, date_from=date_from, date_to=date_to,
                                                  today=today, targets=targets) \
        if kinds is None or "inspection" in kinds else None
    # 职业健康素养监测 (domain/literacy.py): the CDC's surveys of workers, 知晓率 and 具备率.
    overall["literacy"] = literacy_figures(session, regions, date_from, date_to) \
        if kinds is None or "literacy_survey" in kinds else None
    # The registers kept as ledgers (domain/ledgers.py: 三同时, 放射诊疗, 专项治理), those the actor reads.
    overall["ledgers"] = ledger_figures(session, actor, regions, date_from, date_to, today, targets)
    return {"period": {"from": date_from.isoformat(), "to": date_to.isoformat()}, "targets": targets,
            **overall, "districts": districts, "teams": teams,
            "counted": {"states": list(COUNTED_STATES), "returned": {kind: returned.get(kind, 0) for kind in ROOTS}}}
