"""The people on an inspection's documents: both officers with their 执法证号 from the agency's registry, and — when
the party refuses to sign — the witness by name and by their own signature, on the 卫生监督意见书 and on the 现场笔录."""
import io
import uuid

from PIL import Image, ImageDraw

from tests.documents.pdf_tools import temp_pdf
from tests.issuing.inspections import FINDINGS, inspection_fields
from tests.support import enterprise_in, login, upload_blob, user
from tests.sync.tablets import Tablet

WITNESS = "赵建平（园区管委会工作人员）"
WITNESS_SIZE = (720, 240)  # the officers sign on 600 × 200 pads: the witness's strokes are told apart by size


def _strokes(seed, size=(600, 200)):
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for i in range(0, size[0] - 60, 40):
        draw.line([(20 + i, 150 - (seed * 7 + i) % 90), (60 + i, 60 + (seed * 13 + i) % 90)], fill="black", width=5)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _refused_inspection(inspector):
    """An inspection whose party refused to sign before a witness, who signed; pushed complete from the tablet."""
    tablet = Tablet(inspector)
    inspection = tablet.create("inspection", inspection_fields(enterprise_in("临河区").id, refused_to_sign=True,
                                                               witness_name=WITNESS))
    for index, finding in enumerate(FINDINGS):
        tablet.create("checklist_result", {"item_key": finding["item_key"], "result": "nonconform",
                                           "note": finding["fact"]}, parent=inspection)
        finding_id = tablet.create("finding", dict(finding), parent=inspection)
        tablet.create("attachment", {"field": "photos", "sha256": upload_blob(inspector, _strokes(index + 5), "image/png"),
                                     "mime": "image/png", "kind": "photo"}, parent=finding_id)
    for seed, field in enumerate(("officer_1_signature", "officer_2_signature")):
        tablet.create("attachment", {"field": field, "sha256": upload_blob(inspector, _strokes(seed), "image/png"),
                                     "mime": "image/png", "kind": "signature"}, parent=inspection)
    return tablet, inspection


def _issue(caller, inspection, doc_type):
    response = caller.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": inspection, "doc_type": doc_type})
    assert response.status_code == 201, response.get_json()
    document = response.get_json()
    with caller.get(f"/api/documents/{document['id']}/pdf") as pdf:
        assert pdf.status_code == 200
        return temp_pdf(pdf.data)


def test_a_refusal_needs_the_witness_signature_before_anything_is_issued(client):
    inspector = login(client, "lh_inspector")
    tablet, inspection = _refused_inspection(inspector)
    assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
    response = inspector.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": inspection,
                                                      "doc_type": "supervision_opinion"})
    assert response.status_code == 422
    details = response.get_json()["error"]["details"]
    assert [(d["field"].rsplit(".", 1)[-1], d["code"], d["message"]) for d in details] == [
        ("witness_signature", "min_count", "见证人签名至少需要 1 个")]


def test_both_officers_certificate_numbers_and_the_witness_signature_are_printed(client):
    inspector = login(client, "lh_inspector")
    tablet, inspection = _refused_inspection(inspector)
    tablet.create("attachment", {"field": "witness_signature", "mime": "image/png", "kind": "signature",
                                 "sha256": upload_blob(inspector, _strokes(9, WITNESS_SIZE), "image/png")},
                  parent=inspection)
    assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
    first, second = user("lh_inspector"), user("lh_inspector2")
    for doc_type in ("supervision_opinion", "onsite_record"):
        pdf = _issue(inspector, inspection, doc_type)
        text = pdf.flat_text()
        for officer in (first, second):
            assert officer.display_name in text and officer.enforcement_cert_no in text, (doc_type, officer.username)
        assert f"见证人：{WITNESS}" in text and "拒绝签名" in text
        signing_page = next(page for page in range(1, pdf.pages + 1) if f"见证人：{WITNESS}" in pdf.flat_text(page))
        assert WITNESS_SIZE in pdf.images(signing_page), (doc_type, pdf.images(signing_page))
    # The 现场笔录 names the witness, with the signature, in the margin of every page.
    for page in range(1, pdf.pages + 1):
        assert f"见证人：{WITNESS}" in pdf.flat_text(page) and WITNESS_SIZE in pdf.images(page)
