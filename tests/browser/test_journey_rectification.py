"""Journey: an inspection's 卫生监督意见书 orders a correction within 20 days; on the 21st day the item is overdue
on the tablet, in the office and in the figures; a re-inspection recorded but not yet issued leaves it 复查中 (a
draft closes nothing); only the issued 复查意见书 closes it, and the figures follow."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.issuing.inspections import FINDINGS, complete_inspection
from tests.support import enterprise_in

from .enforcement import issue
from .office import at_desk
from .tablet import FieldTablet, camera_jpeg

pytestmark = pytest.mark.browser

FACT = FINDINGS[1]["fact"]  # 喷漆车间入口未设置警示标识和中文警示说明
TWENTY_FIRST_DAY = "2026-12-11T09:00:00+08:00"  # issued 2026-11-20, due within 20 days: 2026-12-10 inclusive


def rectification_tile(desk, date_to):
    desk.go(f"#/dashboard?from=2026-01-01&to={date_to}")
    return desk.page.locator("[data-testid=kpi-tiles] [data-kpi='enforcement.rectification.overdue'] .kpi-value")


def office_item(desk):
    desk.go("#/home")
    desk.go("#/rectifications")
    return desk.page.locator(".rect-item", has_text=FACT)


def test_an_item_goes_overdue_stays_open_under_a_draft_and_closes_only_by_the_issued_reinspection(
        new_context, live_server):
    today = live_server.clock.today().isoformat()
    with live_server.app.app_context():
        enterprise_id = enterprise_in("临河区").id
        _, inspection, _ = complete_inspection(None, live_server.api("lh_inspector"), inspection_date=today,
                                               findings=[{**FINDINGS[1], "deadline_days": 20}])
    tablet_context = new_context()
    tablet = FieldTablet(tablet_context, live_server).login("lh_inspector")
    page = tablet.page
    tablet.go(f"#/inspection/{inspection}/issue")
    notice = issue(tablet, "supervision_opinion")
    assert "已签发，编号 2026—001" in notice
    tablet.sync()

    desk = at_desk(new_context(), live_server, "lh_supervisor")
    item = office_item(desk)
    expect(item).to_have_attribute("data-rect-status", "open")
    expect(item).to_contain_text("限 2026-12-10 前改正")

    # Day 21: overdue everywhere, by the business clock.
    live_server.clock.set(TWENTY_FIRST_DAY)
    for context in (tablet_context, desk.page.context):
        context.clock.set_system_time(dt.datetime.fromisoformat(TWENTY_FIRST_DAY))
    tablet.go(f"#/enterprise/{enterprise_id}")
    on_tablet = page.locator("[data-rectification]", has_text=FACT)
    expect(on_tablet).to_have_attribute("data-status", "overdue")
    expect(office_item(desk)).to_have_attribute("data-rect-status", "overdue")
    expect(rectification_tile(desk, "2026-12-11")).to_have_text("1")

    # A re-inspection recorded on site, synced, not issued: 复查中, not closed.
    page.click("[data-testid=start-reinspection]")
    page.wait_for_selector(".rein-item")
    card = page.locator(".rein-item", has_text=FACT)
    card.locator('[data-field=result] button[data-value="rectified"]').click()
    card.locator("[data-field=photos] input[type=file]").set_input_files(
        files=[{"name": "IMG_0107.jpg", "mimeType": "image/jpeg", "buffer": camera_jpeg(seed=31)}])
    page.wait_for_selector(".rein-item [data-field=photos] .thumb")
    reinspection = page.evaluate("location.hash.split('/')[2]")
    tablet.sync()
    tablet.go(f"#/enterprise/{enterprise_id}")
    expect(page.locator("[data-rectification]", has_text=FACT)).to_have_attribute("data-status", "reinspecting")
    expect(page.locator("[data-rectification]", has_text=FACT)).to_contain_text("复查中")
    item = office_item(desk)
    expect(item).to_have_attribute("data-rect-status", "reinspecting")
    expect(item).to_contain_text("复查中")
    expect(desk.page.locator("[data-testid=notice-progress]")).to_have_text("已销号 0/1")

    # The 复查意见书 issued: the item is closed, on the tablet, in the office and in the figures.
    tablet.go(f"#/reinspection/{reinspection}/info")
    page.wait_for_selector("[data-field=party_rep_name]")
    tablet.fill("party_rep_name", "马晓东")
    tablet.fill("conclusion", "警示标识及中文警示说明已设置，予以销号。")
    page.click(".steps [data-step=issue]")
    assert "已签发，编号 2026—001" in issue(tablet, "reinspection_opinion")
    tablet.sync()
    tablet.go(f"#/enterprise/{enterprise_id}")
    expect(page.locator("[data-rectification]", has_text=FACT)).to_have_attribute("data-status", "closed")
    expect(office_item(desk)).to_have_attribute("data-rect-status", "closed")
    expect(desk.page.locator("[data-testid=notice-progress]")).to_have_text("全部销号")
    expect(rectification_tile(desk, "2026-12-11")).to_have_text("0")
    assert tablet.errors == [] and desk.errors == []
