"""The 放射诊疗 ledger on a frozen day: the supervisor finds the institution whose DR is past its stability-test
cycle, in words; the device's new test date entered in its file clears it; the dashboard shows the inspection
coverage against its 70 % target."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.sync.tablets import Tablet

from .tablet import FieldTablet

pytestmark = pytest.mark.browser


def test_an_overdue_device_is_seen_and_cleared_by_its_new_test(new_context, live_server):
    today = live_server.clock.today()

    def ago(days):
        return (today - dt.timedelta(days=days)).isoformat()
    tablet = Tablet(live_server.api("lh_inspector"))
    hospital = tablet.create("radiology_institution", {
        "institution_name": "临河区人民医院", "hospital_level": "level_2", "licence_no": "鲁卫放证字〔2024〕第001号",
        "issuing_level": "municipal", "licensed_categories": ["xray_diagnosis"]})
    device = tablet.create("radiology_device", {
        "device_name": "数字化X射线摄影系统（DR）", "device_type": "dr", "device_status": "in_use",
        "installed_on": "2019-06-20", "last_status_test_on": ago(200), "last_stability_test_on": ago(125)},
        parent=hospital)
    assert {r["status"] for r in tablet.push()["results"]} == {"applied"}

    desk = FieldTablet(new_context(), live_server).login("lh_supervisor")
    page = desk.page
    desk.sync()
    desk.go("#/ledger/radiology")
    summary = page.locator("[data-testid=ledger-summary]")
    expect(summary.locator("[data-count=overdue]")).to_have_text("1")
    row = page.locator(f"[data-file='{hospital}']")
    expect(row).to_have_attribute("data-state", "overdue")
    expect(row.locator(".badge-state")).to_have_text("逾期")
    expect(row.locator("[data-column=overdue]")).to_contain_text("稳定性检测逾期")
    expect(row.locator("[data-column=issuing_level]")).to_contain_text("市级")

    desk.go(f"#/record/{device}")
    page.wait_for_selector("[data-field=last_stability_test_on]")
    shown = page.locator("main").inner_text() + page.locator("h1").first.inner_text()
    assert "radiology" not in shown and "帮扶记录" not in shown and "提交审核" not in shown
    desk.fill("last_stability_test_on", today.isoformat())
    desk.sync()
    desk.go("#/ledger/radiology")
    expect(summary.locator("[data-count=overdue]")).to_have_text("0")
    expect(page.locator(f"[data-file='{hospital}']")).not_to_have_attribute("data-state", "overdue")

    desk.go("#/dashboard?preset=month")
    coverage = page.locator("[data-kpi='ledgers.radiology.inspection_coverage']")
    expect(coverage).to_contain_text("目标 ≥ 70%")
    text = page.locator("[data-testid=ledger-figures][data-kind=radiology]").inner_text()
    assert "radiology" not in text and "None" not in text and "undefined" not in text
    assert desk.errors == []
