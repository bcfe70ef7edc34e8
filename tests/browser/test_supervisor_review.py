"""The supervisor reviews what the field handed over: returns a follow-up with a comment that reaches the nurse's
tablet through sync, and reads a sampling visit in full — answers, samples, photos, the evaluation with the limits
used, who changed what from which device — before approving it, which locks it."""
import pytest
from playwright.sync_api import expect

from server.extensions import db
from server.models import Record

from .office import at_desk, shoot, submitted_followup, submitted_visit
from .tablet import FieldTablet

pytestmark = pytest.mark.browser

COMMENT = "尘肺分期与诊断证明不一致，请核对诊断证明后重新提交"


def test_a_returned_record_reaches_the_nurse_with_the_comment(new_context, live_server, screenshots):
    _, record = submitted_followup(live_server)
    nurse = FieldTablet(new_context(), live_server).login("lh_followup")
    # The field never sees the office: no navigation to it, and its screens say so when typed in.
    expect(nurse.page.locator("[data-nav]")).to_have_count(5)  # home, patients' files, enterprises, conflicts, sync
    expect(nurse.page.locator("[data-nav=patients]")).to_have_count(1)
    expect(nurse.page.locator("[data-nav=review], [data-nav=dashboard], [data-tile]")).to_have_count(0)
    nurse.go("#/review")
    expect(nurse.page.locator("[data-testid=screen-message]")).to_contain_text("仅供审核人和管理员使用")

    desk = at_desk(new_context(), live_server, "lh_cdc_supervisor")
    page = desk.page
    expect(page.locator("[data-tile=review] [data-count]")).to_have_attribute("data-count", "1")
    problems = shoot(desk, screenshots, "home", phone=True)
    page.click("[data-tile=review]")
    row = page.locator(f"[data-testid=queue] [data-record='{record}']")
    expect(row).to_contain_text("随访")
    expect(row).to_contain_text("赵丽")
    expect(page.locator("[data-testid=queue-total]")).to_have_text("共 1 条")
    problems.update(shoot(desk, screenshots, "review-queue", phone=True))
    row.click()

    answers = page.locator("[data-testid=record-answers]")
    expect(answers).to_contain_text("马德顺")
    expect(answers.locator("[data-answer=pneumoconiosis_type]")).to_contain_text("矽肺")
    expect(page.locator("[data-testid=record-history]")).to_contain_text("赵丽")
    # A return needs a comment: the field worker must learn what to correct.
    page.click("[data-testid=return]")
    expect(page.locator("[data-testid=review-panel] .field-msg")).to_contain_text("退回时请写明意见")
    with live_server.app.app_context():
        assert db.session.get(Record, record).review_status == "submitted"
    page.fill("[data-testid=review-comment-input]", COMMENT)
    page.click("[data-testid=return]")
    expect(page.locator("[data-testid=record-status] [data-state]")).to_have_attribute("data-state", "returned")
    expect(page.locator("[data-testid=record-comment]")).to_contain_text(COMMENT)
    expect(page.locator("[data-testid=review-panel]")).to_have_count(0)
    with live_server.app.app_context():
        stored = db.session.get(Record, record)
        assert (stored.review_status, stored.review_comment) == ("returned", COMMENT)
    problems.update(shoot(desk, screenshots, "review-record-returned", phone=True))

    nurse.sync()
    nurse.go("#/home")
    returned = nurse.page.locator("[data-testid=home-returned]")
    expect(returned).to_contain_text(COMMENT)
    expect(returned.locator(f"[data-record='{record}']")).to_have_count(1)
    assert problems == {}
    assert nurse.errors == [] and desk.errors == []


def test_a_sampling_visit_is_read_in_full_and_approved(context, live_server, screenshots):
    tablet, visit, photo = submitted_visit(live_server)
    desk = at_desk(context, live_server, "lh_cdc_supervisor")
    page = desk.page
    desk.go("#/review")
    filters = page.locator("[data-testid=queue-filters]")
    # Filters: another team's records only → nothing; the sampling team's visits → this one.
    filters.locator("select[name=team_id]").select_option(label="执法一组 · 临河区卫生健康综合监督执法大队")
    expect(page.locator("[data-testid=queue-total]")).to_have_text("共 0 条")
    filters.locator("select[name=team_id]").select_option(label="采样一组 · 临河区疾病预防控制中心")
    filters.locator("select[name=entity]").select_option("sampling_visit")
    expect(page.locator("[data-testid=queue] [data-record]")).to_have_count(1)
    assert "entity=sampling_visit" in page.evaluate("location.hash")
    page.click(f"[data-testid=queue] [data-record='{visit}']")

    expect(page.locator("[data-testid=record-answers] [data-answer=task_no]")).to_contain_text("LH-2026-031")
    expect(page.locator("[data-testid=record-answers] [data-answer=escort_name]")).to_contain_text("马晓东")
    children = page.locator("[data-testid=record-children] [data-child]")
    expect(children).to_have_count(5)  # three samples, a blank, a noise measurement
    expect(page.locator("[data-testid=record-children]")).to_contain_text("LH-2026-031-03")
    expect(page.locator(f"[data-testid=record-photos] [data-photo='{photo}'] img")).to_be_visible()
    evaluation = page.locator("[data-testid=record-evaluation]")
    expect(evaluation.locator("[data-verdict=nonconform]").first).to_be_visible()
    expect(evaluation).to_contain_text("所用限值")
    expect(evaluation).to_contain_text("PC-TWA")
    history = page.locator("[data-testid=record-history]")
    expect(history).to_contain_text("王海燕")
    expect(history).to_contain_text(tablet.device_id[:8])
    expect(history).to_contain_text("提交审核")
    problems = shoot(desk, screenshots, "review-record", phone=True)

    page.click("[data-testid=approve]")
    expect(page.locator("[data-testid=record-status] [data-state]")).to_have_attribute("data-state", "approved")
    expect(page.locator("[data-testid=record-locked]")).to_be_visible()
    expect(page.locator("[data-testid=review-panel]")).to_have_count(0)
    with live_server.app.app_context():
        stored = db.session.get(Record, visit)
        assert (stored.review_status, stored.locked_reason) == ("approved", "approved")
    # The lock holds against the tablet that recorded it.
    tablet.pull()
    tablet.update(visit, {"notes": "补记"})
    assert tablet.push()["results"][0]["error"]["code"] == "RECORD_LOCKED"
    assert problems == {}
    assert desk.errors == []
