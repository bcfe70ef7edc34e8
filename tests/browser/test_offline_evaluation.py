"""A sampler in a factory with no signal measures one worker's noise in three periods: the tablet judges it on the
spot with the server's rules (one L_EX,8h for the worker, not three verdicts)."""
import pytest
from playwright.sync_api import expect

from .tablet import FieldTablet

pytestmark = pytest.mark.browser


def _period(tablet, point, level, hours):
    tablet.page.click("[data-testid=add-noise]")
    tablet.page.wait_for_selector("[data-field=calibrator_id]")
    tablet.fill("calibrator_id", "AWA6021A-3")
    tablet.fill("calibration_before_db", "93.8")
    tablet.fill("calibration_after_db", "93.9")
    tablet.fill("workshop", "冲压车间")
    tablet.fill("post", "冲压工")
    tablet.fill("measurement_point", point)
    tablet.choose("measurement_mode", "sound_level_meter")
    for reading in ("laeq_1_db", "laeq_2_db", "laeq_3_db"):
        tablet.fill(reading, str(level))
    tablet.fill("exposure_hours_per_day", str(hours))
    tablet.fill("days_per_week", "5")
    tablet.page.click("[data-testid=child-back]")


def test_three_noise_periods_of_one_worker_are_judged_once_on_the_tablet_offline(context, live_server):
    tablet = FieldTablet(context, live_server).login("lh_sampler")
    visit_id = tablet.start_visit_offline(context, "鑫源化工")
    tablet.fill("task_no", "LH-2026-040")
    tablet.fill("temperature_c", "22")
    tablet.fill("pressure_kpa", "101.3")

    tablet.go(f"#/visit/{visit_id}/noise")
    for point, level, hours in (("1号冲床", 93, 4), ("2号冲床", 86, 2), ("休息室", 68, 2)):
        _period(tablet, point, level, hours)

    tablet.go(f"#/visit/{visit_id}/evaluation")
    evaluation = tablet.page.locator("[data-testid=evaluation]")
    evaluation.locator("[data-noise]").first.wait_for()
    assert evaluation.get_attribute("data-mode") == "device"
    expect(evaluation.locator("[data-noise]")).to_have_count(1)  # one worker, one verdict
    row = evaluation.locator("[data-noise]").first
    # 10·lg[(4·10^9.3 + 2·10^8.6 + 2·10^6.8)/8] = 90.4 dB(A) > 85
    expect(row).to_contain_text("L_EX,8h 90.4 dB(A)")
    expect(row.locator("[data-testid=noise-periods]")).to_contain_text("4 h × 93.0 dB(A)")
    assert row.locator("[data-verdict]").get_attribute("data-verdict") == "nonconform"
    assert "本机按与服务器相同的规则" in evaluation.inner_text()
    assert tablet.errors == []
