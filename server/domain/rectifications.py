"""Rectification items 整改项: made from issued findings, followed by deadline, closed by re-inspection."""

REINSPECTION_RESULTS = ("rectified", "partly_rectified", "not_rectified")
DEFAULT_DUE_SOON_DAYS = 7


def apply_reinspection_result(item_data, result, on, note, source_id):
    """A rectification item's data after one re-inspection result (a re-sent result replaces its earlier entry).

    The item is closed from the first re-inspection that found it rectified; 部分整改 / 未整改 keep it open. An
    unknown result changes nothing.
    """
    if result not in REINSPECTION_RESULTS:
        return item_data
    history = [h for h in item_data.get("reinspections") or [] if h.get("reinspection_item_id") != source_id]
    history.append({"reinspection_item_id": source_id, "on": on.isoformat(), "result": result, "note": note})
    rectified = sorted(h["on"] for h in history if h["result"] == "rectified")
    return {**item_data, "reinspections": history, "status": "closed" if rectified else "open",
            "closed_on": rectified[0] if rectified else None}


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
