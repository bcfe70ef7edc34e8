"""The CDC's 督导 of an examination institution on a frozen day: the assistance officer opens the institution from the
CDC's ledger, loses the signal, records the 督导 with a 不符合 finding and its deadline on the tablet, and syncs when
back online; the CDC's supervisor finds the institution 整改中 in the ledger, and 整改逾期 the day after the deadline."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.sync.tablets import Tablet

from .office import at_desk
from .tablet import FieldTablet

pytestmark = pytest.mark.browser


def _institution(live_server):
    tablet = Tablet(live_server.api("lh_cdc_supervisor"))
    file = tablet.create("exam_institution", {"institution_name": "临河区人民医院", "filing_no": "鲁职检备〔2020〕002号",
                                              "exam_categories": ["dust", "chemical", "physical"]})
    assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
    return file


def test_a_supervision_finding_recorded_offline_is_being_rectified_then_overdue(new_context, live_server):
    today = live_server.clock.today()
    deadline = today + dt.timedelta(days=10)
    file = _institution(live_server)
    context = new_context()
    tablet = FieldTablet(context, live_server).login("lh_assistant")
    page = tablet.page
    page.click("[data-nav=ledgers]")
    page.click("[data-kind=exam_institutions]")
    row = page.locator(f"[data-file='{file}']")
    expect(row).to_have_attribute("data-state", "not_supervised")
    expect(row.locator(".badge-state")).to_have_text("本年未督导")

    # No signal at the institution: the file opens from the tablet, the 督导 and its item are recorded there.
    context.set_offline(True)
    row.click()
    page.wait_for_selector("[data-field=institution_name]")
    page.click("[data-testid=part-add][data-entity=institution_supervision]")
    page.wait_for_selector("[data-field=supervised_on]")
    tablet.fill("supervised_on", today.isoformat())
    tablet.fill("supervisors", "陈静、王海燕")
    tablet.choose("supervision_kind", "comprehensive")
    page.click("[data-testid=part-add][data-entity=supervision_item]")
    page.wait_for_selector("[data-field=item_key]")
    tablet.pick("item_key", "档案", "archives")
    tablet.choose("result", "nonconform")
    page.wait_for_selector("[data-field=deadline]")
    tablet.fill("finding", "部分体检档案缺少委托协议书")
    tablet.fill("deadline", deadline.isoformat())

    # Back up to the 督导: its item is listed in words, not yet synced.
    page.click("[data-testid=part-parent]")
    item = page.locator("[data-testid=part]").first
    expect(item).to_contain_text("职业健康检查档案 · 不符合 · 部分体检档案缺少委托协议书")
    expect(item).to_contain_text("未同步")
    page.click("[data-testid=part-parent]")
    expect(page.locator("[data-testid=file-parts][data-entity=institution_supervision] [data-testid=part]")) \
        .to_contain_text(today.isoformat())
    shown = page.locator("main").inner_text()
    assert "archives" not in shown and "nonconform" not in shown and "institution_supervision" not in shown

    context.set_offline(False)
    tablet.sync()

    desk = at_desk(new_context(), live_server, "lh_cdc_supervisor")
    office = desk.page
    desk.go("#/ledger/exam_institutions")
    line = office.locator(f"[data-file='{file}']")
    expect(line).to_have_attribute("data-state", "rectifying")
    expect(line.locator(".badge-state")).to_have_text("整改中")
    expect(line.locator("[data-column=open_findings]")).to_have_text(
        f"待整改问题：职业健康检查档案：部分体检档案缺少委托协议书（限 {deadline.isoformat()} 前整改）")

    # The day after the deadline, by the business clock: overdue.
    late = dt.datetime.combine(deadline + dt.timedelta(days=1), dt.time(9, 0)).isoformat() + "+08:00"
    live_server.clock.set(late)
    for each in (context, office.context):
        each.clock.set_system_time(dt.datetime.fromisoformat(late))
    desk.go("#/home")
    desk.go("#/ledger/exam_institutions")
    expect(line).to_have_attribute("data-state", "overdue")
    expect(line.locator(".badge-state")).to_have_text("整改逾期")
    expect(line.locator("[data-column=open_findings]")).to_contain_text("已逾期 1 天")
    expect(office.locator("[data-testid=ledger-summary] [data-count=overdue]")).to_have_text("1")
    assert tablet.errors == [] and desk.errors == []
