"""Rectification tracking: a notice's three items — one due in three days, one two days overdue, one closed by a
re-inspection — each with its deadline and state, the re-inspection linked, and the notice's own status."""
import datetime as dt
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.issuing.inspections import FINDINGS, complete_inspection, fake_sha
from tests.scale import PASSWORD, generated_history
from tests.support import enterprise_in, login, user

from .office import at_desk, shoot
from .tablet import FieldTablet

pytestmark = pytest.mark.browser


def notice_with_three_items(live_server):
    """Returns (document, the closed item's fact)."""
    today = live_server.clock.today()
    base = FINDINGS[0]
    findings = [dict(base, fact=fact, deadline_days=None, deadline_date=(today + dt.timedelta(days=days)).isoformat())
                for fact, days in (("喷漆车间未设置警示标识", 3), ("未组织在岗期间职业健康检查", -2), ("未配备防毒口罩", 40))]
    caller = live_server.api("lh_inspector")
    with live_server.app.app_context():
        tablet, inspection, _ = complete_inspection(None, caller, findings=findings)
        enterprise_id = enterprise_in("临河区").id
    response = caller.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": inspection,
                                                   "doc_type": "supervision_opinion"})
    assert response.status_code == 201, response.get_json()
    document = response.get_json()
    tablet.pull()
    items = {v["data"]["fact"]: k for k, v in tablet.replica.items() if v["entity"] == "rectification_item"}
    with live_server.app.app_context():
        officers = {"officer_1_id": str(user("lh_inspector").id), "officer_1_name": user("lh_inspector").display_name,
                    "officer_2_id": str(user("lh_inspector2").id), "officer_2_name": user("lh_inspector2").display_name}
    reinspection = tablet.create("reinspection", {
        "enterprise_id": enterprise_id, "notice_document_id": document["id"], "notice_number": document["number"],
        "reinspection_date": today.isoformat(), "party_rep_name": "马晓东", "conclusion": "一项已整改", **officers})
    item = tablet.create("reinspection_item", {"rectification_item_id": items["未配备防毒口罩"], "result": "rectified",
                                               "evidence_note": "已为喷漆工配发防毒口罩"}, parent=reinspection)
    tablet.create("attachment", {"field": "photos", "sha256": fake_sha("evidence"), "mime": "image/jpeg"}, parent=item)
    tablet.create("attachment", {"field": "party_signature", "sha256": fake_sha("party"), "mime": "image/png"},
                  parent=reinspection)
    assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
    # 销号 comes with the issued 复查意见书, not with the re-inspection record.
    opinion = caller.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": reinspection,
                                                  "doc_type": "reinspection_opinion"})
    assert opinion.status_code == 201, opinion.get_json()
    return document


def test_every_item_is_tracked_to_its_deadline(context, live_server, screenshots):
    document = notice_with_three_items(live_server)
    desk = at_desk(context, live_server)
    page = desk.page
    expect(page.locator("[data-tile=rectifications] [data-count]")).to_have_attribute("data-count", "1")
    page.click("[data-tile=rectifications]")
    summary = page.locator("[data-testid=rect-summary]")
    for state, count in (("all", 3), ("overdue", 1), ("due_soon", 1), ("open", 0), ("closed", 1)):
        expect(summary.locator(f"[data-count={state}]")).to_have_text(str(count))
    notice = page.locator("[data-notice]")
    expect(notice).to_contain_text(document["number"])
    expect(notice.locator("[data-status=valid]")).to_be_visible()
    expect(notice.locator("[data-testid=notice-progress]")).to_have_text("已销号 1/3")
    expect(notice.locator("[data-rect-status=overdue]").first).to_contain_text("未组织在岗期间职业健康检查")
    closed = notice.locator(".rect-item[data-rect-status=closed]")
    expect(closed).to_contain_text("未配备防毒口罩")
    expect(closed.locator("[data-reinspection] a")).to_contain_text("已整改")
    expect(closed).to_contain_text("已为喷漆工配发防毒口罩")
    problems = shoot(desk, screenshots, "rectifications", phone=True)

    summary.locator("[data-filter=overdue]").click()
    expect(page.locator(".rect-item")).to_have_count(1)
    expect(page.locator(".rect-item")).to_contain_text("未组织在岗期间职业健康检查")
    # The linked re-inspection opens as a record of its own.
    page.locator("[data-testid=rect-summary] [data-filter=closed]").click()
    page.locator(".rect-item [data-reinspection] a").click()
    expect(page.locator("[data-testid=record-answers]")).to_contain_text(document["number"])
    # And the inspection, with the notice as issued.
    desk.go("#/rectifications")
    page.click("[data-notice] a:has-text('查看检查记录')")
    issued = page.locator(f"[data-document='{document['id']}']")
    expect(issued).to_contain_text(document["number"])
    expect(page.locator("[data-testid=record-children]")).to_contain_text("未组织在岗期间职业健康检查")
    with page.expect_download() as info:
        issued.locator("button:has-text('PDF')").click()
    assert Path(info.value.path()).read_bytes().startswith(b"%PDF")
    assert problems == {}
    assert desk.errors == []


def test_a_districts_tracking_pages_through_its_open_items_and_this_years_closures(context, live_server):
    # Two years of a district's work: well over a page of open and recently closed items, older closures left out.
    with live_server.app.app_context():
        built = generated_history(live_server.app, districts=1, months=24, end=live_server.clock.today(),
                                  enterprises_per_district=40, username_prefix="tp")
    supervisor = f"{built.districts[0]['prefix']}_supervisor"
    listing = login(live_server.app.test_client(), supervisor, PASSWORD).get("/api/rectifications").get_json()
    assert listing["total"] > 50
    desk = FieldTablet(context, live_server).login(supervisor, PASSWORD)
    page = desk.page
    desk.go("#/rectifications")
    summary = page.locator("[data-testid=rect-summary]")
    expect(summary.locator("[data-count=all]")).to_have_text(str(listing["total"]))
    for state in ("overdue", "due_soon", "reinspecting", "open", "closed"):
        expect(summary.locator(f"[data-count={state}]")).to_have_text(str(listing["summary"][state]))
    period = listing["closed_period"]
    expect(page.locator("[data-testid=rect-closed-period]")).to_have_text(
        f"列出全部未销号的整改项，以及 {period['from']} 至 {period['to']} 销号的整改项")
    # The most urgent first: the first page opens with the overdue items.
    expect(page.locator(".rect-item")).to_have_count(50)
    expect(page.locator(".rect-item").first).to_have_attribute("data-rect-status", "overdue")
    first_page = set(page.locator(".rect-item").evaluate_all("items => items.map(i => i.dataset.item)"))
    pages = -(-listing["total"] // 50)
    expect(page.locator(".pager")).to_contain_text(f"1 / {pages}")
    page.click("[data-testid=page-next]")
    page.wait_for_function("location.hash.includes('page=2')")
    expect(page.locator(".pager")).to_contain_text(f"2 / {pages}")
    second_page = set(page.locator(".rect-item").evaluate_all("items => items.map(i => i.dataset.item)"))
    assert second_page and not first_page & second_page
    assert desk.errors == []
