"""The fields of reference rows as people see them: a Chinese (and English) label for every field of every shipped
table, the type an admin's value must have, and which fields an edit may change.

Identity fields (a new period is a new row), verification fields (set by the second admin) and codes the rules
branch on (kinds, schemes, categories, grades) are never edited in place. A value is stored as typed or refused
with the field's name in Chinese.
"""
import datetime as dt
import math

from .errors import Invalid, problem

TEXT, NUMBER, INTEGER, DATE, OTHER = "text", "number", "integer", "date", "other"
TEXT_MAX = 4000

# field → (label in Chinese, label in English, type). OTHER: lists, objects and flags shown but not edited here.
FIELDS = {
    "conditions": ("加查的危害类别或情形", "Conditions added", OTHER),
    "focus_items": ("重点检查项", "Focus items", OTHER), "points_zh": ("行业检查要点", "Industry check points", OTHER),
    "key": ("标识", "Key", TEXT), "name_zh": ("中文名称", "Name (Chinese)", TEXT),
    "name_en": ("英文名称", "Name (English)", TEXT), "title_zh": ("中文标题", "Title (Chinese)", TEXT),
    "title_en": ("英文标题", "Title (English)", TEXT), "cas": ("CAS 号", "CAS number", TEXT),
    "category": ("类别", "Category", TEXT), "condition": ("适用条件（代码）", "Condition (code)", TEXT),
    "condition_zh": ("适用条件", "Condition", TEXT), "limit_type": ("限值类型", "Limit type", TEXT),
    "fraction": ("粉尘分类（总尘/呼尘）", "Dust fraction", TEXT), "value": ("数值", "Value", NUMBER),
    "unit": ("单位", "Unit", TEXT), "source_standard": ("依据标准", "Standard", TEXT),
    "amendment": ("修改单", "Amendment", TEXT), "effective_from": ("施行日期", "In force from", DATE),
    "effective_to": ("停止适用日期（当日起不再适用）", "No longer applies from", DATE),
    "confidence": ("来源可信度", "Confidence", TEXT), "verified": ("已核验", "Verified", OTHER),
    "verified_by": ("核验人", "Verified by", TEXT), "verified_at": ("核验日期", "Verified on", DATE),
    "sources": ("出处", "Sources", OTHER), "remarks": ("标识（皮、敏等）", "Remarks", OTHER),
    "note": ("备注", "Note", TEXT), "order": ("排列顺序", "Display order", INTEGER),
    "checks_zh": ("检查要点", "What to check", TEXT), "other_anchor_zh": ("其他依据", "Other basis", TEXT),
    "law_articles": ("法律条款", "Law articles", OTHER), "level": ("统计层级", "Level", TEXT),
    "numerator": ("分子", "Numerator", OTHER), "denominator": ("分母", "Denominator", OTHER),
    "target_pct": ("目标值（%）", "Target (%)", NUMBER), "higher_is_better": ("越高越好", "Higher is better", OTHER),
    "kind": ("种类", "Kind", TEXT), "implies": ("同时满足的条件", "Implies", OTHER),
    "source_row": ("原表行号", "Row in the source table", INTEGER), "group": ("所属分组", "Group", TEXT),
    "obligation_article": ("违反条款", "Article breached", TEXT), "penalty_article": ("处罚条款", "Penalty article", TEXT),
    "requirement_zh": ("整改要求", "Requirement", TEXT),
    "default_deadline_days": ("默认整改期限（日）", "Default deadline (days)", INTEGER),
    "applies_when": ("适用情形", "Applies when", OTHER), "field_confidence": ("各项可信度", "Confidence by field", OTHER),
    "scheme": ("分类方案", "Scheme", TEXT), "label": ("分类", "Class", TEXT), "risk_level": ("风险等级", "Risk level", TEXT),
    "meaning_zh": ("中文含义", "Meaning (Chinese)", TEXT), "meaning_en": ("英文含义", "Meaning (English)", TEXT),
    "risk_grade": ("风险等级", "Risk grade", TEXT), "management_grade": ("管理等级", "Management grade", TEXT),
    "ratio_pct": ("抽查比例（%）", "Share drawn (%)", NUMBER), "grade": ("等级", "Grade", TEXT),
    "min_score": ("最低分", "Lowest score", NUMBER), "max_score": ("最高分", "Highest score", NUMBER),
    "hazard_nature": ("危害程度", "Hazard nature", TEXT),
    "exposure_conformity": ("接触水平符合情况", "Exposure conformity", TEXT),
    "headcount_min": ("接触人数下限", "Fewest exposed workers", INTEGER),
    "headcount_max": ("接触人数上限", "Most exposed workers", INTEGER),
    "basis_zh": ("分类依据", "Basis", TEXT), "uses_matrix": ("使用分类矩阵", "Uses the matrix", OTHER),
    "reassessment_zh": ("重新评定", "Reassessment", TEXT), "rule": ("判定规则", "Rule", OTHER),
    "activity": ("工作内容", "Activity", TEXT), "interval_months": ("间隔（月）", "Interval (months)", INTEGER),
    "code": ("编号", "Code", TEXT), "number_kind": ("编号种类", "Number kind", TEXT),
    "template": ("文书编号模板", "Number template", TEXT), "nature_code": ("性质代字", "Nature code", TEXT),
    "seq_width": ("序号位数", "Sequence digits", INTEGER), "seq_prefix": ("序号前缀", "Sequence prefix", TEXT),
    "oel_key": ("对应限值", "Limit key", TEXT), "severe_hint": ("可能属严重危害", "Possibly severe", OTHER),
    "acute_hint": ("可能致急性中毒", "Possibly acute", OTHER), "entry_days": ("录入时限（日）", "Entry within (days)", INTEGER),
    "period_months": ("随访周期（月）", "Follow-up cycle (months)", INTEGER),
    "law_title_zh": ("法律法规名称", "Law", TEXT), "law_version": ("法律版本（施行日期）", "Law version", TEXT),
    "article": ("条", "Article", INTEGER), "paragraphs": ("款", "Paragraphs", OTHER), "items": ("项", "Items", OTHER),
    "citation_zh": ("引用文字", "Citation", TEXT), "subject_zh": ("条款内容", "Subject", TEXT),
    "penalty_summary_zh": ("处罚内容", "Penalty", TEXT),
    "max_count_per_day": ("每日最多次数", "Most per day", INTEGER),
    "exposure_time_rate_pct": ("接触时间率（%）", "Exposure time rate (%)", NUMBER),
    "work_intensity": ("体力劳动强度", "Work intensity", TEXT),
    "outdoor_design_temperature_min_c": ("室外通风设计温度下限（℃）", "Lowest outdoor design temperature (℃)", NUMBER),
    "ratio_above": ("比值下限（不含）", "Ratio above", NUMBER), "ratio_up_to": ("比值上限（含）", "Ratio up to", NUMBER),
    "label_zh": ("中文名称", "Label (Chinese)", TEXT), "label_en": ("英文名称", "Label (English)", TEXT),
    "trigger_multiple": ("超出倍数起算", "Trigger multiple", NUMBER),
    "max_minutes_each": ("每次最长（分钟）", "Longest each (min)", NUMBER),
    "min_gap_minutes": ("两次间隔至少（分钟）", "Shortest gap (min)", NUMBER),
    "ceiling_multiple": ("任何时候不得超过的倍数", "Ceiling multiple", NUMBER),
    "dust_multiple": ("粉尘倍数", "Dust multiple", NUMBER), "bands": ("分段", "Bands", OTHER),
    "diameter_min_mm": ("滤膜直径下限（mm）", "Smallest filter (mm)", NUMBER),
    "diameter_max_mm": ("滤膜直径上限（mm）", "Largest filter (mm)", NUMBER),
    "max_gain_mg": ("最大增重（mg）", "Largest gain (mg)", NUMBER),
    "rule_zh": ("规则表述", "Rule as printed", TEXT), "members": ("包含的危害因素", "Substances", OTHER),
    "days_after_change": ("变化后申报时限（日）", "Declare within (days after the change)", INTEGER),
    "base_year": ("基准年份（空：上一年）", "Base year (empty: the year before)", INTEGER),
    "required_levels": ("需要该环节的危害类别", "Hazard classes that need the stage", OTHER),
    "due_anchors": ("应完成日期的起算（依次取第一个已填日期，加天数）", "Due from (first date on file, plus days)", OTHER),
    "provision_zh": ("依据条款", "Provision", TEXT),
    "stability_months": ("稳定性检测周期（月）", "Stability-test cycle (months)", INTEGER),
    "status_months": ("状态检测周期（月）", "Status-test cycle (months)", INTEGER),
    "section_zh": ("所属工作", "Area of work", TEXT), "formula": ("计算公式", "Formula", OTHER),
    "entities": ("来源记录种类", "Computed from", OTHER), "target": ("目标值（工作指标目标值）", "Target row", TEXT),
    "by_team": ("按小组统计", "Computed per team", OTHER), "as_of": ("统计时点", "Counted as of", TEXT),
    "seed_zh": ("工作计划中的表述", "As the work plan reports it", TEXT),
    # 职业健康素养监测 (reference/literacy/questionnaire.json, domain/literacy.py)
    "literate_threshold_pct": ("具备素养的得分率（%）", "Literate from score (%)", NUMBER),
    "dimension_threshold_pct": ("各方面具备的得分率（%）", "Literate in a part from score (%)", NUMBER),
    "points_judgement": ("判断题每题分值", "Points per true/false question", NUMBER),
    "points_single": ("单选题每题分值", "Points per single-choice question", NUMBER),
    "points_multiple": ("多选题每题分值（全部选对得分）", "Points per multiple-choice question (all right)", NUMBER),
    "dimension": ("所属方面", "Part", TEXT), "question_type": ("题型", "Question type", TEXT),
    "text_zh": ("题目", "Question (Chinese)", TEXT), "text_en": ("题目（英文）", "Question (English)", TEXT),
    "options": ("选项", "Options", OTHER), "answer": ("正确答案", "Right answer", OTHER),
    "age_min": ("年龄下限（岁，含）", "From age (inclusive)", INTEGER),
    "age_max": ("年龄上限（岁，含）", "Up to age (inclusive)", INTEGER),
}

# Labels that say more in one table than the general one does.
TABLE_LABELS = {
    ("oel_limits", "value"): ("接触限值", "Limit value"), ("physical_limits", "value"): ("限值", "Limit value"),
    ("physical_limits", "kind"): ("限值种类", "Limit kind"), ("method_standards", "code"): ("标准编号", "Standard number"),
    ("document_nature_codes", "code"): ("性质代字", "Nature code"), ("sampling_qc", "value"): ("允许值", "Allowed value"),
}

# Never edited in place: identity (add a row for a new period), verification (the verify action) and the codes
# rules branch on (a changed code would make the row mean something else).
FIXED = frozenset({"key", "effective_from", "confidence", "verified", "verified_by", "verified_at", "sources",
                   "condition", "limit_type", "fraction", "unit", "category", "kind", "scheme", "group", "level",
                   "label", "risk_level", "risk_grade", "management_grade", "grade", "hazard_nature",
                   "exposure_conformity", "activity", "number_kind", "nature_code", "oel_key", "work_intensity",
                   "source_row", "dimension", "question_type"})


# May be empty in any row, even when every shipped row happens to fill them.
OPTIONAL = frozenset({"note", "amendment", "effective_to", "base_year", "seed_zh", "target", "formula"})  # base_year empty: the year before

# Set by the system when a second admin verifies, never typed.
SYSTEM = frozenset({"confidence", "verified", "verified_by", "verified_at"})


def field_label(table, field):
    """(Chinese, English) label of a field of a table; the field's own name only for a field nobody catalogued."""
    if (table, field) in TABLE_LABELS:
        return TABLE_LABELS[(table, field)]
    zh, en, _type = FIELDS.get(field, (field, field, OTHER))
    return zh, en


def field_type(field):
    """text | number | integer | date | other."""
    return FIELDS.get(field, (None, None, OTHER))[2]


def editable(field):
    """True when an edit may change the field."""
    return field not in FIXED and field_type(field) in (TEXT, NUMBER, INTEGER, DATE)


def table_fields(table, rows):
    """The fields of a table's rows, in the order the first row has them: key, labels, type, editable, and whether
    a value is required (every row has one, so the rules that read it may rely on it; notes never are)."""
    names = []
    for data in rows:
        names += [name for name in data if name not in names]
    fields = []
    for name in names:
        zh, en = field_label(table, name)
        fields.append({"key": name, "label_zh": zh, "label_en": en, "type": field_type(name),
                       "editable": editable(name),
                       "required": name not in OPTIONAL and all(data.get(name) is not None for data in rows)})
    return fields


def _typed(kind, value):
    """The value as stored, or ValueError."""
    if kind == TEXT:
        if not isinstance(value, str) or len(value) > TEXT_MAX:
            raise ValueError
        return value.strip() or None
    if kind == DATE:
        if not isinstance(value, str):
            raise ValueError
        return dt.date.fromisoformat(value).isoformat()
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError
    if kind == INTEGER:
        if float(value) != int(value):
            raise ValueError
        return int(value)
    return value


_TYPE_WORDS = {TEXT: ("文字", "text"), NUMBER: ("数字", "a number"), INTEGER: ("整数", "a whole number"),
               DATE: ("日期（年-月-日）", "a date (YYYY-MM-DD)")}


def checked_changes(table, fields, changes, *, new_row=False):
    """The changes typed as they will be stored; Invalid naming every refused field in Chinese otherwise. For a new
    row every field of the table may be given (identity included) and every required one must be."""
    known = {f["key"]: f for f in fields}
    typed, problems = {}, []
    if new_row:
        changes = {**{f["key"]: None for f in fields if f["required"] and f["type"] != OTHER and f["key"] not in SYSTEM},
                   **changes}
    for name, value in changes.items():
        zh, en = field_label(table, name)
        spec = known.get(name)
        if new_row and spec is not None and spec["type"] == OTHER and name not in SYSTEM:
            typed[name] = value  # lists and objects: the table's own rules check their shape
            continue
        if spec is None or not (spec["editable"] or (new_row and name not in SYSTEM)):
            problems.append(problem(name, "readonly", f"“{zh}”不能在此修改（标识字段请新增一行；核验请用核验操作）",
                                    f"{en} cannot be changed here (add a row for a new period; verify to verify)"))
            continue
        if value is None or value == "":
            if spec["required"]:
                problems.append(problem(name, "required", f"“{zh}”不能为空", f"{en} is required"))
            else:
                typed[name] = None
            continue
        try:
            typed[name] = _typed(spec["type"], value)
        except (TypeError, ValueError):
            words_zh, words_en = _TYPE_WORDS[spec["type"]]
            problems.append(problem(name, "type", f"“{zh}”须为{words_zh}", f"{en} must be {words_en}"))
            continue
        if typed[name] is None and spec["required"]:
            problems.append(problem(name, "required", f"“{zh}”不能为空", f"{en} is required"))
    if problems:
        raise Invalid("修改未保存：有字段不符合要求", details=problems)
    return typed
