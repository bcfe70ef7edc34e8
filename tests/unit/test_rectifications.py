"""A supervisor watches rectification deadlines; the inspector's re-inspection closes or extends them."""
from datetime import date

import pytest

from server.domain.errors import Conflict, Invalid
from server.domain.rectifications import (
    apply_reinspection,
    rectification_items_from_findings,
    rectification_status,
    summarize_rectifications,
)

DEADLINE = date(2026, 4, 1)


def finding(item_key, deadline=DEADLINE, requires=True, finding_id=None):
    return {"id": finding_id or item_key, "item_key": item_key, "requirement": f"整改 {item_key}",
            "deadline": deadline, "requires_rectification": requires}


@pytest.fixture
def item():
    return rectification_items_from_findings([finding("health_exam_noise")])[0]


def test_issued_findings_become_open_items_except_on_site_corrections():
    items = rectification_items_from_findings([
        finding("health_exam_noise"), finding("bulletin_board", deadline=None, requires=False),
        finding("ppe_noise", deadline=date(2026, 3, 17))])
    assert [(i["finding_id"], i["deadline"], i["closed_on"]) for i in items] == [
        ("health_exam_noise", DEADLINE, None), ("ppe_noise", date(2026, 3, 17), None)]


def test_a_finding_to_rectify_without_a_deadline_is_refused():
    with pytest.raises(Invalid) as caught:
        rectification_items_from_findings([finding("training", deadline=None)])
    assert caught.value.details[0]["field"] == "findings[0].deadline"


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


def test_a_rectified_reinspection_closes_the_item_and_it_cannot_be_reinspected_again(item):
    closed = apply_reinspection(item, "rectified", date(2026, 4, 3), note="已组织体检并书面告知")
    assert closed["closed_on"] == date(2026, 4, 3)
    assert rectification_status(closed, date(2026, 5, 1)) == "closed"
    assert item["closed_on"] is None  # the caller's copy is untouched
    with pytest.raises(Conflict):
        apply_reinspection(closed, "not_rectified", date(2026, 4, 10))


def test_partly_rectified_keeps_the_item_open_with_a_new_deadline_and_history(item):
    extended = apply_reinspection(item, "partly_rectified", date(2026, 4, 3), new_deadline=date(2026, 5, 3),
                                  note="已体检30人，余12人未检")
    assert extended["closed_on"] is None
    assert extended["deadline"] == date(2026, 5, 3)
    assert extended["original_deadline"] == DEADLINE
    assert extended["reinspections"] == [{"on": date(2026, 4, 3), "result": "partly_rectified",
                                          "note": "已体检30人，余12人未检", "previous_deadline": DEADLINE,
                                          "new_deadline": date(2026, 5, 3)}]
    assert rectification_status(extended, date(2026, 4, 10)) == "open"


def test_not_rectified_without_a_new_deadline_stays_overdue(item):
    still = apply_reinspection(item, "not_rectified", date(2026, 4, 3))
    assert rectification_status(still, date(2026, 4, 3)) == "overdue"


@pytest.mark.parametrize("result, new_deadline, code", [
    ("rectified", date(2026, 5, 1), "not_allowed"),
    ("partly_rectified", date(2026, 4, 3), "deadline_not_after_reinspection"),
    ("done", None, "unknown_result"),
])
def test_bad_reinspection_input_is_refused(item, result, new_deadline, code):
    with pytest.raises(Invalid) as caught:
        apply_reinspection(item, result, date(2026, 4, 3), new_deadline=new_deadline)
    assert caught.value.details[0]["code"] == code


def test_the_dashboard_counts_items_per_status():
    items = rectification_items_from_findings([
        finding("a", deadline=date(2026, 3, 1)), finding("b", deadline=date(2026, 3, 12)),
        finding("c", deadline=date(2026, 3, 30)), finding("d", deadline=date(2026, 3, 31))])
    items[3] = apply_reinspection(items[3], "rectified", date(2026, 3, 9))
    assert summarize_rectifications(items, date(2026, 3, 10)) == {
        "open": 1, "due_soon": 1, "overdue": 1, "closed": 1, "unresolved": 3, "total": 4}
