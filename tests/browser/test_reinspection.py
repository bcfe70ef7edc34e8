"""Weeks after a 卫生监督意见书, the inspector re-inspects its open rectification items from the enterprise page:
one was put right (photographed), one was not. After the sync the first is closed on the enterprise page, the
other stays open and overdue; the 复查意见书 is issued with the result of each."""
import pytest
from playwright.sync_api import expect

from .enforcement import issue, issued_notice
from .tablet import FieldTablet, camera_jpeg

pytestmark = pytest.mark.browser


def test_a_reinspection_closes_the_rectified_item(context, live_server):
    enterprise_id, notice, findings = issued_notice(live_server)
    tablet = FieldTablet(context, live_server).login("lh_inspector")
    page = tablet.page
    tablet.go(f"#/enterprise/{enterprise_id}")
    items = page.locator(f"[data-notice='{notice['id']}'] [data-rectification]")
    expect(items).to_have_count(2)
    expect(items.locator("[data-status=overdue]")).to_have_count(2)  # the deadlines of April have passed
    expect(page.locator(f"[data-document='{notice['id']}'] [data-status=valid]")).to_be_visible()

    page.click(f"[data-notice='{notice['id']}'] [data-testid=start-reinspection]")
    page.wait_for_selector(".rein-item")
    cards = page.locator(".rein-item")
    expect(cards).to_have_count(2)
    rectified = cards.filter(has_text="未组织接触噪声作业的12名劳动者")
    rectified.locator('[data-field=result] button[data-value="rectified"]').click()
    rectified.locator("[data-field=photos] input[type=file]").set_input_files(
        files=[{"name": "IMG_0002.jpg", "mimeType": "image/jpeg", "buffer": camera_jpeg(seed=21)}])
    page.wait_for_selector(".rein-item [data-field=photos] .thumb")
    open_item = page.locator(".rein-item").filter(has_text="喷漆车间入口未设置警示标识")
    open_item.locator('[data-field=result] button[data-value="not_rectified"]').click()
    box = open_item.locator("[data-field=evidence_note] textarea")
    box.fill("警示标识仍未设置，企业称已订购")
    box.press("Tab")

    page.click(".steps [data-step=info]")
    page.wait_for_selector("[data-field=party_rep_name]")
    tablet.fill("party_rep_name", "马晓东")
    tablet.fill("conclusion", "第1项已整改，予以销号；第2项未整改，责令继续整改。")
    page.click(".steps [data-step=issue]")
    preview = page.locator(".paper[data-doc=reinspection_opinion]")
    expect(preview).to_contain_text(f"卫生监督意见书（{notice['number']}）")
    expect(preview).to_contain_text("已整改")
    expect(preview).to_contain_text("未整改")
    assert "已签发，编号 2026—001" in issue(tablet, "reinspection_opinion")
    tablet.sync()

    tablet.go(f"#/enterprise/{enterprise_id}")
    closed = page.locator("[data-rectification][data-status=closed]")
    expect(closed).to_have_count(1)
    expect(closed).to_contain_text("未组织接触噪声作业的12名劳动者")
    expect(closed.locator("[data-status=closed]")).to_contain_text("已销号")
    still_open = page.locator("[data-rectification][data-status=overdue]")
    expect(still_open).to_have_count(1)
    expect(still_open).to_contain_text("喷漆车间入口未设置警示标识")
    expect(page.locator("[data-testid=enterprise-documents] [data-doc-type=reinspection_opinion]")).to_contain_text("2026—001")
    assert tablet.errors == []
