"""Classifying enterprises for 分类监督执法, as the district's classification worksheet does it."""
from datetime import date

import pytest

from server.domain.classification import (
    class_meaning,
    combined_class,
    hazard_nature,
    inspection_sampling_ratio,
    management_grade,
    next_due_date,
    risk_grade,
    severe_hazard_reasons,
)
from server.domain.errors import Invalid
from server.domain.references import default_path, read_table

GUIDE_2019 = "grading_guide_2019"
PILOT_2023 = "class_pilot_2023"


def rows(name, table):
    return read_table(default_path("classification", name), table)["rows"]


@pytest.fixture(scope="module")
def tables():
    return {"labels": rows("class_labels.json", "classification_labels"),
            "risk": rows("risk_grades.json", "risk_grading"),
            "severe": rows("severe_hazard_rules.json", "severe_hazard_rules"),
            "matrix": rows("class_matrix.json", "class_matrix"),
            "bands": rows("management_bands.json", "management_grade_bands"),
            "frequency": rows("testing_frequency.json", "testing_frequency"),
            "sampling": rows("inspection_sampling.json", "inspection_sampling_policy")}


def test_甲_means_high_risk_in_the_2019_guide_and_low_risk_in_the_2023_pilot(tables):
    assert class_meaning("甲", GUIDE_2019, tables["labels"])["risk_level"] == "high"
    assert class_meaning("甲", PILOT_2023, tables["labels"])["risk_level"] == "low"
    assert class_meaning("丙", PILOT_2023, tables["labels"])["risk_level"] == "high"


def test_the_combined_class_always_comes_with_its_scheme_and_is_flagged_unverified(tables):
    result = combined_class("Ⅲ", "C", tables["matrix"], tables["labels"])
    assert (result["label"], result["scheme"], result["risk_level"]) == ("丙", PILOT_2023, "high")
    assert result["verified"] is False
    best = combined_class("I", "A", tables["matrix"], tables["labels"])  # Latin "I" typed on a keyboard
    assert (best["label"], best["risk_grade"], best["scheme"]) == ("甲", "Ⅰ", PILOT_2023)


def test_a_matrix_cell_that_is_missing_is_reported(tables):
    with pytest.raises(Invalid):
        combined_class("Ⅲ", "C", tables["matrix"], tables["labels"], scheme=GUIDE_2019)


@pytest.mark.parametrize("nature, conformity, headcount, grade", [
    ("general", "conform", 0, "Ⅰ"), ("general", "conform", 500, "Ⅰ"),
    ("general", "nonconform", 9, "Ⅱ"), ("general", "nonconform", 49, "Ⅱ"), ("general", "nonconform", 50, "Ⅲ"),
    ("severe", "conform", 9, "Ⅱ"), ("severe", "conform", 10, "Ⅱ"), ("severe", "conform", 49, "Ⅱ"),
    ("severe", "conform", 50, "Ⅲ"),
    ("severe", "nonconform", 0, "Ⅲ"), ("severe", "nonconform", 10, "Ⅲ"), ("severe", "nonconform", 1000, "Ⅲ"),
])
def test_risk_grade_table_corners(tables, nature, conformity, headcount, grade):
    assert risk_grade(nature, conformity, headcount, tables["risk"]) == grade


@pytest.mark.parametrize("args", [("serious", "conform", 5), ("general", "符合", 5), ("general", "conform", -1),
                                  ("general", "conform", 4.5)])
def test_risk_grade_refuses_bad_input(tables, args):
    with pytest.raises(Invalid):
        risk_grade(*args, tables["risk"])


@pytest.mark.parametrize("factor, reasons", [
    ({"name": "石英砂粉尘", "free_silica_pct": 10}, ["silica_dust"]),
    ({"name": "其他粉尘", "free_silica_pct": 9.9}, []),
    ({"name": "苯", "carcinogen_class": "G1", "in_high_toxicity_catalogue": True},
     ["high_toxicity_catalogue", "carcinogen_g1"]),
    ({"name": "甲苯", "carcinogen_class": None}, []),
    ({"name": "牙科X射线机", "ionising_radiation": True, "radiation_category": "xray_class_iii"}, []),
    ({"name": "CT", "ionising_radiation": True, "radiation_category": "xray_class_ii"}, ["ionising_radiation"]),
])
def test_severe_hazard_rules(tables, factor, reasons):
    assert severe_hazard_reasons(factor, tables["severe"]) == reasons


def test_one_severe_factor_makes_the_enterprise_severe(tables):
    assert hazard_nature([{"name": "噪声"}, {"name": "石棉", "asbestos": True}], tables["severe"]) == "severe"
    assert hazard_nature([{"name": "噪声"}], tables["severe"]) == "general"


@pytest.mark.parametrize("score, grade", [(100, "A"), (90, "A"), (89.5, "B"), (70, "B"), (69.9, "C"), (0, "C")])
def test_management_grade_bands(tables, score, grade):
    assert management_grade(score, tables["bands"]) == grade


def test_management_score_outside_0_to_100_is_refused(tables):
    with pytest.raises(Invalid):
        management_grade(101, tables["bands"])


def test_testing_due_dates_by_severe_or_general(tables):
    frequency = tables["frequency"]
    assert next_due_date(date(2025, 3, 15), "severe", frequency) == date(2026, 3, 15)
    assert next_due_date(date(2025, 3, 15), "general", frequency) == date(2028, 3, 15)
    assert next_due_date(date(2024, 2, 29), "severe", frequency) == date(2025, 2, 28)
    assert next_due_date(date(2025, 3, 15), "severe", frequency, activity="status_evaluation") == date(2028, 3, 15)
    assert next_due_date(date(2025, 3, 15), "general", frequency, activity="status_evaluation") is None


def test_the_highest_risk_class_is_always_fully_inspected_whatever_its_label(tables):
    assert inspection_sampling_ratio("丙", PILOT_2023, tables["sampling"]) == 100
    assert inspection_sampling_ratio("甲", GUIDE_2019, tables["sampling"]) == 100
    assert inspection_sampling_ratio("甲", PILOT_2023, tables["sampling"]) == 10
