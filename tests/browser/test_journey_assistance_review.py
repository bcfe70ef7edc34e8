"""Journey: an assistant records a 帮扶 visit and issues the 帮扶现场反馈单 on site. As a draft it counts nowhere;
issuing hands it in: it reaches the CDC's 科长 (not the 执法大队), who reads it with its document and approves
it; the district's 帮扶企业数 counts it as handed-in work (submitted and approved, never drafts)."""
import pytest
from playwright.sync_api import expect

from .enforcement import issue
from .office import at_desk
from .tablet import FieldTablet

pytestmark = pytest.mark.browser

STATUSES = ("declaration_status", "testing_status", "health_exam_status", "training_status",
            "protective_facilities_status", "ppe_status", "warning_notice_status", "rules_records_status")
COUNTS = {"exposed_workers": "24", "workers_due_exam": "24", "workers_examined": "20", "workers_trained": "24",
          "hazard_posts": "6", "hazard_posts_tested": "6"}


def assisted_enterprises(desk):
    desk.go("#/home")
    desk.go(f"#/dashboard?from=2026-01-01&to={desk.server.clock.today().isoformat()}")
    return desk.page.locator("[data-testid=kpi-tiles] [data-kpi='assistance.enterprises'] .kpi-value")


def test_an_assistance_visit_issued_on_site_is_reviewed_by_the_cdc_and_counted_once_handed_in(new_context, live_server):
    assistant = FieldTablet(new_context(), live_server).login("lh_assistant")
    page = assistant.page
    page.click("[data-flow=assistance]")
    page.locator("[data-enterprise]").first.click()
    page.wait_for_selector("[data-field=declaration_status]")
    record = page.evaluate("location.hash.split('/')[2]")
    for field in STATUSES:
        assistant.choose(field, "done")
    for field, value in COUNTS.items():
        assistant.fill(field, value)
    assistant.fill("problems_found", "4名劳动者未进行在岗期间职业健康检查")
    assistant.fill("guidance_given", "现场指导制定体检计划，月底前完成补检")
    assistant.sync()

    desk = at_desk(new_context(), live_server, "lh_cdc_supervisor")
    desk.server = live_server
    expect(assisted_enterprises(desk)).to_have_text("0")  # a draft is nobody's figure

    message = issue(assistant, "assistance_feedback")
    assert "已签发，编号 2026—001" in message
    assistant.sync()
    expect(assisted_enterprises(desk)).to_have_text("1")

    # The 执法大队 does not review the CDC's work; the CDC's 科长 finds it waiting.
    enforcement_queue = live_server.api("lh_supervisor").get("/api/records?status=submitted").get_json()["items"]
    assert record not in {r["id"] for r in enforcement_queue}
    desk.go("#/home")
    desk.go("#/review")
    row = desk.page.locator(f"[data-testid=queue] [data-record='{record}']")
    expect(row).to_contain_text("陈静")
    row.click()
    expect(desk.page.locator("[data-testid=record-status] [data-state]")).to_have_attribute("data-state", "submitted")
    expect(desk.page.locator("[data-document]", has_text="2026—001")).to_be_visible()
    expect(desk.page.locator("[data-testid=record-answers]")).to_contain_text("4名劳动者未进行在岗期间职业健康检查")
    desk.page.click("[data-testid=approve]")
    expect(desk.page.locator("[data-testid=record-status] [data-state]")).to_have_attribute("data-state", "approved")

    expect(assisted_enterprises(desk)).to_have_text("1")
    assistant.sync()
    assistant.go("#/home")
    expect(page.locator(f"[data-record='{record}']").first).to_contain_text("已审核通过")

    assert assistant.errors == [] and desk.errors == []
