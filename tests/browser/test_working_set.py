"""A tablet holds its working set, not the district's history: after its first sync it shows an enterprise's open
and recent work; the visit approved two years ago is fetched from the server when the sampler asks on the
enterprise's page, and then stays readable with no signal."""
import pytest
from playwright.sync_api import expect

from tests.sync.tablets import Tablet, handed_in_visit

from .tablet import FieldTablet

pytestmark = pytest.mark.browser


def test_older_records_come_on_demand_and_stay_offline(context, live_server):
    field = Tablet(live_server.api("lh_sampler"))
    enterprise = next(e["id"] for e in field.caller.get("/api/enterprises?per_page=50").get_json()["items"]
                      if e["region_name"] == "临河区")
    visits = {name: handed_in_visit(field, enterprise, f"WS-{name}", day)
              for name, day in (("old", "2024-10-08"), ("recent", "2026-10-12"))}
    assert {r["status"] for r in field.push()["results"]} == {"applied"}
    reviewer = live_server.api("lh_cdc_supervisor")
    for visit in visits.values():
        assert reviewer.post(f"/api/records/{visit}/review", json={"action": "approve"}).status_code == 200

    tablet = FieldTablet(context, live_server).login("lh_sampler2")
    tablet.go(f"#/enterprise/{enterprise}")
    history = tablet.page.locator("[data-testid=enterprise-history]")
    expect(history).to_contain_text("WS-recent")
    expect(history).not_to_contain_text("WS-old")  # two years old and closed: not in the first copy

    tablet.page.click("[data-testid=history-older]")
    expect(history).to_contain_text("WS-old")
    expect(history).to_contain_text("2024-10-08")

    context.set_offline(True)
    tablet.page.reload()  # the app cold-starts from its service worker on the same page
    tablet.page.wait_for_selector("[data-testid=enterprise-history]")
    expect(tablet.page.locator("[data-testid=enterprise-history]")).to_contain_text("WS-old")
    tablet.page.locator("[data-testid=enterprise-history] a", has_text="WS-old").first.click()
    expect(tablet.page.locator("[data-field=task_no] input")).to_have_value("WS-old")
    assert tablet.errors == []
