"""The 建设项目职业病防护设施“三同时” ledger over HTTP: projects entered from the inspector's tablet or imported from the
sheet the supervision agency kept, each with its state today (逾期, 待完成, 未填报, 进行中, 已落实) and its stages in
words, the 落实率 against its target, and the boundaries (another district's inspector, the CDC)."""
import datetime as dt

import sqlalchemy as sa

from server.extensions import db
from server.models import Record
from tests.support import BUSINESS_NOW, error_of, login, upload, workbook_bytes
from tests.sync.tablets import Tablet, new_id

TODAY = dt.datetime.fromisoformat(BUSINESS_NOW).date()


def day(offset):
    return (TODAY + dt.timedelta(days=offset)).isoformat()


def _ledger(client):
    """Three projects of 临河区 entered on the inspector's tablet: one overdue, one 已落实, one due within the month."""
    tablet = Tablet(login(client, "lh_inspector"))
    base = {"project_nature": "new_build", "builder_name": "临河新锐塑业有限公司"}
    ids = {
        "overdue": tablet.create("construction_project", {
            **base, "project_code": "LH-P-001", "project_name": "注塑车间新建项目", "hazard_level": "general",
            "approval_date": day(-12), "construction_start": day(40), "registered_on": day(-20)}),
        "done": tablet.create("construction_project", {
            **base, "project_code": "LH-P-002", "project_name": "仓储中心改建项目", "hazard_level": "serious",
            "project_nature": "reconstruction", "approval_date": day(-500), "construction_start": day(-400),
            "trial_run_start": day(-120), "pre_assessment_done_on": day(-510),
            "protection_design_done_on": day(-420), "control_evaluation_done_on": day(-30),
            "acceptance_done_on": day(-10), "registered_on": day(-600)}),
        "due": tablet.create("construction_project", {
            **base, "project_code": "LH-P-003", "project_name": "喷涂线技术改造项目", "hazard_level": "heavier",
            "project_nature": "technical_renovation", "approval_date": day(-30), "pre_assessment_done_on": day(-35),
            "construction_start": day(14), "registered_on": day(-40)}),
    }
    results = tablet.push()["results"]
    assert {r["status"] for r in results} == {"applied"}, results
    return tablet, ids


def test_the_ledger_shows_each_project_state_today_most_urgent_first(client):
    _, ids = _ledger(client)
    supervisor = login(client, "lh_supervisor")
    body = supervisor.get("/api/ledgers/projects").get_json()
    assert {s["key"]: s["count"] for s in body["states"]} == {"overdue": 1, "due": 1, "incomplete": 0,
                                                                "ongoing": 0, "done": 1}
    assert [line["state_zh"] for line in body["items"]] == ["逾期", "待完成", "已落实"]
    overdue, due, done = body["items"]
    assert overdue["id"] == ids["overdue"] and overdue["hazard_level_zh"] == "职业病危害一般"
    assert overdue["overdue_stages"] == f"职业病危害预评价（应于{day(-12)}前完成，已逾期12天）"
    assert (due["next_stage"], due["next_due"]) == ("职业病防护设施设计", day(14))
    assert (done["next_stage"], done["overdue_stages"]) == ("各环节均已完成", "")
    assert [c["label_zh"] for c in body["columns"]][:3] == ["项目名称", "项目编号", "建设单位"]
    # Filtered by state, and found by name or code.
    only = supervisor.get("/api/ledgers/projects?state=overdue").get_json()
    assert [line["project_code"] for line in only["items"]] == ["LH-P-001"] and only["total"] == 1
    assert [line["project_code"] for line in supervisor.get("/api/ledgers/projects?q=喷涂").get_json()["items"]] \
        == ["LH-P-003"]
    assert supervisor.get("/api/ledgers/projects?state=late").status_code == 422


def test_a_file_missing_the_dates_its_next_stage_counts_from_is_not_filled_in(client):
    tablet, _ = _ledger(client)
    # Built and designed, but neither the trial operation nor the completion is planned in the file.
    tablet.create("construction_project", {
        "project_code": "LH-P-004", "project_name": "破碎车间改建项目", "builder_name": "临河新锐塑业有限公司",
        "project_nature": "reconstruction", "hazard_level": "heavier", "approval_date": day(-300),
        "pre_assessment_done_on": day(-310), "construction_start": day(-200), "protection_design_done_on": day(-210)})
    tablet.push()
    body = login(client, "lh_supervisor").get("/api/ledgers/projects?state=incomplete").get_json()
    line, = body["items"]
    assert (line["state_zh"], line["next_stage"]) == ("未填报", "职业病危害控制效果评价")
    assert line["next_due"] == "待填写试运行开始日期或计划竣工日期"


def test_entering_the_overdue_stage_s_completion_clears_it(client):
    tablet, ids = _ledger(client)
    tablet.pull()
    tablet.update(ids["overdue"], {"pre_assessment_done_on": day(-1)})
    assert tablet.push()["results"][-1]["status"] == "applied"
    body = login(client, "lh_supervisor").get("/api/ledgers/projects").get_json()
    lines = {line["id"]: line for line in body["items"]}
    # Done late: no longer overdue; the next stage (the design before construction, in 40 days) is what comes.
    assert lines[ids["overdue"]]["state"] == "ongoing" and lines[ids["overdue"]]["overdue_stages"] == ""


def test_another_district_and_the_cdc_see_none_of_it(client):
    _ledger(client)
    assert login(client, "dg_inspector").get("/api/ledgers/projects").get_json()["all"] == 0
    assert login(client, "dg_supervisor").get("/api/ledgers/projects").get_json()["items"] == []
    sampler = login(client, "lh_sampler")
    assert sampler.get("/api/ledgers/projects").status_code == 403
    assert "projects" not in {ledger["kind"] for ledger in sampler.get("/api/ledgers").get_json()}
    # Nor does a file reach their tablets.
    for username in ("lh_sampler", "dg_inspector"):
        pulled = Tablet(login(client, username, device_id=new_id())).pull(protocol=2)
        assert not any(c.get("entity") == "construction_project" for c in pulled), username
    own = Tablet(login(client, "lh_inspector2", device_id=new_id())).pull(protocol=2)
    assert sum(c.get("entity") == "construction_project" for c in own) == 3


def test_the_implementation_rate_is_on_the_dashboard_with_its_target(client):
    _ledger(client)
    period = f"date_from={day(-364)}&date_to={day(0)}"
    ledgers = login(client, "lh_supervisor").get(f"/api/kpis?{period}").get_json()["ledgers"]
    tiles = {t["key"]: t for t in next(item for item in ledgers if item["kind"] == "projects")["tiles"]}
    # 按期落实: the 已落实 project and the one whose design is due in 14 days; not the overdue one → 2 / 3.
    rate = tiles["implementation_rate"]
    assert (rate["part"], rate["whole"], rate["value"], rate["unit"]) == (2, 3, 66.7, "pct")
    assert rate["target_pct"] == 85 and rate["meets_target"] is False
    assert tiles["projects"]["value"] == 3 and tiles["overdue"]["value"] == 1
    assert tiles["registered"]["value"] == 2  # registered in the year: not the one of 600 days ago
    # A period before any project was registered has no rate rather than 0 %.
    early = f"date_from={day(-900)}&date_to={day(-800)}"
    ledgers = login(client, "lh_supervisor").get(f"/api/kpis?{early}").get_json()["ledgers"]
    tiles = {t["key"]: t for t in next(item for item in ledgers if item["kind"] == "projects")["tiles"]}
    assert tiles["implementation_rate"]["value"] is None and tiles["projects"]["value"] == 0


HEADERS = ("项目编号", "项目名称", "建设单位名称", "建设性质", "职业病危害风险类别", "审批（核准、备案）日期", "开工日期",
           "预评价完成日期")


def _post(caller, url, rows):
    return upload(caller, url, workbook_bytes(rows, HEADERS), "三同时台账.xlsx")


def test_a_sheet_adds_a_new_project_and_shows_an_update_as_a_diff_in_words(client):
    _ledger(client)
    office = login(client, "lh_supervisor")
    rows = [("LH-P-003", "喷涂线技术改造项目", "临河新锐塑业有限公司", "技术改造", "职业病危害严重", day(-30), day(14),
             day(-35)),
            ("LH-P-010", "锅炉房扩建项目", "临河通达机械制造有限公司", "扩建", "职业病危害一般", day(-5), day(60), None)]
    preview = _post(office, "/api/ledgers/projects/import/preview", rows)
    assert preview.status_code == 200, preview.get_json()
    body = preview.get_json()
    assert body["counts"] == {"new": 1, "update": 1, "unchanged": 0}
    changed = {row["key"]: row for row in body["rows"]}
    assert changed["LH-P-003"]["changes"] == [{"field": "hazard_level", "label": "职业病危害风险类别",
                                               "old": "职业病危害较重", "new": "职业病危害严重"}]
    assert changed["LH-P-010"]["status"] == "new" and changed["LH-P-010"]["name"] == "锅炉房扩建项目"
    done = _post(office, f"/api/ledgers/projects/import?digest={body['digest']}", rows)
    assert done.status_code == 200, done.get_json()
    lines = {line["project_code"]: line for line in office.get("/api/ledgers/projects").get_json()["items"]}
    assert lines["LH-P-003"]["hazard_level_zh"] == "职业病危害严重"
    # The new project's pre-assessment is overdue since its approval five days ago.
    assert lines["LH-P-010"]["state_zh"] == "逾期" and lines["LH-P-010"]["builder"] == "临河通达机械制造有限公司"


def test_a_bad_row_is_refused_with_its_row_and_column_and_nothing_is_imported(client):
    office = login(client, "lh_supervisor")
    rows = [("LH-P-020", "破碎车间新建项目", "东港石门石灰石矿", "新建", "职业病危害一般", day(-5), day(30), None),
            ("LH-P-021", "冲压车间扩建项目", "青川重汽零部件有限公司", "扩建", "职业病危害轻微", "2026/13/40", day(30),
             None),
            ("LH-P-022", "无建设单位项目", None, "新建", "职业病危害一般", None, None, None)]
    response = _post(office, "/api/ledgers/projects/import/preview", rows)
    assert response.status_code == 422
    details = error_of(response)["details"]
    found = {(d["row"], d["field"], d.get("column")) for d in details}
    assert (3, "hazard_level", "职业病危害风险类别") in found
    assert (3, "approval_date", "审批（核准、备案）日期") in found
    assert (4, "builder_name", "建设单位名称") in found
    assert "“职业病危害轻微”不是可选项" in " ".join(d["message"] for d in details)
    count = sa.select(sa.func.count()).select_from(Record).where(Record.entity == "construction_project")
    assert db.session.scalar(count) == 0
    # Only the supervision agency's office imports: an inspector reads the ledger but may not import.
    assert _post(login(client, "lh_inspector"), "/api/ledgers/projects/import/preview", rows[:1]).status_code == 403


def test_an_enterprise_keeps_the_three_simultaneities_only_while_none_of_its_projects_is_overdue(client, app):
    from server.domain.projects import implemented_by_enterprise
    from server.models import Enterprise, Region
    builder = db.session.scalar(sa.select(Enterprise).where(Enterprise.name == "临河通达机械制造有限公司"))
    other = db.session.scalar(sa.select(Enterprise).where(Enterprise.name == "青川洪基铸造有限公司"))
    linhe = db.session.scalar(sa.select(Region).where(Region.name == "临河区"))
    builder_id, other_id, code, region = builder.id, other.id, builder.credit_code, linhe.id
    tablet = Tablet(login(client, "lh_inspector"))
    common = {"project_nature": "expansion", "hazard_level": "general"}
    tablet.create("construction_project", {**common, "project_code": "LH-P-201", "project_name": "锅炉总装车间扩建项目",
                                           "enterprise_id": builder_id, "approval_date": day(-30),
                                           "pre_assessment_done_on": day(-40), "construction_start": day(90)})
    # Its second project names the builder by credit code only (as an imported sheet does); its design is overdue.
    late = tablet.create("construction_project", {**common, "project_code": "LH-P-202", "project_name": "喷砂房改建项目",
                                                  "builder_name": "临河通达机械制造有限公司", "builder_credit_code": code,
                                                  "approval_date": day(-90), "pre_assessment_done_on": day(-95),
                                                  "construction_start": day(-5)})
    tablet.create("construction_project", {**common, "project_code": "LH-P-203", "project_name": "制芯车间新建项目",
                                           "enterprise_id": other_id, "approval_date": day(-10),
                                           "pre_assessment_done_on": day(-20), "construction_start": day(100)})
    tablet.create("construction_project", {**common, "project_code": "LH-P-204", "project_name": "未入名录单位项目",
                                           "builder_name": "临河某新建企业", "approval_date": day(-3)})
    assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
    with app.app_context():
        assert implemented_by_enterprise(db.session, {region}, TODAY) == {builder_id: False, other_id: True}
    tablet.pull()
    tablet.update(late, {"protection_design_done_on": day(-1)})
    assert tablet.push()["results"][-1]["status"] == "applied"
    with app.app_context():
        assert implemented_by_enterprise(db.session, {region}, TODAY) == {builder_id: True, other_id: True}
