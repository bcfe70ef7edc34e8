"""The monitoring chain after the site, in the browser: the sampler hands a visit's samples to the laboratory from the
tablet (condition per sample, signature); the laboratory's 韩雪梅 at her desk finds the visit in her work list,
receives it by typing the label codes as a hand scanner does (one code is not on the list; two samples never came),
enters a weighing that the server refuses — the post-sampling mass below the pre-sampling one, then a figure with a
thousands separator, each reason next to its field — and then a valid one, and sees the results entered grow; a
blank above its detection limit is saved only once she confirms it, and the QC flags its batch."""
import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.support import enterprise_in, upload_blob, user
from tests.sync.tablets import HANDED_IN_VISIT, Tablet, hand_in_visit, sample_fields, visit_fields

from .office import at_desk, shoot, signature_png
from .tablet import TIMEOUT, FieldTablet, wait_until

pytestmark = pytest.mark.browser

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Keys a person never reads: states, result kinds, field names, conditions.
KEYS = ("handed_over", "laboratory", "weighing", "filter_post_mg", "mass_ug", "intact", "confirm_blank", "below_lod")
BENZENE, DUST, BLANK, STRAY = "LH-0408-001", "LH-0408-002", "LH-0408-003", "LH-0408-999"
METHOD = {"method_standard": "GBZ/T 192.1-2007", "instrument": "XS205 电子天平", "analyst": "韩雪梅",
          "analysis_date": "2026-04-10"}


def sampled_visit(live_server, hand_in=False):
    """A visit recorded on the sampler's tablet and synced: benzene on a carbon tube, a dust filter, a benzene blank
    (signed and submitted for review with `hand_in`). Returns (the sampler's API caller, visit id, sample ids by code)."""
    caller = live_server.api("lh_sampler")
    tablet = Tablet(caller)
    with live_server.app.app_context():
        enterprise_id = enterprise_in("临河区").id
    visit = tablet.create("sampling_visit", visit_fields(enterprise_id, **HANDED_IN_VISIT))
    ids = {BENZENE: tablet.create("sample", sample_fields(BENZENE), parent=visit),
           DUST: tablet.create("sample", sample_fields(
               DUST, hazard_key="cement_dust", collector="filter_membrane", dust_fraction="total",
               flow_before_l_min=20.0, flow_after_l_min=20.0, filter_id="F-2231", filter_mass_before_mg=35.120,
               start_time="2026-04-08T09:00:00+08:00", end_time="2026-04-08T09:15:00+08:00",
               duration_type="short_time"), parent=visit),
           BLANK: tablet.create("sample", {"sample_code": BLANK, "sample_type": "blank", "hazard_key": "benzene",
                                           "collector": "activated_carbon_tube"}, parent=visit)}
    if hand_in:
        hand_in_visit(tablet, visit)
    assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
    return caller, visit, ids


def handed_over_visit(live_server, hand_in=False):
    """The visit above, handed to the laboratory by the sampler (signed). Returns (visit id, sample ids, handover)."""
    caller, visit, ids = sampled_visit(live_server, hand_in)
    signature = upload_blob(caller, signature_png(), "image/png")
    response = caller.post(f"/api/monitoring/visits/{visit}/handover", json={"conditions": {}, "signature": signature})
    assert response.status_code == 201, response.get_json()
    return visit, ids, response.get_json()


def monitoring(live_server, visit):
    return live_server.api("lh_lab").get(f"/api/monitoring/visits/{visit}").get_json()


def assert_readable(text):
    assert not UUID.search(text), text
    for key in KEYS:
        assert not re.search(rf"\b{key}\b", text), key


def test_the_laboratory_receives_by_code_and_enters_a_weighing(context, live_server, screenshots):
    visit, _ids, _handover = handed_over_visit(live_server)
    desk = at_desk(context, live_server, "lh_lab")
    page = desk.page

    # Her home is the work list: what was handed over and what is in the laboratory.
    expect(page.locator(".nav [data-nav=home]")).to_contain_text("检测任务")
    worklist = page.locator("[data-testid=lab-list]")
    expect(worklist).to_have_attribute("data-tab", "work")
    row = worklist.locator(f"[data-visit='{visit}']")
    expect(row).to_contain_text("LH-2026-031")
    expect(row.locator("[data-testid=lifecycle-badge]")).to_have_text("2/7 送检")
    expect(row.locator("[data-testid=lab-count]")).to_have_text("已录入 0 / 3")
    assert_readable(worklist.inner_text())
    row.click()

    screen = page.locator("[data-testid=lab-visit]")
    lifecycle = screen.locator("[data-testid=lifecycle]")
    expect(lifecycle).to_have_attribute("data-state", "handed_over")
    expect(lifecycle.locator("[aria-current=step]")).to_have_text("送检")
    handover = screen.locator("[data-testid=handover]")
    expect(handover).to_have_attribute("data-received", "false")
    expect(handover.locator("[data-testid=handover-items] [data-code]")).to_have_count(3)
    # The camera button is offered only where the browser reads QR codes itself.
    detector = page.evaluate("'BarcodeDetector' in window")
    expect(page.locator("[data-testid=scan-camera]")).to_have_count(1 if detector else 0)

    # A hand scanner types the code and presses Enter; a stray label's code is typed by hand.
    scan = page.locator("[data-testid=scan-input]")
    scan.press_sequentially(DUST)
    scan.press("Enter")
    expect(scan).to_have_value("")
    scan.fill(STRAY)
    scan.press("Enter")
    scan.fill(DUST)
    scan.press("Enter")  # scanned twice: listed once
    scanned = page.locator("[data-testid=scanned] [data-code]")
    expect(scanned).to_have_count(2)
    expect(page.locator("[data-testid=scan-note]")).to_contain_text(f"{DUST} 已扫描过")
    expect(scanned.nth(0)).to_have_attribute("data-listed", "true")
    expect(scanned.nth(1).locator(".warn")).to_have_text("不在交接清单中")
    expect(page.locator("[data-testid=scan-count]")).to_contain_text("已扫描清单内样品 1 / 3")
    scanned.nth(0).locator("[data-testid=scan-damaged]").check()
    page.click("[data-testid=receive-submit]")

    # What came and what did not, kept with the handover; missing and extra in red.
    receipt = screen.locator("[data-testid=receipt]")
    expect(receipt).to_be_visible()
    missing = receipt.locator("[data-testid=receipt-missing]")
    expect(missing).to_have_attribute("data-n", "2")
    expect(missing).to_contain_text("缺少 2")
    expect(missing.locator("[data-code]")).to_have_text([BENZENE, BLANK])
    expect(missing).to_have_class(re.compile(r"\bwarn\b"))
    extra = receipt.locator("[data-testid=receipt-extra]")
    expect(extra.locator("[data-code]")).to_have_text([STRAY])
    expect(extra).to_have_class(re.compile(r"\bwarn\b"))
    expect(receipt.locator("[data-testid=receipt-damaged] [data-code]")).to_have_text([DUST])
    expect(receipt.locator("[data-testid=receipt-received] [data-code]")).to_have_text([DUST])
    expect(lifecycle).to_have_attribute("data-state", "laboratory")
    with page.expect_download() as download:  # the 样品交接单 with both sides on it
        handover.locator("[data-testid=handover-pdf]").click()
    assert download.value.suggested_filename == "样品交接单-LH-2026-031.pdf"
    expect(screen.locator(f"[data-testid=lab-sample][data-code='{BENZENE}']")).to_have_attribute("data-stage", "missing")
    expect(screen.locator("[data-testid=result-form]")).to_have_count(1)  # only what was received gets a result
    expect(screen.locator(f"[data-testid=lab-sample][data-code='{DUST}'] [data-testid=sample-damaged]")).to_have_text(
        "实验室接收时破损")

    # The weighing of the dust filter: a post-sampling mass below the pre-sampling one is refused at its field.
    form = screen.locator(f"[data-testid=result-form][data-sample='{DUST}']")
    form.locator("[data-testid=result-kind]").select_option("weighing")
    expect(form.locator("[data-result-field=mass_ug]")).to_be_hidden()
    expect(form.locator("[data-result-field=lod] .field-label")).to_have_text("检出限（mg）")
    values = {**METHOD, "filter_pre_mg": "35.120", "filter_post_mg": "35.020", "balance_id": "XS205-2"}
    for name, value in values.items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("[data-testid=result-save]").click()
    post = form.locator("[data-result-field=filter_post_mg]")
    expect(post.locator("[data-testid=result-error]")).to_contain_text("低于采样前")
    expect(post).to_have_class(re.compile(r"\bhas-error\b"))
    expect(form.locator("[data-testid=result-status]")).to_have_text("尚未录入")

    # A figure that is not a number stays in its field, as typed, with the reason.
    form.locator("[name=filter_post_mg]").fill("35,470")
    form.locator("[data-testid=result-save]").click()
    expect(post.locator("[data-testid=result-error]")).to_contain_text("应为数字")
    expect(form.locator("[name=filter_post_mg]")).to_have_value("35,470")
    assert next(s for s in monitoring(live_server, visit)["samples"] if s["sample_code"] == DUST)["result"] is None

    # The right figure: saved as typed, and the count of results entered grows.
    form.locator("[name=filter_post_mg]").fill("35.470")
    form.locator("[data-testid=result-save]").click()
    expect(form.locator("[data-testid=result-status]")).to_have_text("已保存（第 1 版）")
    expect(post.locator("[data-testid=result-error]")).to_have_text("")
    expect(screen.locator("[data-testid=lab-entered]")).to_have_text("已录入 1 / 3")
    stored = next(s for s in monitoring(live_server, visit)["samples"] if s["sample_code"] == DUST)["result"]
    assert stored["filter_pre_mg"] == 35.12 and stored["filter_post_mg"] == 35.47, stored
    assert stored["balance_id"] == "XS205-2" and stored["analysis_date"] == "2026-04-10" and "mass_ug" not in stored
    assert_readable(screen.inner_text())
    problems = shoot(desk, screenshots, "lab-visit", phone=True)

    # The work list says so too.
    desk.go("#/lab?state=all")
    expect(page.locator(f"[data-visit='{visit}'] [data-testid=lab-count]")).to_have_text("已录入 1 / 3")
    problems.update(shoot(desk, screenshots, "lab-list", phone=True))
    assert problems == {}
    assert desk.errors == []


def test_a_blank_above_its_detection_limit_is_saved_once_confirmed(context, live_server):
    visit, _ids, handover = handed_over_visit(live_server)
    received = live_server.api("lh_lab").post(f"/api/monitoring/handovers/{handover['id']}/receipt",
                                              json={"codes": [BENZENE, DUST, BLANK]})
    assert received.status_code == 200, received.get_json()
    desk = at_desk(context, live_server, "lh_lab")
    page = desk.page
    desk.go(f"#/lab/{visit}")
    screen = page.locator("[data-testid=lab-visit]")
    form = screen.locator(f"[data-testid=result-form][data-sample='{BLANK}']")
    expect(form.locator("[data-testid=result-kind]")).to_have_value("mass")
    for name, value in {**METHOD, "method_standard": "GBZ/T 300.66-2017", "instrument": "GC-2014 气相色谱仪",
                        "mass_ug": "0.8", "lod": "0.5"}.items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("[data-testid=result-save]").click()
    dialog = page.locator("[data-testid=confirm-dialog]")
    expect(dialog).to_contain_text("空白样高于检出限")
    expect(dialog).to_contain_text("确认保存？")
    page.click("[data-testid=confirm-no]")  # not yet: nothing is stored
    expect(form.locator("[data-testid=result-status]")).to_have_text("尚未录入")
    assert next(s for s in monitoring(live_server, visit)["samples"] if s["sample_code"] == BLANK)["result"] is None

    form.locator("[data-testid=result-save]").click()
    page.click("[data-testid=confirm-yes]")
    expect(form.locator("[data-testid=result-status]")).to_have_text("已保存（第 1 版）")
    qc = screen.locator("[data-testid=lab-qc]")
    expect(qc.locator(f"[data-testid=qc-blank][data-code='{BLANK}']")).to_have_text(
        f"空白样 {BLANK}：测得 0.8 µg（检出限 0.5 µg），高于检出限")
    expect(qc.locator("[data-testid=qc-flagged]")).to_contain_text("苯")
    expect(screen.locator("[data-testid=lab-entered]")).to_have_text("已录入 1 / 3")
    stored = next(s for s in monitoring(live_server, visit)["samples"] if s["sample_code"] == BLANK)["result"]
    assert stored["mass_ug"] == 0.8 and stored["lod"] == 0.5 and "confirm_blank" not in stored
    assert desk.errors == []


def draw_signature(page):
    canvas = page.locator("[data-testid=signature-canvas][data-ready]")
    canvas.wait_for()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 0.1 * box["width"], box["y"] + 0.6 * box["height"])
    page.mouse.down()
    for x, y in ((0.3, 0.3), (0.5, 0.7), (0.8, 0.4)):
        page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"], steps=8)
    page.mouse.up()
    page.click("[data-testid=signature-done]:not([disabled])")


def test_the_sampler_hands_the_samples_over_from_the_tablet(context, live_server, screenshots):
    _caller, visit, _ids = sampled_visit(live_server)
    tablet = FieldTablet(context, live_server).login("lh_sampler")
    page = tablet.page
    tablet.go(f"#/visit/{visit}/handover")
    # The visit's step of the chain, read from the server while online.
    expect(page.locator("[data-testid=visit-lifecycle] [data-testid=lifecycle]")).to_have_attribute("data-state", "field")
    form = page.locator("[data-testid=handover-form]")
    expect(form.locator("[data-sample]")).to_have_count(3)
    form.locator(f"[data-sample='{BLANK}'] select").select_option(label="破损")
    page.click("[data-testid=handover-submit]")
    expect(form).to_contain_text("请先签名")
    page.click("[data-testid=handover-sign]")
    draw_signature(page)
    # The signature is uploaded at once (this step is online): as long as an upload takes, not a fixed 5 s.
    expect(page.locator("[data-testid=handover-signed]")).to_have_text("已签名", timeout=TIMEOUT)
    problems = shoot(tablet, screenshots, "visit-handover", phone=True)
    page.click("[data-testid=handover-submit]")

    card = page.locator("[data-testid=handover]")
    expect(card).to_have_attribute("data-received", "false")
    expect(card).to_contain_text("待实验室接收")
    expect(card.locator(f"[data-code='{BLANK}']")).to_have_text(f"{BLANK} · 破损")
    expect(page.locator("[data-testid=handover-form]")).to_have_count(0)  # one handover waits: no second one
    wait_until(page, "document.querySelector('[data-testid=visit-lifecycle] [data-testid=lifecycle]')?.dataset.state === 'handed_over'")
    body = monitoring(live_server, visit)
    assert body["state"]["key"] == "handed_over"
    [handover] = body["handovers"]
    assert {i["sample_code"]: i["condition"] for i in handover["items"]} == {BENZENE: "intact", DUST: "intact", BLANK: "damaged"}
    assert handover["handed_by_name"] and "待实验室接收" in card.inner_text()
    assert_readable(page.locator("[data-testid=handover-step]").inner_text())
    assert problems == {}
    assert tablet.errors == []


def test_the_cdc_supervisor_follows_the_chain_to_the_national_system(context, live_server):
    visit, ids, handover = handed_over_visit(live_server, hand_in=True)
    lab = live_server.api("lh_lab")
    assert lab.post(f"/api/monitoring/handovers/{handover['id']}/receipt",
                    json={"codes": [BENZENE, DUST, BLANK]}).status_code == 200
    for code, values in ((BENZENE, {"result_kind": "mass", "mass_ug": 86.4, "lod": 0.5}),
                         (DUST, {"result_kind": "weighing", "filter_pre_mg": 35.120, "filter_post_mg": 35.470,
                                 "balance_id": "XS205-2"})):
        saved = lab.put(f"/api/monitoring/samples/{ids[code]}/result", json={**METHOD, **values})
        assert saved.status_code == 200, saved.get_json()
    supervisor = live_server.api("lh_cdc_supervisor")
    approved = supervisor.post(f"/api/records/{visit}/review", json={"action": "approve"})
    assert approved.status_code == 200, approved.get_json()
    report = supervisor.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": visit,
                                                     "doc_type": "monitoring_report"})
    assert report.status_code == 201, report.get_json()
    with live_server.app.app_context():
        name = user("lh_cdc_supervisor").display_name

    desk = at_desk(context, live_server, "lh_cdc_supervisor")
    page = desk.page
    page.click("[data-tile=lab]")
    page.click("[data-testid=lab-list] [data-tab=reported]")
    page.click(f"[data-visit='{visit}']")
    screen = page.locator("[data-testid=lab-visit]")
    lifecycle = screen.locator("[data-testid=lifecycle]")
    expect(lifecycle).to_have_attribute("data-state", "reported")
    # The supervisor reads the results as typed; receiving and entering are the laboratory's.
    expect(screen.locator("[data-testid=receipt-panel]")).to_have_count(0)
    expect(screen.locator("[data-testid=result-form]")).to_have_count(0)
    expect(screen.locator(f"[data-testid=lab-sample][data-code='{DUST}'] [data-testid=result-values]")).to_contain_text("35.47")
    panel = screen.locator("[data-testid=national-panel]")
    panel.locator("[data-testid=national-date]").fill("2026-11-18")
    panel.locator("[data-testid=national-submit]").click()
    expect(lifecycle).to_have_attribute("data-state", "entered")
    expect(lifecycle.locator("[aria-current=step]")).to_have_text("已录入国家系统")
    expect(screen.locator("[data-testid=national-entry]")).to_have_text(f"2026-11-18 由 {name} 录入国家系统")
    expect(screen.locator("[data-testid=national-panel]")).to_have_count(0)
    assert_readable(screen.inner_text())
    assert desk.errors == []
