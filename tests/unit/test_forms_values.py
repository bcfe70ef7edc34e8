"""Value rules both validators share: dates, times, numbers, equality and conditions."""
import pytest

from server.form_registry import evaluate_condition
from server.form_registry.values import (compare, datetime_seconds, fraction_digits, is_date, is_empty,
                                         is_truthy, json_equal)


@pytest.mark.parametrize("value, ok", [
    ("2024-02-29", True), ("2025-02-29", False), ("2025-04-31", False), ("2025-4-1", False),
    ("2025-04-01\n", False), ("２０２５-04-01", False),
])
def test_dates_are_real_calendar_days_in_ascii(value, ok):
    assert is_date(value) is ok


def test_datetimes_need_an_offset_and_compare_as_instants():
    assert datetime_seconds("2025-03-12T08:30:00+08:00") == datetime_seconds("2025-03-12T00:30:00Z")
    assert datetime_seconds("2025-03-12T08:30") is None
    assert datetime_seconds("2025-03-12T08:30:15.250-01:30") == datetime_seconds("2025-03-12T10:00:15.25Z")
    assert compare("2025-03-12T01:00:00Z", "2025-03-12T08:30:00+08:00") == 1


def test_decimals_count_what_was_written():
    assert [fraction_digits(v) for v in (5, 5.0, 0.19, 18.234, 1e-07, 2.5e+20)] == [0, 0, 2, 3, 7, 0]


def test_blank_and_truthy_follow_field_reality():
    assert is_empty("\u3000 ") and is_empty([]) and is_empty(None) and not is_empty(0)
    assert not is_truthy(0) and not is_truthy(False) and is_truthy(["none"]) and is_truthy(0.5)


def test_json_equality_keeps_booleans_apart_from_numbers():
    assert json_equal(1, 1.0) and not json_equal(True, 1) and not json_equal("1", 1)
    assert json_equal(["none"], ["none"]) and not json_equal(None, "")


def test_conditions_combine_and_read_the_parent():
    expr = {"all": [{"field": "sample_type", "op": "ne", "value": "blank"},
                    {"not": {"field": "deadline", "op": "lt", "ref": "$parent.inspection_date"}}]}
    parent = {"inspection_date": "2025-04-08"}
    assert evaluate_condition(expr, {"sample_type": "field", "deadline": "2025-05-01"}, parent)
    assert not evaluate_condition(expr, {"sample_type": "field", "deadline": "2025-04-01"}, parent)
    assert not evaluate_condition(expr, {"sample_type": "blank"}, parent)
    assert evaluate_condition({"any": [{"field": "x", "op": "empty"}]}, {})
