"""Rectification items 整改项: made from issued findings, followed by deadline, closed by re-inspection.

States (DESIGN §7): 待整改 (open, due soon or overdue by the business clock) → 复查中 (a re-inspection records a
result, draft or submitted) → 已整改 / 未整改 only when the 复查意见书 is issued (销号 needs the document).
"""

REINSPECTION_RESULTS = ("rectified", "partly_rectified", "not_rectified")
DEFAULT_DUE_SOON_DAYS = 7


def mark_reinspecting(item_data, source_id):
    """An item a re-inspection is looking at (its result not yet issued): 复查中; a closed item stays closed."""
    if item_data.get("status") == "closed":
        return item_data
    pending = sorted(set(item_data.get("reinspection_pending") or []) | {source_id})
    return {**item_data, "status": "reinspecting", "reinspection_pending": pending}


def apply_reinspection_result(item_data, result, on, note, source_id):
    """A rectification item's data once the 复查意见书 with this result is issued (a result issued again
    replaces its earlier entry).

    The item is closed from the first issued re-inspection that found it rectified; 部分整改 / 未整改 keep it
    open (待整改 again, the history kept). An unknown result changes nothing.
    """
    if result not in REINSPECTION_RESULTS:
        return item_data
    history = [h for h in item_data.get("reinspections") or [] if h.get("reinspection_item_id") != source_id]
    history.append({"reinspection_item_id": source_id, "on": on.isoformat(), "result": result, "note": note})
    rectified = sorted(h["on"] for h in history if h["result"] == "rectified")
    pending = [p for p in item_data.get("reinspection_pending") or [] if p != source_id]
    status = "closed" if rectified else "reinspecting" if pending else "open"
    return {**item_data, "reinspections": history, "status": status, "reinspection_pending": pending,
            "closed_on": rectified[0] if rectified else None}


def rectification_status(item, today, due_soon_days=DEFAULT_DUE_SOON_DAYS):
    """closed, reinspecting (a re-inspection not yet issued), overdue (past the deadline day), due_soon (deadline
    within the window) or open."""
    if item.get("closed_on") is not None:
        return "closed"
    if item.get("reinspecting"):
        return "reinspecting"
    # "于…前改正" includes the deadline day itself: overdue starts the day after.
    days_left = (item["deadline"] - today).days
    if days_left < 0:
        return "overdue"
    if days_left <= due_soon_days:
        return "due_soon"
    return "open"


def item_status(deadline, closed_on, progress, today, due_soon_days=DEFAULT_DUE_SOON_DAYS):
    """The state of a stored item: its deadline (a date; none yet counts as today), the day it was closed and its
    progress (data.status: reinspecting while a re-inspection's result is not issued)."""
    return rectification_status({"deadline": deadline or today, "closed_on": closed_on,
                                 "reinspecting": progress == "reinspecting"}, today, due_soon_days)
