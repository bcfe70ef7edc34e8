"""A supervisor watches rectification deadlines; the inspector's re-inspection closes or keeps them open
(server/domain/rectifications.py, the rules sync applies when a re-inspection arrives)."""
from datetime import date

import pytest

from server.domain.rectifications import apply_reinspection_result, rectification_status

DEADLINE = date(2026, 4, 1)


@pytest.fixture
def item():
    return {"finding_id": "f1", "fact": "未组织在岗期间职业健康检查", "deadline": DEADLINE, "status": "open",
            "closed_on": None}


@pytest.mark.parametrize("today, status", [
    (date(2026, 3, 2), "open"),
    (date(2026, 3, 24), "open"),       # 8 days left
    (date(2026, 3, 25), "due_soon"),   # 7 days left
    (date(2026, 4, 1), "due_soon"),    # the deadline day itself is still in time ("于…前改正")
    (date(2026, 4, 2), "overdue"),
])
def test_status_follows_the_calendar(item, today, status):
    assert rectification_status(item, today) == status


def test_the_due_soon_window_is_configurable(item):
    assert rectification_status(item, date(2026, 3, 18), due_soon_days=14) == "due_soon"
    assert rectification_status(item, date(2026, 3, 18)) == "open"


def test_a_rectified_result_closes_the_item_on_the_reinspection_day(item):
    closed = apply_reinspection_result(item, "rectified", date(2026, 4, 3), "已组织体检并书面告知", "r1")
    assert (closed["status"], closed["closed_on"]) == ("closed", "2026-04-03")
    assert closed["reinspections"] == [{"reinspection_item_id": "r1", "on": "2026-04-03", "result": "rectified",
                                        "note": "已组织体检并书面告知"}]
    assert rectification_status({**closed, "deadline": DEADLINE}, date(2026, 5, 1)) == "closed"
    assert item["closed_on"] is None  # the stored item is not changed in place


@pytest.mark.parametrize("result", ["partly_rectified", "not_rectified"])
def test_partly_or_not_rectified_keeps_the_item_open_with_its_history(item, result):
    still = apply_reinspection_result(item, result, date(2026, 4, 3), "已预约体检机构", "r1")
    assert (still["status"], still["closed_on"]) == ("open", None)
    assert [h["result"] for h in still["reinspections"]] == [result]
    assert rectification_status(still, date(2026, 4, 3)) == "overdue"


def test_a_corrected_result_from_the_same_reinspection_replaces_the_earlier_one(item):
    first = apply_reinspection_result(item, "rectified", date(2026, 4, 3), None, "r1")
    corrected = apply_reinspection_result(first, "not_rectified", date(2026, 4, 3), "复核后未整改", "r1")
    assert (corrected["status"], corrected["closed_on"]) == ("open", None)
    assert len(corrected["reinspections"]) == 1


def test_the_first_rectified_reinspection_dates_the_closing(item):
    later = apply_reinspection_result(item, "partly_rectified", date(2026, 4, 3), None, "r1")
    later = apply_reinspection_result(later, "rectified", date(2026, 4, 20), None, "r2")
    later = apply_reinspection_result(later, "rectified", date(2026, 5, 2), None, "r3")
    assert later["closed_on"] == "2026-04-20" and len(later["reinspections"]) == 3


def test_an_unknown_result_changes_nothing(item):
    assert apply_reinspection_result(item, "closed_by_phone", date(2026, 4, 3), None, "r1") is item


def test_a_reinspection_not_yet_issued_puts_the_item_under_reinspection_and_closes_nothing(item):
    from server.domain.rectifications import mark_reinspecting
    looked_at = mark_reinspecting(item, "r1")
    assert (looked_at["status"], looked_at["closed_on"]) == ("reinspecting", None)
    assert rectification_status({**looked_at, "reinspecting": True}, date(2026, 4, 20)) == "reinspecting"
    issued = apply_reinspection_result(looked_at, "not_rectified", date(2026, 4, 3), None, "r1")
    assert (issued["status"], issued["reinspection_pending"]) == ("open", [])
    closed = apply_reinspection_result(looked_at, "rectified", date(2026, 4, 3), None, "r1")
    assert mark_reinspecting(closed, "r2") is closed  # a closed item stays closed
