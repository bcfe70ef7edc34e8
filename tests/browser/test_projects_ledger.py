"""The 三同时 ledger on a frozen day: the supervisor opens it and finds the project whose 职业病危害预评价 is overdue,
with the stage and the days in words; entering the stage's completion date in the project's file clears it; the
dashboard shows the 落实率 against its 85 % target."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.sync.tablets import Tablet

from .tablet import FieldTablet

pytestmark = pytest.mark.browser


def _projects(live_server, today):
    """Two projects of 临河区: one whose pre-assessment was due at its approval 12 days ago, one 已落实."""
    def day(offset):
        return (today + dt.timedelta(days=offset)).isoformat()
    tablet = Tablet(live_server.api("lh_inspector"))
    overdue = tablet.create("construction_project", {
        "project_code": "LH-P-101", "project_name": "注塑车间新建项目", "builder_name": "临河新锐塑业有限公司",
        "project_nature": "new_build", "hazard_level": "general", "approval_date": day(-12),
        "construction_start": day(60), "registered_on": day(-20)})
    tablet.create("construction_project", {
        "project_code": "LH-P-102", "project_name": "仓储中心改建项目", "builder_name": "临河新锐塑业有限公司",
        "project_nature": "reconstruction", "hazard_level": "serious", "approval_date": day(-500),
        "construction_start": day(-400), "trial_run_start": day(-120), "pre_assessment_done_on": day(-510),
        "protection_design_done_on": day(-420), "control_evaluation_done_on": day(-30),
        "acceptance_done_on": day(-10), "registered_on": day(-600)})
    assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
    return overdue


def test_an_overdue_stage_is_seen_in_words_and_cleared_by_entering_its_completion(new_context, live_server):
    today = live_server.clock.today()
    project_id = _projects(live_server, today)
    desk = FieldTablet(new_context(), live_server).login("lh_supervisor")
    page = desk.page
    desk.sync()
    desk.go("#/ledger/projects")
    summary = page.locator("[data-testid=ledger-summary]")
    expect(summary.locator("[data-count=overdue]")).to_have_text("1")
    expect(summary.locator("[data-count=done]")).to_have_text("1")
    first = page.locator("[data-testid=ledger-row]").first  # the most urgent first
    expect(first).to_have_attribute("data-state", "overdue")
    expect(first).to_contain_text("注塑车间新建项目")
    expect(first).to_contain_text("逾期")
    stage = first.locator("[data-column=overdue_stages]")
    expect(stage).to_have_text(f"逾期环节：职业病危害预评价（应于{(today - dt.timedelta(days=12)).isoformat()}前完成，已逾期12天）")
    expect(first.locator("[data-column=hazard_level_zh]")).to_have_text("危害类别：职业病危害一般")

    # The file opens in the record screen; the pre-assessment was finished (late) three days ago.
    first.click()
    page.wait_for_selector("[data-field=pre_assessment_done_on]")
    assert page.evaluate("location.hash") == f"#/record/{project_id}"
    desk.fill("pre_assessment_done_on", (today - dt.timedelta(days=3)).isoformat())
    desk.sync()

    desk.go("#/ledger/projects")
    expect(summary.locator("[data-count=overdue]")).to_have_text("0")
    row = page.locator(f"[data-file='{project_id}']")
    expect(row).to_have_attribute("data-state", "ongoing")
    expect(row.locator("[data-column=overdue_stages]")).to_have_count(0)
    expect(row.locator("[data-column=next_stage]")).to_have_text("下一环节：职业病防护设施设计")

    # The dashboard: done late, the project still counts against the 落实率 (1 of 2), short of 85 %.
    desk.go(f"#/dashboard?from={(today - dt.timedelta(days=364)).isoformat()}&to={today.isoformat()}")
    rate = page.locator("[data-kpi='ledgers.projects.implementation_rate']")
    expect(rate.locator(".kpi-value")).to_have_text("50.0%")
    expect(rate).to_contain_text("目标 ≥ 85%")
    expect(rate).to_contain_text("按期落实 1 个 / 台账中 2 个项目")
    expect(rate).to_have_class("kpi kpi-bad")
    assert desk.errors == []
