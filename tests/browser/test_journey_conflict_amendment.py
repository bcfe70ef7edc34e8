"""Journey: two officers' tablets rewrite the same finding; the notice cannot be issued while the conflict is
open — the issue screen shows both values and where it is settled; the 执法大队's supervisor settles it in the
office and the notice is issued. A late edit from a tablet that had not heard of the issuance conflicts with the
issued notice: settling it does not change what was issued, it prepares a 更正 that the inspector issues; the
original is kept, marked 已更正, and the rectification item follows the correction."""
import pytest
from playwright.sync_api import expect

from server.extensions import db
from server.models import Record
from tests.issuing.inspections import complete_inspection

from .enforcement import issue, step
from .office import at_desk
from .tablet import FieldTablet

pytestmark = pytest.mark.browser

KEPT = "喷漆车间入口及调漆间均未设置警示标识"
OTHER = "喷漆车间入口未设置警示标识和中文警示说明（调漆间已设置）"


def open_finding(tablet, inspection_id):
    tablet.go(f"#/inspection/{inspection_id}/findings")
    tablet.page.locator("[data-finding][data-item=warning_signs]").click()
    tablet.page.wait_for_selector("[data-field=fact] textarea")


def settle(desk, field, choice="choose-client"):
    desk.go("#/home")
    desk.page.click("[data-nav=office_conflicts]")
    card = desk.page.locator(f"[data-conflict][data-field={field}]")
    expect(card).to_have_count(1)
    card.locator(f"[data-testid={choice}]").click()
    expect(desk.page.locator(f"[data-conflict][data-field={field}]")).to_have_count(0)


def test_a_conflict_blocks_the_notice_and_one_settled_after_issuance_makes_a_correction(new_context, live_server):
    with live_server.app.app_context():
        _, inspection, findings = complete_inspection(None, live_server.api("lh_inspector"))
    warning_finding = findings[1]  # 警示标识, 15 days
    first = FieldTablet(new_context(), live_server).login("lh_inspector")
    second_context = new_context()
    second = FieldTablet(second_context, live_server).login("lh_inspector2")
    first.sync()
    second.sync()

    # Both rewrite the fact offline; the second to sync conflicts.
    open_finding(first, inspection)
    open_finding(second, inspection)
    first.fill("fact", KEPT)
    second_context.set_offline(True)
    second.fill("fact", OTHER)
    first.sync()
    second_context.set_offline(False)
    second.sync()
    first.sync()

    # The notice is not issued while the conflict is open: the issue screen says what and where it is settled.
    first.go(f"#/inspection/{inspection}/issue")
    conflicts = first.page.locator("[data-testid=issue-conflicts]")
    expect(conflicts).to_contain_text("有 1 处数据冲突未解决")
    expect(conflicts.locator("[data-field=fact]")).to_contain_text("违法事实")
    expect(conflicts.locator("[data-field=fact]")).to_contain_text(KEPT)
    expect(conflicts.locator("[data-field=fact]")).to_contain_text(OTHER)
    expect(conflicts).to_contain_text("由审核人在办公端裁决")
    expect(first.page.locator("[data-testid=issue-supervision_opinion]")).to_be_disabled()
    refused = live_server.api("lh_inspector").post("/api/documents", json={
        "id": "7d0c7b8e-6a53-4d8e-9f7e-3a1c2b4d5e6f", "record_id": inspection, "doc_type": "supervision_opinion"})
    assert refused.status_code == 422 and refused.get_json()["error"]["code"] == "OPEN_CONFLICTS"

    desk = at_desk(new_context(), live_server, "lh_supervisor")
    settle(desk, "fact")  # the second officer's wording

    # Before the notice is issued, the second tablet goes offline and shortens the deadline: it will be late.
    second.sync()
    second_context.set_offline(True)
    open_finding(second, inspection)
    second.fill("deadline_days", "10")

    first.sync()
    first.go(f"#/inspection/{inspection}/issue")
    expect(first.page.locator("[data-testid=issue-conflicts]")).to_have_count(0)
    message = issue(first, "supervision_opinion")
    assert "已签发，编号 2026—001" in message
    with live_server.app.app_context():
        assert db.session.get(Record, warning_finding).data["fact"] == OTHER

    # The late edit reaches the server after issuance: the issued finding is not changed, a conflict is opened.
    second_context.set_offline(False)
    second.sync()
    with live_server.app.app_context():
        finding = db.session.get(Record, warning_finding)
        assert finding.data["deadline_days"] == 15 and finding.conflict_open is True
        assert db.session.get(Record, inspection).conflict_open is True
    settle(desk, "deadline_days")  # the supervisor agrees with 10 days: the notice must be corrected
    desk.go(f"#/review/record/{inspection}")
    amendment = desk.page.locator("[data-testid=record-amendment]")
    expect(amendment).to_contain_text("待检查员出具更正文书")
    expect(amendment.locator("[data-field=deadline_days]")).to_contain_text("15 → 裁决为 10")
    with live_server.app.app_context():
        assert db.session.get(Record, warning_finding).data["deadline_days"] == 15  # what the issued notice says

    # The inspector's tablet prepares the 更正 with the change; issuing it supersedes the original.
    first.sync()
    first.go(f"#/inspection/{inspection}/issue")
    panel = first.page.locator("[data-testid=issue-amendment]")
    expect(panel).to_contain_text("需出具更正文书")
    expect(panel.locator("[data-field=deadline_days]")).to_contain_text("文书所载 15 → 裁决为 10")
    panel.locator("[data-testid=amend-supervision_opinion]").click()
    expect(first.page.locator("[data-testid=issue-message]")).to_contain_text("已签发，编号 2026—002")
    documents = live_server.api("lh_inspector").get(f"/api/documents?record_id={inspection}").get_json()["items"]
    by_number = {d["number"]: d for d in documents}
    assert set(by_number) == {"2026—001", "2026—002"}
    assert by_number["2026—002"]["amends_id"] == by_number["2026—001"]["id"]
    first.go(f"#/inspection/{inspection}/issue")
    expect(first.page.locator("[data-testid=issue-amendment]")).to_have_count(0)
    with live_server.app.app_context():
        assert db.session.get(Record, warning_finding).data["deadline_days"] == 10
    items = live_server.api("lh_supervisor").get("/api/rectifications").get_json()["items"]
    warning = next(i for i in items if i.get("finding_id") == warning_finding or "警示" in (i.get("fact") or ""))
    assert warning["document_number"] == "2026—002"
    assert first.errors == [] and second.errors == [] and desk.errors == []
