"""The supervisor's figures and outputs: the dashboard shows what the server computes for the period; an export is
started, followed to the end and downloaded as a workbook Excel opens; a 双随机 draw shows its enterprises, its
inspector pairs and the seed that lets anyone repeat it."""
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.issuing.inspections import complete_inspection
from tests.sync.tablets import HANDED_IN_ASSISTANCE, Tablet

from .office import at_desk, shoot, submitted_followup, submitted_visit

pytestmark = pytest.mark.browser


def pct(value):
    return "—" if value is None else f"{value:.1f}%"


def test_dashboard_figures_are_the_servers(context, live_server, screenshots):
    submitted_visit(live_server)
    submitted_followup(live_server)
    with live_server.app.app_context():
        inspector_tablet, inspection, _ = complete_inspection(None, live_server.api("lh_inspector"))
    inspector_tablet.submit(inspection)  # handed in: figures count submitted and approved work, never drafts
    assert {r["status"] for r in inspector_tablet.push()["results"]} == {"applied"}
    assistant = Tablet(live_server.api("lh_assistant"))
    enterprise = live_server.api("lh_assistant").get("/api/enterprises?per_page=1").get_json()["items"][0]["id"]
    for day, declared in (("2026-03-02", "not_done"), ("2026-09-14", "done")):
        note = {"declaration_note": "尚未申报"} if declared != "done" else {}
        visit = assistant.create("assistance_visit", {**HANDED_IN_ASSISTANCE, "enterprise_id": enterprise,
                                                      "visit_date": day, "declaration_status": declared,
                                                      "workers_due_exam": 10, "workers_examined": 6, **note})
        assistant.submit(visit)
    assert {r["status"] for r in assistant.push()["results"]} == {"applied"}
    date_from, date_to = "2025-01-01", live_server.clock.today().isoformat()
    expected = live_server.api("city_supervisor").get(f"/api/kpis?date_from={date_from}&date_to={date_to}").get_json()

    desk = at_desk(context, live_server, "city_supervisor")
    page = desk.page
    desk.go(f"#/dashboard?from={date_from}&to={date_to}")
    tiles = page.locator("[data-testid=kpi-tiles]")
    sampling, enforcement = expected["sampling"], expected["enforcement"]
    shown = {
        "sampling.enterprises_monitored": str(sampling["enterprises_monitored"]),
        "sampling.samples": str(sampling["samples"]),
        "sampling.exceedance_pct": pct(sampling["exceedance_pct"]),
        "enforcement.coverage_pct": pct(enforcement["coverage_pct"]),
        "enforcement.inspections": str(enforcement["inspections"]),
        "enforcement.rectification.overdue": str(enforcement["rectification"]["overdue"]),
        "followup.followups": str(expected["followup"]["followups"]),
        "assistance.enterprises": str(expected["assistance"]["enterprises"]),
    }
    for key, text in shown.items():
        expect(tiles.locator(f"[data-kpi='{key}'] .kpi-value")).to_have_text(text)
    # The figures are not all zero: the data above shows in them.
    assert (sampling["samples"], enforcement["inspections"], expected["followup"]["followups"]) == (3, 1, 1)
    expect(tiles.locator("[data-kpi='sampling.exceedance_pct']")).to_contain_text(
        f"{sampling['posts_nonconform']}/{sampling['posts_evaluated']}")
    benzene = next(row for row in sampling["by_hazard"] if row["key"] == "benzene")
    expect(page.locator("[data-chart=exceedance-hazard] [data-key=benzene]")).to_contain_text(pct(benzene["exceedance_pct"]))
    expect(page.locator("[data-chart=exceedance-hazard] [data-key=benzene]")).to_contain_text("苯")
    rates = expected["assistance"]
    expect(page.locator("[data-chart=assistance] [data-key=declaration_rate]")).to_contain_text(
        f"{pct(rates['baseline']['declaration_rate']['value_pct'])} → {pct(rates['latest']['declaration_rate']['value_pct'])}")
    expect(page.locator("[data-chart=coverage]")).to_be_visible()
    expect(page.locator("[data-chart=rectification]")).to_be_visible()
    expect(page.locator(".dashboard")).to_contain_text("临河区")
    expect(page.locator(".dashboard")).to_contain_text("采样一组")
    problems = shoot(desk, screenshots, "dashboard", phone=True)

    # Another period: this month holds none of the April sampling.
    page.click("[data-preset=month]")
    expect(page.locator("[data-testid=dashboard-period]")).to_contain_text(live_server.clock.today().strftime("%Y-%m-01"))
    expect(tiles.locator("[data-kpi='sampling.samples'] .kpi-value")).to_have_text("0")
    # A period that ends before it starts: the server's message, with the filters still there to fix it.
    desk.go("#/dashboard?from=2026-05-01&to=2026-04-01")
    expect(page.locator("[data-testid=office-error]")).to_contain_text("开始日期不能晚于结束日期")
    expect(page.locator("[data-testid=dashboard-filters] input[name=date_to]")).to_have_value("2026-04-01")
    assert problems == {}
    assert desk.errors == []


def test_an_export_is_followed_to_the_end_and_downloaded(context, live_server, screenshots):
    submitted_visit(live_server)
    desk = at_desk(context, live_server)
    page = desk.page
    page.click("[data-tile=exports]")
    form = page.locator("[data-testid=export-form]")
    form.locator("select[name=kind]").select_option("samples")
    form.locator("select[name=format]").select_option("xlsx")
    page.click("[data-testid=export-start]")
    job = page.locator("[data-testid=export-jobs] [data-job]").first
    expect(job).to_have_attribute("data-status", "done", timeout=30_000)
    expect(job).to_contain_text("4/4")
    expect(job).to_contain_text("100%")
    problems = shoot(desk, screenshots, "exports", phone=True)
    with page.expect_download() as info:
        job.locator("[data-testid=export-download]").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx") and download.suggested_filename.startswith("样品检测结果")
    book = load_workbook(io.BytesIO(Path(download.path()).read_bytes()), read_only=True)  # saved without its extension
    rows = list(book["样品检测结果"].iter_rows(values_only=True))
    codes = {row[rows[0].index("样品编号")] for row in rows[1:]}
    assert codes == {"LH-2026-031-01", "LH-2026-031-02", "LH-2026-031-03", "LH-2026-031-B01"}
    # The job is remembered here: it is still listed after the screen is opened again.
    desk.go("#/home")
    desk.go("#/exports")
    expect(page.locator("[data-testid=export-jobs] [data-job][data-status=done]")).to_have_count(1)
    assert problems == {}
    assert desk.errors == []


def test_a_draw_shows_its_result_and_the_seed_to_repeat_it(context, live_server, screenshots):
    desk = at_desk(context, live_server)
    page = desk.page
    page.click("[data-tile=draws]")
    form = page.locator("[data-testid=draw-form]")
    form.locator("input[name=title]").fill("2026年第四季度职业卫生双随机抽查")
    form.locator("input[name=due_date]").fill("2026-12-31")
    page.click("[data-testid=draw-submit]")
    result = page.locator("[data-testid=draw-result]")
    expect(result).to_be_visible()
    drawn = live_server.api("lh_supervisor").get("/api/draws").get_json()["items"][0]
    assert drawn["title"] == "2026年第四季度职业卫生双随机抽查" and drawn["due_date"] == "2026-12-31"
    expect(result.locator("[data-testid=draw-seed]")).to_have_text(drawn["seed"])
    expect(result.locator("[data-testid=draw-assignments] tbody tr")).to_have_count(len(drawn["result"]["assignments"]))
    expect(result.locator("[data-pair]")).to_have_count(len(drawn["result"]["pairs"]))
    for label, ids in drawn["result"]["enterprises"].items():
        expect(result.locator("[data-testid=draw-classes] tbody tr", has_text=label)).to_contain_text(str(len(ids)))
    result.locator("[data-testid=draw-reproduce]").click()
    expect(page.locator("[data-testid=draw-reproduced]")).to_have_text("复核一致")
    expect(page.locator(f"[data-testid=draw-history] [data-draw='{drawn['id']}']")).to_contain_text(drawn["seed"])
    problems = shoot(desk, screenshots, "draws", phone=True)
    assert problems == {}
    assert desk.errors == []
