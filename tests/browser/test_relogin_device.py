"""A tablet is one device entry: logging out in the evening and in again the next morning (or as a colleague
and back) re-uses the device the server knows for that user on this browser."""
import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import Device, User

from .tablet import FieldTablet

pytestmark = pytest.mark.browser


def devices_of(live_server, username):
    with live_server.app.app_context():
        user_id = db.session.scalar(sa.select(User.id).where(User.username == username))
        return db.session.scalars(sa.select(Device.id).where(Device.user_id == user_id)).all()


def log_out(tablet):
    tablet.go("#/sync")
    tablet.page.get_by_role("button", name="退出登录").click()
    tablet.page.wait_for_selector("input[name=username]:not([readonly])")


def test_logging_out_and_in_again_keeps_one_device_entry(new_context, live_server):
    tablet = FieldTablet(new_context(), live_server).login("lh_assistant")
    first = devices_of(live_server, "lh_assistant")
    for _ in range(3):
        log_out(tablet)
        tablet.login("lh_assistant")
    assert devices_of(live_server, "lh_assistant") == first and len(first) == 1
    assert tablet.errors == []
