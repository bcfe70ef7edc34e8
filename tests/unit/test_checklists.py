"""An inspector runs the checklist at an enterprise and the findings become the body of a 卫生监督意见书."""
from datetime import date

import pytest

from server.domain.checklists import (
    applicable_items,
    article_citation,
    chinese_numeral,
    findings_from_results,
    format_date_zh,
    group_items,
    render_notice_body,
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


# --- findings and the notice body ------------------------------------------------------------------

def noise_exam(note="未组织接触噪声作业的12名劳动者进行在岗期间职业健康检查", **extra):
    return dict({"id": "r-1", "item_key": "health_exam_noise", "result": "nonconform", "note": note}, **extra)


def test_a_noise_exam_finding_reads_as_on_the_printed_notice(resolved):
    findings = findings_from_results([noise_exam()], resolved, INSPECTED_ON)
    assert findings[0]["deadline"] == date(2026, 4, 1)
    body = render_notice_body(findings)
    assert body == (
        "经查，你单位存在以下问题：\n"
        "1. 未组织接触噪声作业的12名劳动者进行在岗期间职业健康检查，"
        "违反了《中华人民共和国职业病防治法》第三十五条第一款的规定。"
        "依据《中华人民共和国职业病防治法》第七十一条第（四）项的规定，责令你单位于2026年4月1日前改正。"
        "改正要求：组织接触噪声作业的劳动者进行上岗前、在岗期间和离岗时职业健康检查，并将检查结果书面告知劳动者。")


def test_the_inspector_may_change_the_deadline_and_the_requirement(resolved):
    result = noise_exam(deadline="2026-03-20", requirement="立即组织接触噪声作业的劳动者进行在岗期间职业健康检查。")
    finding = findings_from_results([result], resolved, INSPECTED_ON)[0]
    assert finding["deadline"] == date(2026, 3, 20)
    assert "于2026年3月20日前改正。改正要求：立即组织接触噪声作业的劳动者进行在岗期间职业健康检查。" in \
        render_notice_body([finding])


def test_a_deadline_before_the_inspection_is_refused(resolved):
    with pytest.raises(Invalid) as caught:
        findings_from_results([noise_exam(deadline=date(2026, 3, 1))], resolved, INSPECTED_ON)
    assert caught.value.details[0]["code"] == "deadline_before_inspection"


def test_corrected_on_site_without_a_note_is_refused(resolved):
    with pytest.raises(Invalid) as caught:
        findings_from_results([{"item_key": "bulletin_board", "result": "corrected_on_site", "note": "  "}],
                              resolved, INSPECTED_ON)
    assert caught.value.details == [{
        "field": "results[0].note", "code": "note_required", "message": "不符合或当场改正的检查项必须记录现场情况",
        "message_en": "A nonconformity or on-site correction needs a note of what was seen"}]


def test_an_on_site_correction_is_recorded_but_not_ordered(resolved):
    results = [{"item_key": "bulletin_board", "result": "corrected_on_site", "note": "公告栏缺操作规程，现场已张贴"},
               {"item_key": "training", "result": "conform"},
               {"item_key": "ppe_dust", "result": "not_applicable"},
               noise_exam()]
    findings = findings_from_results(results, resolved, INSPECTED_ON)
    assert [(f["item_key"], f["requires_rectification"]) for f in findings] == [
        ("bulletin_board", False), ("health_exam_noise", True)]
    assert findings[0]["deadline"] is None
    body = render_notice_body(findings)
    assert "公告栏" not in body and body.count("违反了") == 1


def test_unknown_items_and_results_are_all_reported_at_once(resolved):
    results = [{"item_key": "no_such_item", "result": "nonconform", "note": "x"},
               {"item_key": "training", "result": "bad"}]
    with pytest.raises(Invalid) as caught:
        findings_from_results(results, resolved, INSPECTED_ON)
    assert [(d["field"], d["code"]) for d in caught.value.details] == [
        ("results[0].item_key", "unknown_item"), ("results[1].result", "unknown_result")]


def test_a_nonconformity_needs_the_facts_seen(resolved):
    with pytest.raises(Invalid):
        findings_from_results([noise_exam(note="")], resolved, INSPECTED_ON)


def test_an_immediate_item_is_ordered_立即_and_numbering_follows_the_findings(resolved):
    results = [noise_exam(), {"item_key": "facilities_dismantled", "result": "nonconform",
                              "note": "打磨工位局部排风罩已拆除。"}]
    body = render_notice_body(findings_from_results(results, resolved, INSPECTED_ON))
    assert "\n2. 打磨工位局部排风罩已拆除，违反了《中华人民共和国职业病防治法》第二十五条第三款的规定。" \
           "依据《中华人民共和国职业病防治法》第七十五条第（六）项的规定，责令你单位立即改正。" in body


def test_an_item_without_a_penalty_article_asks_for_correction_without_a_legal_order(resolved):
    results = [{"item_key": "prevention_funding", "result": "nonconform", "note": "未安排职业病防治专项经费"}]
    body = render_notice_body(findings_from_results(results, resolved, INSPECTED_ON))
    assert "依据" not in body
    assert "违反了《中华人民共和国职业病防治法》第二十一条的规定。请你单位于2026年4月1日前改正。" in body


def test_a_notice_with_nothing_to_rectify_is_refused(resolved):
    with pytest.raises(Invalid):
        render_notice_body([])


def test_dates_are_written_without_leading_zeros():
    assert format_date_zh(date(2026, 4, 1)) == "2026年4月1日"
    assert format_date_zh(date(2026, 12, 31)) == "2026年12月31日"
