"""The reference tables for enforcement, assistance, classification and numbering are complete and honest."""
import re
from datetime import date

import pytest

from server.domain.checklists import article_citation
from server.domain.references import default_path, read_table

FILES = {
    ("law", "articles.json"): "law_articles",
    ("checklist", "items.json"): "checklist_items",
    ("checklist", "groups.json"): "checklist_groups",
    ("checklist", "conditions.json"): "checklist_conditions",
    ("assistance", "aspects.json"): "assistance_aspects",
    ("assistance", "rates.json"): "assistance_rates",
    ("classification", "schemes.json"): "classification_schemes",
    ("classification", "class_labels.json"): "classification_labels",
    ("classification", "risk_grades.json"): "risk_grading",
    ("classification", "severe_hazard_rules.json"): "severe_hazard_rules",
    ("classification", "class_matrix.json"): "class_matrix",
    ("classification", "management_bands.json"): "management_grade_bands",
    ("classification", "testing_frequency.json"): "testing_frequency",
    ("classification", "inspection_sampling.json"): "inspection_sampling_policy",
    ("classification", "reassessment.json"): "classification_reassessment",
    ("documents", "number_templates.json"): "document_number_templates",
    ("documents", "nature_codes.json"): "document_nature_codes",
    ("declarations", "rules.json"): "declaration_rules",
}
# Sources of reference.md §0 marked ✅ (full law texts, standard foreword): the only ones a verified row may cite.
VERIFIED_SOURCES = {"S1", "S2", "S3"}
ROW_KEYS = ("key", "effective_from", "effective_to", "confidence", "verified", "sources")
CONFIDENCES = {"verified", "third_party", "memory"}


def rows(folder, name):
    return read_table(default_path(folder, name), FILES[(folder, name)])["rows"]


def test_no_file_in_these_folders_is_left_out_of_the_checks():
    for folder in ("law", "checklist", "assistance", "classification", "documents", "declarations"):
        on_disk = {path.name for path in default_path(folder).glob("*.json")}
        assert on_disk == {name for f, name in FILES if f == folder}


@pytest.mark.parametrize("folder, name", sorted(FILES))
def test_every_row_says_where_it_comes_from_and_how_sure_we_are(folder, name):
    table = rows(folder, name)
    assert table
    keys = [row["key"] for row in table]
    assert len(keys) == len(set(keys)), "keys must be unique"
    for row in table:
        assert all(field in row for field in ROW_KEYS), row["key"]
        assert re.fullmatch(r"[a-z0-9_]+", row["key"]), row["key"]
        assert row["confidence"] in CONFIDENCES
        assert row["verified"] is (row["confidence"] == "verified"), row["key"]
        assert isinstance(row["sources"], list)
        if row["verified"]:
            assert row["sources"] and set(row["sources"]) <= VERIFIED_SOURCES, row["key"]
        for field in ("effective_from", "effective_to"):
            if row[field] is not None:
                date.fromisoformat(row[field])


def test_law_citations_are_printed_from_their_article_numbers():
    for row in rows("law", "articles.json"):
        assert row["law_version"] == "2018-12-29"
        printed = article_citation(row["law_title_zh"], row["article"], row["paragraphs"], row["items"])
        assert row["citation_zh"] == printed
        assert "(" not in row["citation_zh"] and "[" not in row["citation_zh"]
        if row["kind"] == "penalty":
            assert 69 <= row["article"] <= 77 and row["penalty_summary_zh"]


def test_every_checklist_item_points_at_existing_articles_of_the_right_kind():
    articles = {row["key"]: row for row in rows("law", "articles.json")}
    for item in rows("checklist", "items.json"):
        assert item["obligation_article"] or item["penalty_article"], item["key"]
        if item["obligation_article"]:
            assert articles[item["obligation_article"]]["kind"] == "obligation", item["key"]
        if item["penalty_article"]:
            assert articles[item["penalty_article"]]["kind"] == "penalty", item["key"]


def test_the_checklist_covers_all_34_rows_and_uses_known_groups_and_conditions():
    items = rows("checklist", "items.json")
    groups = {row["key"] for row in rows("checklist", "groups.json")}
    conditions = {row["key"] for row in rows("checklist", "conditions.json")}
    assert {item["source_row"] for item in items} == set(range(1, 35))
    for item in items:
        assert item["group"] in groups
        assert item["applies_when"]["any_of"] and set(item["applies_when"]["any_of"]) <= conditions
        assert isinstance(item["default_deadline_days"], int) and item["default_deadline_days"] >= 0
        assert item["field_confidence"]["default_deadline_days"] == "memory"
        assert item["requirement_zh"] and not item["requirement_zh"].endswith("。")
    assert sorted(item["order"] for item in items) == list(range(1, len(items) + 1))


def test_rows_with_several_penalties_are_split_one_penalty_per_item():
    by_row = {}
    for item in rows("checklist", "items.json"):
        by_row.setdefault(item["source_row"], set()).add(item["penalty_article"])
    assert by_row[4] == {"zyb2018_p70_i2", "zyb2018_p71_i4"}
    assert by_row[13] == {"zyb2018_p72_i3", "zyb2018_p75_i6"}
    assert by_row[16] == {"zyb2018_p72_i4", "zyb2018_p70_i1"}
    assert by_row[17] == {"zyb2018_p72_i1", "zyb2018_p72_i5"}
    assert by_row[22] == {"zyb2018_p71_i4", "zyb2018_p71_i5"}


def test_condition_implications_point_at_known_conditions():
    conditions = rows("checklist", "conditions.json")
    known = {row["key"] for row in conditions}
    assert all(set(row["implies"]) <= known for row in conditions)


def test_the_nine_national_groups_are_in_order():
    assert [row["order"] for row in rows("checklist", "groups.json")] == list(range(1, 10))


def test_assistance_aspects_anchor_to_existing_articles():
    articles = {row["key"] for row in rows("law", "articles.json")}
    aspects = rows("assistance", "aspects.json")
    assert {row["title_zh"] for row in aspects} >= {"申报", "检测", "体检", "培训", "防护设施", "个体防护", "警示告知", "制度档案"}
    for aspect in aspects:
        assert set(aspect["law_articles"]) <= articles, aspect["key"]


def test_the_four_programme_rates_target_100_percent_at_enterprise_level():
    rates = {row["key"]: row for row in rows("assistance", "rates.json")}
    for key in ("declaration_rate", "periodic_testing_rate", "health_exam_rate", "training_rate"):
        assert rates[key]["level"] == "enterprise" and rates[key]["target_pct"] == 100
    for rate in rates.values():
        assert {rate["numerator"]["op"], rate["denominator"]["op"]} <= {"count", "count_true", "sum"}


def test_classification_tables_cover_every_cell_once():
    risk = rows("classification", "risk_grades.json")
    cells = {(r["hazard_nature"], r["exposure_conformity"], r["headcount_min"]) for r in risk}
    assert len(cells) == len(risk) == 12
    matrix = rows("classification", "class_matrix.json")
    assert {(r["risk_grade"], r["management_grade"]) for r in matrix} == {
        (g, m) for g in "ⅠⅡⅢ" for m in "ABC"}
    assert not any(r["verified"] for r in matrix)  # 附件3 was never retrieved


def test_both_schemes_define_甲乙丙_with_opposite_ends():
    labels = rows("classification", "class_labels.json")
    meaning = {(r["scheme"], r["label"]): r["risk_level"] for r in labels}
    assert meaning[("grading_guide_2019", "甲")] == meaning[("class_pilot_2023", "丙")] == "high"
    assert meaning[("grading_guide_2019", "丙")] == meaning[("class_pilot_2023", "甲")] == "low"
    schemes = {r["key"] for r in rows("classification", "schemes.json")}
    assert {r["scheme"] for r in labels} == schemes
    assert {r["scheme"] for r in rows("classification", "inspection_sampling.json")} == schemes


def test_number_templates_cover_the_document_types_and_use_hexagonal_brackets():
    templates = {row["key"]: row for row in rows("documents", "number_templates.json")}
    assert set(templates) == {"supervision_opinion", "rectification_notice", "onsite_record", "assistance_feedback",
                              "sampling_record_sheet", "sampling_feedback", "monitoring_report", "reinspection_opinion"}
    natures = {row["code"] for row in rows("documents", "nature_codes.json")}
    for row in templates.values():
        assert not set("[]【】") & set(row["template"])
        if row["number_kind"] == "wenhao":
            assert "〔{year}〕" in row["template"] and row["nature_code"] in natures
        else:
            assert row["number_kind"] == "bianhao" and row["template"] == "{year}—{seq}"


def test_the_declaration_rules_cite_order_48_and_only_the_annual_update_sets_a_period():
    table = rows("declarations", "rules.json")
    annual = [row for row in table if row["kind"] == "annual"]
    assert len(annual) == 1 and annual[0]["interval_months"] == 12
    assert annual[0]["confidence"] == "memory"  # not found in the order's text: a project default
    for row in table:
        if row["kind"] != "annual":
            assert row["interval_months"] is None and row["days_after_change"] in (15, 30), row["key"]
            assert row["sources"] and all(source.startswith("令第48号") for source in row["sources"]), row["key"]
    envelope = read_table(default_path("declarations", "rules.json"), "declaration_rules")
    assert "令第48号" in envelope["source"] and "第八条" in envelope["note"]
