"""A sampler logs in once at the office, then works a whole sampling visit in a factory with no signal."""
import hashlib

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from server.extensions import db
from server.models import Record

from .tablet import FieldTablet, camera_jpeg

pytestmark = pytest.mark.browser

SAMPLE_TIMES = [("08:00", "12:00"), ("08:05", "12:05"), ("08:10", "12:10"), ("13:00", "16:00")]


def fill_first_sample(tablet):
    tablet.pick("hazard_key", "苯", "benzene")
    tablet.fill("workshop", "涂装车间")
    tablet.fill("post", "喷漆工")
    tablet.fill("sampling_point", "喷漆房 张三")
    tablet.choose("sampling_mode", "personal")
    tablet.choose("duration_type", "long_time")
    tablet.choose("limit_type", "pc_twa")
    tablet.choose("collector", "activated_carbon_tube")
    tablet.fill("sampler_id", "QC-1")
    tablet.fill("exposure_hours_per_day", "8")
    tablet.fill("flow_before_l_min", "0.2")
    tablet.fill("flow_after_l_min", "0.2")


def test_sampling_visit_recorded_offline_reaches_the_server(context, live_server):
    tablet = FieldTablet(context, live_server).login("lh_sampler")
    offline_from = live_server.mark()
    # Cold start in the factory: the service worker serves the app, IndexedDB the data.
    visit_id = tablet.start_visit_offline(context, "鑫源化工")

    tablet.fill("task_no", "LH-2026-031")
    tablet.choose("monitoring_category", "periodic")
    tablet.fill("temperature_c", "22")
    tablet.fill("pressure_kpa", "101.3")
    tablet.fill("production_status", "正常生产，负荷约90%，局部排风运行")
    tablet.toggle("method_standards", "gbz_159_2004")
    tablet.fill("sampler_2_name", "李明")
    tablet.fill("checker_name", "周审核")
    tablet.fill("escort_name", "马晓东")
    tablet.sign("escort_signature")

    # Four field samples (the first photographed) and a blank; volumes appear while typing.
    tablet.page.click("[data-step=samples]")
    tablet.page.click("[data-testid=add-sample]")
    tablet.page.wait_for_selector("[data-field=hazard_key]")
    fill_first_sample(tablet)
    tablet.set_datetime("start_time", "2026-04-08", SAMPLE_TIMES[0][0])
    tablet.set_datetime("end_time", "2026-04-08", SAMPLE_TIMES[0][1])
    assert tablet.computed("duration_min", "240 min")
    assert tablet.computed("volume_l", "48.0 L")
    assert tablet.computed("standard_volume_l", "47.7 L")  # 48 L × 293/295 at 101.3 kPa
    photo = camera_jpeg()
    tablet.photograph("photos", photo)
    for start, end in SAMPLE_TIMES[1:]:
        tablet.page.click("[data-testid=child-back]")
        tablet.page.click("[data-testid=copy-sample]")
        tablet.page.wait_for_selector("[data-field=start_time]")
        tablet.set_datetime("start_time", "2026-04-08", start)
        tablet.set_datetime("end_time", "2026-04-08", end)
        tablet.fill("flow_after_l_min", "0.21")
    assert tablet.computed("volume_l", "36.9 L")  # 180 min × 0.205 L/min
    tablet.fill("post", "调漆工")
    tablet.page.click("[data-testid=child-back]")
    tablet.page.click("[data-testid=add-blank]")
    tablet.page.wait_for_selector("[data-field=sample_code]")
    assert tablet.field("flow_before_l_min").is_hidden()  # a blank has no flows or times
    tablet.page.click("[data-testid=child-back]")
    rows = tablet.page.locator("[data-sample]")
    expect(rows).to_have_count(5)
    expect(rows.nth(0)).to_contain_text("V=48.0 L")

    # Everything waits on the tablet; nothing reached the server while offline.
    assert "待同步" in tablet.waiting() and not tablet.waiting().endswith(" 0")
    expect(tablet.page.locator("[data-testid=sync-photos]")).to_have_text("照片待上传 2")  # photo + signature
    stored = tablet.stored_photos()
    assert len(stored) == 2
    reached = [p for p in live_server.requests[offline_from:] if p != "/sw.js"]
    assert reached == []

    context.set_offline(False)
    tablet.sync()

    with live_server.app.app_context():
        rows = db.session.scalars(sa.select(Record).where(Record.root_id == visit_id)).all()
        kinds = sorted(r.entity for r in rows)
        assert kinds == ["attachment", "attachment", "sample", "sample", "sample", "sample", "sample", "sampling_visit"]
        visit = next(r for r in rows if r.entity == "sampling_visit")
        assert visit.data["task_no"] == "LH-2026-031" and visit.data["escort_name"] == "马晓东"
        samples = [r for r in rows if r.entity == "sample"]
        assert sorted(s.data["sample_type"] for s in samples) == ["blank", "field", "field", "field", "field"]
        assert all(s.computed["fields"]["volume_l"] for s in samples if s.data["sample_type"] == "field")
    sampler = live_server.api("lh_sampler")
    for sha, original in stored.items():
        response = sampler.get(f"/api/blobs/{sha}?variant=original")
        assert response.status_code == 200
        body = response.data
        response.close()
        assert body == original and hashlib.sha256(body).hexdigest() == sha
    assert tablet.page.inner_text("[data-testid=sync-photos]") == "照片待上传 0"

    # The laboratory's results arrive; the evaluation shows the verdicts with the limits used.
    for index, value in enumerate(["1.2", "0.8", "1.5", "9.0"]):
        tablet.go(f"#/visit/{visit_id}/samples")
        tablet.page.locator("[data-sample]").nth(index).click()
        tablet.page.wait_for_selector("[data-field=lab_concentration_mg_m3]")
        tablet.fill("lab_concentration_mg_m3", value)
    tablet.sync()
    tablet.go(f"#/visit/{visit_id}/evaluation")
    evaluation = tablet.page.locator("[data-testid=evaluation]")
    evaluation.locator("[data-verdict=conform]").first.wait_for()
    assert evaluation.get_attribute("data-mode") == "stored"
    text = evaluation.inner_text()
    assert "符合" in text and "不符合" in text
    assert "PC-TWA 3 mg/m³" in text
    with live_server.app.app_context():
        stored_eval = db.session.get(Record, visit_id).computed["evaluation"]
    assert stored_eval["summary"]["conform"] == 1 and stored_eval["summary"]["nonconform"] == 1
    assert tablet.errors == []
