"""An inspector runs the checklist at an enterprise and the findings become the body of a 卫生监督意见书."""
from datetime import date

import pytest

from server.domain.checklists import (
    applicable_items,
    article_citation,
    chinese_numeral,
    format_date_zh,
    group_items,
    resolve_items,
)
from server.domain.errors import Invalid
from server.domain.references import default_path, read_table

INSPECTED_ON = date(2026, 3, 2)
LAW = "中华人民共和国职业病防治法"


def rows(folder, name, table):
    return read_table(default_path(folder, name), table)["rows"]


@pytest.fixture(scope="module")
def items():
    return rows("checklist", "items.json", "checklist_items")


@pytest.fixture(scope="module")
def conditions():
    return rows("checklist", "conditions.json", "checklist_conditions")


@pytest.fixture(scope="module")
def groups():
    return rows("checklist", "groups.json", "checklist_groups")


@pytest.fixture(scope="module")
def resolved(items):
    return resolve_items(items, rows("law", "articles.json", "law_articles"))


def keys(selected):
    return {item["key"] for item in selected}


# --- which items apply ---------------------------------------------------------------------------

def test_a_noise_only_workshop_gets_noise_items_but_no_dust_or_construction_items(items, conditions):
    selected = keys(applicable_items(items, conditions, ["noise"]))
    assert {"ppe_noise", "health_exam_noise", "hazard_declaration", "training"} <= selected
    assert not {"ppe_dust", "health_exam_dust", "ppe_chemical", "health_exam_chemical"} & selected
    assert not {"pre_evaluation", "completion_acceptance", "acute_injury_provisions", "warning_signs"} & selected


def test_a_foundry_with_dust_and_a_new_line_gets_dust_and_construction_items(items, conditions):
    selected = keys(applicable_items(items, conditions, ["dust"], has_construction_project=True))
    assert {"ppe_dust", "health_exam_dust", "pre_evaluation", "three_simultaneities",
            "completion_acceptance"} <= selected
    assert "ppe_noise" not in selected


def test_a_highly_toxic_substance_brings_chemical_and_serious_hazard_items(items, conditions):
    selected = keys(applicable_items(items, conditions, ["high_toxicity"]))
    assert {"ppe_chemical", "health_exam_chemical", "warning_signs"} <= selected
    assert "acute_injury_provisions" not in selected
    assert "acute_injury_provisions" in keys(applicable_items(items, conditions, ["acute_risk"]))


def test_an_office_without_declared_hazards_only_has_the_duty_to_accept_inspection(items, conditions):
    assert keys(applicable_items(items, conditions, [])) == {"refused_inspection"}


def test_a_misspelt_hazard_category_is_refused_instead_of_silently_dropping_items(items, conditions):
    with pytest.raises(Invalid) as caught:
        applicable_items(items, conditions, ["noise", "dusty"])
    assert [d["field"] for d in caught.value.details] == ["declared_hazards"]
    assert "dusty" in caught.value.details[0]["message"]


def test_items_are_grouped_under_the_nine_national_headings_in_their_order(items, conditions, groups):
    everything = applicable_items(items, conditions, ["dust", "chemical", "noise"], has_construction_project=True)
    grouped = group_items(everything, groups)
    assert [group["title_zh"] for group in grouped] == [
        "职业病防治管理组织和措施", "职业卫生培训", "建设项目“三同时”", "危害项目申报", "日常监测和定期检测、评价",
        "危害告知和警示标识", "防护设施、应急救援设施和个人防护用品配备使用管理", "劳动者职业健康监护",
        "职业病病人、疑似职业病病人处置"]
    without_construction = group_items(applicable_items(items, conditions, ["noise"]), groups)
    assert "construction_projects" not in [group["key"] for group in without_construction]


# --- citations -------------------------------------------------------------------------------------

@pytest.mark.parametrize("number, text", [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五"),
                                          (71, "七十一"), (88, "八十八")])
def test_article_numbers_are_written_in_chinese_numerals(number, text):
    assert chinese_numeral(number) == text


def test_citations_use_paragraphs_and_full_width_item_parentheses():
    assert article_citation(LAW, 35, paragraphs=[1]) == "《中华人民共和国职业病防治法》第三十五条第一款"
    assert article_citation(LAW, 71, items=[4]) == "《中华人民共和国职业病防治法》第七十一条第（四）项"
    assert article_citation(LAW, 26, paragraphs=[2, 3]) == "《中华人民共和国职业病防治法》第二十六条第二款、第三款"


def test_an_item_pointing_at_a_missing_article_is_reported(items):
    broken = [dict(items[0], penalty_article="zyb2018_p99")]
    with pytest.raises(Invalid) as caught:
        resolve_items(broken, rows("law", "articles.json", "law_articles"))
    assert caught.value.details[0]["code"] == "unknown_article"


# --- dates as notices write them ---------------------------------------------------------------

def test_dates_are_written_without_leading_zeros():
    assert format_date_zh(date(2026, 4, 1)) == "2026年4月1日"
    assert format_date_zh(date(2026, 12, 31)) == "2026年12月31日"
