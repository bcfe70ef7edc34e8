"""One person, one file (尘肺病患者一人一档): a follow-up worker with no signal opens the register, finds the patient
who is overdue, starts the follow-up from the file (identity, diagnosis and exposure filled in), sees a stage change
from 壹期 to 贰期 asked about and confirms it into the file; once synced, the file holds the change, the follow-up is
linked to it, and the office's 随访率 moves."""
import datetime as dt
import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook
from playwright.sync_api import expect

from server.extensions import db
from server.models import Record
from tests.sync.tablets import HANDED_IN_FOLLOWUP, Tablet

from .tablet import FieldTablet, wait_until

pytestmark = pytest.mark.browser

FILE = {"sex": "male", "pneumoconiosis_type": "silicosis", "stage": "stage_1", "diagnosis_date": "2019-06-12",
        "status": "alive", "id_number": "370303196504120031", "employer_name": "淄博某耐火材料厂",
        "job_type": "破碎工", "township": "湖田镇"}


def _register(live_server, today):
    """Two files of 临河区: 陈根宝 opened 60 days ago and never followed up, 周长林 followed up 20 days ago."""
    tablet = Tablet(live_server.api("lh_followup"))
    overdue = tablet.create("patient", {**FILE, "case_no": "LH-2019-0008", "patient_name": "陈根宝",
                                        "registered_on": (today - dt.timedelta(days=60)).isoformat()})
    followed = tablet.create("patient", {**FILE, "case_no": "LH-2018-0003", "patient_name": "周长林",
                                         "registered_on": (today - dt.timedelta(days=400)).isoformat()})
    record = tablet.create("followup", {**HANDED_IN_FOLLOWUP, "patient_id": followed, "case_no": "LH-2018-0003",
                                        "patient_name": "周长林",
                                        "followup_date": (today - dt.timedelta(days=20)).isoformat(),
                                        "vital_status": "alive"})
    tablet.submit(record)
    assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
    return overdue


def _rate(live_server, today):
    year = f"date_from={(today - dt.timedelta(days=364)).isoformat()}&date_to={today.isoformat()}"
    return live_server.api("lh_cdc_supervisor").get(f"/api/kpis?{year}").get_json()["followup"]["rate"]


def test_an_overdue_patient_is_followed_up_offline_from_the_file_and_the_stage_change_goes_into_it(new_context, live_server):
    context = new_context()
    today = live_server.clock.today()
    patient_id = _register(live_server, today)
    before = _rate(live_server, today)
    assert (before["due"], before["followed"], before["rate_pct"]) == (2, 1, 50.0)

    tablet = FieldTablet(context, live_server).login("lh_followup")
    page = tablet.page
    context.set_offline(True)
    tablet.go("#/patients")
    summary = page.locator("[data-testid=patient-summary]")
    expect(summary.locator("[data-count=overdue]")).to_have_text("1")
    expect(summary.locator("[data-count=followed]")).to_have_text("1")
    first = page.locator("[data-patient]").first  # the most urgent first
    expect(first).to_have_attribute("data-state", "overdue")
    expect(first).to_contain_text("陈根宝 · LH-2019-0008")
    expect(first).to_contain_text("尚未随访")
    first.click()
    page.wait_for_selector("[data-testid=patient-summary-card]")
    expect(page.locator("[data-testid=patient-stage]")).to_have_text("当前期别：壹期")
    expect(page.locator("[data-testid=patient-due]")).to_contain_text("逾期未随访")

    # The follow-up starts from the file: who, the diagnosis and the exposure are there already.
    page.click("[data-testid=patient-start-followup]")
    page.wait_for_selector("[data-field=followup_method]")
    followup_id = page.evaluate("location.hash.split('/')[2]")
    expect(tablet.field("patient_id")).to_contain_text("陈根宝（LH-2019-0008）")
    expect(tablet.field("patient_name").locator("input")).to_have_value("陈根宝")
    expect(tablet.field("id_number").locator("input")).to_have_value("370303196504120031")
    expect(tablet.field("employer_name").locator("input")).to_have_value("淄博某耐火材料厂")
    expect(tablet.field("followup_date").locator("input")).to_have_value(today.isoformat())
    tablet.choose("followup_method", "home_visit")
    tablet.choose("vital_status", "alive")

    # The stage went up: the tablet asks before it goes into the file.
    tablet.fill("stage_progression_date", (today - dt.timedelta(days=5)).isoformat())
    tablet.choose("stage_progression_to", "stage_2")
    warning = tablet.field("stage_progression_to").locator(".field-warning")
    expect(warning).to_contain_text("期别由壹期变为贰期")
    warning.locator("button[data-confirm]").click()
    expect(tablet.field("remarks").locator("textarea, input").first).to_have_value(
        f"【已确认】期别由壹期变为贰期（{(today - dt.timedelta(days=5)).isoformat()}）。")
    page.click("[data-testid=submit-button]")
    wait_until(page, "document.querySelector('[data-testid=submit-button]') === null "
                     "|| document.querySelector('[data-testid=submit-button]').disabled")

    # Back in the file, still offline: the stage and its history, the follow-up, the next one due in a year.
    tablet.go(f"#/patient/{patient_id}")
    expect(page.locator("[data-testid=patient-stage]")).to_have_text("当前期别：贰期")
    expect(page.locator("[data-testid=patient-stages]")).to_contain_text("壹期 → 贰期")
    expect(page.locator(f"[data-followup='{followup_id}']")).to_contain_text(today.isoformat())
    expect(page.locator("[data-testid=patient-due]")).to_contain_text("已随访")

    context.set_offline(False)
    tablet.sync()
    with live_server.app.app_context():
        file = db.session.get(Record, patient_id)
        changes = db.session.scalars(sa.select(Record).where(Record.root_id == patient_id,
                                                             Record.entity == "stage_change")).all()
        followup = db.session.get(Record, followup_id)
        assert file.data["stage"] == "stage_2"
        assert [(c.data["stage_from"], c.data["stage_to"], c.data["followup_id"]) for c in changes] == [
            ("stage_1", "stage_2", followup_id)]
        assert followup.data["patient_id"] == patient_id and followup.review_status == "submitted"
    after = _rate(live_server, today)
    assert (after["due"], after["followed"], after["rate_pct"], after["meets_target"]) == (2, 2, 100.0, True)
    office = live_server.api("lh_followup").get("/api/patients?state=followed").get_json()
    assert {line["case_no"] for line in office["items"]} == {"LH-2019-0008", "LH-2018-0003"}
    assert tablet.errors == []

    # The CDC's 科长 sees the rate on the dashboard, against its target.
    desk = FieldTablet(new_context(), live_server).login("lh_cdc_supervisor")
    desk.go(f"#/dashboard?from={(today - dt.timedelta(days=364)).isoformat()}&to={today.isoformat()}")
    rate = desk.page.locator("[data-kpi='followup.rate.rate_pct']")
    expect(rate.locator(".kpi-value")).to_have_text("100.0%")
    expect(rate).to_contain_text("已随访 2 / 应随访 2 人 · 目标 90%")
    expect(rate).to_have_class("kpi kpi-good")
    assert desk.errors == []


def test_the_cdc_brings_in_the_register_kept_in_a_sheet(new_context, live_server):
    today = live_server.clock.today()
    _register(live_server, today)
    book = Workbook()
    sheet = book.active
    sheet.append(["病例编号", "姓名", "性别", "诊断日期", "尘肺种类", "期别", "状态", "建档日期"])
    sheet.append(["LH-2019-0008", "陈根宝", "男", "2019-06-12", "矽肺", "贰期", "在世", today.isoformat()])
    sheet.append(["LH-2021-0031", "于德水", "男", "2021-04-20", "水泥尘肺", "壹期", "在世", today.isoformat()])
    content = io.BytesIO()
    book.save(content)
    desk = FieldTablet(new_context(), live_server).login("lh_cdc_supervisor")
    page = desk.page
    desk.go("#/patients")
    card = page.locator("[data-testid=patient-import]")
    card.locator("[data-testid=patient-import-file]").set_input_files(files=[{
        "name": "尘肺病患者名单.xlsx", "buffer": content.getvalue(),
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    expect(card.locator("[data-testid=patient-import-counts]")).to_have_text("新建 1 份，修改 1 份，无变化 0 份")
    changed = card.locator("[data-row='2']")
    expect(changed).to_contain_text("陈根宝")
    expect(changed.locator("[data-testid=patient-import-diff]")).to_contain_text("期别：壹期 → 贰期")
    # Nothing is written before the person confirms.
    with live_server.app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Record).where(Record.entity == "patient")) == 2
    card.locator("[data-testid=patient-import-confirm]").click()
    expect(page.locator("[data-testid=patient-import-done]")).to_contain_text("新建 1 份，修改 1 份")
    with live_server.app.app_context():
        files = {r.data["case_no"]: r.data for r in db.session.scalars(sa.select(Record).where(Record.entity == "patient"))}
    assert files["LH-2019-0008"]["stage"] == "stage_2" and files["LH-2021-0031"]["pneumoconiosis_type"] == "cement"
    # A sheet with a wrong value is refused row by row, in words.
    sheet.append(["LH-2022-0001", "某某", "男", "2022-13-01", "矽肺", "肆期", "在世", today.isoformat()])
    bad = io.BytesIO()
    book.save(bad)
    page.locator("[data-testid=patient-import-file]").set_input_files(files=[{
        "name": "尘肺病患者名单.xlsx", "buffer": bad.getvalue(),
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    refused = page.locator("[data-testid=patient-import-refused]")
    expect(refused).to_contain_text("第 4 行")
    expect(refused).to_contain_text("“肆期”不是可选项")
    assert desk.errors == []
