"""A 专项治理 campaign as the district's supervisor runs it: the campaign in the ledgers, five enterprises enrolled from
the registry by its industry codes (5 未确认治理), the inspectors' inspections and the CDC's results under the limits
arriving from the field (0 未确认治理, 5 待确认), each confirmed on the campaign screen until it reaches zero (归零);
the dashboard's campaign figures follow."""
import datetime as dt

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from server.extensions import db
from server.models import Enterprise
from tests.issuing.inspections import complete_inspection
from tests.support import workbook_bytes
from tests.sync.tablets import Tablet, handed_in_visit

from .office import at_desk

pytestmark = pytest.mark.browser

ENROLLED = ("临河彩虹印务有限公司", "青川新闻印刷有限公司", "临河美居家具有限公司", "临河步步高鞋业有限公司",
            "临河亮光电镀有限公司")


def _push(tablet):
    results = tablet.push()["results"]
    assert {r["status"] for r in results} == {"applied"}, results


def test_a_campaign_goes_from_five_unconfirmed_to_zero(context, live_server, screenshots):
    today = live_server.clock.today()
    supervisor_tablet = Tablet(live_server.api("lh_supervisor"))
    campaign = supervisor_tablet.create("campaign", {
        "campaign_name": "印刷家具制鞋电镀行业职业病危害专项治理", "campaign_code": "ZX-LH-01", "industry": "printing",
        "industry_codes": "C23, C21, C195, C3360", "start_date": (today - dt.timedelta(days=30)).isoformat(),
        "deadline": (today + dt.timedelta(days=30)).isoformat(), "target_count": 5})
    _push(supervisor_tablet)

    desk = at_desk(context, live_server, "lh_supervisor")
    page = desk.page
    desk.go("#/ledgers")
    page.locator("[data-kind=campaigns]").click()
    row = page.locator(f"[data-testid=ledger-row][data-file='{campaign}']")
    expect(row).to_contain_text("印刷家具制鞋电镀行业职业病危害专项治理")
    expect(row.locator(".badge-state")).to_have_text("未纳入企业")
    row.click()
    expect(page.locator("[data-testid=campaign]")).to_be_visible()
    page.locator("[data-testid=campaign-enrol-industry]").click()
    expect(page.locator("[data-testid=campaign-notice]")).to_have_text("本次纳入 5 家；已在治理中的 0 家未重复纳入")
    states = page.locator("[data-testid=campaign-states]")
    expect(states.locator("[data-state=unconfirmed] .kpi-value")).to_have_text("5")
    expect(page.locator("[data-testid=campaign-enterprise]")).to_have_count(5)
    for name in ENROLLED:
        expect(page.locator("[data-testid=campaign-enterprises]")).to_contain_text(name)
    expect(page.locator("[data-testid=campaign-zero]")).to_contain_text("尚有 5 家未完成")
    desk.page.screenshot(path=str(screenshots / "office-campaign-enrolled.png"), full_page=True)

    # The field: an inspection of each enterprise handed in, and the CDC's monitoring result under the limits.
    inspector, sampler = Tablet(live_server.api("lh_inspector")), Tablet(live_server.api("lh_sampler"))
    with live_server.app.app_context():
        ids = dict(db.session.execute(sa.select(Enterprise.name, Enterprise.id)
                                      .where(Enterprise.name.in_(ENROLLED))).all())
        for index, name in enumerate(ENROLLED):
            _t, inspection, _ = complete_inspection(None, None, findings=[], tablet=inspector, enterprise_id=ids[name],
                                                    inspection_date=(today - dt.timedelta(days=10)).isoformat())
            inspector.submit(inspection)
            _push(inspector)
            if index < 4:
                handed_in_visit(sampler, ids[name], f"LH-ZX-{index:02d}", (today - dt.timedelta(days=5)).isoformat(),
                                result=1.2)
                _push(sampler)

    page.reload()
    expect(states.locator("[data-state=unconfirmed] .kpi-value")).to_have_text("0")
    expect(states.locator("[data-state=awaiting_confirmation] .kpi-value")).to_have_text("4")
    expect(states.locator("[data-state=treating] .kpi-value")).to_have_text("1")
    waiting = page.locator("[data-testid=campaign-enterprise][data-state=treating]")
    expect(waiting).to_contain_text("临河亮光电镀有限公司")
    expect(waiting).to_contain_text("监督检查")
    expect(waiting.locator("[data-testid=campaign-confirm]")).to_have_count(0)

    # The electroplater's commissioned test, entered on the inspector's tablet, completes its evidence.
    inspector.pull()
    enrolment = next(k for k, v in inspector.replica.items() if v["entity"] == "campaign_enterprise"
                     and v["data"]["enterprise_id"] == ids["临河亮光电镀有限公司"])
    inspector.update(enrolment, {"external_test_on": (today - dt.timedelta(days=2)).isoformat(),
                                 "external_test_result": "compliant", "workers_exposed": 24, "workers_examined": 24,
                                 "workers_trained": 24})
    _push(inspector)
    page.reload()
    expect(states.locator("[data-state=awaiting_confirmation] .kpi-value")).to_have_text("5")
    expect(page.locator("[data-testid=campaign-enterprise][data-state=awaiting_confirmation]").first).to_contain_text(
        "各岗位均未超标")

    for remaining in range(5, 0, -1):
        page.locator("[data-testid=campaign-confirm]").first.click()
        expect(states.locator("[data-state=completed] .kpi-value")).to_have_text(str(6 - remaining))
    expect(page.locator("[data-testid=campaign-zero]")).to_have_text("已归零：纳入的用人单位均已完成治理")
    expect(page.locator("[data-testid=campaign-enterprise][data-state=completed]")).to_have_count(5)
    expect(page.locator("[data-testid=campaign-enterprise]").first).to_contain_text("确认治理效果")
    page.screenshot(path=str(screenshots / "office-campaign-zeroed.png"), full_page=True)
    shown = page.locator("[data-testid=campaign]").inner_text()
    for key in ("completed", "awaiting_confirmation", "printing", "campaign_", "None", "undefined"):
        assert key not in shown, key

    # The ledger and the dashboard follow: 已归零, the three counts at zero, five completed.
    desk.go("#/ledger/campaigns")
    expect(page.locator(f"[data-testid=ledger-row][data-file='{campaign}'] .badge-state")).to_have_text("已归零")
    desk.go("#/dashboard?preset=month")
    section = page.locator("[data-testid=ledger-figures][data-kind=campaigns]")
    expect(section.locator("[data-key=unconfirmed] .kpi-value")).to_have_text("0")
    expect(section.locator("[data-key=awaiting_confirmation] .kpi-value")).to_have_text("0")
    expect(section.locator("[data-key=completed] .kpi-value")).to_have_text("5")
    expect(section.locator("[data-key=campaign_exam_rate] .kpi-sub")).to_contain_text("目标 ≥ 85%")
    text = section.inner_text()
    assert "campaign" not in text and "None" not in text and "undefined" not in text and "null" not in text
    assert desk.errors == []


def test_an_inspector_inspects_an_enrolled_enterprise_with_the_campaigns_checklist(context, live_server):
    today = live_server.clock.today()
    supervisor = Tablet(live_server.api("lh_supervisor"))
    campaign = supervisor.create("campaign", {
        "campaign_name": "制鞋行业职业病危害专项治理", "campaign_code": "ZX-LH-02", "industry": "shoes",
        "industry_codes": "C195", "start_date": (today - dt.timedelta(days=10)).isoformat(),
        "deadline": (today + dt.timedelta(days=60)).isoformat()})
    _push(supervisor)
    enrolled = live_server.api("lh_supervisor").post(f"/api/campaigns/{campaign}/enrol", json={"by_industry": True})
    assert enrolled.get_json()["enrolled"] == ["临河步步高鞋业有限公司"]

    tablet = at_desk(context, live_server, "lh_inspector")
    page = tablet.page
    tablet.go("#/ledgers")
    page.locator("[data-kind=campaigns]").click()
    page.locator(f"[data-testid=ledger-row][data-file='{campaign}']").click()
    row = page.locator("[data-testid=campaign-enterprise]")
    expect(row).to_contain_text("临河步步高鞋业有限公司")
    expect(row.locator(".badge-state")).to_have_text("未确认治理")
    expect(page.locator("[data-testid=campaign-confirm]")).to_have_count(0)  # confirming is the supervisor's
    expect(page.locator("[data-testid=campaign-enrol-industry]")).to_have_count(0)
    row.locator("[data-testid=campaign-inspect]").click()
    page.wait_for_url("**#/inspection/*/info")
    expect(page.locator("[data-register=campaign]")).to_have_text("制鞋行业职业病危害专项治理（ZX-LH-02）")
    tablet.go("#" + page.url.split("#")[1].replace("/info", "/checklist"))
    card = page.locator("[data-testid=checklist-campaign]")
    expect(card).to_contain_text("专项治理检查：制鞋行业职业病危害专项治理（制鞋行业专项治理检查要点）")
    expect(card).to_contain_text("正己烷")
    focus = page.locator("[data-item=health_exam_chemical] [data-testid=ck-focus]")
    expect(focus).to_have_text("专项治理重点")
    expect(page.locator("[data-item=org_management] [data-testid=ck-focus]")).to_have_count(0)
    assert tablet.errors == []


def test_a_supervisor_enrols_the_enterprises_a_sheet_lists(context, live_server):
    today = live_server.clock.today()
    supervisor = Tablet(live_server.api("lh_supervisor"))
    campaign = supervisor.create("campaign", {
        "campaign_name": "汽车制造行业职业病危害专项治理", "campaign_code": "ZX-LH-03", "industry": "auto",
        "start_date": today.isoformat(), "deadline": (today + dt.timedelta(days=90)).isoformat()})
    _push(supervisor)
    with live_server.app.app_context():
        codes = dict(db.session.execute(sa.select(Enterprise.name, Enterprise.credit_code).where(
            Enterprise.name.in_(("青川重汽零部件有限公司", "临河星途改装车有限公司")))).all())
    desk = at_desk(context, live_server, "lh_supervisor")
    page = desk.page
    desk.go(f"#/campaign/{campaign}")
    card = page.locator("[data-testid=campaign-list]")
    bad = workbook_bytes([("青川重汽零部件有限公司", codes["青川重汽零部件有限公司"]), ("外区某厂", "91370000MA3C000000")],
                         ("单位名称", "统一社会信用代码"))
    card.locator("[data-testid=campaign-list-file]").set_input_files(
        {"name": "名单.xlsx", "mimeType": "application/octet-stream", "buffer": bad})
    expect(card.locator("[data-testid=campaign-list-refused]")).to_contain_text("第 3 行")
    expect(card.locator("[data-testid=campaign-list-refused]")).to_contain_text("不在本辖区的用人单位登记库中")
    good = workbook_bytes([(name, code) for name, code in codes.items()], ("单位名称", "统一社会信用代码"))
    card = page.locator("[data-testid=campaign-list]")
    card.locator("[data-testid=campaign-list-file]").set_input_files(
        {"name": "名单.xlsx", "mimeType": "application/octet-stream", "buffer": good})
    expect(card.locator("[data-testid=campaign-list-counts]")).to_have_text("纳入 2 家，已在治理中 0 家")
    expect(card.locator("[data-row='2']")).to_contain_text("纳入")
    card.locator("[data-testid=campaign-list-confirm]").click()
    expect(page.locator("[data-testid=campaign-enterprise]")).to_have_count(2)
    expect(page.locator("[data-testid=campaign-states] [data-state=unconfirmed] .kpi-value")).to_have_text("2")
    assert desk.errors == []
