"""Classified enforcement 分类监督执法: severe hazards, risk grade Ⅰ/Ⅱ/Ⅲ, management grade A/B/C, class 甲/乙/丙.

甲 means highest risk in the 2019 guide and lowest risk in the 2023 pilot (reference.md §4.2), so every
class returned here carries its scheme. Tables come from reference/classification/*.json.
"""
import calendar
from datetime import date

from .errors import invalid

# Latin look-alikes are accepted on input; the stored and returned form is the Roman-numeral character.
ROMAN_GRADES = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "Ⅰ": "Ⅰ", "Ⅱ": "Ⅱ", "Ⅲ": "Ⅲ"}
HAZARD_NATURES = ("general", "severe")
CONFORMITIES = ("conform", "nonconform")
PILOT_2023 = "class_pilot_2023"


def _rule_holds(rule, factor):
    value = factor.get(rule["field"])
    op = rule["op"]
    if op == "is_true":
        holds = value is True
    elif op == "eq":
        holds = value == rule["value"]
    elif op == "gte":
        holds = value is not None and value >= rule["value"]
    elif op == "in":
        holds = value in rule["value"]
    else:
        raise invalid("判定规则无效", "op", "unknown_operation", f"未知运算：{op}", f"Unknown operation: {op}")
    return holds and not (rule.get("unless") and _rule_holds(rule["unless"], factor))


def severe_hazard_reasons(factor, rules):
    """Keys of the severe-hazard rules that a hazard factor meets (empty: the factor is 一般)."""
    return [row["key"] for row in rules if _rule_holds(row["rule"], factor)]


def hazard_nature(factors, rules):
    """'severe' when any of the enterprise's hazard factors is 严重, else 'general'."""
    return "severe" if any(severe_hazard_reasons(factor, rules) for factor in factors) else "general"


def risk_grade(nature, conformity, exposed_headcount, table):
    """Risk grade Ⅰ/Ⅱ/Ⅲ from hazard nature (general/severe), exposure conformity and exposed headcount."""
    if nature not in HAZARD_NATURES:
        raise invalid("危害性质无效", "hazard_nature", "choice", "应为 一般/严重", "Must be general or severe")
    if conformity not in CONFORMITIES:
        raise invalid("接触水平判定无效", "exposure_conformity", "choice", "应为 符合/不符合", "Must be conform or nonconform")
    if isinstance(exposed_headcount, bool) or not isinstance(exposed_headcount, int) or exposed_headcount < 0:
        raise invalid("接触人数无效", "exposed_headcount", "count", "应为非负整数", "Must be a whole number ≥ 0")
    for row in table:
        if (row["hazard_nature"] == nature and row["exposure_conformity"] == conformity
                and row["headcount_min"] <= exposed_headcount
                and (row["headcount_max"] is None or exposed_headcount <= row["headcount_max"])):
            return ROMAN_GRADES[row["grade"]]
    raise invalid("风险分级表不完整", "risk_grading", "no_row", "分级表中没有对应的行", "No row of the grading table matches")


def management_grade(score, bands, scheme=PILOT_2023):
    """Management grade A/B/C from a 0–100 score: the band with the highest min_score not above it."""
    if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 <= score <= 100:
        raise invalid("管理状况得分无效", "management_score", "range", "得分应在 0 至 100 之间", "Score must be 0–100")
    candidates = [row for row in bands if row["scheme"] == scheme and row["min_score"] <= score]
    if not candidates:
        raise invalid("管理分级表不完整", "management_grade_bands", "no_row", "没有对应的分级", "No band matches")
    return max(candidates, key=lambda row: row["min_score"])["grade"]


def class_meaning(label, scheme, labels):
    """What a class label means in a scheme: {label, scheme, risk_level, meaning_zh, meaning_en}."""
    for row in labels:
        if row["scheme"] == scheme and row["label"] == label:
            return {"label": label, "scheme": scheme, "risk_level": row["risk_level"],
                    "meaning_zh": row["meaning_zh"], "meaning_en": row["meaning_en"]}
    raise invalid("分类类别无效", "hazard_class", "unknown_label", f"方案 {scheme} 中没有类别 {label}",
                   f"No class {label} in scheme {scheme}")


def combined_class(grade, management, matrix, labels, scheme=PILOT_2023):
    """Class 甲/乙/丙 from risk grade × management grade, always with its scheme and whether the matrix is verified."""
    grade = ROMAN_GRADES.get(grade)
    for row in matrix:
        if row["scheme"] == scheme and ROMAN_GRADES.get(row["risk_grade"]) == grade \
                and row["management_grade"] == management:
            result = class_meaning(row["label"], scheme, labels)
            result.update({"risk_grade": grade, "management_grade": management, "matrix_key": row["key"],
                           "verified": bool(row["verified"])})
            return result
    raise invalid("无法判定综合风险类别", "class_matrix", "no_row", f"矩阵中没有 {grade}-{management}",
                   f"No matrix cell {grade}-{management} in scheme {scheme}")


def add_months(day, months):
    """Same day `months` later, clamped to the month's end (2024-02-29 + 12 → 2025-02-28)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_due_date(last_date, nature, frequency, activity="testing"):
    """Latest date for the next periodic test (or status evaluation); None when the rule sets no interval."""
    for row in frequency:
        if row["hazard_nature"] == nature and row["activity"] == activity:
            return add_months(last_date, row["interval_months"])
    return None


def inspection_sampling_ratio(label, scheme, policy):
    """Share (in %) of enterprises of a class to draw for inspection under the local policy."""
    for row in policy:
        if row["scheme"] == scheme and row["label"] == label:
            return row["ratio_pct"]
    raise invalid("抽查比例未设置", "inspection_sampling_policy", "no_row", f"方案 {scheme} 类别 {label} 没有抽查比例",
                   f"No sampling ratio for class {label} in scheme {scheme}")
