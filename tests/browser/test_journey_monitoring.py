"""The monitoring chain end to end, as a district works it: 王海燕 records a visit in a factory with no signal
(benzene on a carbon tube, a dust filter, a blank, three noise periods of one worker), previews the labels, and,
back on the network, issues the 检测现场反馈 and hands the samples over from the tablet; 韩雪梅 in the laboratory
receives them by their label codes and enters the results; the evaluation judges the worker's noise once and each
post's C_TWA; the CDC's 科长 approves, issues the 检测报告 and records the entry into the national system; the
national export carries the rows in Chinese and the "entered within a month" figure moves."""
import io
import time

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from .enforcement import issue
from .office import at_desk
from .tablet import FieldTablet, wait_until
from .test_laboratory import assert_readable, draw_signature
from .test_offline_evaluation import _period
from .test_sampling_offline import fill_first_sample

pytestmark = pytest.mark.browser
BENZENE, BLANK, DUST = "LH-0408-001", "LH-0408-002", "LH-0408-003"
METHOD = {"instrument": "GC-2014 气相色谱仪", "analyst": "韩雪梅", "analysis_date": "2026-11-20"}  # sampled today


def _record_offline(tablet, context):
    visit = tablet.start_visit_offline(context, "鑫源化工")
    tablet.fill("task_no", "LH-2026-031")
    tablet.choose("monitoring_category", "periodic")
    tablet.fill("temperature_c", "22")
    tablet.fill("pressure_kpa", "101.3")
    tablet.fill("production_status", "正常生产，负荷约90%")
    tablet.toggle("method_standards", "gbz_159_2004")
    tablet.fill("sampler_2_name", "李明")
    tablet.fill("checker_name", "赵丽")
    tablet.fill("escort_name", "马晓东")
    tablet.sign("escort_signature")

    tablet.page.click("[data-step=samples]")
    tablet.page.click("[data-testid=add-sample]")
    tablet.page.wait_for_selector("[data-field=hazard_key]")
    tablet.fill("sample_code", BENZENE)
    fill_first_sample(tablet)
    tablet.set_datetime("start_time", "2026-04-08", "08:00")
    tablet.set_datetime("end_time", "2026-04-08", "12:00")
    tablet.page.click("[data-testid=child-back]")
    tablet.page.click("[data-testid=add-blank]")
    tablet.page.wait_for_selector("[data-field=sample_code]")
    tablet.fill("sample_code", BLANK)
    tablet.page.click("[data-testid=child-back]")
    tablet.page.click("[data-testid=add-sample]")
    tablet.page.wait_for_selector("[data-field=hazard_key]")
    tablet.fill("sample_code", DUST)
    tablet.pick("hazard_key", "水泥", "cement_dust")
    tablet.fill("workshop", "涂装车间")
    tablet.fill("post", "喷漆工")
    tablet.fill("sampling_point", "喷漆房 张三")
    tablet.choose("sampling_mode", "personal")
    tablet.choose("duration_type", "long_time")
    tablet.choose("limit_type", "pc_twa")
    tablet.choose("collector", "filter_membrane")
    tablet.fill("sampler_id", "DUST-3")
    tablet.fill("exposure_hours_per_day", "8")
    tablet.fill("flow_before_l_min", "2.0")
    tablet.fill("flow_after_l_min", "2.0")
    tablet.set_datetime("start_time", "2026-04-08", "08:00")
    tablet.set_datetime("end_time", "2026-04-08", "12:00")
    tablet.choose("dust_fraction", "total")
    tablet.fill("filter_id", "F-2231")
    tablet.fill("filter_mass_before_mg", "35.120")
    tablet.page.click("[data-testid=child-back]")
    expect(tablet.page.locator("[data-sample]")).to_have_count(3)

    tablet.go(f"#/visit/{visit}/noise")
    for point, level, hours in (("1号喷漆房", 93, 4), ("调漆间", 86, 2), ("休息室", 68, 2)):
        _period(tablet, point, level, hours)

    # The labels, offline: a printable preview with one QR code per sample.
    tablet.go(f"#/visit/{visit}/print")
    tablet.page.click("[data-testid=labels-preview]")
    expect(tablet.page.locator("[data-testid=label-sheet] .label")).to_have_count(3)
    return visit


def _finished_export(caller, job_id):
    for _ in range(200):
        state = caller.get(f"/api/exports/{job_id}").get_json()
        if state["status"] in ("done", "failed"):
            return state
        time.sleep(0.05)
    raise AssertionError("export did not finish")


def test_a_monitoring_task_from_the_factory_to_the_national_system(context, new_context, live_server):
    tablet = FieldTablet(context, live_server).login("lh_sampler")
    visit = _record_offline(tablet, context)

    # Back on the network: sync, issue the on-site feedback (it hands the visit in), hand the samples over.
    context.set_offline(False)
    tablet.sync()
    tablet.go(f"#/visit/{visit}/print")
    assert "已签发" in issue(tablet, "sampling_feedback")
    tablet.go(f"#/visit/{visit}/handover")
    form = tablet.page.locator("[data-testid=handover-form]")
    expect(form.locator("[data-sample]")).to_have_count(3)
    tablet.page.click("[data-testid=handover-sign]")
    draw_signature(tablet.page)
    expect(tablet.page.locator("[data-testid=handover-signed]")).to_have_text("已签名", timeout=20000)  # uploaded
    tablet.page.click("[data-testid=handover-submit]")
    expect(tablet.page.locator("[data-testid=handover]")).to_contain_text("待实验室接收")

    # The laboratory receives the samples by their codes and enters the results.
    lab = at_desk(new_context(), live_server, "lh_lab")
    page = lab.page
    page.click(f"[data-testid=lab-list] [data-visit='{visit}']")
    scan = page.locator("[data-testid=scan-input]")
    for code in (BENZENE, BLANK, DUST):
        scan.fill(code)
        scan.press("Enter")
    page.click("[data-testid=receive-submit]")
    screen = page.locator("[data-testid=lab-visit]")
    expect(screen.locator("[data-testid=receipt-missing]")).to_have_attribute("data-n", "0")
    results = {
        BENZENE: ("mass", {**METHOD, "method_standard": "GBZ/T 300.66-2017", "mass_ug": "86.4", "lod": "0.5"}),
        BLANK: ("mass", {**METHOD, "method_standard": "GBZ/T 300.66-2017", "below_lod": True, "lod": "0.5"}),
        DUST: ("weighing", {**METHOD, "method_standard": "GBZ/T 192.1-2007", "instrument": "XS205 电子天平",
                            "filter_pre_mg": "35.120", "filter_post_mg": "35.470", "balance_id": "XS205-2"}),
    }
    for done, (code, (kind, values)) in enumerate(results.items(), start=1):
        form = screen.locator(f"[data-testid=result-form][data-sample='{code}']")
        form.locator("[data-testid=result-kind]").select_option(kind)
        for name, value in values.items():
            if value is True:
                form.locator(f"[name={name}]").check()
            else:
                form.locator(f"[name={name}]").fill(value)
        form.locator("[data-testid=result-save]").click()
        expect(form.locator("[data-testid=result-status]")).to_have_text("已保存（第 1 版）")
        expect(screen.locator("[data-testid=lab-entered]")).to_have_text(f"已录入 {done} / 3")
    expect(screen.locator("[data-testid=lifecycle]")).to_have_attribute("data-state", "review")
    assert_readable(screen.inner_text())

    # The CDC's 科长 reviews the evaluated visit: one noise verdict for the worker, a C_TWA per post.
    desk = at_desk(new_context(), live_server, "lh_cdc_supervisor")
    desk.go(f"#/review/record/{visit}")
    view = desk.page.locator("[data-testid=evaluation]")
    expect(view.locator("[data-noise]")).to_have_count(1)
    expect(view.locator("[data-noise]")).to_contain_text("L_EX,8h 90.4 dB(A)")
    expect(view.locator("[data-hazard=benzene]")).to_contain_text("C_TWA")
    expect(view.locator("[data-hazard=cement_dust]")).to_contain_text("C_TWA")
    expect(desk.page.locator("[data-testid=lifecycle]")).to_have_attribute("data-state", "review")
    desk.page.click("[data-testid=approve]")
    expect(desk.page.locator("[data-testid=record-status] [data-state]")).to_have_attribute("data-state", "approved")

    # The 检测报告, then the day the results went into the national system.
    api = live_server.api("lh_cdc_supervisor")
    before = api.get("/api/kpis?date_from=2026-11-01&date_to=2026-11-30").get_json()["sampling"]
    desk.go(f"#/lab/{visit}")
    desk.page.click("[data-testid=report-issue]")
    expect(desk.page.locator("[data-testid=report-number]")).to_contain_text("已出具 2026—001")
    lifecycle = desk.page.locator("[data-testid=lab-visit] [data-testid=lifecycle]")
    expect(lifecycle).to_have_attribute("data-state", "reported")
    panel = desk.page.locator("[data-testid=national-panel]")
    panel.locator("[data-testid=national-date]").fill("2026-11-20")
    panel.locator("[data-testid=national-submit]").click()
    expect(lifecycle).to_have_attribute("data-state", "entered")
    after = api.get("/api/kpis?date_from=2026-11-01&date_to=2026-11-30").get_json()["sampling"]
    assert (before["entered"], after["entered"]) == (0, 1)
    assert after["entry_days_median"] == 0 and after["entered_within_month_pct"] == 100.0

    # The national export: the chemical, dust and noise rows, in Chinese.
    job = api.post("/api/exports", json={"kind": "national", "format": "xlsx"}).get_json()
    assert _finished_export(api, job["id"])["status"] == "done"
    response = api.get(f"/api/exports/{job['id']}/file")
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    response.close()
    rows = list(book["监测结果"].iter_rows(values_only=True))
    header = rows[0]
    found = {row[header.index("职业病危害因素名称")]: row[header.index("判定结果")] for row in rows[2:]}
    # Benzene: 86.4 µg in 48 L × 293/295 = 47.7 L → 1.81 mg/m³ over 4 h of an 8 h exposure: 符合 (PC-TWA 3).
    # Noise: 10·lg[(4·10^9.3 + 2·10^8.6 + 2·10^6.8)/8] = 90.4 dB(A) > 85: 不符合.
    assert found == {"苯": "符合", "水泥粉尘（游离SiO₂含量<10%）": "符合", "噪声": "不符合"}, found
    # A correction after the report: the laboratory's change waits; the 科长 issues the 更正, which applies it.
    lab.go("#/lab")
    lab.go(f"#/lab/{visit}")
    card = lab.page.locator(f"[data-testid=lab-sample][data-code='{BENZENE}']")
    expect(card.locator("[data-testid=result-locked]")).to_contain_text("修改将作为更正")
    card.locator("[name=mass_ug]").fill("80.0")
    card.locator("[data-testid=result-save]").click()
    lab.go("#/lab")
    lab.go(f"#/lab/{visit}")
    expect(card.locator("[data-testid=result-locked]")).to_contain_text("已记录更正")
    desk.go("#/lab")
    desk.go(f"#/lab/{visit}")
    desk.page.click("[data-testid=report-amend]")
    expect(desk.page.locator("[data-testid=report-number]")).to_contain_text("已出具 2026—002")
    expect(desk.page.locator("[data-testid=report-corrections]")).to_have_count(0)
    assert tablet.errors == [] and lab.errors == [] and desk.errors == []
