"""Enforcement checklist: the items that apply to an enterprise, in the national order, with their citations.

The rows come from reference/checklist/*.json and reference/law/articles.json; callers pass them in
(an admin may have edited them), nothing is read here. Notice wording follows reference.md §5.2.
"""
from .errors import Invalid, problem

DIGITS = "零一二三四五六七八九"


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


# --- dates as notices write them (卫生监督意见书, reference.md §5.2) ---


def format_date_zh(day):
    """2026-04-01 → 2026年4月1日 (no leading zeros, as notices write dates)."""
    return f"{day.year}年{day.month}月{day.day}日"


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
