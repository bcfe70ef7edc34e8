"""The enterprise registry: search, register, correct, and the checklist its declared hazards give
(importing a district spreadsheet: test_enterprise_imports.py)."""
import pytest

from tests.support import district, error_of, login

VALID_CODE = "91350100M000100Y43"  # the worked example of GB 32100


def _new(region_id, **extra):
    return {"credit_code": VALID_CODE, "name": "青川测试化工有限公司", "region_id": region_id,
            "industry_code": "2614", "industry_name": "有机化学原料制造", "size": "small", **extra}


def test_search_by_name_industry_and_paging(client):
    caller = login(client, "city_supervisor")
    by_name = caller.get("/api/enterprises?q=鞋").get_json()
    assert by_name["total"] == 2
    assert all("鞋" in item["name"] for item in by_name["items"])
    plating = caller.get("/api/enterprises?industry_code=3360").get_json()
    assert plating["total"] == 3
    page1 = caller.get("/api/enterprises?per_page=10&page=1").get_json()
    page3 = caller.get("/api/enterprises?per_page=10&page=3").get_json()
    assert page1["total"] == 30 and len(page1["items"]) == 10 and len(page3["items"]) == 10
    assert not {i["id"] for i in page1["items"]} & {i["id"] for i in page3["items"]}


def test_search_by_full_credit_code(client):
    caller = login(client, "city_supervisor")
    any_one = caller.get("/api/enterprises?per_page=1").get_json()["items"][0]
    found = caller.get(f"/api/enterprises?credit_code={any_one['credit_code'].lower()}").get_json()
    assert [i["id"] for i in found["items"]] == [any_one["id"]]


def test_supervisor_registers_an_enterprise(client):
    caller = login(client, "lh_supervisor")
    response = caller.post("/api/enterprises", json=_new(district("临河区").id, declared_hazards=["benzene", "noise"]))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["credit_code"] == VALID_CODE and body["declared_hazards"] == ["benzene", "noise"]
    assert caller.get(f"/api/enterprises/{body['id']}").get_json()["name"] == "青川测试化工有限公司"


def test_declared_hazards_are_stored_as_hazard_keys_and_unknown_names_refused(client):
    caller = login(client, "lh_supervisor")
    created = caller.post("/api/enterprises", json=_new(district("临河区").id, declared_hazards=["苯", "噪声", "toluene"]))
    assert created.status_code == 201, created.get_json()
    enterprise = created.get_json()
    assert enterprise["declared_hazards"] == ["benzene", "noise", "toluene"]
    refused = caller.patch(f"/api/enterprises/{enterprise['id']}", json={"declared_hazards": ["苯", "油漆味"]})
    assert refused.status_code == 422
    detail = error_of(refused)["details"][0]
    assert detail["field"] == "declared_hazards" and "油漆味" in detail["message"]
    kept = caller.get(f"/api/enterprises/{enterprise['id']}").get_json()
    assert kept["declared_hazards"] == ["benzene", "noise", "toluene"]


@pytest.mark.parametrize("code, problem", [
    ("91350100M000100Y44", "check_digit"),
    ("91350100M000100Y4", "length"),
    ("91350100M000100YO3", "charset"),
])
def test_bad_credit_codes_are_refused_with_the_field(client, code, problem):
    caller = login(client, "lh_supervisor")
    response = caller.post("/api/enterprises", json=_new(district("临河区").id, credit_code=code))
    assert response.status_code == 422
    details = error_of(response)["details"]
    assert {"field": "credit_code", "code": problem} in [{"field": d["field"], "code": d["code"]} for d in details]


def test_duplicate_credit_code_is_refused_and_the_first_stays(client):
    caller = login(client, "lh_supervisor")
    assert caller.post("/api/enterprises", json=_new(district("临河区").id)).status_code == 201
    again = caller.post("/api/enterprises", json=_new(district("临河区").id, name="另一家公司"))
    assert again.status_code == 422 and error_of(again)["details"][0]["code"] == "unique"
    assert caller.get(f"/api/enterprises?credit_code={VALID_CODE}").get_json()["items"][0]["name"] == "青川测试化工有限公司"


def test_class_without_its_scheme_is_refused(client):
    caller = login(client, "lh_supervisor")
    response = caller.post("/api/enterprises", json=_new(district("临河区").id, hazard_class="甲"))
    assert response.status_code == 422
    assert error_of(response)["details"][0]["field"] == "hazard_class_scheme"


def test_supervisor_cannot_register_in_another_district(client):
    supervisor = login(client, "lh_supervisor")
    before = login(client, "dg_supervisor").get("/api/enterprises?per_page=1").get_json()["total"]
    response = supervisor.post("/api/enterprises", json=_new(district("东港区").id))
    assert response.status_code == 404 and error_of(response)["code"] == "NOT_FOUND"
    assert login(client, "dg_supervisor").get("/api/enterprises?per_page=1").get_json()["total"] == before


def test_field_staff_cannot_register_enterprises(client):
    sampler = login(client, "lh_sampler")
    before = sampler.get("/api/enterprises?per_page=1").get_json()["total"]
    response = sampler.post("/api/enterprises", json=_new(district("临河区").id))
    assert response.status_code == 403 and error_of(response)["code"] == "FORBIDDEN"
    assert error_of(response)["details"][0]["message"] == "需要角色：管理员、审核人"
    assert sampler.get("/api/enterprises?per_page=1").get_json()["total"] == before


def _checklist_keys(caller, name):
    enterprise = caller.get(f"/api/enterprises?q={name}").get_json()["items"][0]
    body = caller.get(f"/api/enterprises/{enterprise['id']}/checklist").get_json()
    return body, {item["key"] for group in body["groups"] for item in group["items"]}


def test_checklist_follows_the_declared_hazards(client):
    inspector = login(client, "lh_inspector")
    # 青川金岭矿业: silica dust, noise, vibration → dust items, noise items, severe-hazard items; no chemicals.
    mine, mine_keys = _checklist_keys(inspector, "金岭矿业")
    assert {"dust", "noise", "severe_hazard"} <= set(mine["conditions"])
    assert "chemical" not in mine["conditions"]
    # 临河亮光电镀: nickel, chromium VI, sulfuric acid, hydrogen cyanide → chemical and acute-risk items.
    plating, plating_keys = _checklist_keys(inspector, "亮光电镀")
    assert {"chemical", "acute_risk"} <= set(plating["conditions"])
    assert "health_exam_noise" in mine_keys and "health_exam_noise" not in plating_keys
    assert mine_keys & plating_keys >= {"org_management"}
    titles = [group["title_zh"] for group in mine["groups"]]
    assert titles[0].startswith("职业病防治管理")
    item = next(i for g in mine["groups"] for i in g["items"] if i["key"] == "health_exam_noise")
    assert item["violated_citation"] == "《中华人民共和国职业病防治法》第三十五条第一款"
    assert item["penalty_citation"] == "《中华人民共和国职业病防治法》第七十一条第（四）项"


def test_a_campaign_inspection_adds_the_industrys_hazards_and_marks_its_focus_items(client):
    inspector = login(client, "lh_inspector")
    enterprise = inspector.get("/api/enterprises?q=金岭矿业").get_json()["items"][0]
    plain = inspector.get(f"/api/enterprises/{enterprise['id']}/checklist").get_json()
    # The mine declares no chemical: a furniture campaign's inspection checks chemical items too, the focus marked.
    furniture = inspector.get(f"/api/enterprises/{enterprise['id']}/checklist?campaign_industry=furniture").get_json()
    plain_keys = {i["key"] for g in plain["groups"] for i in g["items"]}
    items = {i["key"]: i for g in furniture["groups"] for i in g["items"]}
    assert "ppe_chemical" not in plain_keys and "ppe_chemical" in items
    assert items["ppe_chemical"]["campaign_focus"] is True and "campaign_focus" not in items["org_management"]
    assert furniture["campaign"]["title_zh"] == "家具制造行业专项治理检查要点"
    assert any("木粉尘" in point for point in furniture["campaign"]["points_zh"])
    assert plain.get("campaign") is None
    refused = inspector.get(f"/api/enterprises/{enterprise['id']}/checklist?campaign_industry=mining")
    assert refused.status_code == 422 and refused.get_json()["error"]["details"][0]["field"] == "campaign_industry"
