"""The CDC's 职业健康检查台账 over HTTP: examination batches — the institutions' periodic examinations and the CDC's
主动监测 of small enterprises — each in words (institution by its file or name, enterprise by the registry or name,
what was found, whether it reached the national system), a period's figures, the sheet's import, the boundaries."""
import datetime as dt

from tests.support import BUSINESS_NOW, enterprise_in, error_of, login, upload, workbook_bytes
from tests.sync.tablets import Tablet

TODAY = dt.datetime.fromisoformat(BUSINESS_NOW).date()
NEW_YEAR = TODAY.replace(month=1, day=1)


def day(offset):
    return (TODAY + dt.timedelta(days=offset)).isoformat()


def _batch(tablet, number, kind, start, workers, **extra):
    return tablet.create("health_exam_batch", {"batch_no": number, "kind": kind, "exam_from": start,
                                               "workers_examined": workers, **extra})


def _ledger(client):
    registry = enterprise_in("临河区")
    tablet = Tablet(login(client, "lh_assistant"))
    hospital = tablet.create("exam_institution", {"institution_name": "临河区人民医院", "filing_no": "鲁职检备〔2020〕002号",
                                                  "exam_categories": ["dust", "chemical"]})
    ids = {
        "active": _batch(tablet, "LH-TJ-01", "active_monitoring", day(-150), 68, institution_id=hospital,
                         institution_name="区医院", enterprise_id=registry.id, exam_to=day(-148), suspected_cases=1,
                         contraindications=3, reported_national=True, reported_on=day(-120)),
        "active2": _batch(tablet, "LH-TJ-02", "active_monitoring", day(-140), 52, institution_name="临河区人民医院",
                          enterprise_name="临河鑫达五金加工厂", contraindications=2),
        "active3": _batch(tablet, "LH-TJ-03", "active_monitoring", day(-139), 11, institution_name="临河区人民医院",
                          enterprise_id=registry.id, reported_national=True, reported_on=day(-100)),
        "periodic": _batch(tablet, "LH-TJ-04", "on_duty", day(-40), 230, institution_name="北大医疗鲁中医院",
                           enterprise_name="临河通达机械制造有限公司", contraindications=4,
                           reported_national=True, reported_on=day(-20)),
        "bare": tablet.create("health_exam_batch", {"batch_no": "LH-TJ-05", "kind": "pre_employment",
                                                    "institution_name": "临河区妇幼保健院"}),
        "last_year": _batch(tablet, "LH-TJ-00", "active_monitoring", (NEW_YEAR - dt.timedelta(days=40)).isoformat(),
                            90, institution_name="临河区人民医院", enterprise_name="临河宏远包装有限公司",
                            suspected_cases=2, reported_national=True,
                            reported_on=(NEW_YEAR - dt.timedelta(days=10)).isoformat()),
    }
    results = tablet.push()["results"]
    assert {r["status"] for r in results} == {"applied"}, results
    return ids, registry


def test_each_batch_in_words_the_institution_by_its_file_the_enterprise_by_the_registry(client):
    ids, registry = _ledger(client)
    body = login(client, "lh_cdc_supervisor").get("/api/ledgers/health_exams").get_json()
    assert {s["key"]: s["count"] for s in body["states"]} == {"incomplete": 1, "unreported": 1, "reported": 4}
    assert body["items"][0]["id"] == ids["bare"] and body["items"][0]["missing"] == "体检日期、体检人数、用人单位"
    lines = {line["id"]: line for line in body["items"]}
    active = lines[ids["active"]]
    # The file's name wins over what was typed; the registry's name over none.
    assert (active["institution"], active["enterprise_name"]) == ("临河区人民医院", registry.name)
    assert (active["kind"], active["workers"], active["exam_dates"]) == ("主动监测", "68 人", f"{day(-150)} 至 {day(-148)}")
    assert active["outcomes"] == "疑似职业病 1 例；职业禁忌证 3 例"
    assert active["reported"] == f"已上报（{day(-120)}）"
    unreported = lines[ids["active2"]]
    assert (unreported["state_zh"], unreported["reported"]) == ("未上报", "未上报")
    assert lines[ids["active3"]]["outcomes"] == "未发现疑似职业病和职业禁忌证"
    assert "active_monitoring" not in str(body["items"]) and "on_duty" not in str(body["items"])


def test_a_period_counts_workers_active_monitoring_and_what_was_found(client):
    _ledger(client)
    period = f"date_from={NEW_YEAR.isoformat()}&date_to={TODAY.isoformat()}"
    ledgers = login(client, "lh_cdc_supervisor").get(f"/api/kpis?{period}").get_json()["ledgers"]
    tiles = {t["key"]: t for t in next(g for g in ledgers if g["kind"] == "health_exams")["tiles"]}
    assert tiles["examined"]["value"] == 68 + 52 + 11 + 230
    assert tiles["examined"]["detail_zh"] == "在岗期间 230 人；主动监测 131 人"
    assert tiles["active_monitoring_workers"]["value"] == 131
    assert tiles["active_monitoring_workers"]["detail_zh"] == "主动监测 3 批"
    # Two batches at the registry enterprise are one enterprise monitored.
    assert tiles["active_monitoring_enterprises"]["value"] == 2
    assert tiles["suspected"]["value"] == 1 and tiles["contraindications"]["value"] == 9
    assert tiles["contraindications"]["detail_zh"] == "其中主动监测发现 5 例"
    year_end = NEW_YEAR - dt.timedelta(days=1)
    last = f"date_from={year_end.replace(month=1, day=1).isoformat()}&date_to={year_end.isoformat()}"
    ledgers = login(client, "lh_cdc_supervisor").get(f"/api/kpis?{last}").get_json()["ledgers"]
    tiles = {t["key"]: t for t in next(g for g in ledgers if g["kind"] == "health_exams")["tiles"]}
    assert (tiles["active_monitoring_workers"]["value"], tiles["suspected"]["value"]) == (90, 2)


def test_the_supervision_agency_and_the_sampler_see_no_examination(client):
    _ledger(client)
    assert login(client, "lh_supervisor").get("/api/ledgers/health_exams").get_json()["all"] == 0
    assert login(client, "dg_assistant").get("/api/ledgers/health_exams").get_json()["all"] == 0
    refused = login(client, "lh_sampler").get("/api/ledgers/health_exams")
    assert refused.status_code == 403 and error_of(refused)["code"] == "FORBIDDEN"


def test_a_batch_with_more_cases_than_workers_or_a_bad_kind_is_refused_with_its_fields(client):
    tablet = Tablet(login(client, "lh_assistant"))
    _batch(tablet, "LH-TJ-09", "annual", day(-1), "三十", institution_name="临河区人民医院", enterprise_name="某厂")
    result, = tablet.push()["results"]
    assert result["status"] == "rejected"
    assert {(d["field"], d["code"]) for d in result["error"]["details"]} == {("kind", "choice"),
                                                                             ("workers_examined", "type")}


HEADERS = ("体检批次编号", "检查种类", "职业健康检查机构", "用人单位", "体检日期", "体检人数", "疑似职业病", "职业禁忌证", "已上报国家系统",
           "上报日期")


def test_the_sheet_is_imported_with_a_diff_and_a_bad_row_refuses_it_all(client):
    _ledger(client)
    office = login(client, "lh_cdc_supervisor")
    rows = [("LH-TJ-02", "主动监测", "临河区人民医院", "临河鑫达五金加工厂", day(-140), 52, None, 2, "是", day(-110)),
            ("LH-TJ-11", "在岗期间", "临河区妇幼保健院", "临河宏远包装有限公司", day(-30), 41, 0, 1, "否", None)]
    sheet = workbook_bytes(rows, HEADERS)
    preview = upload(office, "/api/ledgers/health_exams/import/preview", sheet)
    assert preview.status_code == 200, preview.get_json()
    body = preview.get_json()
    assert body["counts"] == {"new": 1, "update": 1, "unchanged": 0}
    changed = next(r for r in body["rows"] if r["status"] == "update")
    assert {c["label"]: (c["old"], c["new"]) for c in changed["changes"]} == {
        "已上报国家系统": (None, "是"), "上报日期": (None, day(-110))}
    assert changed["name"] == "临河鑫达五金加工厂"
    bad = workbook_bytes(rows + [("LH-TJ-12", "年度体检", "临河区人民医院", "某厂", day(-2), 3, 5, None, "是", None)],
                         HEADERS)
    refused = upload(office, "/api/ledgers/health_exams/import/preview", bad)
    assert refused.status_code == 422
    found = {(d["row"], d["column"]) for d in error_of(refused)["details"]}
    assert (4, "检查种类") in found and (4, "上报日期") in found
    done = upload(office, f"/api/ledgers/health_exams/import?digest={body['digest']}", sheet)
    assert done.status_code == 200, done.get_json()
    lines = {line["batch_no"]: line for line in office.get("/api/ledgers/health_exams").get_json()["items"]}
    assert lines["LH-TJ-02"]["state_zh"] == "已上报" and lines["LH-TJ-11"]["state_zh"] == "未上报"
    assert upload(login(client, "lh_assistant"), "/api/ledgers/health_exams/import/preview", sheet).status_code == 403
