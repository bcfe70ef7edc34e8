"""Four eyes on reference data, in the browser: admin A changes toluene's PC-TWA from 50 to 40 mg/m³ in a dialog
whose every field is labelled in Chinese; the limit stays 50 until admin B, at another desk, sees the change with
what it changes and verifies it; then the row is version 2, in force from today, and its history names both."""
import pytest
from playwright.sync_api import expect

from tests.reference.admins import SECOND_ADMIN, SECOND_ADMIN_NAME, add_second_admin

from .office import at_desk, shoot

pytestmark = pytest.mark.browser

TODAY = "2026-11-20"  # tests.support.BUSINESS_NOW, the business date of the live server and of the pages


def _toluene_twa(desk):
    desk.go("#/admin/reference?table=oel_limits&q=toluene")
    row = desk.page.locator("[data-testid=ref-rows] [data-row^='toluene|'][data-row*='|PC-TWA|']")
    expect(row).to_have_count(1)
    return row


def _stored_limit(live_server):
    rows = live_server.api("admin").get("/api/reference/oel_limits?key=toluene").get_json()["items"]
    return next((r["data"]["value"], r["version"]) for r in rows if r["data"]["limit_type"] == "PC-TWA")


def test_admin_changes_a_limit_and_a_second_admin_verifies_it(new_context, live_server, screenshots):
    add_second_admin(live_server.app)
    desk = at_desk(new_context(), live_server, "admin")
    page = desk.page
    row = _toluene_twa(desk)
    expect(row).to_contain_text("甲苯")
    expect(row).to_contain_text("PC-TWA 50 mg/m³")
    expect(row).to_contain_text("第1版")
    row.locator("[data-testid=ref-edit]").click()

    dialog = page.locator("[data-testid=edit-dialog]")
    labels = dialog.locator(".field-label").all_inner_texts()
    assert {"接触限值 *", "中文名称 *", "英文名称 *", "依据标准 *", "停止适用日期（当日起不再适用）", "修改生效日期",
            "修改依据"} <= set(labels), labels
    shown = dialog.inner_text()
    for key in ("name_zh", "value", "effective_to", "source_standard", "condition_zh"):
        assert key not in shown
    expect(dialog).to_contain_text("须由另一名管理员核验")
    problems = shoot(desk, screenshots, "reference-edit-dialog")

    dialog.locator("input[name=value]").fill("40")
    dialog.locator("input[name=reason]").fill("GBZ 2.1-2019 第3号修改单")
    dialog.locator("input[name=effective_on]").fill("2026-11-19")  # a day already past: refused under the field
    page.click("[data-testid=edit-save]")
    expect(dialog.locator("[data-problem=effective_on]")).to_contain_text("生效日期不能早于今天")
    assert _stored_limit(live_server) == (50.0, 1)
    dialog.locator("input[name=effective_on]").fill(TODAY)
    page.click("[data-testid=edit-save]")
    expect(dialog).to_have_count(0)

    # Waiting: the row keeps 50, the change shows what it changes and that someone else must verify it.
    change = page.locator("[data-testid=ref-changes] [data-change]")
    expect(change).to_have_count(1)
    expect(change).to_have_attribute("data-status", "pending")
    expect(change.locator("[data-testid=change-status]")).to_have_text("待核验")
    expect(change.locator("[data-testid=change-diff] tbody tr")).to_have_text(["接触限值5040"])
    expect(change).to_contain_text("须由另一名管理员核验")
    expect(change.locator("[data-testid=change-open]")).to_have_text("撤销")  # its author may only withdraw it
    row = page.locator("[data-testid=ref-rows] [data-row^='toluene|'][data-row*='|PC-TWA|']")
    expect(row).to_contain_text("PC-TWA 50 mg/m³")
    expect(row.locator("[data-testid=ref-pending]")).to_have_text("有待核验的修改")
    assert _stored_limit(live_server) == (50.0, 1)
    problems.update(shoot(desk, screenshots, "reference-pending"))

    # Admin B, at another desk, checks it against the amendment and verifies it.
    other = at_desk(new_context(), live_server, SECOND_ADMIN)
    other.go("#/admin/reference")
    change = other.page.locator("[data-testid=ref-changes] [data-change]")
    expect(change).to_contain_text("甲苯")
    expect(change).to_contain_text("系统管理员")
    change.locator("[data-testid=change-open]").click()
    review = other.page.locator("[data-testid=change-dialog]")
    expect(review.locator("[data-testid=change-diff]")).to_contain_text("接触限值")
    expect(review).to_contain_text("GBZ 2.1-2019 第3号修改单")
    problems.update(shoot(other, screenshots, "reference-verify-dialog"))
    review.locator("input[name=reason]").fill("对照 GBZ 2.1-2019 第3号修改单原文")
    other.page.click("[data-testid=change-verify]")
    expect(review).to_have_count(0)
    expect(other.page.locator("[data-testid=ref-changes]")).to_contain_text("没有等待核验或等待生效的修改")
    assert _stored_limit(live_server) == (40.0, 2)

    row = _toluene_twa(other)
    expect(row).to_contain_text("PC-TWA 40 mg/m³")
    expect(row).to_contain_text(f"第2版（{TODAY} 起）")
    expect(row.locator("[data-testid=ref-verified]")).to_have_text("已核验")
    row.locator("[data-testid=ref-history]").click()
    history = other.page.locator("[data-testid=history-dialog]")
    expect(history.locator("[data-testid=history-versions] [data-status=current]")).to_contain_text(
        f"{SECOND_ADMIN_NAME} 于")
    trail = history.locator("[data-testid=history-trail] li .list-title")
    expect(trail).to_have_count(3)
    expect(trail.nth(0)).to_contain_text("提交修改 · 系统管理员")
    expect(trail.nth(1)).to_contain_text(f"核验通过 · {SECOND_ADMIN_NAME}")
    expect(trail.nth(2)).to_contain_text("生效")
    problems.update(shoot(other, screenshots, "reference-history"))
    assert problems == {}
    assert desk.errors == [] and other.errors == []
