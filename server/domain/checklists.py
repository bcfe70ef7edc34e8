"""Enforcement checklist: applicable items in the national order, results → findings → notice text.

The rows come from reference/checklist/*.json and reference/law/articles.json; callers pass them in
(an admin may have edited them), nothing is read here. Notice wording follows reference.md §5.2.
"""
from datetime import date, timedelta

from .errors import Invalid, problem

DIGITS = "零一二三四五六七八九"
RESULTS = ("conform", "nonconform", "corrected_on_site", "not_applicable")
# A finding needs facts on the record: the notice states them, and an on-site correction must say what was fixed.
NOTE_REQUIRED = ("nonconform", "corrected_on_site")
TRAILING_PUNCTUATION = "。；;，,.、 \n\t"


def chinese_numeral(number):
    """1–99 in Chinese numerals as legal citations write them: 10 → 十, 15 → 十五, 35 → 三十五."""
    if not isinstance(number, int) or not 0 < number < 100:
        raise ValueError(f"article numbers are 1–99, got {number!r}")
    tens, ones = divmod(number, 10)
    if tens == 0:
        return DIGITS[ones]
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def article_citation(law_title, article, paragraphs=(), items=()):
    """Citation as a notice prints it: 《…》第三十五条第一款, 第七十一条第（四）项 (full-width parentheses)."""
    text = f"《{law_title}》第{chinese_numeral(article)}条"
    text += "、".join(f"第{chinese_numeral(p)}款" for p in paragraphs)
    text += "、".join(f"第（{chinese_numeral(i)}）项" for i in items)
    return text


def expand_conditions(declared, conditions, has_construction_project=False):
    """Declared categories and flags plus what they imply, always and any_hazard; Invalid for unknown tokens."""
    # Unknown tokens are refused rather than ignored: a typo must not silently drop checklist items.
    by_key = {row["key"]: row for row in conditions}
    declared = list(declared or ())
    if has_construction_project:
        declared.append("construction_project")
    unknown = [token for token in declared if token not in by_key or by_key[token]["kind"] in ("always", "any_hazard")]
    if unknown:
        raise Invalid("申报的危害类别或情形无法识别", details=[
            problem("declared_hazards", "unknown_condition", f"未知的类别：{token}", f"Unknown category: {token}")
            for token in unknown])
    expanded, pending = set(), list(declared)
    while pending:
        token = pending.pop()
        if token not in expanded:
            expanded.add(token)
            pending.extend(by_key.get(token, {}).get("implies", ()))
    if any(by_key.get(token, {}).get("kind") == "hazard" for token in expanded):
        expanded.add("any_hazard")
    expanded.add("always")
    return frozenset(expanded)


def item_applies(item, expanded_conditions):
    """True when any condition of the item's applies_when holds."""
    return any(token in expanded_conditions for token in item["applies_when"]["any_of"])


def applicable_items(items, conditions, declared, has_construction_project=False):
    """Checklist rows that apply to an enterprise with these declared categories, in checklist order."""
    expanded = expand_conditions(declared, conditions, has_construction_project)
    return [item for item in sorted(items, key=lambda row: row["order"]) if item_applies(item, expanded)]


def group_items(items, groups):
    """Items grouped under the nine national headings, in the plan's order; empty groups are left out."""
    by_group = {}
    for item in sorted(items, key=lambda row: row["order"]):
        by_group.setdefault(item["group"], []).append(item)
    unknown = sorted(set(by_group) - {group["key"] for group in groups})
    if unknown:
        raise Invalid("检查项分组不存在", details=[
            problem("group", "unknown_group", f"未知分组：{key}", f"Unknown group: {key}") for key in unknown])
    return [{"key": group["key"], "title_zh": group["title_zh"], "title_en": group["title_en"],
             "items": by_group[group["key"]]}
            for group in sorted(groups, key=lambda row: row["order"]) if group["key"] in by_group]


def resolve_items(items, articles):
    """Items by key with violated_citation and penalty_citation added; Invalid for an unknown article key."""
    citations = {row["key"]: row["citation_zh"] for row in articles}
    resolved, problems = {}, []
    for item in items:
        entry = dict(item)
        for field, target in (("obligation_article", "violated_citation"), ("penalty_article", "penalty_citation")):
            key = item.get(field)
            if key is not None and key not in citations:
                problems.append(problem(f"{item['key']}.{field}", "unknown_article",
                                         f"法条不存在：{key}", f"Unknown law article: {key}"))
            entry[target] = citations.get(key) if key else None
        resolved[item["key"]] = entry
    if problems:
        raise Invalid("检查项引用的法条不存在", details=problems)
    return resolved


# --- findings and the notice body (卫生监督意见书, reference.md §5.2) ---


def format_date_zh(day):
    """2026-04-01 → 2026年4月1日 (no leading zeros, as notices write dates)."""
    return f"{day.year}年{day.month}月{day.day}日"


def _as_date(value, field):
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise Invalid("日期格式错误", details=[problem(field, "date", "日期应为 YYYY-MM-DD", "Date must be YYYY-MM-DD")])


def _check_result(index, result, items, inspection_date):
    """Field-level problems of one checklist result."""
    field = f"results[{index}]"
    problems = []
    if result.get("item_key") not in items:
        problems.append(problem(f"{field}.item_key", "unknown_item", "检查项不存在", "Unknown checklist item"))
    outcome = result.get("result")
    if outcome not in RESULTS:
        problems.append(problem(f"{field}.result", "unknown_result", "检查结果应为 符合/不符合/当场改正/不适用",
                                 "Result must be conform, nonconform, corrected_on_site or not_applicable"))
    if outcome in NOTE_REQUIRED and not (result.get("note") or "").strip():
        problems.append(problem(f"{field}.note", "note_required", "不符合或当场改正的检查项必须记录现场情况",
                                 "A nonconformity or on-site correction needs a note of what was seen"))
    if outcome == "nonconform" and result.get("deadline") is not None:
        try:
            deadline = _as_date(result["deadline"], f"{field}.deadline")
        except Invalid as exc:
            return problems + exc.details
        if deadline < inspection_date:
            problems.append(problem(f"{field}.deadline", "deadline_before_inspection", "整改期限不能早于检查日期",
                                     "The deadline cannot be before the inspection date"))
    return problems


def _finding(result, item, inspection_date):
    corrected = result["result"] == "corrected_on_site"
    deadline = None
    if not corrected:
        override = result.get("deadline")
        deadline = (_as_date(override, "deadline") if override is not None
                    else inspection_date + timedelta(days=item["default_deadline_days"]))
    requirement = (result.get("requirement") or "").strip() or item["requirement_zh"]
    return {
        "result_id": result.get("id"),
        "item_key": item["key"],
        "group": item["group"],
        "title_zh": item["title_zh"],
        "outcome": result["result"],
        "observed_fact": result["note"].strip(),
        "violated_article": item.get("obligation_article"),
        "violated_citation": item.get("violated_citation"),
        "penalty_article": item.get("penalty_article"),
        "penalty_citation": item.get("penalty_citation"),
        "requirement": requirement,
        "inspection_date": inspection_date,
        "deadline": deadline,
        "immediate": deadline == inspection_date,
        # Corrected on site: kept as evidence in the record, but nothing to follow up.
        "requires_rectification": not corrected,
    }


def findings_from_results(results, items, inspection_date):
    """Finding drafts from nonconform/corrected_on_site results, with overrides; Invalid lists every bad one."""
    inspection_date = _as_date(inspection_date, "inspection_date")
    problems = []
    for index, result in enumerate(results):
        problems.extend(_check_result(index, result, items, inspection_date))
    if problems:
        raise Invalid("检查结果有误", details=problems)
    return [_finding(result, items[result["item_key"]], inspection_date)
            for result in results if result["result"] in NOTE_REQUIRED]


def render_finding(finding, number):
    """One numbered paragraph: fact, violated article, legal basis, deadline and requirement."""
    text = f"{number}. {finding['observed_fact'].rstrip(TRAILING_PUNCTUATION)}"
    text += f"，违反了{finding['violated_citation']}的规定。" if finding.get("violated_citation") else "。"
    when = "立即" if finding["immediate"] else f"于{format_date_zh(finding['deadline'])}前"
    if finding.get("penalty_citation"):
        text += f"依据{finding['penalty_citation']}的规定，责令你单位{when}改正。"
    else:
        # No penalty article (e.g. 第二十一条 funding): advise correction without claiming a legal basis for an order.
        text += f"请你单位{when}改正。"
    requirement = finding["requirement"].rstrip(TRAILING_PUNCTUATION)
    return text + f"改正要求：{requirement}。"


def render_notice_body(findings, closing=None):
    """The 监督意见 text: 经查… and one paragraph per finding to rectify; Invalid when there is none."""
    due = [finding for finding in findings if finding["requires_rectification"]]
    if not due:
        raise Invalid("没有需要整改的问题", details=[problem("findings", "no_findings", "没有需要整改的问题，无需出具整改意见",
                                                          "No finding needs rectification")])
    lines = ["经查，你单位存在以下问题："]
    lines.extend(render_finding(finding, number) for number, finding in enumerate(due, 1))
    if closing:
        lines.append(closing)
    return "\n".join(lines)


def conditions_for_factors(factor_keys, hazard_factors):
    """Checklist condition tokens implied by an enterprise's declared hazard factors.

    Unknown factor keys are ignored here (the registry may hold local factors): the categories the known
    ones imply are what decides which items apply.
    """
    by_key = {row["key"]: row for row in hazard_factors}
    tokens = set()
    for key in factor_keys or ():
        row = by_key.get(key)
        if row is None:
            continue
        category = row.get("category")
        tokens.add("noise" if key == "noise" else category)
        if row.get("severe_hint"):
            tokens.add("severe_hazard")
        if row.get("acute_hint"):
            tokens.add("acute_risk")
    return sorted(token for token in tokens if token)
