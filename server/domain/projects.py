"""The 建设项目职业病防护设施“三同时” ledger: each construction project's four stages (职业病危害预评价, 职业病防护设施设计,
职业病危害控制效果评价, 职业病防护设施竣工验收), whether each is required, when it is due and whether it is done, the
file's state today, and the 落实率 of the district against its target.

A project's file is a record of the ledger (entity and form `construction_project`). Which stages a hazard class
needs and when each is due are reference data (table project_stage_rules, reference/projects/stage_rules.json, after
《建设项目职业病防护设施“三同时”监督管理办法》 令第90号): a stage row names the hazard classes that need it and the dates
its due day counts from (`due_anchors`: the first of those dates on file, plus its days — e.g. the trial operation's
start plus the 180 days the order allows it). A stage is done on the date of its field `<stage key>_done_on`.

States of a stage: not required; done (on or before its due day), done late; overdue (not done, due before today);
due (within DUE_SOON_DAYS); pending (due later); undated (none of the dates it counts from is on file).
States of a file, most urgent first: 逾期 (a required stage overdue); 待完成 (one due within DUE_SOON_DAYS); 未填报
(no hazard class, or the next stage's due day cannot be worked out: its dates are missing); 进行中; 已落实 (every
required stage done). A file without a hazard class is held to the stages every class needs, so leaving the class out
never hides an overdue stage.
"""
import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from ..clock import CHINA
from ..models import Enterprise, Record
from .ledgers import Column, Ledger, pct, register, tile
from .reference_store import rows_in_force
from .references import in_period, parse_date
from .values import day_or_none

KIND = "projects"
ENTITY = FORM_ID = "construction_project"
RULES_TABLE = "project_stage_rules"
TARGET_KEY = "project_implementation_rate"
DEFAULT_TARGET_PCT = 85
DUE_SOON_DAYS = 30
# The form's choices of hazard_level and the labels of the dates stages count from, as the form words them (a test
# holds them to forms/definitions/construction_project): the ledger's lines are read without the form registry.
HAZARD_LEVELS = {"general": "职业病危害一般", "heavier": "职业病危害较重", "serious": "职业病危害严重"}
DATE_LABELS = {"approval_date": "审批（核准、备案）日期", "construction_start": "开工日期",
               "trial_run_start": "试运行开始日期", "planned_completion": "计划竣工日期"}
STATES = (("overdue", "逾期"), ("due", "待完成"), ("incomplete", "未填报"), ("ongoing", "进行中"), ("done", "已落实"))
OUTSTANDING = ("overdue", "due", "pending", "undated")


@dataclass(frozen=True)
class StageRule:
    """A stage as reference data describes it."""

    key: str
    title_zh: str
    order: int
    required_levels: frozenset
    anchors: tuple  # ((date field, days after it), …): the first date on file counts


@dataclass(frozen=True)
class Stage:
    """A stage of one project as of a day."""

    key: str
    title_zh: str
    status: str        # not_required | done | late | overdue | due | pending | undated
    due_on: dt.date | None
    done_on: dt.date | None
    anchors: tuple


def stage_rules(session, on):
    """The stage rules in force on a day, in their order."""
    return rules_of(rows_in_force(session, RULES_TABLE, on), on)


def rules_of(rows, on):
    """The stage rules of these rows of project_stage_rules in force on a day, in their order."""
    rules = []
    for row in rows:
        if row.get("kind") != "stage" or not in_period(on, parse_date(row.get("effective_from")),
                                                       parse_date(row.get("effective_to"))):
            continue
        rules.append(StageRule(key=row["key"], title_zh=row["title_zh"], order=row.get("order") or 0,
                               required_levels=frozenset(row.get("required_levels") or ()),
                               anchors=tuple((a["field"], a.get("days") or 0) for a in row.get("due_anchors") or ())))
    return sorted(rules, key=lambda rule: rule.order)



def due_day(rule, data):
    """The day a stage is due: the first of its dates on file plus its days; None when none is on file."""
    for name, days in rule.anchors:
        start = day_or_none(data.get(name))
        if start is not None:
            return start + dt.timedelta(days=days)
    return None


def is_required(rule, level):
    """A stage is required of a project of that hazard class; without a class, when every class requires it."""
    if level in HAZARD_LEVELS:
        return level in rule.required_levels
    return rule.required_levels >= set(HAZARD_LEVELS)


def project_stages(rules, data, today, soon_days=DUE_SOON_DAYS):
    """Each stage of a project as of `today`. A completion date after `today` is not a completion yet."""
    stages = []
    for rule in rules:
        due = due_day(rule, data)
        done = day_or_none(data.get(f"{rule.key}_done_on"))
        if done is not None and done > today:
            done = None
        if not is_required(rule, data.get("hazard_level")):
            status = "not_required"
        elif done is not None:
            status = "done" if due is None or done <= due else "late"
        elif due is None:
            status = "undated"
        elif due < today:
            status = "overdue"
        elif due <= today + dt.timedelta(days=soon_days):
            status = "due"
        else:
            status = "pending"
        stages.append(Stage(rule.key, rule.title_zh, status, due, done, rule.anchors))
    return stages


def next_stage(stages):
    """The first required stage not done yet, or None."""
    return next((stage for stage in stages if stage.status in OUTSTANDING), None)


def file_state(data, stages):
    """The file's state (see the module's docstring)."""
    statuses = {stage.status for stage in stages}
    if "overdue" in statuses:
        return "overdue"
    if data.get("hazard_level") not in HAZARD_LEVELS:
        return "incomplete"
    if not statuses & set(OUTSTANDING):
        return "done"
    if "due" in statuses:
        return "due"
    return "incomplete" if next_stage(stages).status == "undated" else "ongoing"


def implemented_on_time(data, stages):
    """按期落实, what the 落实率 counts: a file with its hazard class whose every required stage is done by its due day
    or not due yet, and whose next stage's due day can be worked out (state 待完成, 进行中 or 已落实, no stage done late)."""
    return file_state(data, stages) in ("due", "ongoing", "done") and not any(s.status == "late" for s in stages)


# -- the files of the ledger ----------------------------------------------------------------------------------------


def project_files(session, regions):
    """The ledger's files in these regions (id, region, creation instant, data)."""
    return session.execute(sa.select(Record.id, Record.region_id, Record.created_at, Record.data).where(
        Record.entity == ENTITY, Record.parent_id.is_(None), Record.deleted.is_(False),
        Record.region_id.in_(sorted(regions)))).all()


def registered_day(row):
    """The day a project entered the ledger: its 登记日期, else the day its file was created (China time)."""
    day = day_or_none((row.data or {}).get("registered_on"))
    if day is None and row.created_at is not None:
        created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=dt.timezone.utc)
        day = created.astimezone(CHINA).date()
    return day


def builders(session, files):
    """The registry enterprise of each file that names one, by its id or its builder's credit code: {file id:
    (enterprise id, name)}."""
    ids = {(f.data or {}).get("enterprise_id") for f in files} - {None, ""}
    codes = {(f.data or {}).get("builder_credit_code") for f in files} - {None, ""}
    if not ids and not codes:
        return {}
    found = session.execute(sa.select(Enterprise.id, Enterprise.name, Enterprise.credit_code).where(
        sa.or_(Enterprise.id.in_(sorted(ids)), Enterprise.credit_code.in_(sorted(codes))))).all()
    by_id = {e.id: (e.id, e.name) for e in found}
    by_code = {e.credit_code: (e.id, e.name) for e in found}
    out = {}
    for f in files:
        data = f.data or {}
        match = by_id.get(data.get("enterprise_id")) or by_code.get(data.get("builder_credit_code"))
        if match:
            out[f.id] = match
    return out


def _missing_dates(stage):
    return "或".join(DATE_LABELS.get(name, name) for name, _days in stage.anchors)


def _overdue_words(stages, today):
    return "；".join(f"{s.title_zh}（应于{s.due_on.isoformat()}前完成，已逾期{(today - s.due_on).days}天）"
                    for s in stages if s.status == "overdue")


def project_lines(session, regions, today):
    """Every file of the regions with its state today and its columns in words (domain/ledgers.py `lines`)."""
    rules = stage_rules(session, today)
    files = project_files(session, regions)
    names = builders(session, files)
    lines = []
    for f in files:
        data = f.data or {}
        stages = project_stages(rules, data, today)
        state, coming = file_state(data, stages), next_stage(stages)
        builder = names.get(f.id, (None, data.get("builder_name")))[1] or data.get("builder_name") or ""
        outstanding = [s.due_on for s in stages if s.status in OUTSTANDING and s.due_on is not None]
        if coming is None:
            next_words, due_words = "各环节均已完成", ""
        else:
            next_words = coming.title_zh
            due_words = coming.due_on.isoformat() if coming.due_on else f"待填写{_missing_dates(coming)}"
        lines.append({
            "id": f.id, "region_id": f.region_id, "state": state,
            "due_on": min(outstanding).isoformat() if outstanding else None,
            "search": " ".join(filter(None, (data.get("project_name"), data.get("project_code"), builder))),
            "project_code": data.get("project_code") or "", "project_name": data.get("project_name") or "",
            "builder": builder, "hazard_level_zh": HAZARD_LEVELS.get(data.get("hazard_level"), "未填写"),
            "next_stage": next_words, "next_due": due_words, "overdue_stages": _overdue_words(stages, today)})
    return lines


def implementation(session, regions, date_from, date_to, today):
    """The period's counts as of its last day (today when the period runs on): projects in the ledger, overdue, 按期落实,
    and registered in the period."""
    as_of = min(date_to, today)
    rules = stage_rules(session, as_of)
    counts = {"projects": 0, "overdue": 0, "on_time": 0, "registered": 0}
    for f in project_files(session, regions):
        registered = registered_day(f)
        if registered is not None and date_from <= registered <= date_to:
            counts["registered"] += 1
        if registered is not None and registered > as_of:
            continue
        data = f.data or {}
        stages = project_stages(rules, data, as_of)
        counts["projects"] += 1
        counts["overdue"] += file_state(data, stages) == "overdue"
        counts["on_time"] += implemented_on_time(data, stages)
    return counts


def implementation_rate(session, regions, date_from, date_to, today, targets):
    """防护设施“三同时”落实率 = 按期落实的项目 ÷ 台账中的项目 (registered by the period's end, judged on its last day; see
    `implemented_on_time`), with the target of kpi_targets row project_implementation_rate."""
    counts = implementation(session, regions, date_from, date_to, today)
    target = (targets or {}).get(TARGET_KEY, {}).get("target_pct", DEFAULT_TARGET_PCT)
    return {**counts, "rate_pct": pct(counts["on_time"], counts["projects"]), "target_pct": target}


def project_figures(session, regions, date_from, date_to, today, targets):
    """The ledger's tiles on the dashboard (domain/ledgers.py `figures`)."""
    rate = implementation_rate(session, regions, date_from, date_to, today, targets)
    return [
        tile("projects", "台账中的建设项目", rate["projects"]),
        tile("overdue", "有逾期环节的项目", rate["overdue"]),
        tile("implementation_rate", "防护设施“三同时”落实率", rate["rate_pct"], unit="pct", target_pct=rate["target_pct"],
             part=rate["on_time"], whole=rate["projects"],
             detail_zh=f"按期落实 {rate['on_time']} 个 / 台账中 {rate['projects']} 个项目"),
        tile("registered", "本期新登记项目", rate["registered"]),
    ]


def implemented_by_enterprise(session, regions, today):
    """{enterprise id: True when none of its projects has an overdue stage today} for the registry enterprises that
    build a project of the ledger (named by id or credit code); enterprises without a project are absent."""
    rules = stage_rules(session, today)
    files = project_files(session, regions)
    data_of = {f.id: f.data or {} for f in files}
    out = {}
    for file_id, (enterprise_id, _name) in builders(session, files).items():
        data = data_of[file_id]
        fine = file_state(data, project_stages(rules, data, today)) != "overdue"
        out[enterprise_id] = out.get(enterprise_id, True) and fine
    return out


LEDGER = register(Ledger(
    kind=KIND, entity=ENTITY, form_id=FORM_ID, key="project_code", title_zh="建设项目职业病防护设施“三同时”台账",
    read_verb="project.read", import_verb="project.import", states=STATES,
    columns=(Column("project_name", "项目名称"), Column("project_code", "项目编号"), Column("builder", "建设单位"),
             Column("hazard_level_zh", "危害类别"), Column("next_stage", "下一环节"), Column("next_due", "应完成日期"),
             Column("overdue_stages", "逾期环节")),
    lines=project_lines, figures=project_figures))
