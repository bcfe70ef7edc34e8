"""分类监督执法 assessments: the inputs the scheme asks for give the class (domain/classification.py, reading the
scheme's tables as in force on the assessment date), each assessment is kept as the enterprise's class history, and
the enterprise's current class follows the latest one ("分类等级动态更新").

Only a scheme that grades by the matrix (classification_schemes.uses_matrix: risk grade Ⅰ/Ⅱ/Ⅲ × management grade
A/B/C) can be assessed here: the 2019 guide's list of conditions was not retrieved in full (reference.md §4.2).
"""
import bisect

import sqlalchemy as sa

from ..models import ClassAssessment, Enterprise, ReferenceVersion, User
from ..models.sync_state import allocate_changes
from . import audit
from .classification import (CONFORMITIES, HAZARD_NATURES, PILOT_2023, add_months, combined_class, management_grade,
                             risk_grade)
from .enterprises import get_enterprise
from .errors import Invalid, invalid, problem
from .permissions import require, require_supervision_agency
from .reference_store import rows_in_force, table_data

NATURE_WORDS = {"general": "一般职业病危害因素", "severe": "严重职业病危害因素"}
CONFORMITY_WORDS = {"conform": "符合", "nonconform": "不符合"}
DUE_SOON_DAYS = 90  # shown as 即将到期 a quarter ahead: time to plan the reassessment visit
STATUS_WORDS = {"current": "有效", "due_soon": "即将到期", "overdue": "已逾期", "no_period": "情况变化时重评",
                "never": "未评定"}
SOURCE_WORDS = {"screen": "评定", "import": "导入", "registry": "名录原有分类"}


def assessable_schemes(session):
    """The schemes whose class the inputs give (those that grade by the matrix)."""
    return [row for row in table_data(session, "classification_schemes") if row.get("uses_matrix")]


def reassessment_months(session, scheme, on):
    """The scheme's reassessment period in months, or None when it only reassesses on change. The period is reference
    data: table classification_reassessment (reference/classification/reassessment.json; the 2023 pilot's three
    years, S9), as in force on the assessment date."""
    for row in rows_in_force(session, "classification_reassessment", on):
        if row["scheme"] == scheme:
            return row.get("interval_months")
    return None


def next_due(session, scheme, assessed_on):
    """The latest date for the next reassessment (None: on change only)."""
    months = reassessment_months(session, scheme, assessed_on)
    return add_months(assessed_on, months) if months else None


class ReassessmentPeriods:
    """next_due for a whole register at once: the periods in force only change on the days a verified change of the
    table takes effect, so they are read once per such stretch of days, not once per enterprise (a province's
    registry asks for tens of thousands of assessment dates)."""

    def __init__(self, session):
        self.session = session
        self.boundaries = sorted(set(session.scalars(sa.select(ReferenceVersion.in_force_from).where(
            ReferenceVersion.table_name == "classification_reassessment", ReferenceVersion.state == "verified",
            ReferenceVersion.applied_at.is_(None)))))
        self.periods = {}

    def next_due(self, scheme, assessed_on):
        stretch = bisect.bisect_right(self.boundaries, assessed_on)
        if stretch not in self.periods:
            self.periods[stretch] = {row["scheme"]: row.get("interval_months") for row in
                                     rows_in_force(self.session, "classification_reassessment", assessed_on)}
        months = self.periods[stretch].get(scheme)
        return add_months(assessed_on, months) if months else None


def due_status(due, assessed, today):
    """never | no_period | overdue | due_soon | current."""
    if not assessed:
        return "never"
    if due is None:
        return "no_period"
    if due < today:
        return "overdue"
    return "due_soon" if (due - today).days <= DUE_SOON_DAYS else "current"


def _check_scheme(session, scheme):
    if scheme not in {row["key"] for row in assessable_schemes(session)}:
        raise invalid("该分类方案不能按输入评定", "scheme", "not_assessable",
                      "该分类方案没有判定矩阵，不能在此评定，请选择“职业卫生分类监督执法试点”方案",
                      "This scheme has no grading matrix; choose the 2023 pilot scheme")


def _inputs(data):
    """The four inputs, checked for shape with every problem named (the tables check the values again)."""
    problems = []
    nature, conformity = data.get("hazard_nature"), data.get("exposure_conformity")
    headcount, score = data.get("exposed_headcount"), data.get("management_score")
    if nature not in HAZARD_NATURES:
        problems.append(problem("hazard_nature", "choice", "请选择危害性质：一般或严重", "Choose general or severe"))
    if conformity not in CONFORMITIES:
        problems.append(problem("exposure_conformity", "choice", "请选择接触水平：符合或不符合",
                                "Choose conform or nonconform"))
    if isinstance(headcount, bool) or not isinstance(headcount, int) or headcount < 0:
        problems.append(problem("exposed_headcount", "count", "接害人数应为非负整数", "A whole number ≥ 0"))
    if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 <= score <= 100:
        problems.append(problem("management_score", "range", "管理状况得分应在 0 至 100 之间", "A score 0–100"))
    if problems:
        raise Invalid("评定信息有误", details=problems)
    if isinstance(score, float) and score.is_integer():
        score = int(score)  # 92, not 92.0, wherever it is shown again
    return {"hazard_nature": nature, "exposure_conformity": conformity, "exposed_headcount": headcount,
            "management_score": score}


def grade(session, scheme, data, on):
    """The class the inputs give under the scheme's tables in force on `on`: label, meaning, risk and management
    grades, whether the matrix is verified, and the next reassessment date."""
    _check_scheme(session, scheme)
    inputs = _inputs(data)
    risk = risk_grade(inputs["hazard_nature"], inputs["exposure_conformity"], inputs["exposed_headcount"],
                      rows_in_force(session, "risk_grading", on))
    management = management_grade(inputs["management_score"], rows_in_force(session, "management_grade_bands", on),
                                  scheme)
    result = combined_class(risk, management, rows_in_force(session, "class_matrix", on),
                            rows_in_force(session, "classification_labels", on), scheme)
    return {**result, "inputs": inputs, "assessed_on": on, "next_due": next_due(session, scheme, on)}


def check_assessed_on(value, today, field="assessed_on"):
    """The assessment date: today when not given, never in the future."""
    day = value or today
    if day > today:
        raise invalid("评定日期不能晚于今天", field, "future", "评定日期不能晚于今天", "Not after today")
    return day


def latest(session, enterprise_id):
    """The enterprise's latest assessment (by date, then by when it was recorded), or None."""
    return session.scalar(sa.select(ClassAssessment).where(ClassAssessment.enterprise_id == enterprise_id)
                          .order_by(ClassAssessment.assessed_on.desc(), ClassAssessment.created_at.desc()).limit(1))


def follow_latest(session, enterprise):
    """Set the enterprise's class, scheme and date from its latest assessment; the change syncs to the tablets."""
    newest = latest(session, enterprise.id)
    if newest is None:
        return False
    values = {"hazard_class": newest.label, "hazard_class_scheme": newest.scheme,
              "hazard_class_assessed_on": newest.assessed_on}
    changed = [name for name, value in values.items() if getattr(enterprise, name) != value]
    if changed:
        change_no = allocate_changes(session)
        for name in changed:
            setattr(enterprise, name, values[name])
        enterprise.field_versions = {**(enterprise.field_versions or {}), **{name: change_no for name in changed}}
        enterprise.change_no = change_no
    return bool(changed)


def _keep_registry_class(session, enterprise, now):
    """The class typed into the registry before assessments were kept becomes the first history row (source
    registry, nobody's assessment, no inputs) when the enterprise is first assessed: the history loses nothing."""
    if not (enterprise.hazard_class and enterprise.hazard_class_scheme and enterprise.hazard_class_assessed_on):
        return
    if session.scalar(sa.select(sa.func.count()).where(ClassAssessment.enterprise_id == enterprise.id)):
        return
    session.add(ClassAssessment(enterprise_id=enterprise.id, region_id=enterprise.region_id,
                                scheme=enterprise.hazard_class_scheme, label=enterprise.hazard_class,
                                matrix_verified=False, inputs={}, assessed_on=enterprise.hazard_class_assessed_on,
                                next_due=next_due(session, enterprise.hazard_class_scheme,
                                                  enterprise.hazard_class_assessed_on),
                                source="registry", assessed_by=None, created_at=now))


def record_assessment(session, actor, enterprise, graded, *, source, note=None, now):
    """Keep one assessment (history), move the enterprise's current class to the latest, audit it."""
    before = enterprise.hazard_class
    _keep_registry_class(session, enterprise, now)
    row = ClassAssessment(enterprise_id=enterprise.id, region_id=enterprise.region_id, scheme=graded["scheme"],
                          label=graded["label"], risk_grade=graded["risk_grade"],
                          management_grade=graded["management_grade"], matrix_verified=graded["verified"],
                          inputs=graded["inputs"], assessed_on=graded["assessed_on"], next_due=graded["next_due"],
                          source=source, note=note, assessed_by=actor.user_id, created_at=now)
    session.add(row)
    session.flush()
    follow_latest(session, enterprise)
    audit.record(session, actor, "class.assess", enterprise.id, credit_code=enterprise.credit_code,
                 scheme=row.scheme, label=row.label, before=before, current=enterprise.hazard_class,
                 assessed_on=row.assessed_on.isoformat(), source=source, inputs=row.inputs)
    return row


def assess(session, actor, enterprise_id, data, *, clock):
    """Assess an enterprise's class from the scheme's inputs (a supervisor of the supervision agency)."""
    require(actor, "class.assess")
    require_supervision_agency(actor, "分类等级")
    enterprise = get_enterprise(session, actor, enterprise_id)
    today = clock.today()
    graded = grade(session, data.get("scheme") or PILOT_2023, data, check_assessed_on(data.get("assessed_on"), today))
    note = (data.get("note") or "").strip() or None
    record_assessment(session, actor, enterprise, graded, source="screen", note=note, now=clock.now())
    return class_file(session, actor, enterprise_id, today=today)


def _entry(row, names):
    return {"id": row.id, "scheme": row.scheme, "label": row.label, "risk_grade": row.risk_grade,
            "management_grade": row.management_grade, "matrix_verified": row.matrix_verified,
            "hazard_nature": NATURE_WORDS.get(row.inputs.get("hazard_nature")),
            "exposure_conformity": CONFORMITY_WORDS.get(row.inputs.get("exposure_conformity")),
            "exposed_headcount": row.inputs.get("exposed_headcount"),
            "management_score": row.inputs.get("management_score"), "assessed_on": row.assessed_on,
            "next_due": row.next_due, "source": SOURCE_WORDS.get(row.source, row.source), "note": row.note,
            "assessed_by_name": names.get(row.assessed_by)}


def _suggested(session, enterprise):
    """What the registry already says: exposed headcount, and hazards that hint at 严重 (a starting point only)."""
    factors = {row["key"]: row for row in table_data(session, "hazard_factors")}
    severe = [factors[key]["name_zh"] for key in enterprise.declared_hazards or () if factors.get(key, {}).get("severe_hint")]
    return {"exposed_headcount": enterprise.workers_exposed, "hazard_nature": "severe" if severe else None,
            "severe_hazards": severe}


def class_file(session, actor, enterprise_id, *, today):
    """An enterprise's class: current (with its next reassessment and status), history newest first, the inputs the
    scheme asks for and what the registry suggests for them."""
    require(actor, "class.read")
    enterprise = get_enterprise(session, actor, enterprise_id)
    rows = session.scalars(sa.select(ClassAssessment).where(ClassAssessment.enterprise_id == enterprise.id)
                           .order_by(ClassAssessment.assessed_on.desc(), ClassAssessment.created_at.desc())).all()
    names = dict(session.execute(sa.select(User.id, User.display_name).where(
        User.id.in_({r.assessed_by for r in rows}))).all())
    history = [_entry(row, names) for row in rows]
    if not history and enterprise.hazard_class:
        # A class typed into the registry before assessments were kept: shown as such, due from its date.
        history = [{"id": None, "scheme": enterprise.hazard_class_scheme, "label": enterprise.hazard_class,
                    "assessed_on": enterprise.hazard_class_assessed_on, "source": SOURCE_WORDS["registry"],
                    "next_due": next_due(session, enterprise.hazard_class_scheme, enterprise.hazard_class_assessed_on)
                    if enterprise.hazard_class_assessed_on else None}]
    current = history[0] if history else None
    due = current["next_due"] if current else None
    return {"enterprise": {"id": enterprise.id, "name": enterprise.name, "credit_code": enterprise.credit_code,
                           "region_id": enterprise.region_id},
            "current": current, "status": due_status(due, bool(current and current["assessed_on"]), today),
            "history": history, "suggested": _suggested(session, enterprise),
            "schemes": [{"key": row["key"], "title_zh": row.get("title_zh"), "reassessment_zh": row.get("reassessment_zh")}
                        for row in assessable_schemes(session)], "today": today}


def register(session, actor, *, region_id=None, status=None, today):
    """The 分类监督 register of the actor's jurisdiction: every enterprise with its class, date, next reassessment and
    status (filtered by status when asked), overdue first."""
    require(actor, "class.read")
    regions = sorted(actor.region_ids & {region_id}) if region_id else sorted(actor.region_ids)
    enterprises = session.execute(sa.select(Enterprise.id, Enterprise.name, Enterprise.credit_code, Enterprise.region_id,
                                            Enterprise.hazard_class, Enterprise.hazard_class_scheme,
                                            Enterprise.hazard_class_assessed_on)
                                  .where(Enterprise.region_id.in_(regions)).order_by(Enterprise.name)).all()
    dues, periods = latest_dues(session, regions), ReassessmentPeriods(session)
    items = []
    for e in enterprises:
        due = dues[e.id] if e.id in dues else (periods.next_due(e.hazard_class_scheme, e.hazard_class_assessed_on)
                                               if e.hazard_class and e.hazard_class_assessed_on else None)
        state = due_status(due, bool(e.hazard_class and e.hazard_class_assessed_on), today)
        if status and state != status:
            continue
        items.append({"id": e.id, "name": e.name, "credit_code": e.credit_code, "region_id": e.region_id,
                      "label": e.hazard_class, "scheme": e.hazard_class_scheme, "assessed_on": e.hazard_class_assessed_on,
                      "next_due": due, "status": state, "status_zh": STATUS_WORDS[state]})
    order = ("overdue", "never", "due_soon", "current", "no_period")
    items.sort(key=lambda item: order.index(item["status"]))
    return {"items": items, "counts": {key: sum(i["status"] == key for i in items) for key in order}}


def latest_dues(session, regions):
    """{enterprise id: next due of its latest assessment}."""
    rows = session.execute(sa.select(ClassAssessment.enterprise_id, ClassAssessment.next_due)
                           .join(Enterprise, Enterprise.id == ClassAssessment.enterprise_id)
                           .where(Enterprise.region_id.in_(regions))
                           .order_by(ClassAssessment.enterprise_id, ClassAssessment.assessed_on,
                                     ClassAssessment.created_at)).all()
    return {row.enterprise_id: row.next_due for row in rows}  # the last one per enterprise wins

