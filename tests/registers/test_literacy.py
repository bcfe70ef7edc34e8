"""职业健康素养监测 over HTTP: an assistant's tablet surveys the workers of an enterprise and hands the survey in; the
CDC's 科长 reviews it like an assistance visit and reads the district's 知晓率 and 具备率 — by industry, size, sex and
age band, with the interventions done. Drafts count nowhere; the supervision agency is not the CDC."""
import io

import sqlalchemy as sa
from openpyxl import load_workbook

from server.extensions import db
from server.models import Enterprise
from tests.supervision.test_exports import _export
from tests.support import error_of, login
from tests.sync.tablets import Tablet

PERIOD = "from=2026-06-01&to=2026-06-30"
RIGHT = {"q01": "a", "q02": "b", "q03": "b", "q04": ["a", "b", "c", "d"], "q05": "b", "q06": "a", "q07": "a",
         "q08": "b", "q09": ["a", "b", "c", "d"], "q10": "a", "q11": "a", "q12": "b", "q13": "b", "q14": ["a", "b", "c"],
         "q15": "b", "q16": "a", "q17": "a", "q18": ["a", "b", "c"], "q19": "b", "q20": "a"}
# Wrong answers to single and true/false questions (one point each).
WRONG = {"q01": "b", "q02": "a", "q03": "a", "q05": "a", "q06": "b", "q07": "b", "q08": "a"}


def _enterprise(name):
    return db.session.scalar(sa.select(Enterprise.id).where(Enterprise.name == name))


def worker(number, sex, age, wrong=(), **changed):
    return {"respondent_no": number, "sex": sex, "age": age, "post": "操作工", **RIGHT,
            **{key: WRONG[key] for key in wrong}, **changed}


def survey(tablet, enterprise, day, workers, submit=True, **extra):
    """A survey at an enterprise with its workers' questionnaires, handed in (submitted) unless `submit` is false."""
    root = tablet.create("literacy_survey", {"enterprise_id": enterprise, "survey_date": day, "surveyors": "陈静、赵丽",
                                             "interventions": ["handbook", "lecture"], "materials_count": 40, **extra})
    for fields in workers:
        tablet.create("literacy_respondent", fields, parent=root)
    if submit:
        tablet.submit(root)
    return root


def _three_workers():
    return [worker(1, "female", 24),                                           # 24 points: literate
            worker(2, "male", 38, wrong=("q01", "q02", "q03", "q05", "q06")),  # 19 of 24 (79.2 %): not literate
            worker(3, "male", 58, wrong=("q07", "q08"), q09=["a", "b"])]       # 20 of 24 (83.3 %): literate


def figures(caller, query=PERIOD):
    response = caller.get(f"/api/literacy/figures?{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_survey_handed_in_is_counted_by_industry_size_sex_and_age_and_a_draft_is_not(client):
    tablet = Tablet(login(client, "lh_assistant"))
    handed_in = survey(tablet, _enterprise("青川鑫源化工有限公司"), "2026-06-18", _three_workers())
    survey(tablet, _enterprise("临河润泽精细化学品有限公司"), "2026-06-19", [worker(1, "male", 30)], submit=False)
    assert {r["status"] for r in tablet.push()["results"]} == {"applied"}

    body = figures(login(client, "lh_cdc_supervisor"))
    assert (body["surveys"], body["enterprises"], body["respondents"], body["literate"]) == (1, 1, 3, 2)
    assert body["literacy_pct"] == 66.7                     # 2 of 3 workers at or above 80 %
    assert body["awareness_pct"] == 86.7                    # 52 of 60 questions answered right
    assert body["threshold_pct"] == 80
    assert [(r["label_zh"], r["respondents"], r["literacy_pct"]) for r in body["by_sex"]] == [
        ("男", 2, 50.0), ("女", 1, 100.0)]
    assert [(r["label_zh"], r["respondents"]) for r in body["by_age"]] == [
        ("25岁以下", 1), ("35～44岁", 1), ("55岁及以上", 1)]
    assert [(r["label_zh"], r["literacy_pct"]) for r in body["by_size"]] == [("中型", 66.7)]
    assert [r["label_zh"] for r in body["by_industry"]] == ["有机化学原料制造"]
    law = next(d for d in body["dimensions"] if d["key"] == "legal_knowledge")
    assert law["label_zh"] == "职业健康法律知识" and law["literacy_pct"] == 66.7  # worker 2 has 2 of 6 law points
    done = {i["label_zh"]: i["surveys"] for i in body["interventions"]}
    assert done["发放《职业健康素养60条》宣传手册"] == 1 and done["现场讲解或讲座"] == 1 and done["科普课件"] == 0
    assert body["materials_handed_out"] == 40
    assert body["period"] == {"from": "2026-06-01", "to": "2026-06-30"}
    # Another district's CDC and another month see none of it.
    assert figures(login(client, "dg_cdc_supervisor"))["respondents"] == 0
    assert figures(login(client, "lh_cdc_supervisor"), "from=2026-07-01&to=2026-07-31")["surveys"] == 0
    assert handed_in


def test_the_cdc_reviews_the_survey_like_an_assistance_visit(client):
    tablet = Tablet(login(client, "lh_assistant"))
    root = survey(tablet, _enterprise("青川鑫源化工有限公司"), "2026-06-18", _three_workers())
    tablet.push()
    cdc = login(client, "lh_cdc_supervisor")
    assert root in {item["id"] for item in cdc.get("/api/records?status=submitted").get_json()["items"]}
    assert root not in {item["id"] for item in login(client, "lh_supervisor").get("/api/records").get_json()["items"]}
    detail = cdc.get(f"/api/records/{root}").get_json()
    assert len([c for c in detail["children"] if c["entity"] == "literacy_respondent"]) == 3
    returned = cdc.post(f"/api/records/{root}/review", json={"action": "return", "comment": "第2份问卷的岗位请补全"})
    assert returned.status_code == 200
    assert figures(cdc)["surveys"] == 0                     # back with the assistant: shown apart, not counted
    tablet.pull()
    tablet.update(root, {"notes": "已补全"})
    tablet.submit(root)                                     # submitted again: resubmitted
    results = tablet.push()["results"]
    assert all(r["status"] == "applied" for r in results), results
    assert cdc.post(f"/api/records/{root}/review", json={"action": "approve"}).status_code == 200
    assert figures(cdc)["respondents"] == 3                 # approved work counts


def test_a_survey_is_not_handed_in_until_every_worker_answered_every_question(client):
    tablet = Tablet(login(client, "lh_assistant"))
    unfinished = {k: v for k, v in worker(2, "male", 41).items() if k not in ("q19", "q20")}
    root = survey(tablet, _enterprise("青川鑫源化工有限公司"), "2026-06-18", [worker(1, "female", 30), unfinished])
    submitted = tablet.push()["results"][-1]
    assert submitted["status"] == "rejected" and submitted["error"]["code"] == "INCOMPLETE"
    missing = {d["field"].rsplit(".", 1)[1] for d in submitted["error"]["details"]}
    assert missing == {"q19", "q20"}
    assert all(d["message"] for d in submitted["error"]["details"])
    assert figures(login(client, "lh_cdc_supervisor"))["surveys"] == 0
    assert root


def test_with_nothing_surveyed_the_rates_are_empty_not_zero(client):
    body = figures(login(client, "lh_cdc_supervisor"))
    assert (body["surveys"], body["respondents"]) == (0, 0)
    assert body["literacy_pct"] is None and body["awareness_pct"] is None
    assert body["by_industry"] == body["by_sex"] == body["by_age"] == body["by_size"] == []
    assert all(d["literacy_pct"] is None for d in body["dimensions"]) and len(body["dimensions"]) == 4
    assert all(i["surveys"] == 0 and i["label_zh"] for i in body["interventions"])


def test_the_figures_are_the_cdcs_and_the_commissions_to_read(client):
    tablet = Tablet(login(client, "lh_assistant"))
    survey(tablet, _enterprise("青川鑫源化工有限公司"), "2026-06-18", _three_workers())
    tablet.push()
    refused = login(client, "lh_supervisor").get(f"/api/literacy/figures?{PERIOD}")
    assert refused.status_code == 403 and error_of(refused)["code"] == "AGENCY_KIND"
    assert "疾病预防控制中心" in error_of(refused)["message"]
    assert login(client, "lh_assistant").get(f"/api/literacy/figures?{PERIOD}").status_code == 403
    city = figures(login(client, "city_supervisor"))     # the commission oversees every district
    assert city["respondents"] == 3
    east = db.session.scalar(sa.select(Enterprise.region_id).where(Enterprise.name == "青川鑫源化工有限公司"))
    assert figures(login(client, "city_supervisor"), f"{PERIOD}&region_id={east}")["respondents"] == 3
    outside = login(client, "dg_cdc_supervisor").get(f"/api/literacy/figures?{PERIOD}&region_id={east}")
    assert outside.status_code == 404


def test_a_bad_period_is_refused_field_by_field(client):
    cdc = login(client, "lh_cdc_supervisor")
    missing = cdc.get("/api/literacy/figures?to=2026-06-30")
    assert missing.status_code == 422 and "from" in str(error_of(missing)["details"])
    backwards = cdc.get("/api/literacy/figures?from=2026-07-01&to=2026-06-30")
    assert backwards.status_code == 422 and "开始日期不能晚于结束日期" in str(error_of(backwards)["details"])
    garbled = cdc.get(f"/api/literacy/figures?{PERIOD}&region_id=东港")
    assert garbled.status_code == 422 and "region_id" in str(error_of(garbled)["details"])


def test_the_cdc_exports_every_worker_scored_in_words(client):
    tablet = Tablet(login(client, "lh_assistant"))
    survey(tablet, _enterprise("青川鑫源化工有限公司"), "2026-06-18", _three_workers())
    survey(tablet, _enterprise("临河润泽精细化学品有限公司"), "2026-06-19", [worker(1, "male", 30)], submit=False)
    assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
    cdc = login(client, "lh_cdc_supervisor")
    book = load_workbook(io.BytesIO(_export(cdc, "literacy", "xlsx")))
    sheet = book["职业健康素养监测"]
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert header[:5] == ["用人单位名称", "统一社会信用代码", "行业类别", "调查日期", "编号"]
    by_no = {row[4]: dict(zip(header, row)) for row in rows}
    assert sorted(by_no) == [1, 2, 3]  # the draft's worker is not exported
    assert by_no[1]["性别"] == "女" and by_no[1]["年龄组"] == "25岁以下" and by_no[1]["具备职业健康素养"] == "是"
    assert (by_no[2]["得分"], by_no[2]["满分"], by_no[2]["得分率（%）"], by_no[2]["具备职业健康素养"]) == (19, 24, 79.2, "否")
    assert by_no[3]["得分率（%）"] == 83.3 and by_no[1]["用人单位名称"] == "青川鑫源化工有限公司"
    # The supervision agency does not export the CDC's survey.
    refused = login(client, "lh_supervisor").post("/api/exports", json={"kind": "literacy", "format": "xlsx"})
    assert refused.status_code == 403
