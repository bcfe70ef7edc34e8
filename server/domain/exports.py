"""Export tables for the national system and for reports: Chinese headers, one generator of rows per kind.

Rows are read with plain column queries in keyset-paged chunks (no ORM identity map), so a 100,000-row
export holds only the current chunk and a few small lookups in memory.
"""
import datetime as dt

import sqlalchemy as sa

from ..models import Enterprise, LabResult, Record, Region
from . import national_export
from .document_contexts import choice_labels
from .judgements import format_sig, round_sig
from .literacy import age_band, load_questionnaire, score_respondent
from .errors import Forbidden, Invalid, problem
from .permissions import readable_entities
from .rectifications import item_status
from .reviews import COUNTED_STATES
from .reference_store import table_data
from .values import day_or_none

CHUNK = 1000
ENTITY_OF = {"samples": "sample", "findings": "finding", "rectifications": "rectification_item",
             "assistance": "assistance_visit", "followups": "followup", "national": "sampling_visit",
             "literacy": "literacy_respondent"}
SAMPLE_TYPES = {"field": "现场样", "blank": "空白样", "parallel": "平行样"}
MODES = {"fixed_point": "定点", "personal": "个体"}
DURATIONS = {"long_time": "长时间", "short_time": "短时间", "direct_reading": "直读"}
RESULTS = {"conform": "符合", "nonconform": "不符合", "undetermined": "不判定"}
STATUS = {"done": "已落实", "partly_done": "部分落实", "not_done": "未落实", "not_applicable": "不涉及"}
VITAL = {"alive": "存活", "dead": "死亡", "lost": "失访"}
RECT_STATUS = {"open": "整改中", "due_soon": "即将到期", "overdue": "已逾期", "reinspecting": "复查中", "closed": "已销号"}
COLUMNS = (Record.id, Record.root_id, Record.enterprise_id, Record.region_id, Record.data, Record.computed)


def _records(session, actor, entity, filters):
    """Live records of one kind in scope, in (root, id) order, a chunk at a time."""
    kinds = readable_entities(actor)
    if kinds is not None and entity not in kinds:
        return
    roots = sa.orm.aliased(Record)
    handed_in = sa.select(roots.id).where(roots.parent_id.is_(None), roots.region_id.in_(sorted(actor.region_ids)),
                                          roots.review_status.in_(COUNTED_STATES))
    # The period in SQL by the roots' business date (the visit's or inspection's date): the rows read follow the
    # period asked for, not the history.
    if filters.get("date_from"):
        handed_in = handed_in.where(roots.business_date >= dt.date.fromisoformat(str(filters["date_from"])))
    if filters.get("date_to"):
        handed_in = handed_in.where(roots.business_date <= dt.date.fromisoformat(str(filters["date_to"])))
    query = (sa.select(*COLUMNS).where(Record.entity == entity, Record.deleted.is_(False),
                                       Record.region_id.in_(actor.region_ids), Record.root_id.in_(handed_in))
             .order_by(Record.root_id, Record.id))
    if filters.get("region_id"):
        query = query.where(Record.region_id == filters["region_id"])
    last = None
    while True:
        page_query = query if last is None else query.where(sa.tuple_(Record.root_id, Record.id) > last)
        page = session.execute(page_query.limit(CHUNK)).all()
        if not page:
            return
        yield from page
        last = (page[-1].root_id, page[-1].id)


def _in_period(day, filters):
    return (not filters.get("date_from") or (day or "") >= filters["date_from"]) and \
        (not filters.get("date_to") or (day or "") <= filters["date_to"])


class Lookups:
    """Enterprise and region names, and the current root's data (rows arrive grouped by root)."""

    def __init__(self, session):
        self.session = session
        self.enterprises = {row.id: row for row in session.execute(sa.select(
            Enterprise.id, Enterprise.name, Enterprise.credit_code, Enterprise.industry_name))}
        self.regions = dict(session.execute(sa.select(Region.id, Region.name)).all())
        self.hazards = {row["key"]: row["name_zh"] for row in table_data(session, "hazard_factors")}
        self._root = (None, None)

    def root(self, root_id):
        if self._root[0] != root_id:
            row = self.session.execute(sa.select(Record.data, Record.computed).where(Record.id == root_id)).first()
            verdicts = {}
            for group in ((row.computed or {}).get("evaluation") or {}).get("groups") or [] if row else []:
                for sample_id in group.get("sample_ids") or []:
                    verdicts[sample_id] = group.get("evaluation")
            self._root = (root_id, (row.data if row else {}, verdicts))
        return self._root[1]

    def enterprise(self, enterprise_id):
        found = self.enterprises.get(enterprise_id)
        return (found.name, found.credit_code, found.industry_name or "") if found else ("", "", "")


def _rounded(value, decimals):
    """A computed figure at the precision it is printed with (a volume to 0.1 L), still a number for the sheet."""
    return round(float(value), decimals) if isinstance(value, (int, float)) else value


def _significant(value, digits=3):
    """A concentration at 3 significant figures (as on the report), still a number for the sheet."""
    return round_sig(float(value), digits) if isinstance(value, (int, float)) else value


def sample_rows(session, actor, filters, today, forms=None):
    """样品检测结果: one row per sample with its evaluation."""
    lookups = Lookups(session)
    for row in _records(session, actor, "sample", filters):
        visit, verdicts = lookups.root(row.root_id)
        if not _in_period(visit.get("sampling_date"), filters):
            continue
        d, fields = row.data, (row.computed or {}).get("fields") or {}
        verdict = verdicts.get(row.id) or {}
        limits = "；".join(f"{u['limit_type']} {format_sig(u['value'])} {str(u.get('unit') or '').replace('m3', 'm³')}".strip()
                          for u in verdict.get("limits_used") or [])
        yield [*lookups.enterprise(row.enterprise_id), lookups.regions.get(row.region_id, ""),
               visit.get("sampling_date"), d.get("workshop"), d.get("post"), d.get("sampling_point"),
               d.get("sample_code"), SAMPLE_TYPES.get(d.get("sample_type"), ""),
               lookups.hazards.get(d.get("hazard_key"), d.get("hazard_key")), MODES.get(d.get("sampling_mode"), ""),
               DURATIONS.get(d.get("duration_type"), ""), fields.get("duration_min"), _rounded(fields.get("volume_l"), 1),
               _rounded(fields.get("standard_volume_l"), 1),
               _significant(verdict.get("c_twa") if verdict.get("c_twa") is not None else d.get("lab_concentration_mg_m3")),
               RESULTS.get(verdict.get("result"), "待检测" if d.get("sample_type") != "blank" else ""), limits]


def finding_rows(session, actor, filters, today, forms=None):
    """检查发现的问题: one row per finding of each inspection (the checklist item by its wording)."""
    lookups = Lookups(session)
    items = {row["key"]: row.get("title_zh") or row["key"] for row in table_data(session, "checklist_items")}
    for row in _records(session, actor, "finding", filters):
        inspection, _ = lookups.root(row.root_id)
        if not _in_period(inspection.get("inspection_date"), filters):
            continue
        d = row.data
        officers = "、".join(filter(None, [inspection.get("officer_1_name"), inspection.get("officer_2_name")]))
        yield [*lookups.enterprise(row.enterprise_id)[:2], lookups.regions.get(row.region_id, ""),
               inspection.get("inspection_date"), officers, items.get(d.get("item_key"), d.get("item_key")), d.get("fact"),
               d.get("violated_article"),
               d.get("penalty_article"), d.get("requirement"), d.get("deadline_date") or d.get("deadline_days")]


def rectification_rows(session, actor, filters, today, forms=None):
    """整改项: each item of the period's inspections with its deadline and state today."""
    lookups = Lookups(session)
    for row in _records(session, actor, "rectification_item", filters):
        d = row.data
        status = item_status(day_or_none(d.get("deadline")), d.get("closed_on"), d.get("status"), today)
        yield [*lookups.enterprise(row.enterprise_id)[:2], d.get("document_number"), d.get("fact"),
               d.get("requirement"), d.get("deadline"), RECT_STATUS[status], d.get("closed_on")]



def assistance_rows(session, actor, filters, today, forms=None):
    """帮扶走访: each visit with the aspects' state and the worker-level counts."""
    lookups = Lookups(session)
    for row in _records(session, actor, "assistance_visit", filters):
        d = row.data
        if not _in_period(d.get("visit_date"), filters):
            continue
        aspects = [STATUS.get(d.get(f"{key}_status"), "") for key in
                   ("declaration", "testing", "health_exam", "training", "protective_facilities", "ppe",
                    "warning_notice", "rules_records")]
        yield [*lookups.enterprise(row.enterprise_id)[:2], d.get("visit_date"), *aspects, d.get("exposed_workers"),
               d.get("workers_due_exam"), d.get("workers_examined"), d.get("workers_trained"),
               d.get("problems_found"), d.get("followup_date")]


def _choices_of(forms, form_id, entity):
    """{field: {value: Chinese label}} of the newest version of a form (every version keeps the old values)."""
    return choice_labels(forms.get(form_id, forms.versions(form_id)[-1]), entity) if forms else {}


def _label(choices, field, value):
    """A stored option key as people read it (a value the form does not list is shown as stored)."""
    return choices.get(field, {}).get(value, value) if value is not None else None


def followup_rows(session, actor, filters, today, forms=None):
    """尘肺病患者随访: one row per follow-up, every choice by its Chinese label."""
    choices = _choices_of(forms, "pneumoconiosis_followup", "followup")
    for row in _records(session, actor, "followup", filters):
        d = row.data
        if not _in_period(d.get("followup_date"), filters):
            continue
        yield [d.get("case_no"), d.get("patient_name"), *(_label(choices, f, d.get(f)) for f in (
            "sex", "pneumoconiosis_type", "stage")), d.get("followup_date"),
            _label(choices, "followup_method", d.get("followup_method")), VITAL.get(d.get("vital_status"), ""),
            d.get("death_date"), _label(choices, "death_cause", d.get("death_cause")),
            _label(choices, "lost_reason", d.get("lost_reason"))]


def literacy_rows(session, actor, filters, today, forms=None):
    """职业健康素养监测: one row per worker surveyed, scored with the questionnaire in force on the survey's date (the
    total, the score in %, 具备 or not, and each part's score in %); choices by their Chinese labels."""
    choices = _choices_of(forms, "literacy_survey", "literacy_respondent")
    rows = table_data(session, "literacy_questionnaire")
    lookups, questionnaires = Lookups(session), {}
    for row in _records(session, actor, "literacy_respondent", filters):
        survey = lookups.root(row.root_id)[0]
        day = survey.get("survey_date")
        if not _in_period(day, filters):
            continue
        if day not in questionnaires:
            questionnaires[day] = load_questionnaire(rows, day_or_none(day))
        questionnaire = questionnaires[day]
        d = row.data
        score = score_respondent(questionnaire, d)
        band = age_band(questionnaire, d.get("age"))
        parts = [score["dimensions"].get(key, {}).get("score_pct") for key in LITERACY_PARTS]
        yield [*lookups.enterprise(row.enterprise_id or survey.get("enterprise_id")), day, d.get("respondent_no"),
               _label(choices, "sex", d.get("sex")), d.get("age"), band[1] if band else "", d.get("post"),
               d.get("exposure_years"), _label(choices, "education", d.get("education")), score["points"],
               score["full_points"], _rounded(score["score_pct"], 1), "是" if score["literate"] else "否",
               *(_rounded(part, 1) for part in parts)]


LITERACY_PARTS = ("legal_knowledge", "protection_knowledge", "protection_skills", "healthy_work")

EXPORTS = {
    "samples": ("样品检测结果", ["用人单位名称", "统一社会信用代码", "行业类别", "所属区县", "采样日期", "车间", "岗位/工种",
                           "检测点", "样品编号", "样品类型", "职业病危害因素", "采样方式", "采样时间类型", "采样时长(min)",
                           "采样体积(L)", "标准采样体积(L)", "浓度(mg/m³)", "判定结果", "判定依据限值"], sample_rows),
    "findings": ("监督检查问题", ["用人单位名称", "统一社会信用代码", "所属区县", "检查日期", "执法人员", "检查项",
                              "问题描述", "违反条款", "处罚依据", "整改要求", "整改期限"], finding_rows),
    "rectifications": ("整改项跟踪", ["用人单位名称", "统一社会信用代码", "文书编号", "问题", "整改要求", "整改期限",
                                 "状态", "销号日期"], rectification_rows),
    "assistance": ("中小微企业帮扶", ["用人单位名称", "统一社会信用代码", "帮扶日期", "职业病危害项目申报", "定期检测",
                                "职业健康检查", "职业卫生培训", "防护设施", "个体防护用品", "警示标识与告知", "制度与档案",
                                "接害人数", "应检人数", "实检人数", "培训人数", "发现问题", "回访日期"], assistance_rows),
    "followups": ("尘肺病患者随访", ["病例编号", "姓名", "性别", "尘肺病种类", "期别", "随访日期", "随访方式", "生存状态",
                               "死亡日期", "死因", "失访原因"], followup_rows),
    "literacy": ("职业健康素养监测", ["用人单位名称", "统一社会信用代码", "行业类别", "调查日期", "编号", "性别", "年龄",
                                "年龄组", "岗位/工种", "接害工龄（年）", "文化程度", "得分", "满分", "得分率（%）",
                                "具备职业健康素养", "法律知识得分率（%）", "保护基本知识得分率（%）",
                                "保护基本技能得分率（%）", "健康工作方式和行为得分率（%）"], literacy_rows),
    "national": (national_export.SHEET_TITLE, [column.label_zh for column in national_export.COLUMNS],
                 lambda *args: national_monitoring_rows(*args)),  # defined below
}


def national_monitoring_rows(session, actor, filters, today, forms=None):
    """国家监测系统导出: per visit handed in, one row per post and hazard evaluated and one per noise post, with the
    enterprise's registry facts and the laboratory's analysis dates (server/domain/national_export.py)."""
    labels = national_export.export_labels(table_data(session, "hazard_factors"),  # the form's choice labels
                                           forms.get("sampling_record", forms.versions("sampling_record")[-1]),
                                           table_data(session, "oel_limits"))
    regions = {row.id: {"code": row.code, "name": row.name}
               for row in session.execute(sa.select(Region.id, Region.code, Region.name))}
    analysis = {}

    def visits():
        for row in _records(session, actor, "sampling_visit", filters):
            if not _in_period(row.data.get("sampling_date"), filters):
                continue
            members = session.execute(sa.select(Record.id, Record.entity, Record.data).where(
                Record.root_id == row.id, Record.deleted.is_(False),
                Record.entity.in_(("sample", "noise_measurement")))).all()
            analysis.update({sample_id: day for sample_id, day in session.execute(sa.select(
                LabResult.sample_id, LabResult.analysis_date).where(LabResult.visit_id == row.id))})
            enterprise = session.get(Enterprise, row.enterprise_id) if row.enterprise_id else None
            facts = {name: getattr(enterprise, name) for name in (
                "name", "credit_code", "industry_code", "industry_name", "size", "workers_total", "workers_exposed")} \
                if enterprise else {}
            yield national_export.MonitoredVisit(
                visit=row.data, evaluation=(row.computed or {}).get("evaluation"), enterprise=facts,
                samples=tuple(dict(m.data, id=m.id) for m in members if m.entity == "sample"),
                noise_measurements=tuple(dict(m.data, id=m.id) for m in members if m.entity == "noise_measurement"),
                region=regions.get(row.region_id, {}))

    yield from national_export.national_rows(visits(), labels, analysis_dates=analysis)  # filled visit by visit as rows are written


def export_table(session, actor, kind, filters, *, today, forms=None):
    """(sheet title, headers, row iterator) of an export kind; Invalid for an unknown kind. States such as overdue
    are as of `today` (the business date the export is written)."""
    if kind not in EXPORTS:
        raise Invalid("未知的导出类型", details=[{"field": "kind", "code": "choice", "message": "未知的导出类型",
                                              "message_en": f"Unknown export {kind}"}])
    kinds = readable_entities(actor)
    if kinds is not None and ENTITY_OF[kind] not in kinds:
        raise Forbidden(f"“{EXPORTS[kind][0]}”不是本机构的工作，不能导出", details=[problem(
            "kind", "other_agency", "本机构不能导出此类数据", "This kind is another agency's work")])
    title, headers, rows = EXPORTS[kind]
    return title, headers, rows(session, actor, filters or {}, today, forms)
