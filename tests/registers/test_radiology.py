"""The 放射诊疗 institutions' ledger over HTTP: each institution's state from its devices' test cycles on the business
clock, the boundaries (another district, the CDC), and the import of the district's 摸底台账 with a diff in words."""
import datetime as dt

from tests.support import BUSINESS_NOW, login, upload, workbook_bytes
from tests.sync.tablets import Tablet

TODAY = dt.datetime.fromisoformat(BUSINESS_NOW).date()
HEADERS = ("机构名称", "医疗机构级别", "放射诊疗许可证号", "发证机关级别", "许可项目", "放射工作人员数")


def _days_ago(n):
    return (TODAY - dt.timedelta(days=n)).isoformat()


def _ledger(client):
    tablet = Tablet(login(client, "lh_inspector"))
    hospital = tablet.create("radiology_institution", {
        "institution_name": "临河区人民医院", "hospital_level": "level_2", "licence_no": "鲁卫放证字〔2024〕第001号",
        "issuing_level": "municipal", "licensed_categories": ["xray_diagnosis"], "radiation_workers": 20})
    tablet.create("radiology_device", {"device_name": "DR", "device_type": "dr", "device_status": "in_use",
                                       "installed_on": "2019-06-20", "last_status_test_on": _days_ago(200),
                                       "last_stability_test_on": _days_ago(125)}, parent=hospital)
    clinic = tablet.create("radiology_institution", {
        "institution_name": "临河区中医医院", "hospital_level": "level_2", "licence_no": "鲁卫放证字〔2024〕第002号",
        "issuing_level": "county", "licensed_categories": ["xray_diagnosis"]})
    tablet.create("radiology_device", {"device_name": "DR", "device_type": "dr", "device_status": "in_use",
                                       "installed_on": "2020-03-02", "last_status_test_on": _days_ago(100),
                                       "last_stability_test_on": _days_ago(10)}, parent=clinic)
    assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
    return hospital, clinic


def test_the_ledger_lists_the_institution_with_an_overdue_device_first(client):
    hospital, clinic = _ledger(client)
    body = login(client, "lh_supervisor").get("/api/ledgers/radiology").get_json()
    assert {s["key"]: s["count"] for s in body["states"]}["overdue"] == 1
    first = body["items"][0]
    assert first["id"] == hospital and first["state_zh"] == "逾期" and "稳定性检测逾期" in first["overdue"]
    assert first["issuing_level"].startswith("市级")
    assert next(i for i in body["items"] if i["id"] == clinic)["state"] == "normal"
    overdue = login(client, "lh_supervisor").get("/api/ledgers/radiology?state=overdue").get_json()
    assert [i["id"] for i in overdue["items"]] == [hospital]


def test_another_district_and_the_cdc_see_no_institution(client):
    _ledger(client)
    assert login(client, "dg_inspector").get("/api/ledgers/radiology").get_json()["all"] == 0
    assert login(client, "lh_cdc_supervisor").get("/api/ledgers/radiology").get_json()["all"] == 0
    assert login(client, "lh_sampler").get("/api/ledgers/radiology").status_code == 403


def test_the_districts_sheet_is_imported_with_a_diff_and_a_bad_row_refuses_it_all(client):
    _ledger(client)
    supervisor = login(client, "lh_supervisor")
    rows = [("临河区人民医院", "二级", "鲁卫放证字〔2024〕第001号", "市级卫生健康行政部门", "X射线影像诊断、介入放射学", 24),
            ("临河区城东社区卫生服务中心", "一级", "鲁卫放证字〔2025〕第011号", "县级卫生健康行政部门", "X射线影像诊断", 4)]
    sheet = workbook_bytes(rows, HEADERS)
    preview = upload(supervisor, "/api/ledgers/radiology/import/preview", sheet).get_json()
    assert preview["counts"] == {"new": 1, "update": 1, "unchanged": 0}
    changed = next(r for r in preview["rows"] if r["status"] == "update")
    diff = {c["label"]: (c["old"], c["new"]) for c in changed["changes"]}
    assert diff["许可项目"] == ("X射线影像诊断", "X射线影像诊断、介入放射学")
    assert diff["放射工作人员数"] == ("20", "24")
    bad = workbook_bytes(rows + [("某诊所", "五级", "鲁卫放证字〔2025〕第012号", "县级卫生健康行政部门", "X射线影像诊断", 2)],
                         HEADERS)
    refused = upload(supervisor, "/api/ledgers/radiology/import/preview", bad)
    assert refused.status_code == 422
    detail = refused.get_json()["error"]["details"][0]
    assert detail["row"] == 4 and detail["column"] == "医疗机构级别" and "五级" in detail["message"]
    done = upload(supervisor, f"/api/ledgers/radiology/import?digest={preview['digest']}", sheet)
    assert done.status_code == 200
    body = supervisor.get("/api/ledgers/radiology?q=城东").get_json()
    assert body["total"] == 1 and body["items"][0]["state_zh"] == "无设备"
    assert upload(login(client, "lh_inspector"), "/api/ledgers/radiology/import/preview", sheet).status_code == 403
