"""The 采样记录单 a laboratory accepts: issued from what the samplers typed on the tablet, each figure at the
precision it was measured with, every line with its pump, flow calibration and filter, cells that never run into
each other, and signatures that never stand alone on a last page."""
import base64
import re
import uuid

import pytest

from server.documents.formatting import fixed, reading
from server.documents.publishing import materialize, renderer
from server.extensions import db
from server.media.storage import LocalBlobStorage
from server.models import Document
from tests.documents.images import signature_uri
from tests.documents.pdf_tools import overlapping_words, temp_pdf, vertical_rules, words, words_across_rules
from tests.support import enterprise_in, login, upload_blob
from tests.sync.tablets import Tablet, sample_fields, visit_fields

HEADER = {"humidity_pct": 55, "method_standards": ["gbz_159_2004"], "production_status": "正常生产，负荷约90%，除尘器运行",
          "sampler_1_name": "王海燕", "sampler_2_name": "李明", "checker_name": "赵丽", "escort_name": "马晓东",
          "temperature_c": 26.3, "pressure_kpa": 100.87}
# A personal total-dust sample on a weighed filter, a benzene tube, its blank and a direct reading: 26.3 ℃ and
# 100.87 kPa make every standard volume a long binary fraction (835.2 L is 814.1491328400688 L at 20 ℃, 101.3 kPa).
DUST = sample_fields("LH-0408-001", hazard_key="hardwood_dust", collector="filter_membrane", dust_fraction="total",
                     workshop="打磨车间", post="打磨工", sampling_point="打磨工 刘洋", sampler_id="FC-3A-0112",
                     flow_before_l_min=3.5, flow_after_l_min=3.46, start_time="2026-04-08T08:30:00+08:00",
                     end_time="2026-04-08T12:30:00+08:00", filter_id="FM-0408-07", filter_mass_before_mg=36.42,
                     filter_mass_after_mg=37.1)
BENZENE = sample_fields("LH-0408-002", sampling_mode="fixed_point", sampling_point="调漆间操作台", sampler_id="QC-2B-0347",
                        flow_before_l_min=0.3, flow_after_l_min=0.29, start_time="2026-04-08T08:32:00+08:00",
                        end_time="2026-04-08T12:30:00+08:00", notes="调漆作业持续进行")
BLANK = {"sample_code": "LH-0408-003", "sample_type": "blank", "hazard_key": "benzene",
         "collector": "activated_carbon_tube"}
DIRECT = {"sample_code": "LH-0408-004", "sample_type": "field", "hazard_key": "carbon_monoxide", "workshop": "锅炉房",
          "post": "司炉工", "sampling_point": "锅炉操作位", "sampling_mode": "fixed_point", "duration_type": "direct_reading",
          "limit_type": "pc_stel", "sampler_id": "CO-7A-0021", "start_time": "2026-04-08T10:00:00+08:00",
          "end_time": "2026-04-08T10:15:00+08:00", "direct_reading_mg_m3": 4.2}
METER = {"calibrator_id": "AWA6021A-0815", "calibration_before_db": 94.0, "calibration_after_db": 93.8,
         "workshop": "开料车间", "post": "开料工", "measurement_point": "推台锯操作位", "measurement_mode": "sound_level_meter",
         "laeq_1_db": 91.2, "laeq_2_db": 90.8, "laeq_3_db": 91.5, "exposure_hours_per_day": 6, "days_per_week": 5,
         "equipment_note": "MJ6132推台锯，满负荷"}
DOSIMETER = {"calibrator_id": "AWA6021A-0815", "calibration_before_db": 94.0, "calibration_after_db": 94.1,
             "workshop": "打磨车间", "post": "打磨工", "measurement_point": "打磨工 刘洋", "measurement_mode": "dosimeter",
             "dosimeter_lex_8h_db": 86.5, "exposure_hours_per_day": 8, "days_per_week": 5}
CODE = re.compile(r"LH-0408-\d{3}")
FLOAT_REPR = re.compile(r"\d+\.\d{5,}")
BODY_MM = (16, 34)  # the landscape sheet's top and bottom page margins (documents.css @page sheet)


def _visit(client, samples, noise=(), **header):
    """A sampling visit as a team records it on its tablet, signed by the escort, pushed to the server."""
    tablet = Tablet(login(client, "lh_sampler"))
    visit = tablet.create("sampling_visit", visit_fields(enterprise_in("临河区").id, **{**HEADER, **header}))
    for fields in samples:
        tablet.create("sample", fields, parent=visit)
    for fields in noise:
        tablet.create("noise_measurement", fields, parent=visit)
    escort = upload_blob(tablet.caller, base64.b64decode(signature_uri(9).split(",", 1)[1]), "image/png")
    tablet.create("attachment", {"field": "escort_signature", "sha256": escort, "mime": "image/png"}, parent=visit)
    assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
    return tablet, visit


def _issue(tablet, visit):
    """The sheet issued through the API and its PDF as served."""
    response = tablet.caller.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": visit,
                                                          "doc_type": "sampling_record_sheet"})
    assert response.status_code == 201, response.get_json()
    document = response.get_json()
    with tablet.caller.get(f"/api/documents/{document['id']}/pdf") as pdf:
        assert pdf.status_code == 200
        return document, temp_pdf(pdf.data)


def _row(sheet_words, code):
    """The words of the table row of one sample: from its code down to the next sample's code on that page."""
    first = next(w for w in sheet_words if w.text == code)
    below = [w.y0 for w in sheet_words if w.page == first.page and CODE.fullmatch(w.text) and w.y0 > first.y0 + 3]
    bottom = min(below, default=first.y0 + 40)
    # ±3 pt: a code's monospace box sits a little lower than the CJK boxes of its row
    return {w.text for w in sheet_words if w.page == first.page and first.y0 - 3 <= w.y0 < bottom - 3}


@pytest.mark.parametrize("value, places, typed, computed", [
    (1.2, 2, "1.20", "1.20"),                   # a pump read to 0.01 L/min: the typed 1.20 keeps its zero
    (1.205, 2, "1.205", "1.20"),                # a digit typed is never rounded away; a computed one is
    (834.7254609459529, 1, "834.7", "834.7"),   # a float's repr: 834.7 L, whichever way it reached the sheet
    (0.30000000000000004, 2, "0.30", "0.30"),   # binary noise is no typed digit
    (2.675, 2, "2.675", "2.68"),                # rounding on the decimal 2.675, not its binary neighbour 2.67499…
    (-0.04, 1, "-0.04", "0.0"),
    (240, 0, "240", "240"),
    (None, 1, "—", "—"),
])
def test_figures_print_at_the_precision_they_were_measured_with(value, places, typed, computed):
    assert (reading(value, places), fixed(value, places)) == (typed, computed)


def test_each_line_shows_the_pump_its_flow_calibration_the_filter_and_figures_at_measured_precision(client):
    tablet, visit = _visit(client, [DUST, BENZENE, BLANK, DIRECT], [METER, DOSIMETER])
    _, pdf = _issue(tablet, visit)
    text, sheet_words = pdf.text(), words(pdf)
    assert FLOAT_REPR.findall(text) == []
    # 3.5 typed into a 0.01 L/min field is the pump's 3.50; 240 min at 3.48 L/min is 835.2 L, 814.1 L at 20 ℃.
    assert {"FC-3A-0112", "3.50", "3.46", "3.48", "1.1", "08:30", "12:30", "240", "835.2", "814.1", "FM-0408-07",
            "36.42", "37.10", "滤膜", "个体"} <= _row(sheet_words, "LH-0408-001")
    # 0.295 L/min prints 0.30: GB/T 8170 rounds a 5 with nothing after it to the even digit.
    assert {"QC-2B-0347", "0.30", "0.29", "3.3", "238", "70.2", "68.4", "活性炭管", "定点"} <= _row(
        sheet_words, "LH-0408-002")
    assert {"CO-7A-0021", "直读", "4.200", "mg/m³", "15"} <= _row(sheet_words, "LH-0408-004")
    flat = pdf.flat_text()
    for expected in ("木粉尘（硬木）（总粉尘）", "气温26.3℃气压100.87kPa相对湿度55.0%", "正常生产，负荷约90%，除尘器运行",
                     "AWA6021A-0815", "94.0", "93.8", "91.2/90.8/91.5", "剂量计LEX,8h86.5", "声级计定点测量",
                     "个人噪声剂量计", "陪同人：马晓东", "校核人：赵丽"):
        assert expected in flat, expected
    for option_key in ("filter_membrane", "activated_carbon_tube", "personal", "fixed_point", "long_time", "dosimeter"):
        assert option_key not in text


def test_no_text_leaves_its_cell_and_the_header_repeats_on_every_page(client, tmp_path):
    long_point = "2号砂光机操作位（靠近东侧窗户，距地面1.5米，下风向）"
    samples = [sample_fields(f"LH-0408-{n:03d}", sampling_point=long_point, sampler_id=f"FC-3A-{n:04d}-ABCDEFGH",
                             filter_id=f"FM20260408{n:06d}", filter_mass_before_mg=36.42, filter_mass_after_mg=37.1,
                             notes="换班期间短暂停机约10分钟，其余时间连续作业" * (n % 3))
               for n in range(1, 19)]
    tablet, visit = _visit(client, samples, [METER, DOSIMETER])
    _, pdf = _issue(tablet, visit)
    assert pdf.pages >= 2
    sheet_words = words(pdf)
    assert overlapping_words(sheet_words) == []
    for page, png in enumerate(pdf.page_pngs(tmp_path / "sheet"), start=1):
        on_page = [w for w in sheet_words if w.page == page]
        rules = vertical_rules(png, dpi=150)
        assert len({round(x) for x, _, _ in rules}) >= 10, f"page {page}: no table found"
        assert words_across_rules(on_page, rules) == [], f"page {page}"
        if any(CODE.fullmatch(w.text) for w in on_page):
            assert "样品编号" in {w.text for w in on_page}, f"page {page} lost the table header"


def _last_page(context, count):
    """(pages, body text of the last page) of the sheet with `count` lines like the context's first one."""
    samples = [dict(context["samples"][0], sample_code=f"LH-0408-{n:03d}") for n in range(1, count + 1)]
    pdf = temp_pdf(renderer().render_pdf("sampling_record_sheet", dict(context, samples=samples)))
    return pdf.pages, pdf.text(pdf.pages, raw=True, crop=BODY_MM)


def test_the_last_page_always_holds_table_rows_with_the_signatures(client):
    """The issued sheet again with a growing number of lines: wherever the table ends, the escort's signature is on
    the page of the last rows (WeasyPrint moves a row or two over rather than leave the signatures alone)."""
    tablet, visit = _visit(client, [DUST, BENZENE])
    document, _ = _issue(tablet, visit)
    snapshot = db.session.get(Document, document["id"]).snapshot
    context = materialize(snapshot, LocalBlobStorage(client.application.config["BLOB_ROOT"]))
    # Four lines at a time until the sheet needs one more page, then every count in between: the first counts past
    # a page's edge are those where only the signatures would move over.
    lines = 12
    last = {lines: _last_page(context, lines)}
    while last[lines][0] == last[12][0]:
        assert lines < 60, "the table never fills its first page"
        lines += 4
        last[lines] = _last_page(context, lines)
    last.update({between: _last_page(context, between) for between in range(lines - 3, lines)})
    for count, (_, text) in sorted(last.items()):
        assert CODE.search(text) and "陪同人" in text, (count, text)
