"""The sync engine where field work gets hard: expired logins, a revoked tablet, a server restored from
backup, and a change the server refuses. In every case nothing unsynced is lost and the user is told."""
import datetime as dt
import json

import pytest
import sqlalchemy as sa
from flask_jwt_extended import create_access_token, create_refresh_token
from playwright.sync_api import expect

from server.extensions import db
from server.models import Device, Mutation, Record, User
from server.sync.changes import new_epoch

from .tablet import FieldTablet, grainy_jpeg

pytestmark = pytest.mark.browser

STORED_SESSION = "import('/static/js/db.js').then((db) => db.getMeta('session'))"


def start_visit(tablet, task_no):
    tablet.page.click("[data-flow=sampling]")
    tablet.page.fill("[data-testid=enterprise-search]", "化工")
    tablet.page.locator("[data-enterprise]").first.click()
    tablet.page.wait_for_selector("[data-field=task_no]")
    tablet.fill("task_no", task_no)
    tablet.fill("temperature_c", "20")
    return tablet.page.evaluate("location.hash.split('/')[2]")


def replace_tokens(tablet, live_server, *, refresh_expired):
    """Put an expired access token (and maybe an expired refresh token) into the tablet's session."""
    session = tablet.page.evaluate(STORED_SESSION)
    with live_server.app.app_context():
        user = db.session.get(User, session["user"]["id"])
        claims = {"roles": user.roles, "agency_id": user.agency_id, "device_id": session["device_id"]}
        session["access_token"] = create_access_token(str(user.id), additional_claims=claims,
                                                      expires_delta=dt.timedelta(seconds=-60))
        if refresh_expired:
            session["refresh_token"] = create_refresh_token(str(user.id), additional_claims={"device_id": session["device_id"]},
                                                            expires_delta=dt.timedelta(seconds=-60))
    tablet.page.evaluate("(s) => import('/static/js/db.js').then((db) => db.setMeta('session', s))", session)
    tablet.page.evaluate("location.hash = '#/home'")
    tablet.page.reload()  # the app reads the session from IndexedDB when it starts
    tablet.wait_home()
    return session


def server_value(live_server, record_id, field):
    with live_server.app.app_context():
        return db.session.get(Record, record_id).data.get(field)


def test_expired_session_refreshes_then_asks_for_the_password(context, live_server):
    tablet = FieldTablet(context, live_server).login("lh_sampler")
    visit = start_visit(tablet, "LH-2026-061")
    tablet.sync()
    device = tablet.page.evaluate(STORED_SESSION)["device_id"]

    # The access token expired during the day: the refresh token gets a new pair (and is rotated).
    old_refresh = replace_tokens(tablet, live_server, refresh_expired=False)["refresh_token"]
    tablet.go(f"#/visit/{visit}/header")
    tablet.fill("temperature_c", "21")
    tablet.sync()
    assert server_value(live_server, visit, "temperature_c") == 21
    assert tablet.page.evaluate(STORED_SESSION)["refresh_token"] != old_refresh

    # After a month away even the refresh token has expired: the password is asked, the work waits.
    replace_tokens(tablet, live_server, refresh_expired=True)
    dialog = tablet.page.locator("[data-testid=relogin]")
    expect(dialog).to_contain_text("登录已过期")
    dialog.get_by_role("button", name="稍后").click()
    tablet.go(f"#/visit/{visit}/header")
    tablet.fill("temperature_c", "23")
    tablet.page.click("[data-testid=sync-button]")
    expect(dialog).to_be_visible()
    assert tablet.waiting() == "待同步 1"
    dialog.locator("input[name=password]").fill("Demo@2026")
    dialog.locator("button[type=submit]").click()
    tablet.wait_synced()
    assert server_value(live_server, visit, "temperature_c") == 23
    assert tablet.page.evaluate(STORED_SESSION)["device_id"] == device  # the same device, the same sequence
    with live_server.app.app_context():
        user_id = db.session.scalar(sa.select(User.id).where(User.username == "lh_sampler"))
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Device).where(Device.user_id == user_id)) == 1
    assert tablet.errors == []


def test_revoked_tablet_stops_and_keeps_its_work_for_export(context, live_server):
    tablet = FieldTablet(context, live_server).login("lh_sampler")
    visit = start_visit(tablet, "LH-2026-062")
    tablet.sync()
    device = tablet.page.evaluate(STORED_SESSION)["device_id"]
    admin = live_server.api("admin")
    assert admin.post(f"/api/devices/{device}/revoke", json={"reason": "平板遗失"}).status_code == 200

    tablet.go(f"#/visit/{visit}/header")
    tablet.fill("temperature_c", "24")
    tablet.page.click("[data-testid=sync-button]")
    expect(tablet.page.locator(".modal")).to_contain_text("此设备已被管理员停用")
    expect(tablet.page.locator("[data-testid=sync-state]")).to_have_text("设备已停用")
    assert tablet.waiting() == "待同步 1"
    assert server_value(live_server, visit, "temperature_c") == 20

    tablet.page.locator(".modal button").click()
    tablet.go("#/sync")
    with tablet.page.expect_download() as download:
        tablet.page.click("[data-testid=export-button]")
    with open(download.value.path(), encoding="utf-8") as file:
        exported = json.load(file)
    assert exported["device_id"] == device
    assert [m["fields"] for m in exported["outbox"]] == [{"temperature_c": 24}]
    assert tablet.errors == []


def test_restored_server_gets_the_changes_again_and_the_tablet_resets(context, live_server):
    tablet = FieldTablet(context, live_server).login("lh_sampler")
    visit = start_visit(tablet, "LH-2026-063")
    tablet.sync()
    device = tablet.page.evaluate(STORED_SESSION)["device_id"]

    # The server is restored from last night's backup: the visit, the device's log and sequence are gone.
    with live_server.app.app_context():
        db.session.execute(sa.delete(Record).where(Record.root_id == visit))
        db.session.execute(sa.delete(Mutation).where(Mutation.device_id == device))
        db.session.execute(sa.update(Device).where(Device.id == device).values(last_client_seq=0))
        new_epoch(db.session)
        db.session.commit()

    tablet.go(f"#/visit/{visit}/header")
    tablet.fill("temperature_c", "26")
    tablet.sync()  # SEQ_GAP: sent again from 1; the new epoch resets the tablet's copy
    with live_server.app.app_context():
        record = db.session.get(Record, visit)
        assert record is not None and record.data["task_no"] == "LH-2026-063" and record.data["temperature_c"] == 26
        last_seq = db.session.get(Device, device).last_client_seq
    assert last_seq == tablet.page.evaluate(f"import('/static/js/db.js').then((db) => db.getMeta('seq:{device}'))") - 1
    tablet.go("#/home")
    expect(tablet.page.locator("[data-testid=home-drafts]")).to_contain_text("LH-2026-063")
    assert tablet.errors == []


def test_refused_change_is_shown_with_the_servers_reason_and_fixed(context, live_server):
    tablet = FieldTablet(context, live_server).login("lh_sampler")
    visit = start_visit(tablet, "LH-2026-064")
    tablet.sync()
    # A tablet on older rules sends a temperature the server's form no longer accepts.
    tablet.page.evaluate("(id) => import('/static/js/records.js').then((r) => r.saveFields(id, {temperature_c: 75}))", visit)
    tablet.sync()
    tablet.go("#/sync")
    rejected = tablet.page.locator("[data-testid=status-rejections]")
    expect(rejected).to_contain_text("VALIDATION_FAILED")
    expect(rejected).to_contain_text("temperature_c")
    expect(tablet.page.locator("[data-testid=sync-bar]")).to_contain_text("被退回的变更 1")

    tablet.go(f"#/visit/{visit}/header")
    expect(tablet.field("temperature_c").locator(".field-msg")).not_to_be_empty()
    tablet.fill("temperature_c", "27")
    tablet.sync()
    assert server_value(live_server, visit, "temperature_c") == 27
    expect(tablet.page.locator("[data-testid=sync-bar]")).not_to_contain_text("被退回的变更")
    assert tablet.errors == []


def test_photo_upload_resumes_where_the_link_dropped(context, live_server):
    tablet = FieldTablet(context, live_server).login("lh_sampler")
    visit = start_visit(tablet, "LH-2026-065")
    tablet.page.click("[data-step=samples]")
    tablet.page.click("[data-testid=add-sample]")
    tablet.page.wait_for_selector("[data-field=photos]")
    tablet.photograph("photos", grainy_jpeg())
    (sha, original), = tablet.stored_photos().items()
    assert len(original) > 600_000  # several chunks of 256 KB

    live_server.patch_budget = 1  # the 4G link drops after the first chunk
    tablet.page.click("[data-testid=sync-button]")
    expect(tablet.page.locator("[data-testid=sync-error]")).to_be_visible()
    expect(tablet.page.locator("[data-testid=sync-photos]")).to_have_text("照片待上传 1")
    assert live_server.patch_offsets[:2] == [0, 262144]

    live_server.patch_budget = None
    sent_before = len(live_server.patch_offsets)
    tablet.sync()
    resumed = live_server.patch_offsets[sent_before:]
    assert resumed[0] == 262144  # from the server's offset, not from the start
    assert resumed == list(range(262144, len(original), 262144))
    response = live_server.api("lh_sampler").get(f"/api/blobs/{sha}?variant=original")
    body = response.data
    response.close()
    assert body == original
    assert tablet.page.evaluate("(id) => import('/static/js/db.js').then((db) => db.unsyncedData()).then((d) => d.photos.length)", visit) == 0
    assert tablet.errors == []


def test_incomplete_submit_shows_the_servers_messages_at_the_fields(context, live_server):
    tablet = FieldTablet(context, live_server).login("lh_sampler")
    visit = start_visit(tablet, "LH-2026-066")
    # Submitted from a tablet whose own check was older than the server's: the server answers INCOMPLETE.
    tablet.page.evaluate("(id) => import('/static/js/records.js').then((r) => r.submit(id))", visit)
    tablet.sync()
    tablet.go(f"#/visit/{visit}/header")
    expect(tablet.field("production_status").locator(".field-msg")).to_contain_text("生产状况/工况为必填项")
    expect(tablet.field("escort_signature").locator(".field-msg")).to_contain_text("陪同人签名至少需要 1 个")
    tablet.go(f"#/visit/{visit}/submit")
    expect(tablet.page.locator("[data-testid=server-problems]")).to_be_visible()
    expect(tablet.page.locator("[data-testid=submit-step] [data-state]")).to_have_attribute("data-state", "submit_rejected")
    with live_server.app.app_context():
        assert db.session.get(Record, visit).review_status == "draft"
    assert tablet.errors == []
