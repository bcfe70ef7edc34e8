"""职业病危害项目申报 as the district's supervisor reads it: on an enterprise's page, 已申报 with the dates and the next
one due, 申报逾期 once a year has passed since the latest, 未申报 with no date; on the dashboard, this year's first
declarations beside last year's and the employers declared against the end of last year with the +20 % target."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from .office import at_desk

pytestmark = pytest.mark.browser


def zh(day):
    return f"{day.year}年{day.month}月{day.day}日"


def test_a_supervisor_reads_the_declaration_status_and_the_years_first_declarations(context, live_server,
                                                                                   screenshots):
    today = live_server.clock.today()
    year = today.year
    api = live_server.api("lh_supervisor")
    listing = api.get("/api/enterprises?per_page=8").get_json()
    ids, registry = [e["id"] for e in listing["items"]], listing["total"]
    declared, lapsed, never = ids[0], ids[1], ids[2]
    latest = today - dt.timedelta(days=40)
    firsts = {declared: dt.date(year - 2, 3, 18), lapsed: dt.date(year - 2, 5, 6),
              ids[3]: dt.date(year, 2, 3), ids[4]: dt.date(year, 6, 30), ids[5]: dt.date(year, 9, 1),
              ids[6]: dt.date(year - 1, 4, 9)}
    for enterprise_id, first in firsts.items():
        data = {"first_declared_on": first.isoformat()}
        if enterprise_id == declared:
            data["last_declared_on"] = latest.isoformat()
        assert api.patch(f"/api/enterprises/{enterprise_id}", json=data).status_code == 200

    desk = at_desk(context, live_server, "lh_supervisor")
    page = desk.page
    desk.go(f"#/enterprise/{declared}")
    card = page.locator("[data-testid=enterprise-card]")
    expect(card.locator("[data-testid=declaration-status]")).to_have_text("申报状态已申报")
    expect(card.locator("[data-testid=declaration-first]")).to_have_text(f"初次申报日期{zh(firsts[declared])}")
    expect(card.locator("[data-testid=declaration-latest]")).to_have_text(f"最近申报/变更日期{zh(latest)}")
    expect(card.locator("[data-testid=declaration-due]")).to_have_text(
        f"下次申报到期{zh(latest.replace(year=latest.year + 1))}")

    desk.go(f"#/enterprise/{lapsed}")
    expect(card.locator("[data-testid=declaration-status]")).to_have_text("申报状态申报逾期")
    # Only the first declaration on file: it is the latest, and the update was due a year later.
    expect(card.locator("[data-testid=declaration-latest]")).to_have_text(f"最近申报/变更日期{zh(firsts[lapsed])}")
    expect(card.locator("[data-testid=declaration-due]")).to_have_text(
        f"下次申报到期{zh(dt.date(year - 1, 5, 6))}（已逾期）")
    card.screenshot(path=str(screenshots / "office-declaration-overdue.png"))

    desk.go(f"#/enterprise/{never}")
    expect(card.locator("[data-testid=declaration-status]")).to_have_text("申报状态未申报")
    expect(card.locator("[data-testid=declaration-due]")).to_have_count(0)

    desk.go("#/dashboard?preset=year")
    tile = page.locator("[data-kpi='declarations.first_declarations']")
    expect(tile.locator(".kpi-title")).to_have_text("初次申报用人单位数")
    # By hand: three first declarations this year, one in the same dates last year.
    expect(tile.locator(".kpi-value")).to_have_text("3")
    expect(tile.locator("[data-testid=kpi-yoy]")).to_contain_text("去年同期 1")
    expect(tile.locator("[data-testid=kpi-change]")).to_have_text("+2（+200.0%）")
    # Declared by today 3 + 1 + 2 = 6 against 3 by the end of last year: +100 %, the +20 % target met.
    expect(tile.locator(".kpi-sub")).to_contain_text(f"累计已申报 6 家，较{year - 1}年底 +100.0%（目标 ≥ +20%）")
    # Overdue: the lapsed one, and last year's April declaration not updated by this April.
    expect(tile.locator(".kpi-sub")).to_contain_text(
        f"申报率 {6 / registry * 100:.1f}%（6/{registry}）· 逾期未更新 2 家")
    expect(tile).to_have_class("kpi kpi-good")
    page.locator("[data-testid=kpi-tiles]").screenshot(path=str(screenshots / "office-declaration-tile.png"))
    text = tile.inner_text()
    assert "declaration" not in text and "None" not in text and "undefined" not in text
    assert desk.errors == []
