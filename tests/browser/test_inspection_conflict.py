"""The two officers of an inspection each have a tablet. Offline, both rewrite the same finding's fact; they
sync one after the other. The server keeps the first value, nothing is lost: the supervisor's conflict list
and both tablets show both values."""
import pytest
from playwright.sync_api import expect

from .enforcement import answer, step
from .tablet import FieldTablet

pytestmark = pytest.mark.browser

FIRST = "喷漆车间入口及苯储罐区均未设置警示标识"
SECOND = "喷漆车间入口未设置警示标识和中文警示说明（苯储罐区已设置）"


def open_finding(tablet, inspection_id):
    tablet.go(f"#/inspection/{inspection_id}/findings")
    tablet.page.locator("[data-finding][data-item=warning_signs]").click()
    tablet.page.wait_for_selector("[data-field=fact] textarea")


def test_both_officers_rewrite_a_finding_offline(new_context, live_server):
    context_a, context_b = new_context(), new_context()
    first = FieldTablet(context_a, live_server).login("lh_inspector")
    first.page.click("[data-flow=inspection]")
    first.page.fill("[data-testid=enterprise-search]", "鑫源化工")
    first.page.locator("[data-enterprise]").first.click()
    first.page.wait_for_selector("[data-field=place]")
    inspection_id = first.page.evaluate("location.hash.split('/')[2]")
    enterprise_id = first.page.evaluate(
        "(id) => import('/static/js/db.js').then((db) => db.getRecord(id)).then((r) => r.enterprise_id)", inspection_id)
    step(first, "checklist")
    answer(first, "warning_signs", "nonconform", "喷漆车间入口未设置警示标识")
    first.sync()

    # The second officer finds the inspection on the enterprise page and opens the same finding.
    second = FieldTablet(context_b, live_server).login("lh_inspector2")
    second.go(f"#/enterprise/{enterprise_id}")
    second.page.locator(f"[data-testid=enterprise-history] [data-record='{inspection_id}']").click()
    second.page.wait_for_selector("[data-field=place]")
    open_finding(second, inspection_id)
    expect(second.field("fact").locator("textarea")).to_have_value("喷漆车间入口未设置警示标识")
    open_finding(first, inspection_id)

    context_a.set_offline(True)
    context_b.set_offline(True)
    first.fill("fact", FIRST)
    second.fill("fact", SECOND)
    context_a.set_offline(False)
    first.sync()
    context_b.set_offline(False)
    second.sync()
    first.sync()

    conflicts = live_server.api("lh_supervisor").get("/api/sync/conflicts").get_json()["items"]
    found = [c for c in conflicts if c["entity"] == "finding" and c["field"] == "fact"]
    assert len(found) == 1 and found[0]["server_value"] == FIRST and found[0]["client_value"] == SECOND

    for tablet, whose in ((first, "另一台设备提交的值"), (second, "本机提交的值")):
        tablet.go("#/conflicts")
        card = tablet.page.locator("[data-conflict][data-field=fact]")
        expect(card).to_have_count(1)
        expect(card).to_contain_text("违法事实")
        expect(card.locator("[data-testid=conflict-server]")).to_contain_text(FIRST)
        expect(card.locator("[data-testid=conflict-client]")).to_contain_text(SECOND)
        expect(card.locator("[data-testid=conflict-client]")).to_contain_text(whose)
    # The finding shows the value the server kept until the supervisor decides.
    open_finding(second, inspection_id)
    expect(second.field("fact").locator("textarea")).to_have_value(FIRST)
    assert first.errors == [] and second.errors == []
