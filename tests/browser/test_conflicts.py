"""Two samplers of one team edit the same visit's temperature offline; they sync one after the other.
The server keeps the first value, and both tablets show the conflict with both values."""
import pytest
from playwright.sync_api import expect

from server.extensions import db
from server.models import Record

from .tablet import FieldTablet

pytestmark = pytest.mark.browser


def open_conflicts(tablet):
    tablet.go("#/conflicts")
    return tablet.page.locator("[data-conflict][data-field=temperature_c]")


def test_same_field_edited_on_two_tablets_offline(new_context, live_server, screenshots):
    context_a, context_b = new_context(), new_context()
    first = FieldTablet(context_a, live_server).login("lh_sampler")
    first.page.click("[data-flow=sampling]")
    first.page.fill("[data-testid=enterprise-search]", "鑫源化工")
    first.page.locator("[data-enterprise]").first.click()
    first.page.wait_for_selector("[data-field=task_no]")
    visit_id = first.page.evaluate("location.hash.split('/')[2]")
    enterprise_id = first.page.evaluate(
        "(id) => import('/static/js/db.js').then((db) => db.getRecord(id)).then((r) => r.enterprise_id)", visit_id)
    first.fill("task_no", "LH-2026-052")
    first.fill("temperature_c", "22")
    first.sync()

    # The second sampler finds the visit in the enterprise's history.
    second = FieldTablet(context_b, live_server).login("lh_sampler2")
    second.go(f"#/enterprise/{enterprise_id}")
    second.page.locator(f"[data-testid=enterprise-history] [data-record='{visit_id}']").click()
    second.page.wait_for_selector("[data-field=temperature_c]")
    expect(second.field("temperature_c").locator("input")).to_have_value("22")

    context_a.set_offline(True)
    context_b.set_offline(True)
    first.fill("temperature_c", "25")
    second.fill("temperature_c", "18")
    context_a.set_offline(False)
    first.sync()
    context_b.set_offline(False)
    second.sync()

    with live_server.app.app_context():
        assert db.session.get(Record, visit_id).data["temperature_c"] == 25
    on_second = open_conflicts(second)
    expect(on_second).to_have_count(1)
    expect(on_second.locator("[data-testid=conflict-server]")).to_contain_text("25")
    expect(on_second.locator("[data-testid=conflict-client]")).to_contain_text("18")
    expect(on_second.locator("[data-testid=conflict-client]")).to_contain_text("本机提交的值")

    first.sync()
    on_first = open_conflicts(first)
    expect(on_first).to_have_count(1)
    expect(on_first.locator("[data-testid=conflict-server]")).to_contain_text("25")
    expect(on_first.locator("[data-testid=conflict-client]")).to_contain_text("18")
    expect(on_first.locator("[data-testid=conflict-client]")).to_contain_text("另一台设备提交的值")
    expect(first.page.locator("[data-nav=conflicts] .badge")).to_have_text("1")
    first.page.screenshot(path=str(screenshots / "conflicts-tablet-landscape.png"))
    assert first.errors == [] and second.errors == []
