"""The documents handed over on site, from the records to the PDF, its QR code and the public check."""
import hashlib
import io
import uuid

import sqlalchemy as sa
from PIL import Image, ImageDraw

from server.clock import CHINA
from server.extensions import db
from server.models import Document, DocumentFile, Record
from tests.documents.pdf_tools import decode_qr, temp_pdf
from tests.issuing.inspections import complete_inspection, fake_sha
from tests.support import enterprise_in, login, upload_blob, user
from tests.sync.tablets import Tablet, sample_fields, visit_fields


def _png_signature(seed):
    image = Image.new("RGB", (600, 200), "white")
    draw = ImageDraw.Draw(image)
    for i in range(0, 560, 40):
        draw.line([(20 + i, 150 - (seed * 7 + i) % 90), (60 + i, 60 + (seed * 13 + i) % 90)], fill="black", width=5)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _photo(seed):
    image = Image.new("RGB", (1600, 1200), (seed * 40 % 255, 120, 90))
    ImageDraw.Draw(image).rectangle([200, 200, 1400, 1000], outline="yellow", width=30)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()




def _issued_opinion(client):
    inspector = login(client, "lh_inspector")
    signatures = {field: upload_blob(inspector, _png_signature(i), "image/png")
                  for i, field in enumerate(("officer_1_signature", "officer_2_signature", "party_signature"))}
    photo = upload_blob(inspector, _photo(1), "image/jpeg")
    tablet, inspection, _ = complete_inspection(client, inspector, signatures=signatures, photo_sha=photo)
    response = inspector.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": inspection,
                                                      "doc_type": "supervision_opinion"})
    assert response.status_code == 201, response.get_json()
    return inspector, tablet, inspection, response.get_json()


def _pdf(caller, document_id):
    with caller.get(f"/api/documents/{document_id}/pdf") as response:
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        return response.data


def test_the_opinion_pdf_reads_as_issued_and_its_qr_opens_the_verification_page(client, tmp_path):
    inspector, _, _, document = _issued_opinion(client)
    pdf = temp_pdf(_pdf(inspector, document["id"]))
    text = pdf.flat_text()
    enterprise = enterprise_in("临河区")
    for expected in ("卫生监督意见书", document["number"], enterprise.name, enterprise.credit_code,
                     user("lh_inspector").enforcement_cert_no, user("lh_inspector2").enforcement_cert_no,
                     "第三十五条第一款", "第七十一条第（四）项", "2026年5月8日", "本意见书一式两联"):
        assert expected in text, expected
    fonts = pdf.fonts()
    assert any("CJK" in f["name"] and "+" in f["name"] and f["emb"] == "yes" and f["sub"] == "yes" for f in fonts)
    assert 1 <= pdf.pages <= 4
    payloads = decode_qr(pdf.page_pngs(tmp_path / "opinion")[0])
    assert document["verify_url"] in payloads


def test_the_pdf_is_rendered_once_then_served_from_storage(client):
    inspector, _, _, document = _issued_opinion(client)
    first = _pdf(inspector, document["id"])
    again = _pdf(inspector, document["id"])
    assert first == again
    stored = db.session.get(DocumentFile, document["id"])
    assert stored.pdf_sha256 == hashlib.sha256(first).hexdigest() and stored.size == len(first)


def test_a_photo_without_its_own_time_is_captioned_with_the_china_time_it_reached_the_server(client):
    inspector, _, inspection, document = _issued_opinion(client)
    photo = db.session.scalars(sa.select(Record).where(Record.entity == "attachment", Record.root_id == inspection,
                                                       Record.data["field"].as_string() == "photos")).first()
    assert "captured_at" not in photo.data
    china = (photo.device_created_at or photo.created_at).astimezone(CHINA)
    text = temp_pdf(_pdf(inspector, document["id"])).flat_text()
    assert f"拍摄时间：{china.year}年{china.month}月{china.day}日{china.hour}时{china.minute:02d}分" in text


def test_the_public_page_shows_the_document_and_its_pdf_hash_but_nothing_private(client):
    inspector, _, _, document = _issued_opinion(client)
    pdf = _pdf(inspector, document["id"])
    page = client.get(document["verify_url"].split("://", 1)[1].split("/", 1)[1].join(["/", ""]))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert document["number"] in html and "有效" in html and hashlib.sha256(pdf).hexdigest() in html
    assert enterprise_in("临河区").name in html and "临河区卫生健康综合监督执法大队" in html
    for private in (user("lh_inspector").enforcement_cert_no, "马晓东", "未组织接触噪声作业"):
        assert private not in html
    assert client.get("/verify/not-a-real-token").status_code == 404


def test_an_amended_document_shows_as_amended_on_its_page_and_its_pdf(client):
    inspector, _, inspection, original = _issued_opinion(client)
    amendment = inspector.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": inspection,
                                                       "doc_type": "supervision_opinion", "amends_id": original["id"]})
    assert amendment.status_code == 201
    page = client.get("/verify/" + original["verify_url"].rsplit("/", 1)[1]).get_data(as_text=True)
    assert "已更正" in page and amendment.get_json()["number"] in page
    text = temp_pdf(_pdf(inspector, original["id"])).flat_text()
    assert "已更正" in text and amendment.get_json()["number"] in text
    assert "已更正" not in temp_pdf(_pdf(inspector, amendment.get_json()["id"])).flat_text()


def test_the_onsite_record_has_the_time_span_the_observations_and_the_party_statement(client):
    inspector = login(client, "lh_inspector")
    _, inspection, _ = complete_inspection(client, inspector)
    response = inspector.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": inspection,
                                                      "doc_type": "onsite_record"})
    assert response.status_code == 201, response.get_json()
    text = temp_pdf(_pdf(inspector, response.get_json()["id"])).flat_text()
    for expected in ("现场笔录", "2026年4月8日9时30分至11时10分", "生产车间及职业卫生档案室", "未设置警示标识和中文警示说明",
                     "以上笔录我已看过"):
        assert expected in text, expected


def _sampling_visit(client):
    tablet = Tablet(login(client, "lh_sampler"))
    visit = tablet.create("sampling_visit", visit_fields(
        enterprise_in("临河区").id, humidity_pct=55, method_standards=["gbz_159_2004"], production_status="正常生产",
        sampler_1_name="王海燕", sampler_2_name="李明", checker_name="赵丽", escort_name="马晓东"))
    for code, hazard in (("LH-0408-001", "benzene"), ("LH-0408-002", "toluene")):
        tablet.create("sample", sample_fields(code, hazard_key=hazard), parent=visit)
    tablet.create("sample", {"sample_code": "LH-0408-003", "sample_type": "blank", "hazard_key": "benzene",
                             "collector": "activated_carbon_tube"}, parent=visit)
    escort = upload_blob(tablet.caller, _png_signature(9), "image/png")
    tablet.create("attachment", {"field": "escort_signature", "sha256": escort, "mime": "image/png"}, parent=visit)
    assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
    return tablet, visit


def test_sampling_record_sheet_and_feedback_list_every_sample(client):
    tablet, visit = _sampling_visit(client)
    for doc_type, title in (("sampling_record_sheet", "采样记录单"), ("sampling_feedback", "检测现场反馈")):
        response = tablet.caller.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": visit,
                                                              "doc_type": doc_type})
        assert response.status_code == 201, response.get_json()
        text = temp_pdf(_pdf(tablet.caller, response.get_json()["id"])).flat_text()
        assert title in text and "LH-0408-001" in text and "LH-0408-002" in text and "苯" in text
    sheet_text = temp_pdf(_pdf(tablet.caller, response.get_json()["id"])).flat_text()
    assert "马晓东" in sheet_text


def test_sample_labels_carry_a_qr_with_the_code_and_the_record(client, tmp_path):
    tablet, visit = _sampling_visit(client)
    with tablet.caller.get(f"/api/records/{visit}/labels?layout=thermal_50x30") as response:
        assert response.status_code == 200
        pdf = temp_pdf(response.data)
    assert pdf.pages == 3
    assert "LH-0408-001" in pdf.flat_text(page=1)
    payload = decode_qr(pdf.page_pngs(tmp_path / "label", dpi=300)[0])
    samples = {v["data"]["sample_code"]: k for k, v in tablet.replica.items() if v["entity"] == "sample"}
    assert payload == [f'{{"s":"LH-0408-001","r":"{samples["LH-0408-001"]}"}}']
    with tablet.caller.get(f"/api/records/{visit}/labels?layout=a4_sheet") as sheet:
        assert temp_pdf(sheet.data).pages == 1
    assert login(client, "dg_sampler").get(f"/api/records/{visit}/labels").status_code == 404


def test_the_assistance_feedback_sheet(client):
    tablet = Tablet(login(client, "lh_assistant"))
    visit = tablet.create("assistance_visit", {
        "enterprise_id": enterprise_in("临河区").id, "visit_date": "2026-04-10", "staff_names": "陈静、赵丽",
        "enterprise_rep_name": "马晓东", "declaration_status": "not_done", "declaration_note": "尚未在线申报",
        "testing_status": "done", "health_exam_status": "partly_done", "training_status": "not_done",
        "protective_facilities_status": "done", "ppe_status": "done", "warning_notice_status": "partly_done",
        "rules_records_status": "not_done", "problems_found": "未申报职业病危害项目；培训记录缺失",
        "guidance_given": "现场指导完成在线申报流程", "followup_date": "2026-05-10",
        "health_exam_note": "部分工人未体检", "training_note": "无培训记录", "warning_notice_note": "缺告知卡",
        "rules_records_note": "未建档", "exposed_workers": 24, "workers_due_exam": 24, "workers_examined": 15,
        "workers_trained": 0, "hazard_posts": 6, "hazard_posts_tested": 6, "materials_given": "《职业病防治法》宣传册 20 份"})
    sig = upload_blob(tablet.caller, _png_signature(4), "image/png")
    tablet.create("attachment", {"field": "enterprise_signature", "sha256": sig, "mime": "image/png"}, parent=visit)
    assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
    response = tablet.caller.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": visit,
                                                          "doc_type": "assistance_feedback"})
    assert response.status_code == 201, response.get_json()
    unsigned = temp_pdf(_pdf(tablet.caller, response.get_json()["id"]))
    text = unsigned.flat_text()
    for expected in ("帮扶现场反馈单", "职业病危害项目申报", "尚未在线申报", "现场指导完成在线申报流程", "陈静",
                     # the headcounts and the rates: 15 of 24 examined = 62.5 %, 0 trained, 6 of 6 posts tested
                     "接触职业病危害人数24人", "实检人数15人", "职业健康检查率62.5%", "培训率0.0%", "岗位检测率100.0%",
                     # materials handed out under their own heading, not as 整改建议
                     "发放的资料《职业病防治法》宣传册20份"):
        assert expected in text, expected
    assert "整改建议" not in text

    # The assistant signs on the tablet too (form version 2): the sheet prints that signature beside the name.
    signed = tablet.create("assistance_visit", {**tablet.replica[visit]["data"], "visit_date": "2026-04-11"},
                           form_version=2)
    for field, seed in (("enterprise_signature", 5), ("assistant_signature", 6)):
        tablet.create("attachment", {"field": field, "sha256": upload_blob(tablet.caller, _png_signature(seed),
                                                                          "image/png"), "mime": "image/png"},
                      parent=signed)
    assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
    response = tablet.caller.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": signed,
                                                          "doc_type": "assistance_feedback"})
    assert response.status_code == 201, response.get_json()
    pdf = temp_pdf(_pdf(tablet.caller, response.get_json()["id"]))
    last = pdf.pages
    assert len(pdf.images(last)) == len(unsigned.images(unsigned.pages)) + 1


def test_the_reinspection_opinion_lists_each_item_with_its_result(client):
    inspector, tablet, _, document = _issued_opinion(client)
    tablet.pull()
    items = {v["data"]["fact"]: k for k, v in tablet.replica.items() if v["entity"] == "rectification_item"}
    reinspection = tablet.create("reinspection", {
        "enterprise_id": enterprise_in("临河区").id, "notice_document_id": document["id"],
        "notice_number": document["number"], "reinspection_date": "2026-05-12", "officer_1_id": str(user("lh_inspector").id),
        "officer_1_name": "张建国", "officer_2_id": str(user("lh_inspector2").id), "officer_2_name": "刘洋",
        "party_rep_name": "马晓东", "conclusion": "一项已整改，一项部分整改，请于2026年6月12日前完成"})
    evidence = upload_blob(inspector, _photo(5), "image/jpeg")
    for fact, item_id in items.items():
        item = tablet.create("reinspection_item", {"rectification_item_id": item_id,
                                                   "result": "rectified" if "警示" in fact else "partly_rectified",
                                                   "evidence_note": "现场核查"}, parent=reinspection)
        tablet.create("attachment", {"field": "photos", "sha256": evidence, "mime": "image/jpeg"}, parent=item)
    party = upload_blob(inspector, _png_signature(7), "image/png")
    tablet.create("attachment", {"field": "party_signature", "sha256": party, "mime": "image/png"}, parent=reinspection)
    assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
    supervisor = login(client, "lh_supervisor")

    def states():
        items = supervisor.get("/api/rectifications").get_json()["items"]
        return {i["fact"]: (i["status"], i["closed_on"]) for i in items}
    assert {state for state, _ in states().values()} == {"reinspecting"}  # recorded, not yet 销号
    response = inspector.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": reinspection,
                                                      "doc_type": "reinspection_opinion"})
    assert response.status_code == 201, response.get_json()
    settled = states()
    assert [v for k, v in settled.items() if "警示" in k] == [("closed", "2026-05-12")]  # 已整改 with the document
    assert {v for k, v in settled.items() if "警示" not in k} == {("overdue", None)}  # 部分整改: still to do
    text = temp_pdf(_pdf(inspector, response.get_json()["id"])).flat_text()
    for expected in ("复查意见书", document["number"], "已整改", "部分整改", "未设置警示标识"):
        assert expected in text, expected


def test_every_issued_pdf_is_recorded_once(client):
    inspector, _, _, document = _issued_opinion(client)
    _pdf(inspector, document["id"])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DocumentFile)) == 1


def test_the_public_page_shows_the_document_as_issued_even_after_the_registry_changes(client):
    _, _, _, document = _issued_opinion(client)
    enterprise = enterprise_in("临河区")
    issued_name = enterprise.name
    supervisor = login(client, "lh_supervisor")
    renamed = supervisor.patch(f"/api/enterprises/{enterprise.id}", json={"name": "改名后的公司有限公司"})
    assert renamed.status_code == 200, renamed.get_json()
    page = client.get("/verify/" + document["verify_url"].rsplit("/", 1)[1]).get_data(as_text=True)
    assert issued_name in page and "改名后的公司有限公司" not in page


def test_photo_captions_follow_the_findings_order(client):
    inspector = login(client, "lh_inspector")
    _, inspection, _ = complete_inspection(client, inspector)
    response = inspector.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": inspection,
                                                      "doc_type": "supervision_opinion"})
    assert response.status_code == 201, response.get_json()
    snapshot = db.session.get(Document, response.get_json()["id"]).snapshot
    numbers = {finding["fact"]: finding["number"] for finding in snapshot["findings"]}
    assert list(numbers.values()) == [1, 2]
    # Photo n belongs to finding n: 照片1 under 问题1, as the notice numbers them.
    assert [photo["data_uri"] for photo in snapshot["photos"]] == [f"sha256:{fake_sha('photo-0')}",
                                                                    f"sha256:{fake_sha('photo-1')}"]
