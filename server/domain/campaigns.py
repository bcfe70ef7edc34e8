"""职业病危害专项治理: campaigns, the enterprises enrolled in them, and the evidence that moves each enterprise
未确认治理 → 治理中 → 行政治理效果待确认 → 已完成.

A campaign is a register file (form governance_campaign, entity `campaign`): industry, period (start, 截止日),
target count; each enrolled enterprise a child record (`campaign_enterprise`) with what the six rates need
(commissioned testing, status evaluation, workers exposed / examined / trained) and the confirmation.

An enrolled enterprise's state is read from the evidence since the campaign's start, never typed:
- 未确认治理 (unconfirmed): no inspection of the enterprise handed in since the campaign started;
- 治理中 (treating): inspected, but a rectification item of those inspections is still open (closed only when
  its 复查意见书 is issued), or no monitoring result since the start shows every post under the limits (the latest
  result counts: a CDC sampling visit with judged posts, handed in, or the enterprise's commissioned test);
- 行政治理效果待确认 (awaiting confirmation): inspected, every item closed, the latest result under the limits;
- 已完成 (completed): a supervisor confirmed it (确认日期) and on that day the evidence was complete.
"归零" at the deadline: no enrolled enterprise in the first three states.

The six rates of seed 003 (申报率, 定期检测率, 现状评价率, 体检率, 培训率, 三同时落实率, each ≥ 85 %) are defined as reference
data (reference/campaigns/rates.json, table campaign_rates) and computed by the same engine as the assistance
programme's rates (domain/assistance.py compute_rates) over one row per enrolled enterprise.
"""
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa

from ..models import Enterprise, Record
from .assistance import compute_rates
from .classification import add_months, hazard_nature
from .errors import Invalid, NotFound
from .ledgers import Column, Ledger, pct, readable, register, tile
from .permissions import can, require
from .reference_store import table_data
from .reviews import COUNTED_STATES
from .values import day_or_none

REGISTER = "campaign"
ENROLLED = "campaign_enterprise"
FORM_ID = "governance_campaign"
STATES = (("unconfirmed", "未确认治理"), ("treating", "治理中"), ("awaiting_confirmation", "行政治理效果待确认"),
          ("completed", "已完成"))
STATE_NAMES = dict(STATES)
OPEN_STATES = ("unconfirmed", "treating", "awaiting_confirmation")  # what must be zero at the deadline
# A campaign file in the ledger: past its deadline with enterprises not done, under way, done (归零), or no one enrolled.
CAMPAIGN_STATES = (("overdue", "逾期未归零"), ("running", "治理中"), ("empty", "未纳入企业"), ("zeroed", "已归零"))
INDUSTRIES = {"printing": "印刷", "furniture": "家具制造", "auto": "汽车制造", "shoes": "制鞋",
              "electroplating": "金属表面处理（电镀）", "other": "其他行业"}
DEFAULT_TARGET_PCT = 85



@dataclass
class Evidence:
    """What moves an enrolled enterprise: its inspections since the campaign started (day, id), the days their
    rectification items were closed (None: still open) with their deadlines, and its monitoring results (day,
    compliant?, where from)."""

    inspections: list = field(default_factory=list)
    items: list = field(default_factory=list)          # (inspection id, closed_on or None, deadline or None)
    results: list = field(default_factory=list)        # (day, compliant: bool, source: "cdc" | "commissioned")


def state_on(evidence, day):
    """The enrolled enterprise's state on `day` from the evidence dated up to it (completed is decided apart)."""
    inspected = [d for d, _id in evidence.inspections if d <= day]
    if not inspected:
        return "unconfirmed"
    open_items = [1 for _id, closed, _deadline in evidence.items if closed is None or closed > day]
    results = sorted((d, ok) for d, ok, _source in evidence.results if d <= day)
    if open_items or not results or not results[-1][1]:
        return "treating"
    return "awaiting_confirmation"


def enrolled_state(evidence, confirmed_on, today):
    """The state today: completed when confirmed on a day the evidence was complete, else as the evidence says."""
    confirmed = day_or_none(confirmed_on)
    if confirmed is not None and confirmed <= today and state_on(evidence, confirmed) == "awaiting_confirmation":
        return "completed"
    return state_on(evidence, today)


def evidence_words(evidence, today):
    """The evidence as the campaign screen shows it, in Chinese."""
    words = []
    for day, _id in sorted(evidence.inspections):
        words.append(f"{day.isoformat()} 监督检查")
    if evidence.items:
        open_items = sum(1 for _id, closed, _ in evidence.items if closed is None or closed > today)
        words.append(f"整改事项 {len(evidence.items)} 项，已销号 {len(evidence.items) - open_items} 项"
                     + (f"，未销号 {open_items} 项" if open_items else ""))
    for day, ok, source in sorted(evidence.results):
        where = "疾控中心检测" if source == "cdc" else "委托检测"
        words.append(f"{day.isoformat()} {where}：{'各岗位均未超标' if ok else '有岗位超标'}")
    return words


def _campaigns(session, regions):
    return session.scalars(sa.select(Record).where(
        Record.entity == REGISTER, Record.parent_id.is_(None), Record.deleted.is_(False),
        Record.region_id.in_(sorted(regions)))).all() if regions else []


def _enrolments(session, campaign_ids):
    if not campaign_ids:
        return {}
    found = defaultdict(list)
    for row in session.scalars(sa.select(Record).where(Record.entity == ENROLLED, Record.deleted.is_(False),
                                                       Record.parent_id.in_(sorted(campaign_ids)))):
        found[row.parent_id].append(row)
    return found


def evidence_of(session, regions, enterprise_ids, since):
    """Each enterprise's evidence since `since`: handed-in inspections, their rectification items, handed-in CDC
    sampling visits with judged posts (three queries, whatever the number of campaigns)."""
    evidence = defaultdict(Evidence)
    ids = sorted(i for i in enterprise_ids if i)
    if not ids or since is None:
        return evidence
    base = (Record.parent_id.is_(None), Record.deleted.is_(False), Record.region_id.in_(sorted(regions)),
            Record.review_status.in_(COUNTED_STATES), Record.enterprise_id.in_(ids), Record.business_date >= since)
    inspections = session.execute(sa.select(Record.id, Record.enterprise_id, Record.business_date).where(
        Record.entity == "inspection", *base)).all()
    owner = {row.id: row.enterprise_id for row in inspections}
    for row in inspections:
        evidence[row.enterprise_id].inspections.append((row.business_date, row.id))
    if owner:
        for row in session.execute(sa.select(Record.root_id, Record.closed_on, Record.business_date).where(
                Record.entity == "rectification_item", Record.deleted.is_(False),
                Record.root_id.in_(sorted(owner)))):
            evidence[owner[row.root_id]].items.append((row.root_id, row.closed_on, row.business_date))
    for row in session.execute(sa.select(Record.enterprise_id, Record.business_date, Record.tallies).where(
            Record.entity == "sampling_visit", *base)):
        posts = (row.tallies or {}).get("posts") or []
        if posts:
            evidence[row.enterprise_id].results.append(
                (row.business_date, all(result != "nonconform" for _hazard, result in posts), "cdc"))
    return evidence


def _with_commissioned(evidence, enrolment, since):
    """The enrolled enterprise's evidence with the commissioned test recorded on its enrolment (since the start)."""
    data = enrolment.data or {}
    day, result = day_or_none(data.get("external_test_on")), data.get("external_test_result")
    if day is not None and result in ("compliant", "noncompliant") and (since is None or day >= since):
        evidence.results.append((day, result == "compliant", "commissioned"))
    return evidence


@dataclass
class CampaignView:
    """A campaign with its enrolled enterprises, each with its evidence and state today."""

    record: object
    start: dt.date | None
    deadline: dt.date | None
    enrolled: list  # [(enrolment record, Evidence, state)]

    @property
    def counts(self):
        counts = Counter(state for _e, _ev, state in self.enrolled)
        return {state: counts.get(state, 0) for state, _ in STATES}

    def file_state(self, today):
        if not self.enrolled:
            return "empty"
        if not any(self.counts[s] for s in OPEN_STATES):
            return "zeroed"
        return "overdue" if self.deadline is not None and self.deadline < today else "running"


def campaign_views(session, regions, today, campaigns=None):
    """Every campaign of the regions (or these campaign records) with its enrolled enterprises' states today."""
    campaigns = _campaigns(session, regions) if campaigns is None else campaigns
    enrolments = _enrolments(session, {c.id for c in campaigns})
    starts = [day_or_none((c.data or {}).get("start_date")) for c in campaigns]
    since = min((s for s in starts if s), default=None)
    enterprise_ids = {(e.data or {}).get("enterprise_id") for rows in enrolments.values() for e in rows}
    evidence = evidence_of(session, regions, enterprise_ids, since)
    views = []
    for campaign, start in zip(campaigns, starts):
        rows = []
        for enrolment in enrolments.get(campaign.id, []):
            enterprise_id = (enrolment.data or {}).get("enterprise_id")
            base = evidence.get(enterprise_id, Evidence())
            inspections = [i for i in base.inspections if start is None or i[0] >= start]
            kept = {i for _d, i in inspections}
            mine = _with_commissioned(Evidence(inspections, [item for item in base.items if item[0] in kept],
                                               [r for r in base.results if start is None or r[0] >= start]),
                                      enrolment, start)
            rows.append((enrolment, mine, enrolled_state(mine, (enrolment.data or {}).get("confirmed_on"), today)))
        views.append(CampaignView(campaign, start, day_or_none((campaign.data or {}).get("deadline")), rows))
    return views


# -- the six rates ---------------------------------------------------------------------------------------------------

def _nature(enterprise, factors, rules):
    declared = [factors[key] for key in enterprise.declared_hazards or () if key in factors]
    return hazard_nature(declared, rules)


def _within(last, months, today):
    return last is not None and months is not None and add_months(last, months) >= today


def _interval(frequency, nature, activity):
    return next((row["interval_months"] for row in frequency
                 if row["hazard_nature"] == nature and row["activity"] == activity), None)


def rate_rows(session, views, today, implemented=None):
    """One row per enrolled enterprise as the campaign_rates definitions read it: declared, tested within its cycle
    (by its hazard nature, reference table testing_frequency), status evaluation within its cycle (only where the
    law asks for one: None otherwise), worker counts, 三同时 implemented (None without projects)."""
    ids = {(e.data or {}).get("enterprise_id") for v in views for e, _ev, _s in v.enrolled}
    enterprises = {e.id: e for e in session.scalars(sa.select(Enterprise).where(Enterprise.id.in_(sorted(
        i for i in ids if i)))).all()} if ids else {}
    factors = {row["key"]: row for row in table_data(session, "hazard_factors")}
    rules = table_data(session, "severe_hazard_rules")
    frequency = table_data(session, "testing_frequency")
    implemented = implemented or {}
    rows = {}
    for view in views:
        for enrolment, evidence, _state in view.enrolled:
            data = enrolment.data or {}
            enterprise = enterprises.get(data.get("enterprise_id"))
            if enterprise is None:
                continue
            nature = _nature(enterprise, factors, rules)
            tests = [d for d, _ok, _src in evidence.results] + [day_or_none(data.get("external_test_on"))]
            last_test = max((d for d in tests if d is not None and d <= today), default=None)
            evaluation_months = _interval(frequency, nature, "status_evaluation")
            evaluated = day_or_none(data.get("status_evaluation_on"))
            row = {"enterprise_id": enterprise.id,
                   "declared": bool(enterprise.first_declared_on or enterprise.last_declared_on),
                   "tested_within_cycle": _within(last_test, _interval(frequency, nature, "testing"), today),
                   "evaluated_within_cycle": None if evaluation_months is None
                   else _within(evaluated, evaluation_months, today),
                   "three_simultaneous": implemented.get(enterprise.id)}
            for name in ("workers_exposed", "workers_examined", "workers_trained"):
                if isinstance(data.get(name), int) and not isinstance(data.get(name), bool):
                    row[name] = data[name]
            rows[enterprise.id] = row  # an enterprise in two campaigns counts once
    return list(rows.values())


def campaign_rates(session, views, today, implemented=None):
    """The six rates over the enrolled enterprises of these campaigns, each against its target (None: nothing to
    divide by; a rate whose data is inconsistent is reported as such, not as a figure)."""
    definitions = table_data(session, "campaign_rates")
    rows = rate_rows(session, views, today, implemented)
    try:
        return compute_rates(rows, definitions)
    except Invalid as error:
        return {d["key"]: {"key": d["key"], "title_zh": d["title_zh"], "numerator": None, "denominator": None,
                           "value_pct": None, "target_pct": d.get("target_pct"), "meets_target": None,
                           "problem": error.message} for d in definitions}


def _implemented(session, regions, today):
    """三同时落实 by enterprise, from the projects' ledger when it is there."""
    from . import projects  # the 三同时 ledger (domain/projects.py)
    return projects.implemented_by_enterprise(session, regions, today)


# -- the ledger ------------------------------------------------------------------------------------------------------

def _lines(session, regions, today):
    lines = []
    for view in campaign_views(session, regions, today):
        data = view.record.data or {}
        counts = view.counts
        open_now = sum(counts[s] for s in OPEN_STATES)
        lines.append({
            "id": view.record.id, "region_id": view.record.region_id, "state": view.file_state(today),
            "due_on": view.deadline.isoformat() if view.deadline else None,
            "search": f"{data.get('campaign_name') or ''} {data.get('campaign_code') or ''}",
            "campaign_name": data.get("campaign_name") or "—", "campaign_code": data.get("campaign_code"),
            "industry": INDUSTRIES.get(data.get("industry")), "deadline": view.deadline.isoformat() if view.deadline
            else None, "enrolled": f"{len(view.enrolled)} 家" + (f"（目标 {data['target_count']} 家）"
                                                                if data.get("target_count") is not None else ""),
            "progress": "、".join(f"{name} {counts[s]}" for s, name in STATES) + ("" if open_now else "（已归零）"),
            "route": f"#/campaign/{view.record.id}"})
    return lines


def campaigns_in_period(session, regions, date_from, date_to, today):
    """The campaigns running at some time in the period (started by its end, deadline not before its start)."""
    return [v for v in campaign_views(session, regions, today)
            if (v.start is None or v.start <= date_to) and (v.deadline is None or v.deadline >= date_from)]


def _figures(session, regions, date_from, date_to, today, targets):
    """The campaigns running in the period: enterprises enrolled, the three counts that must reach zero, completed,
    and the six rates against their targets."""
    views = campaigns_in_period(session, regions, date_from, date_to, today)
    counts = Counter()
    for view in views:
        counts.update(view.counts)
    enrolled = sum(len(v.enrolled) for v in views)
    deadline = max((v.deadline for v in views if v.deadline), default=None)
    tiles = [tile("enrolled", "纳入治理用人单位数", enrolled, detail_zh=f"专项治理 {len(views)} 项"),
             *[tile(state, f"{name}用人单位数" if state != "awaiting_confirmation" else "行政治理效果待确认数",
                    counts.get(state, 0), detail_zh=f"截止日 {deadline.isoformat()} 应归零" if deadline else None)
               for state, name in STATES[:3]],
             tile("completed", "已完成治理用人单位数", counts.get("completed", 0),
                  detail_zh=f"占纳入的 {pct(counts.get('completed', 0), enrolled) or 0:g}%" if enrolled else None)]
    rates = campaign_rates(session, views, today, _implemented(session, regions, today)) if views else {}
    for key, rate in rates.items():
        value = None if rate["value_pct"] is None else round(rate["value_pct"], 1)
        detail = rate.get("problem") or (f"{rate['numerator']} / {rate['denominator']}" if rate["denominator"] else None)
        tiles.append(tile(key, rate["title_zh"], value, unit="pct", target_pct=rate["target_pct"], detail_zh=detail,
                          part=rate["numerator"], whole=rate["denominator"]))
    return tiles


LEDGER = register(Ledger(
    kind="campaigns", entity=REGISTER, form_id=FORM_ID, key="campaign_code", title_zh="职业病危害专项治理",
    read_verb="campaign.read", import_verb="campaign.manage", states=CAMPAIGN_STATES,
    columns=(Column("campaign_name", "专项治理"), Column("industry", "行业"), Column("deadline", "截止日期"),
             Column("enrolled", "纳入"), Column("progress", "进展")),
    lines=_lines, figures=_figures))


# -- one campaign, as its screen shows it ----------------------------------------------------------------------------

def campaign_of(session, actor, campaign_id):
    """The campaign record in the actor's jurisdiction (NotFound otherwise: existence is not revealed)."""
    record = session.get(Record, campaign_id)
    if record is None or record.entity != REGISTER or record.deleted or record.region_id not in readable(actor, LEDGER):
        raise NotFound("专项治理不存在")
    return record


def campaign_detail(session, actor, campaign_id, today):
    """A campaign's screen: its file, the counts by state (归零 at the deadline), the six rates against their targets
    and every enrolled enterprise with its state, its evidence in words and whether it can be confirmed."""
    require(actor, "campaign.read")
    record = campaign_of(session, actor, campaign_id)
    regions = {record.region_id}
    view = campaign_views(session, regions, today, campaigns=[record])[0]
    data = record.data or {}
    ids = {(e.data or {}).get("enterprise_id") for e, _ev, _s in view.enrolled}
    names = {row.id: row for row in session.execute(sa.select(Enterprise.id, Enterprise.name, Enterprise.credit_code,
                                                              Enterprise.industry_code)
                                                    .where(Enterprise.id.in_(sorted(i for i in ids if i))))} \
        if ids else {}
    counts = view.counts
    open_now = sum(counts[s] for s in OPEN_STATES)
    rates = campaign_rates(session, [view], today, _implemented(session, regions, today)) if view.enrolled else {}
    enterprises = []
    for enrolment, evidence, state in sorted(view.enrolled, key=lambda row: (
            [s for s, _ in STATES].index(row[2]), (names.get((row[0].data or {}).get("enterprise_id")) or
                                                   _NoName).name)):
        edata = enrolment.data or {}
        enterprise = names.get(edata.get("enterprise_id")) or _NoName
        enterprises.append({
            "id": enrolment.id, "enterprise_id": edata.get("enterprise_id"), "enterprise_name": enterprise.name,
            "credit_code": enterprise.credit_code, "state": state, "state_zh": STATE_NAMES[state],
            "enrolled_on": edata.get("enrolled_on"), "evidence_zh": evidence_words(evidence, today),
            "confirmed_on": edata.get("confirmed_on") if state == "completed" else None,
            "confirmed_by_name": edata.get("confirmed_by_name") if state == "completed" else None,
            "can_confirm": state == "awaiting_confirmation" and can(actor, "campaign.manage")})
    return {"id": record.id, "campaign_name": data.get("campaign_name"), "campaign_code": data.get("campaign_code"),
            "industry_zh": INDUSTRIES.get(data.get("industry")), "industry_codes": data.get("industry_codes"),
            "start_date": data.get("start_date"), "deadline": data.get("deadline"),
            "target_count": data.get("target_count"), "enrolled": len(view.enrolled),
            "states": [{"key": s, "label_zh": n, "count": counts[s]} for s, n in STATES],
            "zeroed": open_now == 0 and bool(view.enrolled), "open": open_now,
            "deadline_passed": view.deadline is not None and view.deadline < today,
            "rates": [{"key": key, "title_zh": r["title_zh"], "value_pct": None if r["value_pct"] is None
                       else round(r["value_pct"], 1), "numerator": r["numerator"], "denominator": r["denominator"],
                       "target_pct": r["target_pct"], "meets_target": r["meets_target"], "problem": r.get("problem")}
                      for key, r in rates.items()],
            "enterprises": enterprises, "can_manage": can(actor, "campaign.manage")}


class _NoName:
    """An enrolled enterprise no longer in the registry."""

    name = "（登记库中已无此单位）"
    credit_code = None


def _digits(code):
    """A GB/T 4754 code without its section letter (C2319 and 2319 are the same class)."""
    return (code or "").strip().upper().lstrip("ABCDEFGHIJKLMNOPQRST")


def industry_matches(industry_code, prefixes):
    """True when a GB/T 4754 industry code starts with one of the campaign's prefixes (C23, 2110…), with or
    without the section letter."""
    code = _digits(industry_code)
    return bool(code) and any(code.startswith(_digits(p)) for p in prefixes if _digits(p))


def code_prefixes(text):
    """The campaign's industry code prefixes from what was typed: C23, C2110；C2120 → ["C23", "C2110", "C2120"]."""
    for sep in "，、；; ":
        text = (text or "").replace(sep, ",")
    return [part.strip().upper() for part in text.split(",") if part.strip()]
