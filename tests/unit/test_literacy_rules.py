"""职业健康素养监测: a worker's questionnaire is scored from the reference table — 20 questions, 24 points, literate
from 80 % — the same on the tablet as on the server, and the form asks exactly the table's questions."""
import copy
import json
from datetime import date

import pytest

from server.domain.errors import Invalid
from server.domain.literacy import age_band, load_questionnaire, score_respondent
from server.domain.references import default_path, read_table
from server.form_registry import load_registry
from tests.support import node_json

ROWS = read_table(default_path("literacy", "questionnaire.json"), "literacy_questionnaire")["rows"]
QUESTIONNAIRE = load_questionnaire(ROWS, date(2026, 6, 18))
RIGHT = {row["key"]: (row["answer"] if row["question_type"] == "multiple" else row["answer"][0])
         for row in ROWS if row["kind"] == "question"}
WRONG_SINGLE = {row["key"]: next(o["value"] for o in row["options"] if o["value"] not in row["answer"])
                for row in ROWS if row["kind"] == "question" and row["question_type"] != "multiple"}


def answers(wrong=(), **changed):
    """Every question answered right but the ones in `wrong` (single and true/false questions) and `changed`."""
    return {**RIGHT, **{key: WRONG_SINGLE[key] for key in wrong}, **changed}


def test_a_worker_who_answers_everything_right_has_all_24_points_and_is_literate():
    score = score_respondent(QUESTIONNAIRE, answers())
    assert (score["points"], score["full_points"], score["answered"], score["correct"]) == (24, 24, 20, 20)
    assert score["literate"] and score["score_pct"] == 100
    assert {key: part["literate"] for key, part in score["dimensions"].items()} == {
        "legal_knowledge": True, "protection_knowledge": True, "protection_skills": True, "healthy_work": True}


def test_a_multiple_choice_question_counts_only_with_exactly_the_right_options():
    missed_one = score_respondent(QUESTIONNAIRE, answers(q09=["a", "b", "c"]))
    one_too_many = score_respondent(QUESTIONNAIRE, answers(q09=["a", "b", "c", "d", "e"]))
    in_another_order = score_respondent(QUESTIONNAIRE, answers(q09=["d", "c", "b", "a"]))
    assert missed_one["points"] == one_too_many["points"] == 22
    assert missed_one["correct"] == 19 and missed_one["answered"] == 20
    assert in_another_order["points"] == 24


def test_literate_from_80_percent_of_the_full_points_as_the_table_says():
    four_wrong = score_respondent(QUESTIONNAIRE, answers(wrong=("q01", "q02", "q03", "q05")))
    five_wrong = score_respondent(QUESTIONNAIRE, answers(wrong=("q01", "q02", "q03", "q05", "q06")))
    assert (four_wrong["points"], four_wrong["literate"]) == (20, True)    # 83.3 %
    assert (five_wrong["points"], five_wrong["literate"]) == (19, False)   # 79.2 %
    # The rule is data: a province that counts from 75 % changes the table, not the code.
    rows = copy.deepcopy(ROWS)
    next(r for r in rows if r["kind"] == "scoring")["literate_threshold_pct"] = 75
    assert score_respondent(load_questionnaire(rows), answers(wrong=("q01", "q02", "q03", "q05", "q06")))["literate"]


def test_each_part_is_judged_on_its_own_questions():
    # The five law questions (6 points): two wrong leave 4 of 6, under 80 %; the worker is still literate overall.
    score = score_respondent(QUESTIONNAIRE, answers(wrong=("q01", "q02")))
    law = score["dimensions"]["legal_knowledge"]
    assert (law["points"], law["full_points"], law["literate"]) == (4, 6, False)
    assert score["dimensions"]["protection_skills"]["literate"] and score["literate"]


def test_questions_not_answered_score_nothing_and_are_not_counted_as_answered():
    half = {key: value for key, value in answers().items() if key <= "q10"}
    score = score_respondent(QUESTIONNAIRE, half)
    assert (score["answered"], score["correct"], score["points"]) == (10, 10, 12)
    assert not score["literate"]
    assert score_respondent(QUESTIONNAIRE, {"q01": " ", "q04": []})["answered"] == 0


@pytest.mark.parametrize("age, band", [(16, "25岁以下"), (24, "25岁以下"), (25, "25～34岁"), (44, "35～44岁"),
                                       (54, "45～54岁"), (55, "55岁及以上"), (70, "55岁及以上")])
def test_age_bands_come_from_the_table(age, band):
    assert age_band(QUESTIONNAIRE, age)[1] == band


def test_no_age_has_no_band():
    assert age_band(QUESTIONNAIRE, None) is None and age_band(QUESTIONNAIRE, "34") is None


def test_a_broken_table_is_refused_with_every_reason():
    rows = copy.deepcopy(ROWS)
    by_key = {row["key"]: row for row in rows}
    by_key["q02"]["question_type"] = "essay"
    by_key["q03"]["answer"] = ["z"]
    by_key["q07"]["dimension"] = "lifestyle"
    by_key["scoring"]["points_multiple"] = "two"
    with pytest.raises(Invalid) as refused:
        load_questionnaire(rows)
    found = {(d["field"], d.get("row")) for d in refused.value.details}
    index = {row["key"]: i for i, row in enumerate(rows)}
    assert {("question_type", index["q02"]), ("answer", index["q03"]), ("dimension", index["q07"]),
            ("points_multiple", None)} <= found
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in d["message"]) for d in refused.value.details)  # for people


def test_the_form_asks_exactly_the_tables_questions_with_the_same_options():
    definition = load_registry().get("literacy_survey", 1)
    survey, respondent = definition["entities"]
    fields = {f["id"]: f for s in respondent["sections"] for f in s["fields"]}
    questions = [row for row in ROWS if row["kind"] == "question"]
    asked = [f["id"] for s in respondent["sections"] if s["id"] != "respondent" for f in s["fields"]]
    assert asked == [row["key"] for row in sorted(questions, key=lambda r: r["order"])]
    for row in questions:
        field = fields[row["key"]]
        assert field["label_zh"] == row["text_zh"] and field["required"]
        assert field["choices"] == row["options"]
        assert field["type"] == ("multi_select" if row["question_type"] == "multiple" else "select")
    section_of = {f["id"]: s["id"] for s in respondent["sections"] for f in s["fields"]}
    assert all(section_of[row["key"]] == row["dimension"] for row in questions)
    interventions = next(f for s in survey["sections"] for f in s["fields"] if f["id"] == "interventions")
    assert [(c["value"], c["label_zh"]) for c in interventions["choices"]] == [
        (row["key"], row["label_zh"]) for row in ROWS if row["kind"] == "intervention"]


def test_the_tablet_scores_every_answer_sheet_as_the_server_does():
    sheets = [answers(), answers(wrong=("q01", "q02", "q03", "q05")), answers(wrong=("q01", "q02", "q03", "q05", "q06")),
              answers(q09=["a", "b", "c"], q14=["a", "b", "c", "d"]), {"q01": "a", "q04": ["a", "b", "c", "d"]}, {}]
    script = f"""
        import {{ questionnaireOf, scoreRespondent }} from "./pwa/static/js/literacy.js";
        const q = questionnaireOf({json.dumps(ROWS, ensure_ascii=False)}, "2026-06-18");
        const sheets = {json.dumps(sheets)};
        process.stdout.write(JSON.stringify({{ scores: sheets.map((s) => scoreRespondent(q, s)) }}));
    """
    tablet = node_json(script)
    for sheet, on_tablet in zip(sheets, tablet["scores"]):
        on_server = score_respondent(QUESTIONNAIRE, sheet)
        for key in ("points", "full_points", "answered", "correct", "literate"):
            assert on_tablet[key] == on_server[key], (key, sheet)
        assert {k: v["literate"] for k, v in on_tablet["dimensions"].items()} == {
            k: v["literate"] for k, v in on_server["dimensions"].items()}
