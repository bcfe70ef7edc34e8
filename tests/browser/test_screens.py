"""The main screens at the sizes the app is used at — landscape and portrait tablets and a phone: nothing is
cut off sideways, every control is big enough for a gloved finger, and a screenshot of each is kept
(test-artifacts/screenshots) for people to look at."""
import pytest

from tests.support import enterprise_in
from tests.sync.tablets import Tablet, sample_fields, visit_fields

from .tablet import FieldTablet, wait_until

pytestmark = pytest.mark.browser

SIZES = {"tablet-landscape": (1280, 800), "tablet-portrait": (800, 1280), "phone": (390, 844)}

# Controls smaller than 48 px, or anything wider than the screen.
LAYOUT_PROBLEMS = """() => {
    const problems = [];
    if (document.scrollingElement.scrollWidth > window.innerWidth + 1) {
        problems.push(`page ${document.scrollingElement.scrollWidth}px wide in ${window.innerWidth}px`);
    }
    const controls = document.querySelectorAll('button, .btn, input:not([type=file]), select, textarea, .nav-item, .list-item');
    for (const el of controls) {
        const box = el.getBoundingClientRect();
        if (!box.width || !box.height || el.closest('[hidden]') || el.classList.contains('visually-hidden')) continue;
        if (box.height < 47.5 || box.width < 47.5) problems.push(`${el.tagName}.${el.className} ${Math.round(box.width)}×${Math.round(box.height)}: ${el.textContent.trim().slice(0, 20)}`);
        if (box.right > window.innerWidth + 1) problems.push(`${el.tagName}.${el.className} overflows: ${el.textContent.trim().slice(0, 20)}`);
    }
    return problems;
}"""


def sampling_visit_from_another_tablet(live_server):
    """A visit with samples, noise and lab results, recorded on the sampler's other tablet and synced."""
    tablet = Tablet(live_server.api("lh_sampler"))
    with live_server.app.app_context():
        enterprise_id = enterprise_in("临河区").id
    visit = tablet.create("sampling_visit", visit_fields(enterprise_id, production_status="正常生产",
                                                          sampler_1_name="王海燕", sampler_2_name="李明",
                                                          checker_name="周审核", escort_name="马晓东",
                                                          method_standards=["gbz_159_2004"]))
    samples = []
    for index, (start, end, value) in enumerate([("08:00", "12:00", 1.2), ("08:05", "12:05", 0.9), ("08:10", "12:10", 4.6)]):
        samples.append(tablet.create("sample", sample_fields(f"LH-2026-031-0{index + 1}", start_time=f"2026-04-08T{start}:00+08:00",
                                              end_time=f"2026-04-08T{end}:00+08:00", lab_concentration_mg_m3=value,
                                              post="喷漆工" if index < 2 else "调漆工"), parent=visit))
    tablet.create("sample", {"sample_code": "LH-2026-031-B01", "sample_type": "blank", "hazard_key": "benzene",
                             "collector": "activated_carbon_tube"}, parent=visit)
    tablet.create("noise_measurement", {"calibrator_id": "AWA-6021", "calibration_before_db": 94.0,
                                        "calibration_after_db": 94.1, "post": "空压机操作工", "measurement_point": "空压机房",
                                        "measurement_mode": "sound_level_meter", "laeq_1_db": 88.2, "laeq_2_db": 87.9,
                                        "laeq_3_db": 88.5, "exposure_hours_per_day": 8, "days_per_week": 5},
                  parent=visit)
    body = tablet.push()
    assert all(r["status"] == "applied" for r in body["results"]), body
    return visit, samples[0], enterprise_id


def shoot(tablet, folder, screens):
    problems = {}
    for size, (width, height) in SIZES.items():
        tablet.page.set_viewport_size({"width": width, "height": height})
        for name, route in screens:
            tablet.go(route)
            tablet.settle()
            tablet.page.screenshot(path=str(folder / f"{name}-{size}.png"), full_page=True)
            found = tablet.page.evaluate(LAYOUT_PROBLEMS)
            if found:
                problems[f"{name}@{size}"] = found
    return problems


def test_main_screens_fit_tablets_and_phones(new_context, live_server, screenshots):
    visit, sample, enterprise_id = sampling_visit_from_another_tablet(live_server)
    sampler = FieldTablet(new_context(), live_server).login("lh_sampler")
    problems = shoot(sampler, screenshots, [
        ("home", "#/home"), ("enterprise-search", "#/enterprises"), ("enterprise", f"#/enterprise/{enterprise_id}"),
        ("sampling-visit", f"#/visit/{visit}/header"), ("sampling-samples", f"#/visit/{visit}/samples"),
        ("sample", f"#/visit/{visit}/sample/{sample}"),
        ("evaluation", f"#/visit/{visit}/evaluation"), ("sync-state", "#/sync")])
    sampler.go(f"#/visit/{visit}/evaluation")
    assert sampler.page.locator("[data-verdict=nonconform]").count() >= 1

    # The same app in English, for a colleague who reads it better.
    sampler.page.set_viewport_size({"width": 1280, "height": 800})
    sampler.go("#/sync")
    with sampler.page.expect_navigation():
        sampler.page.get_by_role("button", name="English").click()
    wait_until(sampler.page, "document.documentElement.dataset.route === '#/sync'")
    assert sampler.page.inner_text("#screen-title") == "Sync and storage"
    sampler.go(f"#/visit/{visit}/evaluation")
    assert "Does not conform" in sampler.page.inner_text("[data-testid=evaluation]")
    sampler.page.screenshot(path=str(screenshots / "evaluation-english-tablet-landscape.png"), full_page=True)

    assistant = FieldTablet(new_context(), live_server).login("lh_assistant")
    assistant.page.click("[data-flow=assistance]")
    assistant.page.locator("[data-enterprise]").first.click()
    assistant.page.wait_for_selector("[data-field=declaration_status]")
    assistant.choose("declaration_status", "partly_done")
    record = assistant.page.evaluate("location.hash")
    problems.update(shoot(assistant, screenshots, [("assistance", record)]))

    nurse = FieldTablet(new_context(), live_server).login("lh_followup")
    nurse.page.click("[data-flow=followup]")
    nurse.page.wait_for_selector("[data-field=case_no]")
    nurse.choose("vital_status", "alive")
    problems.update(shoot(nurse, screenshots, [("followup", nurse.page.evaluate("location.hash"))]))

    assert problems == {}
    assert not (sampler.errors or assistant.errors or nurse.errors)
