"""The office at work on a long day: the CDC's reviewer sorts the queue, reads who each record is about, ticks several
records and approves them at once (the one still waiting for the laboratory is named with the reason and stays);
reads this month, quarter and year beside the same period last year and takes the report away as PDF and XLSX; and a
supervisor finds every office screen in the side menu, on a landscape tablet and folded under "more" on a portrait one."""
import io
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.sync.tablets import HANDED_IN_FOLLOWUP, Tablet, handed_in_visit

from .office import at_desk
from .tablet import VIEWPORTS, wait_until

pytestmark = pytest.mark.browser

SIZES = VIEWPORTS
PATIENT = "马德顺"


def _handed_in(live_server):
    """The CDC's work handed in from the field: sampling visits this month, this quarter, earlier this year and in the
    same month last year (one of this month's still waiting for the laboratory), and a follow-up of a patient.
    (Business today is 2026-11-20.)"""
    sampler = Tablet(live_server.api("lh_sampler"))
    enterprises = [e["id"] for e in sampler.caller.get("/api/enterprises?per_page=50").get_json()["items"]
                   if e["region_name"] == "临河区"]
    visits = {"november": handed_in_visit(sampler, enterprises[0], "LH-2026-201", "2026-11-05", 1.2),
              "october": handed_in_visit(sampler, enterprises[1], "LH-2026-202", "2026-10-15", 0.9),
              "august": handed_in_visit(sampler, enterprises[2], "LH-2026-203", "2026-08-10", 2.4),
              "waiting": handed_in_visit(sampler, enterprises[3], "LH-2026-204", "2026-11-12", None)}
    assert {r["status"] for r in sampler.push()["results"]} == {"applied"}
    # Last year's visit reaches the server later (a tablet that synced late): received after the others.
    visits["last_year"] = handed_in_visit(sampler, enterprises[4], "LH-2025-205", "2025-11-06", 1.0)
    assert {r["status"] for r in sampler.push()["results"]} == {"applied"}
    nurse = Tablet(live_server.api("lh_followup"))
    followup = nurse.create("followup", {**HANDED_IN_FOLLOWUP, "case_no": "FU-201", "patient_name": PATIENT,
                                         "id_number": "370303196505120017", "followup_date": "2026-11-18",
                                         "vital_status": "alive"})
    nurse.submit(followup)
    assert {r["status"] for r in nurse.push()["results"]} == {"applied"}
    return visits, followup


def _shoot(desk, folder, name):
    """Screenshots at 1280×800, 800×1280 and 390×844 (test-artifacts/screenshots); the layout problems found at each."""
    return desk.shots(folder, f"office-{name}", SIZES)


def _shown_dates(page):
    return page.locator("[data-testid=queue] [data-testid=queue-record-date]").all_inner_texts()


def test_the_reviewer_sorts_names_and_approves_at_once(context, live_server, screenshots):
    visits, followup = _handed_in(live_server)
    desk = at_desk(context, live_server, "lh_cdc_supervisor")
    page = desk.page
    desk.go("#/review")
    queue = page.locator("[data-testid=queue]")
    expect(page.locator("[data-testid=queue-total]")).to_have_text("共 6 条")
    # Each row says who or what it is about: the patient of a follow-up, the enterprise and task of a visit.
    expect(queue.locator(f"[data-record='{followup}'] [data-testid=queue-subject]")).to_have_text(PATIENT)
    expect(queue.locator(f"[data-record='{visits['waiting']}'] [data-testid=queue-subject]")).to_contain_text("任务 LH-2026-204")
    # Newest received first, as the arrow on 接收时间 says.
    expect(page.locator("[data-sort=received]")).to_contain_text("↓")
    expect(queue.locator("[data-testid=queue-record-date]")).to_have_count(6)
    assert _shown_dates(page)[:2] == ["2026-11-18", "2025-11-06"]  # the follow-up, then the late visit

    page.click("[data-sort=record_date]")
    expect(page.locator("[data-sort=record_date]")).to_contain_text("↓")
    expect(page.locator("[data-sort=received]")).not_to_contain_text("↓")
    newest_first = ["2026-11-18", "2026-11-12", "2026-11-05", "2026-10-15", "2026-08-10", "2025-11-06"]
    expect(queue.locator("[data-testid=queue-record-date]")).to_have_text(newest_first)
    page.click("[data-sort=record_date]")  # again: the other way round
    expect(page.locator("[data-sort=record_date]")).to_contain_text("↑")
    expect(queue.locator("[data-testid=queue-record-date]")).to_have_text(newest_first[::-1])
    page.locator("[data-testid=queue-per-page]").select_option("50")
    wait_until(page, "document.documentElement.dataset.route.includes('per_page=50')")  # the queue drawn again
    expect(page.locator("[data-testid=queue-per-page]")).to_have_value("50")
    expect(page.locator("[data-sort=record_date]")).to_contain_text("↑")  # the sort survives the page size
    expect(queue.locator("[data-record]")).to_have_count(6)

    # Tick the page, leave the visit of last year out, and approve at once.
    page.check("[data-testid=select-page]")
    expect(page.locator("[data-testid=queue-selected]")).to_have_text("已选 6 条")
    page.uncheck(f"[data-pick='{visits['last_year']}']")
    expect(page.locator("[data-testid=queue-selected]")).to_have_text("已选 5 条")
    page.click("[data-testid=bulk-approve]")
    outcome = page.locator("[data-testid=bulk-outcome]")
    expect(outcome.locator("[data-testid=bulk-approved-count]")).to_have_text("已审核通过 4 条")
    refused = outcome.locator(f"[data-refused='{visits['waiting']}']")
    expect(refused).to_contain_text("任务 LH-2026-204")
    expect(refused).to_contain_text("待实验室检测")
    expect(outcome.locator("[data-refused]")).to_have_count(1)
    for record in (visits["november"], visits["october"], visits["august"], followup):
        expect(outcome.locator(f"[data-approved='{record}']")).to_contain_text("已审核通过")
    expect(outcome.locator(f"[data-approved='{followup}']")).to_contain_text(PATIENT)
    # The queue of what waits now holds the refused visit and the one left out.
    expect(queue.locator("[data-record]")).to_have_count(2)
    expect(queue.locator(f"[data-record='{visits['waiting']}']")).to_be_visible()
    expect(queue.locator(f"[data-record='{visits['last_year']}']")).to_be_visible()
    states = {item["id"]: item["review_status"] for item in live_server.api("lh_cdc_supervisor").get(
        "/api/records?per_page=50").get_json()["items"]}
    assert states == {visits["november"]: "approved", visits["october"]: "approved", visits["august"]: "approved",
                      followup: "approved", visits["waiting"]: "submitted", visits["last_year"]: "submitted"}
    problems = _shoot(desk, screenshots, "review-queue-bulk")
    page.click("[data-testid=bulk-dismiss]")
    expect(outcome).to_have_count(0)
    assert problems == {}
    assert desk.errors == []


def test_the_dashboard_by_period_beside_last_year_and_as_reports(context, live_server, screenshots):
    _handed_in(live_server)
    reviewer = live_server.api("lh_cdc_supervisor")
    today = live_server.clock.today()
    desk = at_desk(context, live_server, "lh_cdc_supervisor")
    page = desk.page
    tiles = page.locator("[data-testid=kpi-tiles]")
    desk.go("#/dashboard")
    # This month by default, by the business clock.
    expect(page.locator("[data-preset=month]")).to_have_attribute("aria-pressed", "true")
    periods = {"month": today.strftime("%Y-%m-01"), "quarter": f"{today.year}-10-01", "year": f"{today.year}-01-01"}
    seen = {}
    for preset, date_from in periods.items():
        page.click(f"[data-preset={preset}]")
        expect(page.locator(f"[data-preset={preset}]")).to_have_attribute("aria-pressed", "true")
        expect(page.locator("[data-testid=dashboard-period]")).to_contain_text(f"{date_from} 至 {today.isoformat()}")
        expected = reviewer.get(f"/api/kpis?date_from={date_from}&date_to={today.isoformat()}&yoy=true").get_json()
        now, before = expected["sampling"]["visits"], expected["previous"]["sampling"]["visits"]
        seen[preset] = now
        visits = tiles.locator("[data-kpi='sampling.enterprises_monitored']")
        expect(visits).to_contain_text(f"采样 {now} 次")
        samples = tiles.locator("[data-kpi='sampling.samples']")
        expect(samples.locator(".kpi-value")).to_have_text(str(expected["sampling"]["samples"]))
        last_samples = expected["previous"]["sampling"]["samples"]
        expect(samples.locator("[data-testid=kpi-yoy]")).to_contain_text(f"去年同期 {last_samples}")
        diff = expected["sampling"]["samples"] - last_samples
        expect(samples.locator("[data-testid=kpi-change]")).to_contain_text(f"+{diff}" if diff > 0 else str(diff) if diff else "±0")
        expect(page.locator("[data-testid=dashboard-previous]")).to_contain_text(f"去年同期：{today.year - 1}-")
        if preset == "month":
            assert (now, before) == (2, 1)  # November's two visits beside last November's one
            problems = _shoot(desk, screenshots, "dashboard-month")
    assert seen == {"month": 2, "quarter": 3, "year": 4}

    # The same period as a report to print and as a workbook, named as the server names them.
    page.click("[data-preset=quarter]")
    expect(page.locator("[data-preset=quarter]")).to_have_attribute("aria-pressed", "true")
    with page.expect_download() as info:
        page.click("[data-testid=report-pdf]")
    pdf = info.value
    assert pdf.suggested_filename.startswith("统计指标_") and pdf.suggested_filename.endswith(".pdf")
    assert "第四季度" in pdf.suggested_filename
    assert Path(pdf.path()).read_bytes().startswith(b"%PDF")
    with page.expect_download() as info:
        page.click("[data-testid=report-xlsx]")
    xlsx = info.value
    assert xlsx.suggested_filename.endswith(".xlsx") and "第四季度" in xlsx.suggested_filename
    book = load_workbook(io.BytesIO(Path(xlsx.path()).read_bytes()), read_only=True)
    assert "总体指标" in book.sheetnames and "按小组" in book.sheetnames
    rows = list(book["总体指标"].iter_rows(values_only=True))
    assert rows[0][0] == "指标" and rows[0][1].startswith("本期") and rows[0][2].startswith("去年同期") and rows[0][3] == "增减"
    overall = {row[0]: row[1:3] for row in rows[1:]}
    assert overall["采样次数"] == (3, 1)
    problems.update(_shoot(desk, screenshots, "dashboard-quarter"))

    # Every figure of the catalogue, by area of work; what the system does not collect says so instead of 0.
    expected = reviewer.get(f"/api/kpis?date_from={periods['quarter']}&date_to={today.isoformat()}&yoy=true").get_json()
    catalogue = page.locator("[data-testid=kpi-catalogue]")
    expect(catalogue.locator("tr[data-figure]")).to_have_count(len(expected["catalogue"]))
    visits_row = catalogue.locator("tr[data-figure=sampling_visits]")
    expect(visits_row.locator("td").nth(0)).to_have_text("3次")
    expect(visits_row.locator("td").nth(1)).to_have_text("1次")
    outreach = catalogue.locator("tr[data-figure=outreach_events]")
    expect(outreach).to_have_attribute("data-status", "not_collected")
    expect(outreach.locator("td").nth(0)).to_have_text("未采集")
    expect(catalogue).not_to_contain_text("inspection")  # the supervision side's figures are not the CDC's

    # The year-end summary's data annex for the year the period ends in, as Word and as PDF.
    with page.expect_download() as info:
        page.click("[data-testid=report-summary_docx]")
    docx = info.value
    assert docx.suggested_filename == f"临河区{today.year}年度职业健康工作总结_数据附件.docx"
    document = Document(io.BytesIO(Path(docx.path()).read_bytes()))
    figures = {row.cells[0].text: row.cells[1].text for table in document.tables for row in table.rows
               if len(row.cells) == 6}
    year = reviewer.get(f"/api/kpis?date_from={today.year}-01-01&date_to={today.year}-12-31").get_json()
    assert figures["采样次数"] == f"{year['sampling']['visits']}次" == "4次"
    with page.expect_download() as info:
        page.click("[data-testid=report-summary_pdf]")
    assert Path(info.value.path()).read_bytes().startswith(b"%PDF")
    assert problems == {}
    assert desk.errors == []


def test_teams_of_two_districts_are_grouped_under_their_district(context, live_server):
    for username, district_name, task_no in (("lh_sampler", "临河区", "LH-2026-301"), ("dg_sampler", "东港区", "DG-2026-302")):
        tablet = Tablet(live_server.api(username))
        enterprise = next(e["id"] for e in tablet.caller.get("/api/enterprises?per_page=50").get_json()["items"]
                          if e["region_name"] == district_name)
        handed_in_visit(tablet, enterprise, task_no, "2026-09-03", 1.0)
        assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
    desk = at_desk(context, live_server, "city_supervisor")
    page = desk.page
    desk.go("#/dashboard?preset=year")
    teams = page.locator("[data-testid=team-table]")
    expected = live_server.api("city_supervisor").get(
        f"/api/kpis?date_from={live_server.clock.today().year}-01-01&date_to={live_server.clock.today().isoformat()}"
    ).get_json()["teams"]
    districts = sorted({team["district"] for team in expected})
    assert len(districts) > 1
    expect(teams.locator("tr.group-row")).to_have_count(len(districts))
    for district in districts:
        group = teams.locator(f"tbody[data-district='{district}']")
        expect(group.locator("tr.group-row")).to_have_text(district)
        names = [team["name"] for team in expected if team["district"] == district]
        expect(group.locator("tr[data-team] th")).to_have_text(names)
    assert desk.errors == []


def test_every_office_screen_is_in_the_side_menu(context, live_server, screenshots):
    desk = at_desk(context, live_server, "lh_supervisor")
    page = desk.page
    nav = page.locator(".nav")
    for key, title in (("rectifications", "整改跟踪"), ("exports", "数据导出"), ("draws", "双随机抽查"),
                       ("dashboard", "统计指标"), ("review", "审核队列")):
        nav.locator(f"[data-nav={key}]").click()
        expect(page.locator("#screen-title")).to_have_text(title)
        expect(nav.locator("[data-nav].active")).to_have_attribute("data-nav", key)
    expect(nav.locator("[data-nav=rectifications] > span").first).to_have_text("整改跟踪")
    expect(nav.locator("[data-nav=exports] > span").first).to_have_text("导出")
    expect(nav.locator("[data-nav=draws] > span").first).to_have_text("双随机抽查")
    expect(page.locator("[data-testid=nav-more]")).to_be_hidden()  # a side column has room for all
    expect(nav.locator("[data-nav=lab]")).to_have_count(0)  # the laboratory is the CDC's work, not the 执法大队's

    # A portrait tablet: the bar along the bottom folds the less used screens under 更多.
    page.set_viewport_size(SIZES["portrait"])
    expect(nav.locator("[data-nav=exports]")).to_be_hidden()
    page.click("[data-testid=nav-more]")
    nav.locator("[data-nav=exports]").click()
    expect(page.locator("#screen-title")).to_have_text("数据导出")
    expect(nav.locator("[data-nav=exports]")).to_be_hidden()  # folded again once chosen…
    expect(page.locator("[data-testid=nav-more]")).to_have_class("nav-item nav-more active")  # …and 更多 says where
    problems = _shoot(desk, screenshots, "nav-portrait")
    page.set_viewport_size(SIZES["portrait"])
    page.click("[data-testid=nav-more]")
    expect(page.locator("[data-testid=nav-more]")).to_have_text("收起")
    nav.locator("[data-nav=rectifications]").click()
    expect(page.locator("#screen-title")).to_have_text("整改跟踪")

    # In English the menu reads in English.
    page.set_viewport_size(SIZES["desk"])
    page.evaluate("localStorage.setItem('lang', 'en')")
    page.reload()
    page.wait_for_selector(".nav [data-nav=rectifications]")
    expect(nav.locator("[data-nav=rectifications] > span").first).to_have_text("Rectifications")
    expect(nav.locator("[data-nav=exports] > span").first).to_have_text("Exports")
    expect(nav.locator("[data-nav=draws] > span").first).to_have_text("Random inspections")
    assert problems == {}
    assert desk.errors == []


def test_the_cdc_menu_has_the_laboratory_and_no_rectification_tracking(context, live_server):
    desk = at_desk(context, live_server, "lh_cdc_supervisor")
    nav = desk.page.locator(".nav")
    nav.locator("[data-nav=lab]").click()
    expect(desk.page.locator("#screen-title")).to_have_text("检测任务")
    expect(nav.locator("[data-nav=rectifications]")).to_have_count(0)  # 整改跟踪 is the supervision agency's
    assert desk.errors == []
