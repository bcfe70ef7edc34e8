"""The rules of the CDC's three ledgers on a frozen day (domain/exam_institutions.py, trainings.py, health_exams.py):
a 督导 finding follows the rectification rule of inspection items, an institution's state, the year's card count, a
training's and an examination batch's state, and the words they show kept equal to their forms'."""
import datetime as dt
from pathlib import Path

import pytest

from server.domain import exam_institutions, health_exams, trainings
from server.domain.rectifications import item_status
from server.domain.references import default_path, read_table
from server.form_registry import load_registry
from tests.support import BUSINESS_NOW

TODAY = dt.datetime.fromisoformat(BUSINESS_NOW).date()
FORMS = load_registry(Path(__file__).resolve().parents[2] / "forms")


def day(offset):
    return (TODAY + dt.timedelta(days=offset)).isoformat()


@pytest.mark.parametrize("item, expected", [
    ({"deadline": day(-1)}, "overdue"),
    ({"deadline": day(0)}, "due_soon"),     # the deadline day itself is still in time
    ({"deadline": day(30)}, "open"),
    ({"deadline": day(-1), "rectified_on": day(-3)}, "closed"),
    ({"deadline": day(-1), "rectified_on": day(2)}, "overdue"),  # a rectification dated later is not one yet
    ({}, "due_soon"),                       # no deadline entered yet: due today
])
def test_a_finding_is_judged_by_the_rule_of_rectification_items(item, expected):
    assert exam_institutions.finding_status(item, TODAY) == expected
    deadline = dt.date.fromisoformat(item["deadline"]) if "deadline" in item else None
    rectified = item.get("rectified_on")
    closed = dt.date.fromisoformat(rectified) if rectified and rectified <= TODAY.isoformat() else None
    assert expected == item_status(deadline, closed, None, TODAY)


@pytest.mark.parametrize("statuses, last, expected", [
    (["closed", "overdue", "open"], TODAY, "overdue"),
    (["closed", "due_soon"], TODAY, "rectifying"),
    (["closed"], TODAY.replace(month=1, day=1), "supervised"),
    (["closed"], TODAY.replace(month=1, day=1) - dt.timedelta(days=1), "not_supervised"),
    ([], None, "not_supervised"),
    (["open"], None, "rectifying"),         # an open finding outranks a year without 督导
])
def test_an_institution_s_state_most_urgent_first(statuses, last, expected):
    assert exam_institutions.institution_state(statuses, last, TODAY) == expected


def test_a_year_s_cards_are_its_largest_running_total():
    year, last = TODAY.year, TODAY.year - 1
    counts = [{"year": year, "cards_reported": 12000}, {"year": year, "cards_reported": 25159},
              {"year": last, "cards_reported": 24011}, {"year": year}, {"cards_reported": 3}]
    assert exam_institutions.cards_by_year(counts) == {year: 25159, last: 24011}


def test_a_training_lacks_its_answers_and_an_assisted_one_its_enterprises():
    session = {"title": "帮扶企业培训", "held_on": day(-3), "kind": "assisted", "organiser": "区疾控中心",
               "people_trained": 80}
    assert trainings.missing_answers(session, []) == ["参训的帮扶企业"]
    assert trainings.session_state(session, [], TODAY) == "incomplete"
    assert trainings.session_state(session, [{"enterprise_name": "某厂"}], TODAY) == "held"
    assert trainings.session_state({**session, "held_on": day(1)}, [{"enterprise_name": "某厂"}], TODAY) == "planned"
    assert trainings.session_state({**session, "kind": "workers", "people_trained": None}, [], TODAY) == "incomplete"


def test_an_enterprise_is_one_whatever_its_spaces_and_the_registry_wins():
    assert trainings.enterprise_key({"enterprise_name": "临河 鑫达\u3000五金"}) == ("name", "临河鑫达五金")
    assert trainings.enterprise_key({"enterprise_id": "e1", "enterprise_name": "x"}) == ("registry", "e1")
    assert trainings.enterprise_key({"people": 3}) is None
    assert health_exams.enterprise_key({"enterprise_name": " 某厂 "}) == ("name", "某厂")


@pytest.mark.parametrize("data, expected", [
    ({"batch_no": "1", "kind": "on_duty", "exam_from": day(-1), "workers_examined": 3, "institution_name": "医院",
      "enterprise_name": "厂"}, "unreported"),
    ({"batch_no": "1", "kind": "on_duty", "exam_from": day(-1), "workers_examined": 0, "institution_id": "f",
      "enterprise_id": "e", "reported_national": True, "reported_on": day(0)}, "reported"),
    ({"batch_no": "1", "kind": "on_duty", "exam_from": day(-1), "workers_examined": 3, "institution_name": "医院",
      "enterprise_name": "厂", "reported_national": True}, "incomplete"),
    ({"batch_no": "1", "kind": "on_duty", "exam_from": day(-1), "workers_examined": 3}, "incomplete"),
])
def test_an_examination_batch_s_state(data, expected):
    assert health_exams.batch_state(data) == expected


def _choices(form_id, entity, field):
    definition = FORMS.get(form_id, FORMS.versions(form_id)[-1])
    spec = next(f for e in definition["entities"] if e["entity"] == entity for s in e["sections"]
                for f in s["fields"] if f["id"] == field)
    return {choice["value"]: choice["label_zh"] for choice in spec["choices"]}


def test_the_ledgers_words_are_their_forms_words():
    assert exam_institutions.CATEGORIES == _choices("exam_institution", "exam_institution", "exam_categories")
    assert trainings.KINDS == _choices("training_session", "training_session", "kind")
    assert health_exams.KINDS == _choices("health_exam_batch", "health_exam_batch", "kind")


def test_the_supervision_checklist_says_where_each_obligation_comes_from():
    rows = read_table(default_path("exam_institutions", "supervision_checklist.json"),
                      "exam_supervision_checklist")["rows"]
    keys = [row["key"] for row in rows]
    assert len(keys) == len(set(keys)) >= 8
    assert {"filing", "quality", "result_notice", "archives", "suspected_disease"} <= set(keys)
    for row in rows:
        assert row["verified"] is False and row["confidence"] in ("third_party", "memory"), row["key"]
        assert row["title_zh"] and row["provision_zh"] and row["checks_zh"], row["key"]
        # A row read somewhere names it; one from memory says so in its note.
        assert row["sources"] if row["confidence"] == "third_party" else "From memory" in row["note"], row["key"]


@pytest.mark.parametrize("roles, agency_kind, reads", [
    ({"assistant"}, "cdc", True), ({"supervisor"}, "cdc", True), ({"admin"}, "cdc", True),
    ({"supervisor"}, "commission", True),   # the commission oversees both agencies
    ({"supervisor"}, "supervision", False), ({"admin"}, "supervision", False), ({"inspector"}, "supervision", False),
    ({"sampler"}, "cdc", False), ({"followup"}, "cdc", False),
])
def test_the_cdc_s_ledgers_are_read_by_its_assistants_and_office_and_the_commission(roles, agency_kind, reads):
    from server.domain import ledger_registry  # noqa: F401  (registers the ledgers)
    from server.domain.actors import Actor
    from server.domain.ledgers import LEDGERS, readable
    actor = Actor(user_id=1, username="u", roles=frozenset(roles), agency_id=1, region_id=2,
                  region_ids=frozenset({2}), agency_kind=agency_kind)
    for kind in ("exam_institutions", "trainings", "health_exams"):
        assert readable(actor, LEDGERS[kind]) == ({2} if reads else set()), kind
    # …and the supervision agency's ledgers are not the CDC's to read.
    assert readable(actor, LEDGERS["radiology"]) == (set() if agency_kind == "cdc" else {2})
