"""An inspector's work on the tablet, step by step: checklist answers, findings, signatures, issuing; and what
the supervisor and the server set up for it (a 双随机 draw, an earlier notice with rectification items)."""
import uuid

from playwright.sync_api import expect

from tests.issuing.inspections import complete_inspection
from tests.support import district, enterprise_in

from .tablet import wait_until


def draw_assignments(live_server, title="2026年第四季度职业卫生双随机抽查"):
    """The supervisor's 双随机 draw: the district's inspectors receive their enterprises as assignments."""
    with live_server.app.app_context():
        region_id = district("临河区").id
    response = live_server.api("lh_supervisor").post("/api/draws", json={
        "title": title, "region_id": region_id, "scheme": "class_pilot_2023", "due_date": "2026-12-31"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def issued_notice(live_server):
    """An inspection completed and its 卫生监督意见书 issued online from the other tablet of lh_inspector:
    two rectification items are open at the enterprise. Returns (enterprise id, document, finding ids)."""
    with live_server.app.app_context():
        enterprise_id = enterprise_in("临河区").id
        caller = live_server.api("lh_inspector")
        _, inspection, findings = complete_inspection(None, caller)
    response = caller.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": inspection,
                                                   "doc_type": "supervision_opinion"})
    assert response.status_code == 201, response.get_json()
    return enterprise_id, response.get_json(), findings


def answer(tablet, item_key, result, note=None):
    """Tap a result of a checklist item (and write what was seen)."""
    item = tablet.page.locator(f'[data-item="{item_key}"]')
    item.locator(f'button[data-value="{result}"]').click()
    expect(tablet.page.locator(f'[data-item="{item_key}"]')).to_have_attribute("data-result", result)
    if note:
        box = tablet.page.locator(f'[data-item="{item_key}"] [data-testid=ck-note]')
        box.fill(note)
        box.press("Tab")


def step(tablet, name):
    """Open a step of the inspection."""
    tablet.page.click(f'.steps [data-step="{name}"]')
    wait_until(tablet.page, "(s) => location.hash.endsWith('/' + s)", arg=name)
    wait_until(tablet.page, "(s) => document.querySelector(`.steps [data-step='${s}']`)?.classList.contains('active')",
                                  arg=name)


def issue(tablet, doc_type):
    """Tap 签发 for a document type; returns the message the panel shows."""
    button = tablet.page.locator(f"[data-testid=issue-{doc_type}]")
    assert button.is_enabled(), tablet.page.inner_text("[data-testid=issue-panel]")
    button.click()
    message = tablet.page.locator("[data-testid=issue-message]")
    message.wait_for()
    return message.inner_text()
