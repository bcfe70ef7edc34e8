"""The county's year-end report on four assisted small enterprises: rates at the first visit and now."""
import pytest

from server.domain.assistance import baseline_and_latest_rates, compute_rates, first_and_latest_visits
from server.domain.errors import Invalid
from server.domain.references import default_path, read_table


@pytest.fixture(scope="module")
def definitions():
    return read_table(default_path("assistance", "rates.json"), "assistance_rates")["rows"]


def visit(enterprise, day, **fields):
    return dict({"enterprise_id": enterprise, "visit_date": day}, **fields)


# First visits, written out so the rates can be checked by hand:
#              declared  tested  exams  trained(ent)  exposed  trained  due exam  examined
#   家具厂 F1      yes      yes     yes     yes            20       20       20        18
#   五金厂 H2      yes      no      yes     no             10        5       10        10
#   印刷厂 P3      yes      yes     no      no              8        0        8         0
#   石材店 S4      no       no      no      (unknown)       2        2        0         0
BASELINE = [
    visit("F1", "2025-04-02", declared=True, tested_within_cycle=True, exams_organised=True, training_complete=True,
          workers_exposed=20, workers_trained=20, workers_due_exam=20, workers_examined=18),
    visit("H2", "2025-04-09", declared=True, tested_within_cycle=False, exams_organised=True, training_complete=False,
          workers_exposed=10, workers_trained=5, workers_due_exam=10, workers_examined=10),
    visit("P3", "2025-05-06", declared=True, tested_within_cycle=True, exams_organised=False, training_complete=False,
          workers_exposed=8, workers_trained=0, workers_due_exam=8, workers_examined=0),
    visit("S4", "2025-05-20", declared=False, tested_within_cycle=False, exams_organised=False,
          workers_exposed=2, workers_trained=2, workers_due_exam=0, workers_examined=0),
]
# Re-visits in the autumn: the stone shop declared and trained; the printer organised exams.
REVISITS = [
    visit("S4", "2025-10-15", declared=True, tested_within_cycle=False, exams_organised=False, training_complete=True,
          workers_exposed=2, workers_trained=2, workers_due_exam=2, workers_examined=0),
    visit("P3", "2025-11-03", declared=True, tested_within_cycle=True, exams_organised=True, training_complete=False,
          workers_exposed=8, workers_trained=0, workers_due_exam=8, workers_examined=8),
]


def test_enterprise_level_rates_by_hand(definitions):
    rates = compute_rates(BASELINE, definitions)
    assert (rates["declaration_rate"]["numerator"], rates["declaration_rate"]["denominator"]) == (3, 4)
    assert rates["declaration_rate"]["value_pct"] == 75.0
    assert rates["periodic_testing_rate"]["value_pct"] == 50.0
    assert rates["health_exam_rate"]["value_pct"] == 50.0
    assert rates["training_rate"]["value_pct"] == 25.0  # an unknown answer does not count as trained
    assert rates["declaration_rate"]["meets_target"] is False


def test_worker_level_rates_by_hand(definitions):
    rates = compute_rates(BASELINE, definitions)
    assert (rates["training_rate_workers"]["numerator"], rates["training_rate_workers"]["denominator"]) == (27, 40)
    assert rates["training_rate_workers"]["value_pct"] == 67.5
    assert rates["health_exam_rate_workers"]["value_pct"] == pytest.approx(28 / 38 * 100)


def test_no_denominator_means_no_value_not_zero_or_hundred_percent(definitions):
    rates = compute_rates(BASELINE, definitions)
    # Nobody recorded hazard posts: the post-level testing rate is unknown.
    assert rates["periodic_testing_rate_posts"]["denominator"] == 0
    assert rates["periodic_testing_rate_posts"]["value_pct"] is None
    assert rates["periodic_testing_rate_posts"]["meets_target"] is None
    assert compute_rates([], definitions)["declaration_rate"]["value_pct"] is None


def test_baseline_is_the_first_visit_and_latest_the_most_recent(definitions):
    baseline, latest = first_and_latest_visits(REVISITS + BASELINE)
    assert {v["enterprise_id"]: v["visit_date"] for v in baseline}["S4"] == "2025-05-20"
    assert {v["enterprise_id"]: v["visit_date"] for v in latest}["S4"] == "2025-10-15"

    report = baseline_and_latest_rates(REVISITS + BASELINE, definitions)
    assert report["enterprises"] == 4
    assert report["baseline"]["declaration_rate"]["value_pct"] == 75.0
    assert report["latest"]["declaration_rate"]["value_pct"] == 100.0
    assert report["latest"]["declaration_rate"]["meets_target"] is True
    assert report["latest"]["health_exam_rate"]["value_pct"] == 75.0
    assert report["latest"]["health_exam_rate_workers"]["value_pct"] == pytest.approx(36 / 40 * 100)


def test_more_examined_than_due_is_refused_with_the_row(definitions):
    bad = [dict(BASELINE[0], workers_examined=21)]
    with pytest.raises(Invalid) as caught:
        compute_rates(bad, definitions)
    assert [(d["field"], d["code"], d["row"]) for d in caught.value.details] == [
        ("workers_examined", "exceeds_total", 0)]


def test_wrong_types_and_duplicate_enterprises_are_refused(definitions):
    with pytest.raises(Invalid) as caught:
        compute_rates([dict(BASELINE[0], declared="yes", workers_trained=-1)], definitions)
    assert {d["code"] for d in caught.value.details} == {"boolean", "count"}
    with pytest.raises(Invalid) as caught:
        compute_rates([BASELINE[0], BASELINE[0]], definitions)
    assert caught.value.details[0]["code"] == "duplicate"


def test_a_province_can_add_a_rate_without_code(definitions):
    extra = {"key": "signage_posts", "title_zh": "告知卡设置率", "level": "worker", "target_pct": 100,
             "numerator": {"op": "sum", "field": "posts_with_card"},
             "denominator": {"op": "sum", "field": "hazard_posts"}}
    rates = compute_rates([visit("F1", "2025-04-02", posts_with_card=3, hazard_posts=4)], [extra])
    assert rates["signage_posts"]["value_pct"] == 75.0
