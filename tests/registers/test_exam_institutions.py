"""The CDC's 职业健康检查机构 ledger over HTTP: institutions recorded on the assistance staff's tablet with their
health-record card counts and the CDC's 督导, each institution's state in words on the business clock (整改逾期,
整改中, 本年未督导, 已督导), the year's figures against the 100 % coverage target, the import of the district's sheet,
and the boundaries (another district, the supervision agency, the sampler)."""
import datetime as dt

import sqlalchemy as sa

from server.extensions import db
from server.models import Record
from tests.support import BUSINESS_NOW, error_of, login, upload, workbook_bytes
from tests.sync.tablets import Tablet, new_id

TODAY = dt.datetime.fromisoformat(BUSINESS_NOW).date()
NEW_YEAR = TODAY.replace(month=1, day=1)


def day(offset):
    return (TODAY + dt.timedelta(days=offset)).isoformat()


def _institution(tablet, name, filing, **extra):
    return tablet.create("exam_institution", {"institution_name": name, "filing_no": filing,
                                              "exam_categories": ["dust", "chemical", "physical"], **extra})


def _visit(tablet, file, on, items):
    visit = tablet.create("institution_supervision", {"supervised_on": on, "supervisors": "王海燕、李明",
                                                      "supervision_kind": "comprehensive"}, parent=file)
    return visit, [tablet.create("supervision_item", item, parent=visit) for item in items]


def _ledger(client):
    """Four institutions of 临河区 as the CDC's assistant recorded them (this year's 督导 thirty days ago)."""
    tablet = Tablet(login(client, "lh_assistant"))
    files = {
        "late": _institution(tablet, "北大医疗鲁中医院", "鲁职检备〔2020〕001号"),
        "open": _institution(tablet, "临河区人民医院", "鲁职检备〔2020〕002号"),
        "old": _institution(tablet, "临河区妇幼保健院", "鲁职检备〔2021〕003号"),
        "fine": _institution(tablet, "化建老年病医院", "鲁职检备〔2022〕004号"),
    }
    for file, this_year, last_year in ((files["late"], (12000, 25159), 24011), (files["open"], (15215,), 14002),
                                       (files["old"], (9278,), None)):
        for cards in this_year:
            tablet.create("exam_card_count", {"year": TODAY.year, "cards_reported": cards}, parent=file)
        if last_year:
            tablet.create("exam_card_count", {"year": TODAY.year - 1, "cards_reported": last_year}, parent=file)
    _, items = _visit(tablet, files["late"], day(-30), [
        {"item_key": "filing", "result": "conform"},
        {"item_key": "archives", "result": "nonconform", "finding": "部分体检档案缺少委托协议书", "deadline": day(-10)}])
    _visit(tablet, files["open"], day(-30), [
        {"item_key": "quality", "result": "nonconform", "finding": "未参加本年度质量控制考核", "deadline": day(20)},
        {"item_key": "result_notice", "result": "nonconform", "finding": "2批次结果告知超过30个工作日",
         "deadline": day(-15), "rectified_on": day(-16)}])
    last_year = NEW_YEAR - dt.timedelta(days=60)
    _visit(tablet, files["old"], last_year.isoformat(), [
        {"item_key": "archives", "result": "nonconform", "finding": "档案未按年度归档",
         "deadline": (last_year + dt.timedelta(days=30)).isoformat(),
         "rectified_on": (last_year + dt.timedelta(days=20)).isoformat()}])
    _visit(tablet, files["fine"], day(-30), [{"item_key": "filing", "result": "conform"},
                                             {"item_key": "quality", "result": "conform"}])
    results = tablet.push()["results"]
    assert {r["status"] for r in results} == {"applied"}, results
    return tablet, files, items


def test_each_institution_s_state_is_in_words_most_urgent_first(client):
    _, files, _ = _ledger(client)
    office = login(client, "lh_cdc_supervisor")
    body = office.get("/api/ledgers/exam_institutions").get_json()
    assert [line["state_zh"] for line in body["items"]] == ["整改逾期", "整改中", "本年未督导", "已督导"]
    assert [line["id"] for line in body["items"]] == [files[k] for k in ("late", "open", "old", "fine")]
    late, rectifying, old, fine = body["items"]
    assert late["open_findings"] == f"职业健康检查档案：部分体检档案缺少委托协议书（限 {day(-10)} 前整改，已逾期 10 天）"
    assert late["last_supervision"] == f"{day(-30)}（不符合 1 项）"
    assert late["cards"] == f"{TODAY.year}年 25159 张；{TODAY.year - 1}年 24011 张"
    assert late["categories"] == "接触粉尘类、接触化学因素类、接触物理因素类"
    # The rectified finding is not outstanding; the one due in 20 days is.
    assert rectifying["open_findings"] == f"质量管理与质量控制：未参加本年度质量控制考核（限 {day(20)} 前整改）"
    assert old["open_findings"] == "无" and fine["last_supervision"] == f"{day(-30)}（均符合）"
    assert fine["cards"] == "未填报"
    assert {s["key"]: s["count"] for s in body["states"]} == {"overdue": 1, "rectifying": 1, "not_supervised": 1,
                                                               "supervised": 1}
    assert [c["label_zh"] for c in body["columns"]][:2] == ["机构名称", "备案编号"]
    assert body["key_label_zh"] == "备案编号"
    shown = str(body["items"])
    assert "nonconform" not in shown and "archives" not in shown and "dust" not in shown
    # Found by name or filing number; filtered by state; an unknown state is refused with the field named.
    assert [i["id"] for i in office.get("/api/ledgers/exam_institutions?q=妇幼").get_json()["items"]] == [files["old"]]
    only = office.get("/api/ledgers/exam_institutions?state=overdue").get_json()
    assert [i["id"] for i in only["items"]] == [files["late"]]
    refused = office.get("/api/ledgers/exam_institutions?state=late")
    assert refused.status_code == 422 and error_of(refused)["details"][0]["field"] == "state"


def test_the_rectified_on_date_entered_on_the_tablet_clears_the_overdue_finding(client):
    tablet, files, items = _ledger(client)
    tablet.pull()
    tablet.update(items[1], {"rectified_on": day(-1), "rectification_note": "已补齐委托协议书"})
    assert tablet.push()["results"][-1]["status"] == "applied"
    body = login(client, "lh_cdc_supervisor").get("/api/ledgers/exam_institutions").get_json()
    line = next(i for i in body["items"] if i["id"] == files["late"])
    assert (line["state_zh"], line["open_findings"]) == ("已督导", "无")


def test_a_finding_without_a_deadline_is_being_rectified_and_a_late_rectification_date_is_not_one_yet(client):
    tablet = Tablet(login(client, "lh_assistant"))
    file = _institution(tablet, "临河区中医医院", "鲁职检备〔2023〕005号")
    _visit(tablet, file, day(-2), [{"item_key": "outreach", "result": "nonconform", "finding": "外出体检车未备案"},
                                   {"item_key": "archives", "result": "nonconform", "finding": "档案不全",
                                    "deadline": day(-1), "rectified_on": day(3)}])
    assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
    line, = login(client, "lh_cdc_supervisor").get("/api/ledgers/exam_institutions").get_json()["items"]
    assert line["state_zh"] == "整改逾期"  # "rectified" in three days is not rectified today
    assert "外出职业健康检查：外出体检车未备案（未定整改期限）" in line["open_findings"]


def test_the_year_s_figures_count_coverage_cards_and_findings(client):
    _ledger(client)
    period = f"date_from={NEW_YEAR.isoformat()}&date_to={TODAY.isoformat()}"
    ledgers = login(client, "lh_cdc_supervisor").get(f"/api/kpis?{period}").get_json()["ledgers"]
    tiles = {t["key"]: t for t in next(g for g in ledgers if g["kind"] == "exam_institutions")["tiles"]}
    assert tiles["institutions"]["value"] == 4
    coverage = tiles["supervision_coverage"]
    assert (coverage["part"], coverage["whole"], coverage["value"], coverage["unit"]) == (3, 4, 75.0, "pct")
    assert coverage["target_pct"] == 100 and coverage["meets_target"] is False
    cards = tiles["health_record_cards"]
    assert cards["value"] == 25159 + 15215 + 9278
    assert cards["detail_zh"] == (f"{TODAY.year}年：北大医疗鲁中医院 25159 张；临河区人民医院 15215 张；临河区妇幼保健院 9278 张；"
                                  "1 家未填报")
    # This year's 督导 found three problems: one rectified, one being rectified, one overdue.
    assert tiles["findings"]["value"] == 3 and tiles["findings_rectified"]["value"] == 1
    assert tiles["findings"]["detail_zh"].startswith("已整改 1 项，整改中 1 项，逾期 1 项")
    # Last year's figures: last year's cards, the one 督导 of last year and its rectified finding.
    year_end = NEW_YEAR - dt.timedelta(days=1)
    last = f"date_from={year_end.replace(month=1, day=1).isoformat()}&date_to={year_end.isoformat()}"
    ledgers = login(client, "lh_cdc_supervisor").get(f"/api/kpis?{last}").get_json()["ledgers"]
    tiles = {t["key"]: t for t in next(g for g in ledgers if g["kind"] == "exam_institutions")["tiles"]}
    assert tiles["health_record_cards"]["value"] == 24011 + 14002
    assert (tiles["supervision_coverage"]["part"], tiles["findings"]["value"],
            tiles["findings_rectified"]["value"]) == (1, 1, 1)


def test_another_district_the_supervision_agency_and_the_sampler_see_none_of_it(client):
    _ledger(client)
    assert login(client, "dg_assistant").get("/api/ledgers/exam_institutions").get_json()["all"] == 0
    inspection_office = login(client, "lh_supervisor")
    assert inspection_office.get("/api/ledgers/exam_institutions").get_json()["all"] == 0
    assert "exam_institutions" not in {item["kind"] for item in inspection_office.get("/api/ledgers").get_json()}
    ledgers = inspection_office.get(f"/api/kpis?date_from={NEW_YEAR.isoformat()}&date_to={TODAY.isoformat()}")
    assert "exam_institutions" not in {g["kind"] for g in ledgers.get_json()["ledgers"]}
    sampler = login(client, "lh_sampler")
    refused = sampler.get("/api/ledgers/exam_institutions")
    assert refused.status_code == 403 and error_of(refused)["code"] == "FORBIDDEN"
    for username in ("lh_sampler", "lh_inspector", "dg_assistant"):
        pulled = Tablet(login(client, username, device_id=new_id())).pull(protocol=2)
        assert not any(c.get("entity", "").startswith(("exam_", "institution_", "supervision_")) for c in pulled)
    own = Tablet(login(client, "lh_assistant", device_id=new_id())).pull(protocol=2)
    assert sum(c.get("entity") == "supervision_item" for c in own) == 7
    kept = login(client, "lh_assistant").get("/api/ledgers").get_json()
    assert "exam_institutions" in {item["kind"] for item in kept}


def test_an_item_not_on_the_checklist_is_refused_with_the_field_named(client):
    tablet = Tablet(login(client, "lh_assistant"))
    file = _institution(tablet, "临河区中医医院", "鲁职检备〔2023〕005号")
    visit = tablet.create("institution_supervision", {"supervised_on": day(0), "supervisors": "王海燕"}, parent=file)
    tablet.create("supervision_item", {"item_key": "parking", "result": "不符合"}, parent=visit)
    results = tablet.push()["results"]
    assert [r["status"] for r in results] == ["applied", "applied", "rejected"]
    fields = {(d["field"], d["code"]) for d in results[-1]["error"]["details"]}
    assert fields == {("item_key", "reference"), ("result", "choice")}
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in d["message"]) for d in results[-1]["error"]["details"])


HEADERS = ("机构名称", "备案编号", "备案日期", "备案的检查类别", "联系电话")


def test_the_districts_sheet_is_imported_with_a_diff_and_a_bad_row_refuses_it_all(client):
    _ledger(client)
    office = login(client, "lh_cdc_supervisor")
    rows = [("临河区人民医院", "鲁职检备〔2020〕002号", "2020-06-18", "接触粉尘类、接触化学因素类、接触物理因素类、接触放射因素类",
             "0533 7100120"),
            ("临河区第二人民医院", "鲁职检备〔2025〕009号", "2025-03-02", "接触粉尘类", None)]
    sheet = workbook_bytes(rows, HEADERS)
    preview = upload(office, "/api/ledgers/exam_institutions/import/preview", sheet)
    assert preview.status_code == 200, preview.get_json()
    body = preview.get_json()
    assert body["counts"] == {"new": 1, "update": 1, "unchanged": 0}
    changed = next(r for r in body["rows"] if r["status"] == "update")
    diff = {c["label"]: (c["old"], c["new"]) for c in changed["changes"]}
    assert diff["备案的检查类别"] == ("接触粉尘类、接触化学因素类、接触物理因素类", "接触粉尘类、接触化学因素类、接触物理因素类、接触放射因素类")
    assert changed["name"] == "临河区人民医院"
    bad = workbook_bytes(rows + [("某体检中心", "鲁职检备〔2025〕010号", "2025-13-01", "接触噪声类", None)], HEADERS)
    refused = upload(office, "/api/ledgers/exam_institutions/import/preview", bad)
    assert refused.status_code == 422
    found = {(d["row"], d["column"]) for d in error_of(refused)["details"]}
    assert found == {(4, "备案日期"), (4, "备案的检查类别")}
    assert "“接触噪声类”不是可选项" in " ".join(d["message"] for d in error_of(refused)["details"])
    done = upload(office, f"/api/ledgers/exam_institutions/import?digest={body['digest']}", sheet)
    assert done.status_code == 200, done.get_json()
    line, = office.get("/api/ledgers/exam_institutions?q=第二人民").get_json()["items"]
    assert (line["state_zh"], line["filing_no"]) == ("本年未督导", "鲁职检备〔2025〕009号")
    count = sa.select(sa.func.count()).select_from(Record).where(Record.entity == "exam_institution")
    assert db.session.scalar(count) == 5
    # The CDC's assistant reads the ledger but does not import; the supervision agency's office neither.
    assert upload(login(client, "lh_assistant"), "/api/ledgers/exam_institutions/import/preview", sheet).status_code \
        == 403
    other = upload(login(client, "lh_supervisor"), "/api/ledgers/exam_institutions/import/preview", sheet)
    assert other.status_code == 403 and error_of(other)["code"] == "AGENCY_KIND"
