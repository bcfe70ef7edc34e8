"""The supervisor reads the 编号登记簿: the inspector issued two 监督意见书 online from the office PC and one in a
factory with no signal from the tablet's reserved block, then gave the block's unused numbers back at sync; a
colleague's lost tablet had its block voided by the supervisor with the reason; another block is still out on a
tablet; and one document was voided. Every number shows what became of it, in Chinese, with the reason where there
is one, and the parts add up to the numbers allocated."""
import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.issuing.inspections import complete_inspection
from tests.support import user

from .office import at_desk, shoot
from .tablet import wait_until

pytestmark = pytest.mark.browser

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
STATE_KEYS = ("issued", "voided", "returned", "reserved", "document_voided", "supervision_opinion")
LOST_TABLET = "平板丢失，号段内未使用的号码作废"
WRONG_PARTY = "当事人名称填写错误，已重新出具"


def issue_online(caller, record_id):
    response = caller.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": record_id,
                                                   "doc_type": "supervision_opinion"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def reserve(caller, size):
    response = caller.post("/api/documents/number-blocks", json={"doc_type": "supervision_opinion", "size": size})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def a_year_of_numbers(live_server, year):
    """The numbers of `year` as the story above leaves them; returns the display names of the people in it."""
    tablet_login = live_server.api("lh_inspector")   # the inspector's tablet
    office_pc = live_server.api("lh_inspector")      # the same inspector at the office PC: another device
    colleague = live_server.api("lh_inspector2")
    supervisor = live_server.api("lh_supervisor")
    with live_server.app.app_context():
        tablet, first, _ = complete_inspection(None, tablet_login)
        _, in_the_factory, _ = complete_inspection(None, tablet_login, tablet=tablet)
        _, third, _ = complete_inspection(None, tablet_login, tablet=tablet)
        names = {u: user(u).display_name for u in ("lh_inspector", "lh_inspector2", "lh_supervisor")}

    wrong = issue_online(office_pc, first)                                  # 001
    block = reserve(tablet_login, 3)                                        # 002–004 on the tablet
    lost = reserve(colleague, 2)                                            # 005–006 on the colleague's tablet
    assert (block["first_number"], lost["first_number"]) == (f"{year}—002", f"{year}—005")
    # In the factory, offline: the tablet numbers the opinion from its block and syncs it later.
    tablet._mutation("document", str(uuid.uuid4()), "issue", {
        "record_id": in_the_factory, "doc_type": "supervision_opinion", "number": f"{year}—002",
        "issued_at": f"{year}-04-08T11:20:00+08:00"})
    assert tablet.push()["results"][-1]["status"] == "applied"
    assert issue_online(office_pc, third)["number"] == f"{year}—007"
    # Back in the office the tablet gives its unused numbers back; later numbers exist, so they stay as returned.
    assert tablet_login.post(f"/api/documents/number-blocks/{block['id']}/release",
                             json={"unused": True}).status_code == 200
    assert supervisor.post(f"/api/documents/number-blocks/{lost['id']}/release",
                           json={"reason": LOST_TABLET}).status_code == 200
    assert supervisor.post(f"/api/documents/{wrong['id']}/void", json={"reason": WRONG_PARTY}).status_code == 200
    reserve(colleague, 2)                                                   # 008–009, still out on a tablet
    return names


def test_the_supervisor_reads_what_became_of_every_number(context, live_server, screenshots):
    year = live_server.clock.today().year
    names = a_year_of_numbers(live_server, year)
    register = live_server.api("lh_supervisor").get("/api/documents/number-register").get_json()
    assert register["year"] == year
    series = {s["doc_type"]: s for s in register["series"]}["supervision_opinion"]

    desk = at_desk(context, live_server)
    page = desk.page
    tile = page.locator("[data-tile=numbers]")
    expect(tile).to_contain_text("编号登记簿")
    tile.click()
    screen = page.locator("[data-testid=number-register]")
    expect(screen).to_be_visible()
    expect(page.locator("[data-testid=register-year] input[name=year]")).to_have_value(str(year))  # the business year
    card = screen.locator("[data-testid=register-series][data-doc-type=supervision_opinion]")
    expect(card.locator("h2")).to_contain_text("卫生监督意见书")
    expect(card.locator("[data-testid=register-summary]")).to_have_text(
        "已分配 9：已出具 2、已作废 2、未使用已归还 2、已预留未使用 2、文书已作废 1")
    expect(card.locator("[data-testid=register-balance]")).to_have_attribute("data-balanced", "true")
    expect(card.locator("[data-testid=register-balance]")).to_contain_text("合计 9，与已分配数相符")
    assert sum(series["counts"].values()) == series["allocated"] == 9

    rows = card.locator("tbody tr")
    expect(rows).to_have_count(9)
    expected = {1: "文书已作废", 2: "已出具", 3: "未使用已归还", 4: "未使用已归还", 5: "已作废", 6: "已作废",
                7: "已出具", 8: "已预留未使用", 9: "已预留未使用"}
    for entry in series["entries"]:
        assert entry["state_zh"] == expected[entry["seq"]]
        row = card.locator(f"tr[data-number='{entry['number']}']")
        expect(row).to_have_attribute("data-state", entry["state"])
        expect(row.locator("[data-testid=register-state]")).to_have_text(entry["state_zh"])

    def row(seq):
        return card.locator(f"tr[data-number='{year}—{seq:03d}']")
    today = live_server.clock.today().isoformat()
    expect(row(1).locator("[data-testid=register-detail]")).to_have_text(
        f"{names['lh_inspector']} 于 {today} 出具；作废原因：{WRONG_PARTY}；作废人：{names['lh_supervisor']}")
    expect(row(2).locator("[data-testid=register-detail]")).to_have_text(f"{names['lh_inspector']} 于 {year}-04-08 出具")
    expect(row(2).locator("[data-testid=register-offline]")).to_have_text("离线出具")
    expect(row(7).locator("[data-testid=register-offline]")).to_have_count(0)
    expect(row(3).locator("[data-testid=register-detail]")).to_have_text(
        f"归还原因：设备未使用，同步时归还；归还人：{names['lh_inspector']}")
    expect(row(5).locator("[data-testid=register-detail]")).to_have_text(
        f"作废原因：{LOST_TABLET}；作废人：{names['lh_supervisor']}")
    expect(row(8).locator("[data-testid=register-detail]")).to_have_text(f"预留人：{names['lh_inspector2']}（尚未使用）")

    # What a person reads: no state keys, type keys or ids.
    text = screen.inner_text()
    assert not UUID.search(text), text
    for key in STATE_KEYS:
        assert not re.search(rf"\b{key}\b", text), key
    problems = shoot(desk, screenshots, "number-register", phone=True)

    # Last year: nothing was numbered.
    page.click("[data-testid=register-prev]")
    expect(screen).to_have_attribute("data-year", str(year - 1))
    expect(screen).to_contain_text(f"{year - 1} 年尚未分配文书编号")
    expect(screen.locator("[data-testid=register-series]")).to_have_count(0)

    # A year the server refuses: its message, with the year still there to correct.
    refused = live_server.api("lh_supervisor").get("/api/documents/number-register?year=1999")
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    page.fill("[data-testid=register-year] input[name=year]", "1999")
    page.click("[data-testid=register-show]")
    banner = page.locator("[data-testid=office-error]")
    expect(banner).to_contain_text(error["message"])
    expect(banner).to_contain_text(f"年度：{error['details'][0]['message']}")
    expect(banner).not_to_contain_text("year")
    expect(page.locator("[data-testid=register-year] input[name=year]")).to_have_value("1999")
    page.fill("[data-testid=register-year] input[name=year]", "")
    page.click("[data-testid=register-show]")
    expect(card).to_be_visible()  # an empty year is the business year again

    # The same register in English, for a colleague who reads it better (the reasons stay as they were written).
    desk.go("#/sync")
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    wait_until(page, "document.documentElement.dataset.route === '#/sync'")
    desk.go("#/numbers")
    expect(card.locator("h2")).to_have_text(f"Health supervision opinion · {year}")
    expect(card.locator("[data-testid=register-summary]")).to_have_text(
        "9 allocated: 2 issued, 2 voided, 2 returned unused, 2 reserved and not used, 1 on voided documents")
    expect(row(1).locator("[data-testid=register-state]")).to_have_text("Document voided")
    expect(row(5).locator("[data-testid=register-detail]")).to_have_text(
        f"Voided: {LOST_TABLET} (by {names['lh_supervisor']})")
    assert problems == {}
    assert desk.errors == []
