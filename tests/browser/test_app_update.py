"""A new app version arrives while a sampler's work is still waiting to sync: she is asked, not forced, and
nothing unsynced is lost when she accepts."""
import pytest
from playwright.sync_api import expect

from server.extensions import db
from server.models import Record

from .tablet import FieldTablet

pytestmark = pytest.mark.browser


def test_update_prompt_keeps_the_outbox(context, live_server):
    tablet = FieldTablet(context, live_server).login("lh_sampler")
    page = tablet.page
    live_server.fail_push = True  # the server cannot save right now: changes stay in the outbox

    page.click("[data-flow=sampling]")
    page.fill("[data-testid=enterprise-search]", "化工")
    page.locator("[data-enterprise]").first.click()
    page.wait_for_selector("[data-field=task_no]")
    visit_id = page.evaluate("location.hash.split('/')[2]")
    tablet.fill("task_no", "LH-2026-044")
    tablet.fill("temperature_c", "18.5")
    tablet.go("#/home")
    page.click("[data-testid=sync-button]")
    expect(page.locator("[data-testid=sync-error]")).to_contain_text("服务器暂时无法保存")
    waiting = tablet.waiting()
    assert waiting != "待同步 0"
    expect(page.locator("[data-testid=home-drafts]")).to_contain_text("LH-2026-044")

    live_server.sw_version = "2026.04.2-test"
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    banner = page.locator("[data-testid=update-banner]")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("新版本已就绪")
    assert page.evaluate("document.documentElement.dataset.screen") == "home"  # not reloaded on its own

    with page.expect_navigation():
        page.click("[data-testid=update-accept]")
    tablet.wait_home()
    assert page.evaluate("caches.keys()") == ["shell-2026.04.2-test"]
    assert tablet.waiting() == waiting
    expect(page.locator("[data-testid=home-drafts]")).to_contain_text("LH-2026-044")
    tablet.go(f"#/visit/{visit_id}/header")
    expect(tablet.field("temperature_c").locator("input")).to_have_value("18.5")

    live_server.fail_push = False
    tablet.sync()
    with live_server.app.app_context():
        record = db.session.get(Record, visit_id)
        assert record.data["task_no"] == "LH-2026-044" and record.data["temperature_c"] == 18.5
    assert tablet.errors == []
