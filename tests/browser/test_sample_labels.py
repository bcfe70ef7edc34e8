"""Sample labels for a visit with four field samples and a blank: the server's PDF while online (one 50×30 label
per sample), and with no signal a printable preview drawn on the tablet whose QR codes carry the same payload
a laboratory scanner reads ({"s": sample code, "r": record id}). The escort signs and the sampler issues the
采样记录单."""
import json
import subprocess

import pytest
from playwright.sync_api import expect

from tests.support import enterprise_in
from tests.sync.tablets import Tablet, sample_fields, visit_fields

from .enforcement import issue
from .tablet import FieldTablet

pytestmark = pytest.mark.browser

CODES = ["LH-2026-031-01", "LH-2026-031-02", "LH-2026-031-03", "LH-2026-031-04", "LH-2026-031-B01"]


def visit_with_samples(live_server):
    """Recorded on the sampler's other tablet and synced: four field samples and one blank."""
    tablet = Tablet(live_server.api("lh_sampler"))
    with live_server.app.app_context():
        enterprise_id = enterprise_in("临河区").id
    visit = tablet.create("sampling_visit", visit_fields(enterprise_id, production_status="正常生产", sampler_1_name="王海燕",
                                                          sampler_2_name="李明", checker_name="周审核", escort_name="马晓东",
                                                          method_standards=["gbz_159_2004"]))
    samples = {}
    for code in CODES[:4]:
        samples[code] = tablet.create("sample", sample_fields(code), parent=visit)
    samples[CODES[4]] = tablet.create("sample", {"sample_code": CODES[4], "sample_type": "blank", "hazard_key": "benzene",
                                                 "collector": "activated_carbon_tube"}, parent=visit)
    body = tablet.push()
    assert all(r["status"] == "applied" for r in body["results"]), body
    return visit, samples


def pdf_pages_text(path):
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return pages, text


def test_labels_online_as_pdf_and_offline_as_a_printable_preview(context, live_server, tmp_path):
    visit, samples = visit_with_samples(live_server)
    tablet = FieldTablet(context, live_server).login("lh_sampler")
    page = tablet.page
    tablet.go(f"#/visit/{visit}/print")

    with page.expect_download() as download:
        page.click("[data-testid=labels-pdf-thermal]")
    path = tmp_path / "labels.pdf"
    download.value.save_as(path)
    pages, text = pdf_pages_text(path)
    assert pages == 5 and all(code in text for code in CODES)

    # The escort signs; the sampler issues the sampling record sheet online: the server numbers it after the
    # ten numbers this tablet reserved at login for offline use.
    tablet.go(f"#/visit/{visit}/header")
    tablet.sign("escort_signature")
    tablet.go(f"#/visit/{visit}/print")
    assert "已签发，编号 2026—001" in issue(tablet, "sampling_record_sheet")
    expect(page.locator("[data-issue=sampling_record_sheet] [data-number='2026—001']")).to_be_visible()
    # The sync run that issuing started ends with a redraw of the screen; the offline part starts after it.
    tablet.wait_synced()

    context.set_offline(True)
    tablet.go(f"#/visit/{visit}/print")
    page.click("[data-testid=labels-preview]")
    labels = page.locator("[data-testid=label-sheet] .label")
    expect(labels).to_have_count(5)
    payloads = [json.loads(p) for p in labels.locator("img.qr").evaluate_all("(imgs) => imgs.map((i) => i.dataset.payload)")]
    assert payloads == [{"s": code, "r": samples[code]} for code in CODES]

    # What a scanner reads off the screen is that payload.
    shot = tmp_path / "label.png"
    labels.nth(0).locator("img.qr").screenshot(path=str(shot))
    scanned = subprocess.run(["zbarimg", "--quiet", "--raw", str(shot)], check=True, capture_output=True, text=True).stdout
    assert json.loads(scanned.strip()) == {"s": CODES[0], "r": samples[CODES[0]]}
    assert scanned.strip() == labels.nth(0).locator("img.qr").get_attribute("data-payload")
    assert tablet.errors == []
