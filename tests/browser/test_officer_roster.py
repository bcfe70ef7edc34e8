"""People, not numbers. In a factory with no signal an inspector names the second officer by picking a colleague
from the agency's roster (name and 执法证号, as the last sync brought it), the preview prints both 执法证号, the
party refuses to sign and a witness signs instead; the notice is issued offline. Back online the official PDF
names both officers with their 执法证号 and shows the witness; a re-inspection of it starts with the same two
officers chosen."""
import re
import subprocess

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from server.extensions import db
from server.models import Record
from tests.support import user

from .enforcement import answer, issue, step
from .tablet import FieldTablet, camera_jpeg, wait_until

pytestmark = pytest.mark.browser

WITNESS = "赵建平（园区管委会工作人员）"


def officer_label(person):
    return f"{person.display_name}（执法证号：{person.enforcement_cert_no}）"


def pdf_text(data, tmp_path):
    path = tmp_path / "notice.pdf"
    path.write_bytes(data)
    return re.sub(r"\s+", "", subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                                             text=True).stdout)


def test_offline_the_second_officer_is_picked_by_name_and_a_witness_signs_the_refusal(context, new_context, live_server,
                                                                                      tmp_path):
    with live_server.app.app_context():
        me, partner, elsewhere = user("lh_inspector"), user("lh_inspector2"), user("dg_inspector")
    tablet = FieldTablet(context, live_server).login("lh_inspector")  # the sync at login brings the roster
    page = tablet.page
    # At the office the inspection is opened (the tablet reserves numbers for open work at the next sync) …
    page.click("[data-flow=inspection]")
    page.fill("[data-testid=enterprise-search]", "鑫源化工")
    page.locator("[data-enterprise]").first.click()
    page.wait_for_selector("[data-field=place]")
    inspection_id = page.evaluate("location.hash.split('/')[2]")
    tablet.sync()

    # … and filled in at the factory, with no signal: the app starts from the service worker.
    context.set_offline(True)
    page.reload()
    page.wait_for_selector("[data-field=officer_2_id] select")
    wait_until(page, "document.querySelector('[data-testid=sync-state]').textContent.includes('离线')")

    # Officer 1 is the inspector, officer 2 is chosen from the roster by name: no box to type a number in.
    first, second = (tablet.field(f"officer_{n}_id").locator("select") for n in (1, 2))
    expect(first.locator("option:checked")).to_have_text(officer_label(me))
    expect(second.locator("option:checked")).to_have_text("请选择执法人员")
    choices = second.locator("option").all_inner_texts()
    assert officer_label(partner) in choices and not any(elsewhere.display_name in c for c in choices)
    assert page.locator("[data-field^=officer_] input").count() == 0
    assert page.locator("[data-field=officer_1_name], [data-field=officer_2_name]").count() == 0
    assert not re.search(rf"\b{partner.id}\b", page.inner_text("[data-section=officers]"))
    second.select_option(label=officer_label(partner))
    wait_until(page, """([id, name]) => import('/static/js/db.js').then((db) => db.getRecord(id))
        .then((r) => r.data.officer_2_name === name)""", arg=[inspection_id, partner.display_name])
    tablet.fill("start_time", "09:30")
    tablet.fill("end_time", "11:10")

    step(tablet, "checklist")
    answer(tablet, "warning_signs", "nonconform", "喷漆车间入口未设置警示标识和中文警示说明")
    step(tablet, "findings")
    page.locator("[data-finding]").first.click()
    page.wait_for_selector("[data-field=fact]")
    tablet.photograph("photos", camera_jpeg(seed=31))
    page.click("[data-testid=child-back]")
    page.wait_for_selector("[data-finding]")

    # The party refuses to sign: the witness is named and signs on the pad like the officers.
    step(tablet, "sign")
    tablet.fill("party_rep_name", "马晓东")
    tablet.fill("party_rep_title", "安全环保部经理")
    expect(tablet.field("witness_signature")).to_be_hidden()
    tablet.choose("refused_to_sign", "true")
    expect(tablet.field("witness_signature")).to_be_visible()
    tablet.fill("witness_name", WITNESS)
    for field in ("officer_1_signature", "officer_2_signature", "witness_signature"):
        tablet.sign(field)

    # The preview prints both officers with their 执法证号, and the witness with the signature.
    step(tablet, "notice")
    opinion = page.locator(".paper[data-doc=supervision_opinion]")
    for person in (me, partner):
        expect(opinion).to_contain_text(officer_label(person))
    expect(opinion).to_contain_text("被监督人拒绝签名")
    witness = opinion.locator("[data-testid=preview-witness]")
    expect(witness).to_contain_text(f"见证人：{WITNESS}")
    expect(witness.locator("img.sig")).to_have_count(1)
    page.click("[data-preview=onsite_record]")
    record = page.locator(".paper[data-doc=onsite_record]")
    for person in (me, partner):
        expect(record).to_contain_text(f"{person.display_name}　执法证件号：{person.enforcement_cert_no}")
    expect(record.locator("[data-testid=preview-witness] img.sig")).to_have_count(1)

    step(tablet, "issue")
    assert "已离线签发，编号" in issue(tablet, "supervision_opinion")

    context.set_offline(False)
    tablet.sync()
    with live_server.app.app_context():
        rows = db.session.scalars(sa.select(Record).where(Record.root_id == inspection_id)).all()
        root = next(r for r in rows if r.entity == "inspection")
        assert (root.data["officer_2_id"], root.data["officer_2_name"]) == (str(partner.id), partner.display_name)
        assert root.locked_reason == "document"
        assert [r.data["field"] for r in rows if r.entity == "attachment" and r.parent_id == root.id
                and r.data["field"] == "witness_signature"] == ["witness_signature"]
    inspector = live_server.api("lh_inspector")
    documents = inspector.get(f"/api/documents?record_id={inspection_id}").get_json()["items"]
    notice = next(d for d in documents if d["doc_type"] == "supervision_opinion")
    response = inspector.get(f"/api/documents/{notice['id']}/pdf")
    text = pdf_text(response.data, tmp_path)
    response.close()
    for person in (me, partner):
        assert person.display_name in text and person.enforcement_cert_no in text
    assert f"见证人：{WITNESS}" in text

    # Weeks later the same two officers re-inspect: the re-inspection starts with them chosen (and can change them).
    tablet.go(f"#/enterprise/{root.enterprise_id}")
    page.click(f"[data-notice='{notice['id']}'] [data-testid=start-reinspection]")
    page.wait_for_selector(".rein-item")
    page.click(".steps [data-step=info]")
    page.wait_for_selector("[data-field=officer_2_id] select")
    expect(tablet.field("officer_1_id").locator("option:checked")).to_have_text(officer_label(me))
    expect(tablet.field("officer_2_id").locator("option:checked")).to_have_text(officer_label(partner))
    expect(tablet.field("officer_2_id").locator("select")).to_be_enabled()
    assert tablet.errors == []

    # The reviewer reads the officers by name too.
    desk = FieldTablet(new_context(), live_server).login("lh_supervisor")
    desk.go(f"#/review/record/{inspection_id}")
    answer_2 = desk.page.locator("[data-testid=record-answers] [data-answer=officer_2_id]")
    expect(answer_2).to_contain_text(partner.display_name)
    assert not re.search(rf"(?<![0-9]){partner.id}(?![0-9])", answer_2.inner_text())
    expect(desk.page.locator("[data-testid=record-answers] [data-answer=officer_2_name]")).to_have_count(0)
    assert desk.errors == []
