"""A follow-up nurse submits a record; the supervisor returns it with a comment; she corrects and resubmits."""
import re

import pytest
from playwright.sync_api import expect

from server.extensions import db
from server.models import Record

from .tablet import FieldTablet

pytestmark = pytest.mark.browser

COMMENT = "身份证号缺失，请补充后重新提交"


def test_returned_followup_is_corrected_and_resubmitted(context, live_server):
    tablet = FieldTablet(context, live_server).login("lh_followup")
    page = tablet.page
    page.click("[data-flow=followup]")
    page.wait_for_selector("[data-field=case_no]")
    record_id = page.evaluate("location.hash.split('/')[2]")
    tablet.fill("case_no", "LH-2019-0073")
    tablet.fill("patient_name", "王建军")
    tablet.choose("sex", "male")
    tablet.fill("diagnosis_date", "2019-06-12")
    tablet.choose("pneumoconiosis_type", "silicosis")
    tablet.choose("stage", "stage_2")
    tablet.choose("followup_method", "home_visit")
    tablet.choose("vital_status", "alive")
    tablet.fill("id_number", "37990119650412")  # one digit short: the validator says so at the field
    expect(tablet.field("id_number").locator(".field-msg")).to_contain_text("身份证号应为18位")
    tablet.fill("id_number", "")
    page.click("[data-testid=submit-button]")
    tablet.sync()
    with live_server.app.app_context():
        assert db.session.get(Record, record_id).review_status == "submitted"

    supervisor = live_server.api("lh_cdc_supervisor")
    response = supervisor.post(f"/api/records/{record_id}/review", json={"action": "return", "comment": COMMENT})
    assert response.status_code == 200, response.get_json()

    tablet.sync()
    tablet.go("#/home")
    returned = page.locator("[data-testid=home-returned]")
    expect(returned).to_contain_text(COMMENT)
    expect(returned).to_contain_text("王建军")
    returned.locator(f"[data-record='{record_id}']").click()
    expect(page.locator("[data-testid=review-comment]")).to_contain_text(COMMENT)
    tablet.fill("id_number", "379901196504120017")
    page.click("[data-testid=submit-button]")
    # Shown as submitted at once (waiting to sync, or already synced when the signal is good).
    expect(page.locator("[data-testid=submit-step] [data-state]")).to_have_attribute(
        "data-state", re.compile("submitting|resubmitted"))
    tablet.sync()

    with live_server.app.app_context():
        record = db.session.get(Record, record_id)
        assert record.review_status == "resubmitted"
        assert record.review_comment is None
        assert record.data["id_number"] == "379901196504120017"
    tablet.go("#/home")
    expect(page.locator("[data-testid=home-returned]")).to_have_count(0)
    assert tablet.errors == []
