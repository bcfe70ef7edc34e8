"""Rectification items 整改项: made from issued findings, followed by deadline, closed by re-inspection."""
from datetime import date

from .errors import Conflict, Invalid, problem

STATUSES = ("open", "due_soon", "overdue", "closed")
REINSPECTION_RESULTS = ("rectified", "partly_rectified", "not_rectified")
DEFAULT_DUE_SOON_DAYS = 7


def rectification_items_from_findings(findings):
    """One open rectification item per issued finding that needs rectification (on-site corrections have none)."""
    items, problems = [], []
    for index, finding in enumerate(findings):
        if not finding.get("requires_rectification"):
            continue
        if not isinstance(finding.get("deadline"), date):
            problems.append(problem(f"findings[{index}].deadline", "required", "需要整改的问题必须有整改期限",
                                     "A finding that needs rectification must have a deadline"))
            continue
        items.append({
            "finding_id": finding.get("id"),
            "item_key": finding["item_key"],
            "requirement": finding["requirement"],
            "original_deadline": finding["deadline"],
            "deadline": finding["deadline"],
            "closed_on": None,
            "reinspections": [],
        })
    if problems:
        raise Invalid("整改期限缺失", details=problems)
    return items


def _check_reinspection(item, result, reinspected_on, new_deadline):
    if item.get("closed_on") is not None:
        raise Conflict("该整改项已销号，不能再次复查。This rectification item is already closed.",
                       details=[problem("closed_on", "already_closed", "该整改项已销号", "The item is already closed")])
    problems = []
    if result not in REINSPECTION_RESULTS:
        problems.append(problem("result", "unknown_result", "复查结果应为 已整改/部分整改/未整改",
                                 "Result must be rectified, partly_rectified or not_rectified"))
    if new_deadline is not None and result == "rectified":
        problems.append(problem("new_deadline", "not_allowed", "已整改的项目不需要新的整改期限",
                                 "A rectified item takes no new deadline"))
    if new_deadline is not None and new_deadline <= reinspected_on:
        problems.append(problem("new_deadline", "deadline_not_after_reinspection", "新的整改期限必须晚于复查日期",
                                 "The new deadline must be after the re-inspection date"))
    if problems:
        raise Invalid("复查结果有误", details=problems)


def apply_reinspection(item, result, reinspected_on, new_deadline=None, note=None):
    """Copy of the item after a re-inspection (rectified closes; others may move the deadline); Conflict if closed."""
    _check_reinspection(item, result, reinspected_on, new_deadline)
    updated = dict(item)
    updated["reinspections"] = list(item.get("reinspections", ())) + [{
        "on": reinspected_on, "result": result, "note": note,
        "previous_deadline": item["deadline"], "new_deadline": new_deadline,
    }]
    if result == "rectified":
        updated["closed_on"] = reinspected_on
    elif new_deadline is not None:
        updated["deadline"] = new_deadline
    return updated


def rectification_status(item, today, due_soon_days=DEFAULT_DUE_SOON_DAYS):
    """closed, overdue (past the deadline day), due_soon (deadline within the window) or open."""
    if item.get("closed_on") is not None:
        return "closed"
    # "于…前改正" includes the deadline day itself: overdue starts the day after.
    days_left = (item["deadline"] - today).days
    if days_left < 0:
        return "overdue"
    if days_left <= due_soon_days:
        return "due_soon"
    return "open"


def summarize_rectifications(items, today, due_soon_days=DEFAULT_DUE_SOON_DAYS):
    """Counts per status (open, due_soon, overdue, closed), plus unresolved (= not closed) and total."""
    counts = dict.fromkeys(STATUSES, 0)
    for item in items:
        counts[rectification_status(item, today, due_soon_days)] += 1
    counts["unresolved"] = counts["open"] + counts["due_soon"] + counts["overdue"]
    counts["total"] = len(items)
    return counts
