"""分类监督执法 as the district's 执法大队 works it: a supervisor assesses an enterprise from the scheme's inputs, the
class, the next reassessment and the history show, the register lists who is overdue, the next draw takes the
enterprise in its new class, and the dashboard shows the register's figures against their targets."""
import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import AuditEntry, ClassAssessment, Enterprise
from tests.support import district, error_of, login, upload, workbook_bytes

INPUTS = {"hazard_nature": "general", "exposure_conformity": "conform", "exposed_headcount": 12,
          "management_score": 95}


def _enterprise(name):
    row = db.session.scalar(sa.select(Enterprise).where(Enterprise.name == name))
    return {"id": row.id, "credit_code": row.credit_code, "hazard_class": row.hazard_class, "region_id": row.region_id}


def _assess(caller, enterprise_id, **values):
    return caller.post(f"/api/classification/enterprises/{enterprise_id}/assessments", json={**INPUTS, **values})


def test_an_assessment_gives_the_class_its_next_reassessment_and_keeps_the_history(client):
    supervisor = login(client, "lh_supervisor")
    plant = _enterprise("青川鲁峰水泥有限公司")  # 丙 in the registry (2025-03-15)
    response = _assess(supervisor, plant["id"], note="整改后复评")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    # 一般 · 符合 · 12 exposed → Ⅰ; 95 points → A; Ⅰ-A → 甲 (lowest risk in the 2023 pilot).
    assert body["current"]["label"] == "甲" and body["current"]["risk_grade"] == "Ⅰ"
    assert body["current"]["management_grade"] == "A" and body["current"]["management_score"] == 95
    assert body["current"]["assessed_on"] == "2026-11-20"  # the business clock's today
    assert body["current"]["next_due"] == "2029-11-20"  # three years (reference table classification_reassessment)
    assert body["current"]["assessed_by_name"] == "孙伟" and body["status"] == "current"
    assert [h["label"] for h in body["history"]] == ["甲", "丙"]
    assert body["history"][1]["source"] == "名录原有分类" and body["history"][1]["assessed_on"] == "2025-03-15"
    db.session.expire_all()
    assert _enterprise("青川鲁峰水泥有限公司")["hazard_class"] == "甲"
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "class.assess"))
    assert entry.target == plant["id"] and entry.details["before"] == "丙" and entry.details["label"] == "甲"


def test_a_back_dated_assessment_joins_the_history_without_changing_the_current_class(client):
    supervisor = login(client, "lh_supervisor")
    plant = _enterprise("临河华美陶瓷有限公司")
    assert _assess(supervisor, plant["id"]).status_code == 201  # 甲 today
    older = _assess(supervisor, plant["id"], assessed_on="2026-01-10", exposure_conformity="nonconform",
                    exposed_headcount=80, management_score=60)
    assert older.status_code == 201
    body = older.get_json()
    assert body["current"]["label"] == "甲" and [h["assessed_on"] for h in body["history"]][:2] == ["2026-11-20",
                                                                                                   "2026-01-10"]
    assert body["history"][1]["label"] == "丙" and body["history"][1]["risk_grade"] == "Ⅲ"


def test_a_class_past_its_reassessment_date_is_listed_as_overdue(client):
    supervisor = login(client, "lh_supervisor")
    never = supervisor.get("/api/classification/register?status=never").get_json()["items"]
    assert [i["name"] for i in never] == ["临河绿源塑料制品厂"] and never[0]["status_zh"] == "未评定"
    plant = _enterprise("临河绿源塑料制品厂")
    assert _assess(supervisor, plant["id"], assessed_on="2023-06-30").status_code == 201  # due 2026-06-30
    register = supervisor.get("/api/classification/register?status=overdue").get_json()
    assert [i["name"] for i in register["items"]] == ["临河绿源塑料制品厂"]
    assert register["items"][0]["next_due"] == "2026-06-30" and register["items"][0]["status_zh"] == "已逾期"
    page = supervisor.get(f"/api/classification/enterprises/{plant['id']}").get_json()
    assert page["status"] == "overdue" and [h["source"] for h in page["history"]] == ["评定"]
    assert supervisor.get("/api/classification/register?status=never").get_json()["items"] == []


def test_the_next_draw_takes_the_enterprise_in_its_new_class(client):
    supervisor = login(client, "lh_supervisor")
    plant = _enterprise("青川鲁峰水泥有限公司")
    assert _assess(supervisor, plant["id"]).status_code == 201
    drawn = supervisor.post("/api/draws", json={"title": "复评后抽查", "region_id": district("临河区").id,
                                                 "scheme": "class_pilot_2023"}).get_json()
    assert plant["credit_code"] in [c["credit_code"] for c in drawn["inputs"]["enterprises"]["甲"]]
    assert len(drawn["inputs"]["enterprises"]["甲"]) == 2
    assert len(drawn["result"]["enterprises"]["甲"]) == 0  # 10 % of 2 (0.2) draws none


@pytest.mark.parametrize("values, field", [
    ({"hazard_nature": "serious"}, "hazard_nature"),
    ({"exposure_conformity": "符合"}, "exposure_conformity"),
    ({"exposed_headcount": -1}, "exposed_headcount"),
    ({"management_score": 101}, "management_score"),
    ({"assessed_on": "2026-11-21"}, "assessed_on"),
    ({"scheme": "grading_guide_2019"}, "scheme"),
    ({"colour": "red"}, "colour"),
])
def test_bad_inputs_are_refused_field_by_field_and_nothing_is_kept(client, values, field):
    plant = _enterprise("青川鲁峰水泥有限公司")
    response = _assess(login(client, "lh_supervisor"), plant["id"], **values)
    assert response.status_code == 422
    assert any(d["field"] == field and d["message"] for d in error_of(response)["details"])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClassAssessment)) == 0


@pytest.mark.parametrize("username, status, code", [
    ("lh_inspector", 403, "FORBIDDEN"), ("lh_sampler", 403, "FORBIDDEN"), ("admin", 403, "FORBIDDEN"),
    ("lh_cdc_supervisor", 403, "AGENCY_KIND"), ("dg_supervisor", 404, "NOT_FOUND"),
])
def test_only_the_districts_supervision_agency_assesses(client, username, status, code):
    plant = _enterprise("青川鲁峰水泥有限公司")
    response = _assess(login(client, username), plant["id"])
    assert response.status_code == status and error_of(response)["code"] == code
    db.session.expire_all()
    assert _enterprise("青川鲁峰水泥有限公司")["hazard_class"] == "丙"


def test_inspectors_read_their_districts_class_files_and_not_anothers(client):
    plant = _enterprise("青川鲁峰水泥有限公司")
    assert login(client, "lh_inspector").get(f"/api/classification/enterprises/{plant['id']}").status_code == 200
    assert login(client, "dg_inspector").get(f"/api/classification/enterprises/{plant['id']}").status_code == 404
    assert login(client, "lh_sampler").get(f"/api/classification/enterprises/{plant['id']}").status_code == 403
    register = login(client, "dg_supervisor").get("/api/classification/register").get_json()
    assert "青川鲁峰水泥有限公司" not in [i["name"] for i in register["items"]]


def _workbook(rows, headers=("统一社会信用代码", "单位名称", "危害性质", "接触水平", "接害人数", "管理状况得分", "评定日期")):
    return workbook_bytes(rows, headers)


def _upload(caller, url, content):
    return upload(caller, url, content, "分类评定.xlsx")


def test_an_import_previews_each_rows_class_change_then_applies_it(client):
    supervisor = login(client, "lh_supervisor")
    cement, press = _enterprise("青川鲁峰水泥有限公司"), _enterprise("青川新闻印刷有限公司")
    content = _workbook([(cement["credit_code"], "青川鲁峰水泥有限公司", "严重", "不符合", 260, 65, "2026-10-08"),
                         (press["credit_code"], "青川新闻印刷有限公司", "一般", "符合", 60, 92, "2025-03-15")])
    preview = _upload(supervisor, "/api/classification/import/preview", content)
    assert preview.status_code == 200, preview.get_json()
    rows = {r["name"]: r for r in preview.get_json()["rows"]}
    change = {c["label"]: c for c in rows["青川鲁峰水泥有限公司"]["changes"]}
    assert rows["青川鲁峰水泥有限公司"]["status"] == "update" and rows["青川鲁峰水泥有限公司"]["label"] == "丙"
    assert change["评定日期"]["old"] == "2025年3月15日" and change["评定日期"]["new"] == "2026年10月8日"
    assert change["下次评定"]["new"] == "2029年10月8日"
    assert rows["青川新闻印刷有限公司"]["status"] == "update"
    assert {c["label"]: c for c in rows["青川新闻印刷有限公司"]["changes"]}.get("分类等级") is None  # still 甲
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClassAssessment)) == 0  # a preview writes nothing
    applied = _upload(supervisor, f"/api/classification/import?digest={preview.get_json()['digest']}", content)
    assert applied.status_code == 200, applied.get_json()
    page = supervisor.get(f"/api/classification/enterprises/{cement['id']}").get_json()
    assert page["current"]["source"] == "导入" and page["current"]["assessed_on"] == "2026-10-08"
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "class.import")).details["update"] == 2
    # The same file again changes nothing.
    again = _upload(supervisor, "/api/classification/import/preview", content).get_json()
    assert {r["status"] for r in again["rows"]} == {"unchanged"}


def test_an_import_reports_every_bad_row_in_chinese_and_writes_nothing(client):
    supervisor = login(client, "lh_supervisor")
    cement, other = _enterprise("青川鲁峰水泥有限公司"), _enterprise("东港石门石灰石矿")
    content = _workbook([(cement["credit_code"], "别的公司", "一般", "符合", 10, 95, "2026-10-08"),
                         (other["credit_code"], "东港石门石灰石矿", "一般", "符合", 10, 95, "2026-10-08"),
                         (cement["credit_code"], "青川鲁峰水泥有限公司", "很严重", "符合", "十", 120, "2026/10/08")])
    response = _upload(supervisor, "/api/classification/import/preview", content)
    assert response.status_code == 422
    details = error_of(response)["details"]
    by_row = {}
    for d in details:
        by_row.setdefault(d["row"], set()).add(d["column"])
    assert by_row[2] == {"单位名称"} and by_row[3] == {"统一社会信用代码"}
    assert {"危害性质", "接害人数", "管理状况得分", "评定日期"} <= by_row[4]
    assert all(d["message"] and not d["message"].isascii() for d in details)


def test_an_import_confirmed_after_the_class_changed_is_refused(client):
    supervisor = login(client, "lh_supervisor")
    cement = _enterprise("青川鲁峰水泥有限公司")
    content = _workbook([(cement["credit_code"], None, "严重", "不符合", 260, 65, "2026-10-08")])
    digest = _upload(supervisor, "/api/classification/import/preview", content).get_json()["digest"]
    assert _assess(supervisor, cement["id"]).status_code == 201
    late = _upload(supervisor, f"/api/classification/import?digest={digest}", content)
    assert late.status_code == 409 and error_of(late)["code"] == "PREVIEW_OUTDATED"


def test_the_dashboard_shows_the_register_and_the_draws_against_their_targets(client):
    supervisor = login(client, "lh_supervisor")
    plant = _enterprise("临河绿源塑料制品厂")
    assert _assess(supervisor, plant["id"], assessed_on="2023-06-30").status_code == 201  # overdue since 2026-06-30
    supervisor.post("/api/draws", json={"title": "第四季度", "region_id": district("临河区").id,
                                        "scheme": "class_pilot_2023"})
    figures = supervisor.get("/api/kpis?date_from=2026-10-01&date_to=2026-12-31").get_json()["classification"]
    assert figures["registry_enterprises"] == 15 and figures["overdue"] == 1 and figures["never"] == 0
    assert figures["current_pct"] == round(14 / 15 * 100, 1) and figures["current_target_pct"] == 100
    assert figures["current_meets_target"] is False
    assert figures["draws"] == 1 and figures["drawn"] > 0 and figures["drawn_inspected_target_pct"] == 100
    assert login(client, "lh_cdc_supervisor").get(
        "/api/kpis?date_from=2026-10-01&date_to=2026-12-31").get_json()["classification"] is None


def test_a_class_with_assessments_is_changed_by_a_new_assessment_not_by_editing_the_registry(client):
    supervisor = login(client, "lh_supervisor")
    plant, ceramics = _enterprise("青川鲁峰水泥有限公司"), _enterprise("临河华美陶瓷有限公司")
    # Before any assessment the registry's class is the registry's to correct.
    before = supervisor.patch(f"/api/enterprises/{ceramics['id']}", json={"hazard_class": "乙",
                                                                          "hazard_class_scheme": "class_pilot_2023"})
    assert before.status_code == 200, before.get_json()
    assert _assess(supervisor, plant["id"]).status_code == 201
    refused = supervisor.patch(f"/api/enterprises/{plant['id']}", json={"hazard_class": "丙"})
    assert refused.status_code == 422
    detail = next(d for d in error_of(refused)["details"] if d["field"] == "hazard_class")
    assert detail["code"] == "assessed" and "分类监督" in detail["message"]
    db.session.expire_all()
    assert _enterprise("青川鲁峰水泥有限公司")["hazard_class"] == "甲"  # still the latest assessment's
    # Other fields of the same enterprise are edited as before.
    assert supervisor.patch(f"/api/enterprises/{plant['id']}", json={"contact_phone": "0533-7100123"}).status_code == 200
