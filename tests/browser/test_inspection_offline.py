"""An inspector logs in at the office (the tablet reserves document numbers), then inspects an enterprise of
the 双随机 draw in a factory with no signal: checklist, three findings with photo evidence, the preview of the
卫生监督意见书, three signatures, and issues the notice and the on-site record with reserved numbers. Back
online, the sync brings the official PDFs with the same numbers."""
import hashlib
import subprocess

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from server.extensions import db
from server.models import Record

from .enforcement import answer, draw_assignments, issue, step
from .tablet import FieldTablet, camera_jpeg, wait_until

pytestmark = pytest.mark.browser

NONCONFORM = {
    "org_management": "未设置职业卫生管理机构，也未配备职业卫生管理人员",
    "warning_signs": "苯储罐区及喷漆车间入口未设置警示标识和中文警示说明",
    "health_exam_noise": "未组织接触噪声作业的12名劳动者进行在岗期间职业健康检查",
}


def pdf_text(data, tmp_path):
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_notice_issued_offline_with_a_reserved_number_becomes_the_official_pdf(context, live_server, tmp_path):
    draw_assignments(live_server)
    tablet = FieldTablet(context, live_server).login("lh_inspector")
    page = tablet.page

    # In the factory: no signal; the app starts from the service worker with today's assignments.
    context.set_offline(True)
    offline_from = live_server.mark()
    page.reload()
    tablet.wait_home()
    wait_until(page, "document.querySelector('[data-testid=sync-state]').textContent.includes('离线')")
    assignment = page.locator("[data-testid=home-assignments] [data-assignment]", has_text="青川鑫源化工有限公司")
    assignment.locator("[data-testid=assignment-start]").click()
    page.wait_for_selector("[data-field=place]")
    inspection_id = page.evaluate("location.hash.split('/')[2]")
    expect(tablet.field("officer_2_id").locator("option:checked")).to_contain_text("刘洋（执法证号：")  # the draw's pair
    tablet.fill("start_time", "09:30")
    tablet.fill("end_time", "11:10")

    step(tablet, "checklist")
    for key, note in NONCONFORM.items():
        answer(tablet, key, "nonconform", note)
    for key in ("prevention_plan", "rules_procedures", "training"):
        answer(tablet, key, "conform")
    answer(tablet, "hygiene_archive", "corrected_on_site", "职业卫生档案缺2025年检测报告，现场已补齐归档")
    expect(page.locator("[data-testid=checklist-progress]")).to_contain_text("不符合 3 项")

    # Each nonconformity made a finding with its legal basis; the inspector adds the photo evidence.
    step(tablet, "findings")
    findings = page.locator("[data-finding]")
    expect(findings).to_have_count(3)
    photos = [camera_jpeg(seed=11), camera_jpeg(seed=12)]
    for index, photo in enumerate([photos[0], photos[1], photos[0]]):
        page.locator("[data-finding]").nth(index).click()
        page.wait_for_selector("[data-field=fact]")
        if index == 0:
            expect(tablet.field("violated_article").locator("input")).to_have_value(
                "《中华人民共和国职业病防治法》第二十条第（一）项")
            expect(tablet.field("deadline_days").locator("input")).to_have_value("30")
            tablet.fill("deadline_days", "20")  # the inspector shortens the deadline
        tablet.photograph("photos", photo)
        page.click("[data-testid=child-back]")
        page.wait_for_selector("[data-finding]")

    step(tablet, "sign")
    tablet.fill("party_rep_name", "马晓东")
    tablet.fill("party_rep_title", "安全环保部经理")
    tablet.choose("refused_to_sign", "false")
    for field in ("officer_1_signature", "officer_2_signature", "party_signature"):
        tablet.sign(field)

    # The preview reads as the notice will: each finding with its article, basis and deadline.
    step(tablet, "notice")
    preview = page.locator(".paper[data-doc=supervision_opinion]")
    text = preview.inner_text()
    assert "预览，非正式文书" in text and "经查，你单位存在以下问题：" in text
    assert ("1. 未设置职业卫生管理机构，也未配备职业卫生管理人员，违反了《中华人民共和国职业病防治法》第二十条第（一）项的规定。"
            "依据《中华人民共和国职业病防治法》第七十条第（二）项的规定，责令你单位于") in text
    assert text.count("违反了") == 3

    # Issued offline with the numbers reserved at login; the preview prints that number.
    step(tablet, "issue")
    expect(page.locator("[data-testid=numbers-left-supervision_opinion]")).to_have_text("本机预留编号 3 个")
    message = issue(tablet, "supervision_opinion")
    assert "已离线签发，编号 2026—001" in message
    expect(page.locator(".paper[data-doc=supervision_opinion] [data-testid=preview-number]")).to_have_text("编号：2026—001")
    page.click("[data-preview=onsite_record]")
    assert "现场检查情况" in page.locator(".paper[data-doc=onsite_record]").inner_text()
    assert "已离线签发，编号 2026—001" in issue(tablet, "onsite_record")
    expect(page.locator("[data-issue] [data-status=pending]")).to_have_count(2)
    stored = tablet.stored_photos()
    assert len(stored) == 5  # two photo images (one used twice) and three signatures
    assert [p for p in live_server.requests[offline_from:] if p != "/sw.js"] == []

    context.set_offline(False)
    tablet.sync()

    with live_server.app.app_context():
        rows = db.session.scalars(sa.select(Record).where(Record.root_id == inspection_id)).all()
        kinds = sorted(r.entity for r in rows if not r.deleted)
        assert kinds.count("finding") == 3 and kinds.count("checklist_result") == 7
        assert kinds.count("rectification_item") == 3 and kinds.count("attachment") == 6
        root = next(r for r in rows if r.entity == "inspection")
        assert root.locked_reason == "document" and root.data["officer_2_name"] == "刘洋"
    inspector = live_server.api("lh_inspector")
    for sha, original in stored.items():
        response = inspector.get(f"/api/blobs/{sha}?variant=original")
        assert response.status_code == 200 and response.data == original
        assert hashlib.sha256(response.data).hexdigest() == sha
        response.close()
    documents = inspector.get(f"/api/documents?record_id={inspection_id}").get_json()["items"]
    assert sorted((d["doc_type"], d["number"], d["offline"]) for d in documents) == [
        ("onsite_record", "2026—001", True), ("supervision_opinion", "2026—001", True)]
    opinion = next(d for d in documents if d["doc_type"] == "supervision_opinion")
    response = inspector.get(f"/api/documents/{opinion['id']}/pdf")
    text = pdf_text(response.data, tmp_path)
    response.close()
    assert "2026—001" in text and "青川鑫源化工有限公司" in text

    # The tablet kept the official PDF (for showing it offline) and shows the document as valid.
    row = page.locator(f"[data-document='{opinion['id']}']")
    expect(row.locator("[data-status=valid]")).to_be_visible()
    expect(row).to_contain_text("PDF 已保存在本机")
    kept = page.evaluate("(id) => import('/static/js/db.js').then((db) => db.getPdf(id)).then((p) => p && p.bytes.byteLength)",
                         opinion["id"])
    assert kept and kept > 10_000
    assert tablet.errors == []
