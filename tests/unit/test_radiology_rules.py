"""When a radiology device is due its tests and what state its institution's file is in, on a frozen day
(domain/radiology.py), and how inspection coverage is counted by the level that issued the licence."""
import datetime as dt
import json
from pathlib import Path

import pytest

from server.domain.radiology import (ISSUING_LEVELS, STATES, Cycle, coverage_by_level, device_state,
                                     institution_state, overdue_words, stability_on_time, due_tests)
from server.domain.references import default_path, read_table
from server.form_registry import load_registry

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 3, 15)
CT = Cycle("X射线计算机体层摄影装置（CT）", 12, 1)
DSA = Cycle("数字减影血管造影X射线设备（DSA）", 12, 6)


def _device(**fields):
    return {"device_name": "CT机", "installed_on": "2020-06-01", **fields}


def test_a_test_falls_due_one_cycle_after_the_last():
    due = {t.test: t.due_on for t in due_tests(_device(last_status_test_on="2025-09-10",
                                                      last_stability_test_on="2026-02-20"), CT)}
    assert due == {"status": dt.date(2026, 9, 10), "stability": dt.date(2026, 3, 20)}


def test_a_month_end_cycle_is_clamped_to_the_month_end():
    due = {t.test: t.due_on for t in due_tests(_device(last_stability_test_on="2026-01-31"), CT)}
    assert due["stability"] == dt.date(2026, 2, 28)


def test_a_device_never_tested_is_due_one_cycle_after_its_installation():
    due = {t.test: t.due_on for t in due_tests(_device(installed_on="2026-01-10"), DSA)}
    assert due == {"status": dt.date(2027, 1, 10), "stability": dt.date(2026, 7, 10)}


@pytest.mark.parametrize("fields, expected", [
    ({"last_status_test_on": "2025-09-10", "last_stability_test_on": "2026-02-20"}, ("due_soon", "2026-03-20")),
    ({"last_status_test_on": "2025-09-10", "last_stability_test_on": "2026-01-10"}, ("overdue", "2026-02-10")),
    ({"last_status_test_on": "2025-03-14", "last_stability_test_on": "2026-03-10"}, ("overdue", "2026-03-14")),
    # due today is not overdue yet
    ({"last_status_test_on": "2025-09-10", "last_stability_test_on": "2026-02-15"}, ("due_soon", "2026-03-15")),
])
def test_the_state_of_a_device_today(fields, expected):
    state, due, _late = device_state(_device(**fields), CT, TODAY)
    assert (state, due.isoformat()) == expected


def test_a_device_whose_cycle_is_longer_than_the_warning_is_fine_until_30_days_before():
    device = _device(last_status_test_on="2025-09-10", last_stability_test_on="2026-01-10")
    assert device_state(device, DSA, TODAY)[:2] == ("done", dt.date(2026, 7, 10))
    assert device_state(device, DSA, dt.date(2026, 6, 10))[:2] == ("due_soon", dt.date(2026, 7, 10))
    # a monthly cycle is seldom more than 30 days away: a CT tested five days ago is already about to fall due
    assert device_state(device | {"last_stability_test_on": "2026-03-10"}, CT, TODAY)[:2] == \
        ("due_soon", dt.date(2026, 4, 10))


def test_a_device_with_no_date_at_all_is_overdue_with_nothing_on_file():
    state, due, late = device_state({"device_name": "移动DR"}, CT, TODAY)
    assert (state, due) == ("overdue", None)
    assert overdue_words("移动DR", late, TODAY) == "移动DR 状态检测无记录、稳定性检测无记录"


def test_the_overdue_tests_read_in_words_with_the_days_late():
    _state, _due, late = device_state(_device(last_status_test_on="2025-03-01",
                                              last_stability_test_on="2026-01-10"), CT, TODAY)
    assert overdue_words("CT机", late, TODAY) == "CT机 状态检测逾期14天、稳定性检测逾期33天"


def test_a_device_out_of_use_owes_nothing():
    for status in ("stopped", "scrapped"):
        assert device_state({"device_status": status}, CT, TODAY) == ("not_in_use", None, [])
        assert stability_on_time({"device_status": status}, CT, TODAY) is None


def test_a_type_without_a_cycle_is_due_its_status_test_only():
    state, due, _ = device_state(_device(last_status_test_on="2025-09-10"), None, TODAY)
    assert (state, due) == ("done", dt.date(2026, 9, 10))
    assert stability_on_time(_device(), None, TODAY) is None


def test_stability_on_time_ignores_the_status_test():
    device = _device(last_status_test_on="2024-01-01", last_stability_test_on="2026-03-01")
    assert stability_on_time(device, CT, TODAY) is True
    assert stability_on_time(_device(last_stability_test_on="2026-02-01"), CT, TODAY) is False


@pytest.mark.parametrize("states, expected", [
    (["done", "overdue", "due_soon"], "overdue"),
    (["done", "due_soon"], "due_soon"),
    (["done", "not_in_use"], "normal"),
    (["not_in_use"], "no_device"),
    ([], "no_device"),
])
def test_the_file_takes_the_most_urgent_state_of_its_devices(states, expected):
    assert institution_state(states) == expected


def test_the_states_are_listed_most_urgent_first_in_chinese():
    assert STATES == (("overdue", "逾期"), ("due_soon", "即将到期"), ("normal", "正常"), ("no_device", "无设备"))


def test_coverage_counts_inspected_files_by_the_level_that_issued_the_licence():
    files = [{"issuing_level": "provincial", "enterprise_id": "e1"},
             {"issuing_level": "municipal", "enterprise_id": "e2"},
             {"issuing_level": "municipal", "enterprise_id": "e3"},
             {"issuing_level": "county", "enterprise_id": None},
             {"issuing_level": "county", "enterprise_id": "e5"}]
    by_level = coverage_by_level(files, {"e1", "e3", "e9"})
    assert by_level == {"provincial": (1, 1), "municipal": (1, 2), "county": (0, 2)}


def test_the_issuing_levels_read_as_the_form_says_them():
    definition = load_registry(ROOT / "forms").get("radiology_institution", 1)
    field = next(f for s in definition["entities"][0]["sections"] for f in s["fields"] if f["id"] == "issuing_level")
    assert ISSUING_LEVELS == {c["value"]: c["label_zh"] for c in field["choices"]}


def test_every_device_type_has_both_cycles_a_standard_and_says_how_sure_it_is():
    rows = read_table(default_path("radiology", "test_cycles.json"), "radiology_test_cycles")["rows"]
    categories = {"radiotherapy", "nuclear_medicine", "interventional", "xray_diagnosis"}
    assert {"dr", "cr", "ct", "mammography", "dental", "dsa", "linac", "spect", "pet_ct"} <= {r["key"] for r in rows}
    for row in rows:
        assert row["status_months"] == 12, row["key"]  # 《放射诊疗管理规定》第二十条: at least once a year
        assert isinstance(row["stability_months"], int) and 1 <= row["stability_months"] <= 12, row["key"]
        assert row["category"] in categories and row["source_standard"].startswith("WS"), row["key"]
        assert row["verified"] is False and row["confidence"] in ("third_party", "memory"), row["key"]
        assert row["field_confidence"]["stability_months"] == row["confidence"], row["key"]
        if row["confidence"] == "memory":
            assert "unverified" in row["note"], row["key"]


def test_the_targets_of_the_ledger_are_reference_data():
    targets = {r["key"]: r for r in json.loads(default_path("kpis", "targets.json").read_text(encoding="utf-8"))["rows"]}
    assert targets["radiology_inspection_coverage"]["target_pct"] == 70
    assert targets["radiology_stability_on_time"]["target_pct"] == 85
