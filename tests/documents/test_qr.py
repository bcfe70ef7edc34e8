"""A phone scanning any page reaches the verification page; a lab scanner reads every sample label."""
import base64
import io
import json

import pytest
from PIL import Image
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q
from qrcode.util import BCH_type_info

from server.documents import label_payload, qr_data_uri

from . import demo
from .pdf_tools import Pdf, decode_qr


@pytest.mark.parametrize("doc_type", list(demo.BUILDERS))
def test_every_page_carries_a_qr_code_to_the_verification_page(demo_documents, doc_type):
    doc = demo_documents[doc_type]
    assert len(doc.pngs) == doc.pdf.pages
    for png in doc.pngs:
        assert decode_qr(png) == [demo.VERIFY_URL], png.name


def _format_error_correction(png_bytes, box_size=6, border=4):
    """The error-correction level written in the QR's own format bits (ISO/IEC 18004 §7.9)."""
    image = Image.open(io.BytesIO(png_bytes)).convert("L")
    count = image.width // box_size - 2 * border

    def dark(row, col):
        return image.getpixel(((border + col) * box_size + box_size // 2,
                               (border + row) * box_size + box_size // 2)) < 128
    # The vertical copy next to the top-left finder (rows 0-5, 7, 8) and the bottom-left one.
    rows = [0, 1, 2, 3, 4, 5, 7, 8] + [count - 15 + i for i in range(8, 15)]
    bits = sum(1 << i for i, row in enumerate(rows) if dark(row, 8))
    for level in (ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q, ERROR_CORRECT_H):
        if any(BCH_type_info((level << 3) | mask) == bits for mask in range(8)):
            return level
    raise AssertionError("no valid format information")


def test_the_qr_image_decodes_and_uses_error_correction_m_or_higher(tmp_path):
    uri = qr_data_uri(demo.VERIFY_URL)
    assert uri.startswith("data:image/png;base64,")
    png = base64.b64decode(uri.split(",", 1)[1])
    (tmp_path / "qr.png").write_bytes(png)
    assert decode_qr(tmp_path / "qr.png") == [demo.VERIFY_URL]
    assert _format_error_correction(png) in (ERROR_CORRECT_M, ERROR_CORRECT_Q, ERROR_CORRECT_H)


def test_thermal_labels_one_per_page_each_decoding_to_its_sample(renderer, artifacts):
    pdf = Pdf(renderer.render_labels(demo.LABELS, layout="thermal_50x30"), artifacts / "labels-thermal.pdf")
    assert pdf.pages == len(demo.LABELS)
    width, height = pdf.page_size
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (50, 30)
    for label, png in zip(demo.LABELS, pdf.page_pngs(artifacts / "labels-thermal")):
        (payload,) = decode_qr(png)
        assert json.loads(payload) == {"s": label["sample_code"], "r": label["record_id"]}
        assert payload == label_payload(label["sample_code"], label["record_id"])
    for page, label in enumerate(demo.LABELS, 1):
        text = pdf.flat_text(page)
        assert label["sample_code"] in text and label["hazard_zh"] in text and "2026年4月1日" in text


def test_a4_label_sheets_hold_21_labels_and_every_qr_is_readable(renderer, artifacts):
    labels = [{**demo.LABELS[n % 6], "sample_code": f"LH2026-0401-{n + 1:03d}",
               "record_id": f"00000000-0000-4000-8000-{n:012d}"} for n in range(25)]
    pdf = Pdf(renderer.render_labels(labels, layout="a4_sheet"), artifacts / "labels-a4.pdf")
    assert pdf.pages == 2
    found = [json.loads(payload) for png in pdf.page_pngs(artifacts / "labels-a4") for payload in decode_qr(png)]
    assert sorted(found, key=lambda p: p["s"]) == [{"s": label["sample_code"], "r": label["record_id"]}
                                                   for label in labels]


def test_labels_name_the_missing_key_and_refuse_unknown_layouts(renderer):
    broken = [{key: value for key, value in demo.LABELS[0].items() if key != "record_id"}]
    with pytest.raises(ValueError, match=r"labels\[0\]\.record_id"):
        renderer.render_labels(broken)
    with pytest.raises(ValueError, match="label layout"):
        renderer.render_labels(demo.LABELS, layout="a5")
