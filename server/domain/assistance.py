"""Indicators of the SME assistance programme 帮扶 (申报率, 定期检测率, 体检率, 培训率 …), baseline vs latest.

Definitions come from reference/assistance/rates.json: numerator and denominator are declared as an
operation over named fields of the visit records, so a province can add or change a rate without code.
"""
from datetime import date

from .errors import Invalid, problem

OPERATIONS = ("count", "count_true", "count_known", "sum")


def _aggregate(spec, visits):
    op = spec["op"]
    if op == "count":
        return len(visits)
    if op == "count_true":
        # Unknown (missing) counts as not achieved: an assisted enterprise is in the denominator either way.
        return sum(1 for visit in visits if visit.get(spec["field"]) is True)
    if op == "count_known":
        # The rows where the question applies (a yes or a no): a status evaluation only where the law asks for one.
        return sum(1 for visit in visits if isinstance(visit.get(spec["field"]), bool))
    if op == "sum":
        return sum(visit.get(spec["field"]) or 0 for visit in visits)
    raise Invalid("指标定义无效", details=[problem("op", "unknown_operation", f"未知运算：{op}", f"Unknown operation: {op}")])


def _check_values(visits, definitions):
    """Field-level problems: wrong types, negative counts, a part larger than its whole in one visit."""
    problems = []
    for index, visit in enumerate(visits):
        for definition in definitions:
            num, den = definition["numerator"], definition["denominator"]
            for spec in (num, den):
                value = visit.get(spec.get("field")) if spec.get("field") else None
                if value is None:
                    continue
                if spec["op"] in ("count_true", "count_known") and not isinstance(value, bool):
                    problems.append(problem(spec["field"], "boolean", "应为是/否", "Must be true or false", row=index))
                if spec["op"] == "sum" and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                    problems.append(problem(spec["field"], "count", "应为非负整数", "Must be a whole number ≥ 0", row=index))
            if num["op"] == den["op"] == "sum":
                part, whole = visit.get(num["field"]), visit.get(den["field"])
                if isinstance(part, int) and isinstance(whole, int) and part > whole:
                    problems.append(problem(num["field"], "exceeds_total", f"不能大于{den['field']}",
                                             f"Cannot exceed {den['field']}", row=index))
    # One problem per field and row is enough, however many rates share the field.
    unique = {(p["field"], p["code"], p["row"]): p for p in problems}
    return list(unique.values())


def compute_rates(visits, definitions):
    """Rates over one visit per enterprise, key → result; value_pct None for a zero denominator; Invalid on bad data."""
    # No data is neither 0 % nor 100 %: a dashboard must show "—", not a made-up figure.
    seen, duplicates = set(), []
    for index, visit in enumerate(visits):
        if visit.get("enterprise_id") in seen:
            duplicates.append(problem("enterprise_id", "duplicate", "同一企业出现多次", "Enterprise listed twice",
                                      row=index))
        seen.add(visit.get("enterprise_id"))
    problems = duplicates + _check_values(visits, definitions)
    if problems:
        raise Invalid("帮扶数据有误", details=problems)
    return {definition["key"]: _rate(definition, visits) for definition in definitions}


def _rate(definition, visits):
    numerator = _aggregate(definition["numerator"], visits)
    denominator = _aggregate(definition["denominator"], visits)
    value = numerator / denominator * 100 if denominator else None
    target = definition.get("target_pct")
    meets = None
    if value is not None and target is not None:
        meets = value >= target if definition.get("higher_is_better", True) else value <= target
    return {"key": definition["key"], "title_zh": definition["title_zh"], "level": definition["level"],
            "numerator": numerator, "denominator": denominator, "value_pct": value,
            "target_pct": target, "meets_target": meets}


def _visit_day(visit, index):
    value = visit.get("visit_date")
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise Invalid("走访日期有误", details=[problem("visit_date", "date", "日期应为 YYYY-MM-DD",
                                                   "Date must be YYYY-MM-DD", row=index)])


def first_and_latest_visits(visits):
    """(baseline, latest): each enterprise's first and most recent visit; same-day ties keep input order."""
    ordered = sorted(enumerate(visits), key=lambda pair: (_visit_day(pair[1], pair[0]), pair[0]))
    first, last = {}, {}
    for _, visit in ordered:
        first.setdefault(visit["enterprise_id"], visit)
        last[visit["enterprise_id"]] = visit
    return list(first.values()), list(last.values())


def baseline_and_latest_rates(visits, definitions):
    """Rates at the first visit and at the latest visit of every assisted enterprise, for reporting improvement."""
    baseline, latest = first_and_latest_visits(visits)
    return {"enterprises": len(latest), "baseline": compute_rates(baseline, definitions),
            "latest": compute_rates(latest, definitions)}
