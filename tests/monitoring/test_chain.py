"""The monitoring chain over HTTP, as the sampler, the laboratory and the CDC's 科长 go through it: the on-site
feedback locks what it shows but never the laboratory's results; the samples are handed over and received by their
label codes; results are entered as typed, refused with the reason when wrong; the evaluation and the lifecycle
state follow; a supervisor approves."""
import io
import uuid

import pytest
from openpyxl import load_workbook

from server.documents.qr import label_payload
from tests.documents.pdf_tools import temp_pdf
from tests.supervision.test_exports import _finished
from tests.support import enterprise_in, error_of, login
from tests.sync.tablets import HANDED_IN_VISIT, Tablet, sample_fields, visit_fields

DAY = "2026-04-08"


def _noise(level, hours, start):
    return {"workshop": "涂装车间", "post": "喷漆工", "measurement_point": f"喷漆房 {start}",
            "measurement_mode": "sound_level_meter", "laeq_1_db": level, "laeq_2_db": level, "laeq_3_db": level,
            "exposure_hours_per_day": hours, "days_per_week": 5, "calibrator_id": "AWA6021A-3",
            "calibration_before_db": 93.8, "calibration_after_db": 93.9}


def _site(client):
    """A visit recorded on the tablet: a dust filter, benzene, a blank, three noise periods of one worker; the
    on-site feedback issued."""
    tablet = Tablet(login(client, "lh_sampler"))
    visit = tablet.create("sampling_visit", visit_fields(enterprise_in("临河区").id, **HANDED_IN_VISIT))
    ids = {"benzene": tablet.create("sample", sample_fields("LH-0408-001"), parent=visit),
           "dust": tablet.create("sample", sample_fields(
               "LH-0408-002", hazard_key="cement_dust", collector="filter_membrane", dust_fraction="total",
               flow_before_l_min=20.0, flow_after_l_min=20.0, filter_id="F-2231", filter_mass_before_mg=35.120,
               start_time=f"{DAY}T09:00:00+08:00", end_time=f"{DAY}T09:15:00+08:00", duration_type="short_time"),
               parent=visit),
           "blank": tablet.create("sample", {"sample_code": "LH-0408-003", "sample_type": "blank",
                                             "hazard_key": "benzene", "collector": "activated_carbon_tube"},
                                  parent=visit)}
    for level, hours, start in ((93, 4, "08:00"), (86, 2, "13:00"), (68, 2, "15:00")):
        tablet.create("noise_measurement", _noise(level, hours, start), parent=visit)
    tablet.create("attachment", {"field": "escort_signature", "sha256": "c" * 64, "mime": "image/png"}, parent=visit)
    assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
    issued = tablet.caller.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": visit,
                                                        "doc_type": "sampling_feedback"})
    assert issued.status_code == 201, issued.get_json()
    return tablet, visit, ids


def _state(caller, visit):
    body = caller.get(f"/api/monitoring/visits/{visit}").get_json()
    return body["state"]["key"], body


RESULT = {"method_standard": "GBZ/T 300.66-2017", "instrument": "GC-2014 气相色谱仪", "analyst": "韩雪梅",
          "analysis_date": "2026-04-10"}


def test_the_chain_from_the_site_to_the_reviewer(client):
    tablet, visit, ids = _site(client)
    lab, sampler = login(client, "lh_lab"), tablet.caller
    assert _state(lab, visit)[0] == "field"
    # The record is locked by its feedback (what it shows), yet the laboratory's phase is open.
    handover = sampler.post(f"/api/monitoring/visits/{visit}/handover",
                            json={"conditions": {"LH-0408-003": "damaged"}}).get_json()
    assert [i["sample_code"] for i in handover["items"]] == ["LH-0408-001", "LH-0408-002", "LH-0408-003"]
    key, body = _state(lab, visit)
    assert key == "handed_over" and body["state"]["label_zh"] == "送检"
    worklist = lab.get("/api/monitoring/visits?state=handed_over").get_json()
    assert [i["visit_id"] for i in worklist["items"]] == [visit]

    # Received by scanning two labels (the QR holds JSON), typing one code in full-width digits, and one stray code.
    scanned = [label_payload("LH-0408-001", ids["benzene"]), label_payload("LH-0408-002", ids["dust"]),
               "ＬＨ-0408-999"]
    receipt = lab.post(f"/api/monitoring/handovers/{handover['id']}/receipt", json={"codes": scanned}).get_json()
    assert receipt["receipt"] == {"received": ["LH-0408-001", "LH-0408-002"], "missing": ["LH-0408-003"],
                                  "extra": ["LH-0408-999"], "damaged": ["LH-0408-003"]}
    assert _state(lab, visit)[0] == "laboratory"
    # The reviewer's queue and record view show the same step.
    reviewer = login(client, "lh_cdc_supervisor")
    line = next(i for i in reviewer.get("/api/records?status=submitted").get_json()["items"] if i["id"] == visit)
    assert line["monitoring_state"]["label_zh"] == "实验室检测" and line["monitoring_state"]["step"] == 3
    assert reviewer.get(f"/api/records/{visit}").get_json()["record"]["monitoring_state"]["key"] == "laboratory"
    # A missing sample cannot get a result.
    refused = lab.put(f"/api/monitoring/samples/{ids['blank']}/result",
                      json={**RESULT, "result_kind": "mass", "mass_ug": 0.1, "lod": 0.5})
    assert refused.status_code == 409 and "尚未由实验室接收" in error_of(refused)["message"]

    # Wrong values are refused with the field and the reason; nothing is stored.
    wrong = lab.put(f"/api/monitoring/samples/{ids['dust']}/result",
                    json={**RESULT, "result_kind": "weighing", "filter_pre_mg": 35.120, "filter_post_mg": 35.020,
                          "balance_id": "XS205-2"})
    assert wrong.status_code == 422
    assert {d["field"]: d["code"] for d in error_of(wrong)["details"]} == {"filter_post_mg": "below_pre_mass"}
    text = lab.put(f"/api/monitoring/samples/{ids['benzene']}/result",
                   json={**RESULT, "result_kind": "mass", "mass_ug": "1,200"})
    assert text.status_code == 422 and error_of(text)["details"][0]["field"] == "mass_ug"
    assert "千位分隔符" in error_of(text)["details"][0]["message"]
    assert _state(lab, visit)[1]["samples"][0]["result"] is None

    # Typed values are stored as typed and the evaluation follows.
    # Benzene: 0.2 L/min × 240 min = 48 L at 22 ℃ / 101.0 kPa → V0 = 48 × 293/295 × 101.0/101.3 = 47.53 L;
    #   86.4 µg / 47.53 L = 1.818 mg/m³
    saved = lab.put(f"/api/monitoring/samples/{ids['benzene']}/result",
                    json={**RESULT, "result_kind": "mass", "mass_ug": 86.4, "lod": 0.5, "loq": 1.5})
    assert saved.status_code == 200 and saved.get_json()["values"]["mass_ug"] == 86.4
    dust = lab.put(f"/api/monitoring/samples/{ids['dust']}/result",
                   json={**RESULT, "method_standard": "GBZ/T 192.1-2007", "instrument": "XS205 电子天平",
                         "result_kind": "weighing", "filter_pre_mg": 35.120, "filter_post_mg": 35.470,
                         "balance_id": "XS205-2", "free_sio2_pct": 8.5})
    assert dust.status_code == 200, dust.get_json()
    key, body = _state(lab, visit)
    evaluation = body["evaluation"]
    benzene = evaluation["samples"][ids["benzene"]]
    v0 = 48 * 293 / 295 * 101.0 / 101.3
    assert benzene["concentration_mg_m3"] == pytest.approx(86.4 / v0)
    assert evaluation["summary"]["pending"] == 0
    # One noise verdict for the worker's three periods (10·lg[(4·10^9.3 + 2·10^8.6 + 2·10^6.8)/8] = 90.4 dB(A)).
    assert len(evaluation["noise"]) == 1 and round(evaluation["noise"][0]["evaluation"]["lex_8h"], 1) == 90.4
    # Evaluated, and handed in with its feedback: it waits for the CDC's reviewer.
    assert key == "review" and body["state"]["label_zh"] == "审核"

    # The tablet receives the evaluation through pull.
    pulled = {c["id"]: c for c in tablet.pull()}
    assert pulled[visit]["computed"]["evaluation"]["summary"]["pending"] == 0

    # The CDC's 科长 reviews the evaluated visit (the feedback submitted it).
    approved = login(client, "lh_cdc_supervisor").post(f"/api/records/{visit}/review", json={"action": "approve"})
    assert approved.status_code == 200, approved.get_json()
    key, body = _state(lab, visit)
    assert key == "review" and "待出具检测报告" in body["state"]["label_zh"]

    # The CDC's 科长 issues the 检测报告: results per post with the limits and their dates, one noise verdict, the
    # methods, the people; the laboratory's results are then locked.
    supervisor = login(client, "lh_cdc_supervisor")
    report = supervisor.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": visit,
                                                     "doc_type": "monitoring_report"})
    assert report.status_code == 201, report.get_json()
    with supervisor.get(f"/api/documents/{report.get_json()['id']}/pdf") as response:
        text = temp_pdf(response.data).flat_text()
    for expected in ("检测报告", report.get_json()["number"], "苯", "C_TWA1.82mg/m³", "PC-TWA3mg/m³（GBZ2.1-2019", "90.4", "GBZ/T300.66-2017",
                     "韩雪梅", "不符合"):
        assert expected in text, expected
    assert _state(lab, visit)[0] == "reported"
    # A correction after the report waits for its 更正: the report and the evaluation stay as issued.
    corrected = lab.put(f"/api/monitoring/samples/{ids['benzene']}/result",
                        json={**RESULT, "result_kind": "mass", "mass_ug": 80.0, "lod": 0.5})
    assert corrected.status_code == 200
    assert corrected.get_json()["version"] == 1 and corrected.get_json()["pending"]["values"]["mass_ug"] == 80.0
    _, body = _state(lab, visit)
    assert body["evaluation"]["samples"][ids["benzene"]]["concentration_mg_m3"] == pytest.approx(86.4 / v0)
    assert next(s for s in body["samples"] if s["sample_id"] == ids["benzene"])["correction"]["mass_ug"] == 80.0
    again = supervisor.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": visit,
                                                    "doc_type": "monitoring_report"})
    assert again.status_code == 422 and error_of(again)["code"] == "ALREADY_REPORTED"
    amended = supervisor.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": visit,
                                                      "doc_type": "monitoring_report",
                                                      "amends_id": report.get_json()["id"]})
    assert amended.status_code == 201, amended.get_json()
    _, body = _state(lab, visit)
    assert body["evaluation"]["samples"][ids["benzene"]]["concentration_mg_m3"] == pytest.approx(80.0 / v0)
    assert body["report"]["number"] == amended.get_json()["number"] != report.get_json()["number"]
    row = next(s for s in body["samples"] if s["sample_id"] == ids["benzene"])
    assert row["result"]["mass_ug"] == 80.0 and row["result_version"] == 2 and row["correction"] is None
    with supervisor.get(f"/api/documents/{report.get_json()['id']}/pdf") as response:
        assert "已更正" in temp_pdf(response.data).flat_text()

    # Entered into the national monitoring system: the day and who.
    entry = supervisor.post(f"/api/monitoring/visits/{visit}/national-entry", json={"entered_on": "2026-04-20"})
    assert entry.status_code == 201, entry.get_json()
    key, body = _state(lab, visit)
    assert key == "entered" and body["national_entry"]["entered_by_name"] == "马骏"
    # The figure counts the real entry: sampled 04-08, entered 04-20 → 12 days, within the month; the laboratory
    # analysed on 04-10 → 2 days.
    figures = supervisor.get("/api/kpis?date_from=2026-04-01&date_to=2026-04-30").get_json()["sampling"]
    assert (figures["entered"], figures["entry_days_median"], figures["entered_within_month_pct"]) == (1, 12, 100.0)
    assert figures["lab_days_median"] == 2
    # The posts the laboratory's results made judgeable count in the figures (the visit's tallies follow each
    # recomputed evaluation): benzene and cement dust from the laboratory, noise from the site.
    judged = {row["key"]: row["evaluated"] for row in figures["by_hazard"]}
    assert set(judged) == {"benzene", "cement_dust", "noise"} and figures["posts_evaluated"] == sum(judged.values())

    # The national-system export: the chemical and dust rows per post and one noise row, in Chinese, no codes.
    job = supervisor.post("/api/exports", json={"kind": "national", "format": "xlsx"}).get_json()
    assert _finished(supervisor, job)["status"] == "done"
    with supervisor.get(f"/api/exports/{job['id']}/file") as response:
        book = load_workbook(io.BytesIO(response.data), read_only=True)
    assert book.sheetnames == ["说明", "监测结果"]
    rows = list(book["监测结果"].iter_rows(values_only=True))
    header, keys = rows[0], rows[1]
    by_hazard = {row[header.index("职业病危害因素名称")]: dict(zip(header, row)) for row in rows[2:]}
    assert set(by_hazard) == {"苯", "水泥粉尘（游离SiO₂含量<10%）", "噪声"}
    assert by_hazard["噪声"]["L_EX,8h"] == "90.4" and by_hazard["噪声"]["判定结果"] == "不符合"
    assert by_hazard["苯"]["检测日期"] == "2026-04-10" and by_hazard["苯"]["判定结果"] == "符合"
    assert by_hazard["苯"]["统一社会信用代码"] == enterprise_in("临河区").credit_code
    cells = " ".join(str(v) for row in rows[2:] for v in row if v)
    for code in ("benzene", "cement_dust", "sound_level_meter", "field", "periodic", "pc_twa", visit):
        assert code not in cells, code
    assert "credit_code" in keys  # the hidden second row names the columns for machines

    # The 样品交接单 prints both people, the differences and every code.
    with lab.get(f"/api/monitoring/handovers/{handover['id']}/pdf") as response:
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        text = temp_pdf(response.data).flat_text()
    for expected in ("样品交接单", "LH-0408-001", "LH-0408-003", "缺少", "LH-0408-999", "王海燕", "韩雪梅", "破损"):
        assert expected in text, expected


def test_a_blank_above_its_lod_asks_for_confirmation_then_flags_the_batch(client):
    tablet, visit, ids = _site(client)
    lab = login(client, "lh_lab")
    handover = tablet.caller.post(f"/api/monitoring/visits/{visit}/handover", json={}).get_json()
    lab.post(f"/api/monitoring/handovers/{handover['id']}/receipt",
             json={"codes": ["LH-0408-001", "LH-0408-002", "LH-0408-003"]})
    blank = {**RESULT, "result_kind": "mass", "mass_ug": 2.0, "lod": 0.5}
    asked = lab.put(f"/api/monitoring/samples/{ids['blank']}/result", json=blank)
    assert asked.status_code == 422 and error_of(asked)["details"][0]["code"] == "confirm_blank"
    assert lab.put(f"/api/monitoring/samples/{ids['blank']}/result", json={**blank, "confirm_blank": True}).status_code == 200
    qc = _state(lab, visit)[1]["qc"]
    assert qc["flagged_hazards"] == ["benzene"] and qc["blanks_above_lod"][0]["sample_code"] == "LH-0408-003"


def test_a_correction_keeps_the_earlier_value_in_the_history(client):
    tablet, visit, ids = _site(client)
    lab = login(client, "lh_lab")
    handover = tablet.caller.post(f"/api/monitoring/visits/{visit}/handover", json={}).get_json()
    lab.post(f"/api/monitoring/handovers/{handover['id']}/receipt", json={"codes": ["LH-0408-001"]})
    url = f"/api/monitoring/samples/{ids['benzene']}/result"
    lab.put(url, json={**RESULT, "result_kind": "mass", "mass_ug": 86.4, "lod": 0.5})
    second = lab.put(url, json={**RESULT, "result_kind": "mass", "mass_ug": 68.4, "lod": 0.5}).get_json()
    assert second["version"] == 2 and second["values"]["mass_ug"] == 68.4


def test_an_approval_waits_for_the_laboratory(client):
    _tablet, visit, _ids = _site(client)
    answer = login(client, "lh_cdc_supervisor").post(f"/api/records/{visit}/review", json={"action": "approve"})
    assert answer.status_code == 409
    assert "实验室" in error_of(answer)["message"]


def test_the_feedback_locks_what_it_shows_and_nothing_after_it(client):
    tablet, visit, ids = _site(client)
    # Not printed on the 检测现场反馈: the notes and the wind speed change as usual …
    tablet.update(visit, {"wind_speed_m_s": 0.6, "notes": "补记：局部排风运行"})
    result = tablet.push()["results"][0]
    assert result["status"] == "applied" and result["applied_fields"] == ["notes", "wind_speed_m_s"]
    # … what it printed (the escort) is kept as a conflict for a 更正, never changed silently.
    tablet.update(visit, {"escort_name": "王五"})
    held = tablet.push()["results"][0]
    assert held["status"] == "conflict" and held["conflicts"][0]["field"] == "escort_name"
    detail = login(client, "lh_cdc_supervisor").get(f"/api/records/{visit}").get_json()["record"]
    assert detail["data"]["escort_name"] == "马晓东" and detail["data"]["wind_speed_m_s"] == 0.6
    # A returned visit handed in with its feedback is corrected and resubmitted from the tablet.
    login(client, "lh_cdc_supervisor").post(f"/api/records/{visit}/review",
                                            json={"action": "return", "comment": "请补充现场风速"})
    tablet.pull()
    tablet.update(visit, {"wind_speed_m_s": 0.8})
    tablet.submit(visit)
    assert tablet.push()["results"][-1]["review_status"] == "resubmitted"


def test_a_sample_found_missing_is_handed_over_again_alone(client):
    tablet, visit, ids = _site(client)
    lab, sampler = login(client, "lh_lab"), tablet.caller
    first = sampler.post(f"/api/monitoring/visits/{visit}/handover", json={}).get_json()
    lab.post(f"/api/monitoring/handovers/{first['id']}/receipt", json={"codes": ["LH-0408-001", "LH-0408-002"]})
    second = sampler.post(f"/api/monitoring/visits/{visit}/handover", json={}).get_json()
    assert [i["sample_code"] for i in second["items"]] == ["LH-0408-003"]
