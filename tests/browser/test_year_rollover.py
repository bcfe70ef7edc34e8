"""New Year on a tablet: the inspector's last sync of December reserves numbers of both years; on 2 January, in a
factory with no signal, the notice is issued with the new year's number (never last year's); back online the
document syncs with that number and the tablet gives last year's unused numbers back: nobody numbered after them,
so they return to 2026's series and its register has no hole."""
import datetime as dt
import time

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from server.extensions import db
from server.models import NumberBlock
from tests.issuing.inspections import complete_inspection

from .enforcement import issue
from .tablet import FieldTablet

pytestmark = pytest.mark.browser

LAST_SYNC = "2026-12-30T17:00:00+08:00"
SECOND_OF_JANUARY = "2027-01-02T09:00:00+08:00"


def test_numbers_follow_the_year_on_an_offline_tablet_and_last_years_are_voided(context, live_server):
    live_server.clock.set(LAST_SYNC)
    with live_server.app.app_context():
        _, inspection, _ = complete_inspection(None, live_server.api("lh_inspector"))  # from the office
    tablet = FieldTablet(context, live_server).login("lh_inspector")
    page = tablet.page
    tablet.sync()
    with live_server.app.app_context():
        years = sorted(db.session.scalars(sa.select(NumberBlock.year).where(
            NumberBlock.doc_type == "supervision_opinion", NumberBlock.released_at.is_(None))).all())
    assert years == [2026, 2027]  # December: this year's block and the coming year's

    # 2 January, no signal.
    context.set_offline(True)
    live_server.clock.set(SECOND_OF_JANUARY)
    context.clock.set_system_time(dt.datetime.fromisoformat(SECOND_OF_JANUARY))
    tablet.go(f"#/inspection/{inspection}/issue")
    expect(page.locator("[data-testid=numbers-left-supervision_opinion]")).to_have_text("本机预留编号 3 个")
    message = issue(tablet, "supervision_opinion")
    assert "已离线签发，编号 2027—001" in message
    expect(page.locator(".paper[data-doc=supervision_opinion] [data-testid=preview-number]")).to_have_text(
        "编号：2027—001")

    context.set_offline(False)
    tablet.sync()
    inspector = live_server.api("lh_inspector")
    documents = inspector.get(f"/api/documents?record_id={inspection}").get_json()["items"]
    assert [(d["number"], d["offline"]) for d in documents] == [("2027—001", True)]

    # The sync gave 2026's block back: its three unused numbers return to the series (nothing came after them).
    supervisor = live_server.api("lh_supervisor")

    def series_2026():
        register = supervisor.get("/api/documents/number-register?year=2026").get_json()
        return {s["doc_type"]: s for s in register["series"]}["supervision_opinion"]
    assert [e["state_zh"] for e in series_2026()["entries"]] in (["已预留未使用"] * 3, [])
    deadline = time.monotonic() + 10
    while series_2026()["entries"] and time.monotonic() < deadline:
        page.wait_for_timeout(100)  # the release runs at the end of the sync run
    assert series_2026()["allocated"] == 0
    current = supervisor.get("/api/documents/number-register").get_json()
    assert current["year"] == 2027
    opinion = {s["doc_type"]: s for s in current["series"]}["supervision_opinion"]
    assert opinion["counts"]["issued"] == 1 and opinion["entries"][0]["number"] == "2027—001"
