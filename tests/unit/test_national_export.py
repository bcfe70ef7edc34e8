"""国家监测系统导出 as the CDC's data clerk types it into the national system: one row per post and hazard, one per
noise worker, every cell in Chinese words and readable numbers, and a 说明 sheet saying where each column comes from."""
import datetime as dt
import io
import json
import re
import uuid
from pathlib import Path

import pytest
from openpyxl import load_workbook

from server.domain.evaluations import EvaluationReference, evaluate_visit
from server.domain.grades import default_evaluation_rules
from server.domain.national_export import (COLUMNS, MonitoredVisit, day_text, export_labels, national_rows,
                                           number_text, write_national_xlsx)
from server.domain.noise import default_noise_limits
from server.domain.oel import load_oel_rows
from server.domain.peaks import default_peak_rules
from server.domain.sampling import default_sampling_qc

ROOT = Path(__file__).resolve().parents[2]
DAY = "2025-04-08"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


def _read(*parts):
    return json.loads(ROOT.joinpath(*parts).read_text(encoding="utf-8"))


HAZARDS = _read("reference", "hazards", "hazard_factors.json")["rows"]
OEL = _read("reference", "oel", "gbz2_1.json")["rows"]
FORM = _read("forms", "definitions", "sampling_record", "3.json")
LABELS = export_labels(HAZARDS, FORM, OEL)
IDS = {name: str(uuid.uuid4()) for name in ("b1", "b2", "d1", "n1", "n2", "blank")}
ENTERPRISE = {"name": "临淄鲁中涂装有限公司", "credit_code": "91370305MA3C4XK21Q", "industry_code": "3360",
              "industry_name": "金属表面处理及热处理加工", "size": "small", "workers_total": 86, "workers_exposed": 31}
REGION = {"code": "370305", "name": "临淄区"}
VISIT = {"task_no": "LZ-JC-0012", "sampling_date": DAY, "monitoring_category": "surveillance_project"}


def _sample(key, hazard, **fields):
    return {"id": IDS[key], "sample_code": f"LZ0412-{key.upper()}", "sample_type": "field", "hazard_key": hazard,
            "sampling_mode": "personal", "duration_type": "long_time", "limit_type": "pc_twa", **fields}


SAMPLES = (_sample("b1", "benzene", workshop="喷涂车间", post="喷漆工", sampling_point="喷漆工 张某"),
           _sample("b2", "benzene", workshop="喷涂车间", post="喷漆工", sampling_point="喷漆工 张某",
                   sample_type="parallel"),
           _sample("d1", "other_dust", workshop="打磨车间", post="打磨工", sampling_point="打磨台",
                   sampling_mode="fixed_point", duration_type="short_time", dust_fraction="respirable"),
           _sample("blank", "benzene", sample_type="blank"))
NOISE = tuple({"id": IDS[key], "workshop": "冲压车间", "post": "冲压工", "measurement_point": point,
               "measurement_mode": "sound_level_meter"} for key, point in (("n1", "冲床旁"), ("n2", "落料区")))


def _limit(kind, value, unit="mg/m3", standard="GBZ 2.1-2019", amendment=None, condition=None, fraction=None):
    return {"row_id": f"x|{kind}", "limit_type": kind, "value": value, "unit": unit, "source_standard": standard,
            "amendment": amendment, "condition": condition, "fraction": fraction}


# The evaluation as evaluate_visit stores it on the visit, values at full float precision.
EVALUATION = {
    "sampling_date": DAY,
    "groups": [
        {"hazard_key": "benzene", "fraction": None, "condition": None, "workshop": "喷涂车间", "post": "喷漆工",
         "sample_ids": [IDS["b1"], IDS["b2"]], "status": "evaluated", "reclassified_from": [],
         "evaluation": {"result": "nonconform", "unit": "mg/m3", "c_twa": 3.4000000000000004, "c_ste": None,
                        "c_me": None, "below_lod": False, "lod": None, "reason_zh": "C_TWA 3.4 > PC-TWA 3，不符合",
                        "limits_used": [_limit("PC-TWA", 3.0, amendment="第1号修改单"),
                                        _limit("PC-STEL", 6.0, amendment="第1号修改单")]}},
        {"hazard_key": "silica_dust", "fraction": "respirable", "condition": "sio2_10_50", "workshop": "打磨车间",
         "post": "打磨工", "sample_ids": [IDS["d1"]], "status": "evaluated", "reclassified_from": ["other_dust"],
         "evaluation": {"result": "nonconform", "unit": "mg/m3", "c_twa": 0.72500000001, "c_ste": None, "c_me": None,
                        "below_lod": False, "lod": None, "reason_zh": "",
                        "limits_used": [_limit("PC-TWA", 0.7, condition="sio2_10_50", fraction="respirable")]}},
    ],
    "noise": [
        {"measurement_ids": [IDS["n1"], IDS["n2"]], "measurement_id": IDS["n1"], "workshop": "冲压车间",
         "post": "冲压工", "status": "evaluated", "periods": [],
         "evaluation": {"result": "nonconform", "case": "5d_not_8h", "lex_8h": 90.41234567, "lex_w": None,
                        "reason_zh": "",
                        "limits_used": [_limit("noise_limit", 85.0, "dB(A)", "GBZ 2.2-2007"),
                                        _limit("calibration_drift", 0.5, "dB", "GBZ/T 189.8-2007")]}},
    ],
}


def _rows(evaluation=EVALUATION, samples=SAMPLES, analysis_dates=None, enterprise=ENTERPRISE):
    item = MonitoredVisit(VISIT, samples, NOISE, evaluation, enterprise, REGION)
    return [dict(zip((c.label_zh for c in COLUMNS), row))
            for row in national_rows([item], LABELS, analysis_dates=analysis_dates)]


def _option_keys():
    keys = {row["key"] for row in HAZARDS} | {"conform", "nonconform", "undetermined", "noise_limit",
                                               "calibration_drift", "mg/m3", "small", "sio2_10_50", "5d_not_8h"}
    for entity in FORM["entities"]:
        for section in entity["sections"]:
            keys |= {choice["value"] for f in section["fields"] for choice in f.get("choices", ())}
    return keys


def test_a_benzene_post_a_silica_post_and_a_noise_worker_read_as_the_clerk_enters_them():
    rows = _rows(analysis_dates={IDS["b1"]: dt.date(2025, 4, 10), IDS["b2"]: "2025-04-11", IDS["d1"]: "2025-04-10"})
    assert [(r["车间"], r["岗位/工种"], r["职业病危害因素名称"]) for r in rows] == [
        ("喷涂车间", "喷漆工", "苯"), ("打磨车间", "打磨工", "矽尘"), ("冲压车间", "冲压工", "噪声")]
    benzene, dust, noise = rows
    for row in rows:
        assert (row["任务编号"], row["用人单位名称"], row["统一社会信用代码"]) == (
            "LZ-JC-0012", "临淄鲁中涂装有限公司", "91370305MA3C4XK21Q")
        assert (row["所属地区编码"], row["所属地区"], row["行业类别编码"], row["行业类别"]) == (
            "370305", "临淄区", "3360", "金属表面处理及热处理加工")
        assert (row["企业规模"], row["职工总人数"], row["接触职业病危害因素人数"]) == ("小型", "86", "31")
        assert (row["检测类别"], row["采样日期"], row["判定结果"]) == ("职业病监测项目", DAY, "不符合")
        assert row["经济类型"] == "" and row["危害因素编码"] == ""  # not kept / not in the reference data
    assert benzene["危害因素类别"] == "化学因素"
    assert (benzene["C_TWA"], benzene["单位"], benzene["限值类型"]) == ("3.4", "mg/m³", "PC-TWA、PC-STEL")
    assert benzene["职业接触限值"] == "PC-TWA 3 mg/m³；PC-STEL 6 mg/m³"
    assert benzene["限值依据"] == "GBZ 2.1-2019 第1号修改单"
    assert (benzene["样品编号"], benzene["样品类型"]) == ("LZ0412-B1、LZ0412-B2", "现场样、平行样")
    assert (benzene["采样/测量方式"], benzene["采样时间类型"], benzene["检测点"]) == ("个体", "长时间", "喷漆工 张某")
    assert benzene["检测日期"] == "2025-04-10至2025-04-11"
    assert (dust["危害因素类别"], dust["粉尘类别"], dust["限值适用条件"]) == ("粉尘", "呼吸性粉尘", "10%≤游离SiO₂含量≤50%")
    assert (dust["C_TWA"], dust["职业接触限值"], dust["检测日期"]) == ("0.725", "PC-TWA 0.7 mg/m³", "2025-04-10")
    assert (dust["采样/测量方式"], dust["采样时间类型"]) == ("定点", "短时间（15 min）")
    assert dust["备注"] == "现场记为其他粉尘，按游离SiO₂含量以矽尘判定"
    assert (noise["危害因素类别"], noise["检测点"], noise["采样/测量方式"]) == ("物理因素", "冲床旁、落料区", "声级计定点测量")
    assert (noise["L_EX,8h"], noise["单位"], noise["C_TWA"], noise["样品编号"]) == ("90.4", "dB(A)", "", "")
    assert (noise["限值类型"], noise["职业接触限值"]) == ("L_EX,8h", "L_EX,8h 85 dB(A)")  # the calibrator is QC
    assert noise["检测日期"] == DAY  # measured on site


def test_no_cell_holds_an_option_key_a_record_id_or_a_float_as_python_prints_it():
    keys = _option_keys()
    cells = [cell for row in _rows() for cell in row.values()]
    assert cells and all(isinstance(cell, str) for cell in cells)
    assert [c for c in cells if c in keys] == []
    assert [c for c in cells if UUID.search(c)] == []
    assert [c for c in cells if re.search(r"[a-z_]{4,}", c)] == []  # no English words (units such as min aside)
    assert [c for c in cells if re.search(r"\d\.\d{4,}|\de[+-]\d", c)] == []


def test_a_group_still_at_the_lab_one_below_the_lod_and_one_without_a_limit_say_why():
    groups = [
        {"hazard_key": "toluene", "workshop": "喷涂车间", "post": "调漆工", "sample_ids": [IDS["b1"]],
         "status": "pending", "evaluation": None},
        {"hazard_key": "benzene", "workshop": "喷涂车间", "post": "喷漆工", "sample_ids": [IDS["b2"]],
         "status": "evaluated", "below_lod_rule_zh": "低于检出限的样品按 1/2 检出限计入",
         "evaluation": {"result": "conform", "unit": "mg/m3", "c_twa": None, "below_lod": True, "lod": 0.02,
                        "limits_used": [_limit("PC-TWA", 3.0)]}},
        {"hazard_key": "acetone", "workshop": "喷涂车间", "post": "喷漆工", "sample_ids": [], "status": "evaluated",
         "evaluation": {"result": "undetermined", "unit": "mg/m3", "c_twa": 12.0, "limits_used": [],
                        "reason_zh": "无职业接触限值，不判定"}},
    ]
    pending, below, no_limit = _rows({"sampling_date": DAY, "groups": groups, "noise": []})
    assert (pending["职业病危害因素名称"], pending["判定结果"], pending["C_TWA"]) == ("甲苯", "", "")
    assert pending["备注"] == "实验室结果未齐，未评价"
    assert (below["C_TWA"], below["判定结果"]) == ("<0.02", "符合")
    assert below["备注"] == "低于检出限；低于检出限的样品按 1/2 检出限计入"
    assert (no_limit["C_TWA"], no_limit["判定结果"], no_limit["备注"]) == ("12", "不判定", "无职业接触限值，不判定")


def test_a_noise_post_stored_before_per_worker_evaluation_and_one_not_yet_measured():
    noise = [{"measurement_id": IDS["n2"], "workshop": "冲压车间", "post": "落料工", "status": "evaluated",
              "evaluation": {"result": "conform", "case": "5d_8h", "lex_8h": 82.04, "limits_used": [
                  _limit("noise_limit", 85.0, "dB(A)", "GBZ 2.2-2007")]}},
             {"measurement_ids": [IDS["n1"]], "workshop": "冲压车间", "post": "冲压工", "status": "pending",
              "evaluation": None}]
    old, pending = _rows({"sampling_date": DAY, "groups": [], "noise": noise})
    assert (old["检测点"], old["L_EX,8h"], old["职业接触限值"], old["判定结果"]) == (
        "落料区", "82.0", "L_Aeq,8h 85 dB(A)", "符合")
    assert (pending["检测点"], pending["判定结果"], pending["单位"], pending["检测日期"]) == ("冲床旁", "", "", "")
    assert pending["备注"] == "测量数据不全，未评价"


def test_a_direct_reading_is_tested_on_the_sampling_day_and_a_missing_lab_date_stays_empty():
    reading = _sample("d1", "carbon_monoxide", duration_type="direct_reading", limit_type="mac", workshop="锅炉房",
                      post="司炉工")
    groups = [{"hazard_key": "carbon_monoxide", "workshop": "锅炉房", "post": "司炉工", "sample_ids": [IDS["d1"]],
               "status": "evaluated", "evaluation": {"result": "conform", "unit": "mg/m3", "c_me": 4.25,
                                                     "limits_used": [_limit("MAC", 20.0)]}},
              {**EVALUATION["groups"][0]}]
    co, benzene = _rows({"sampling_date": DAY, "groups": groups, "noise": []}, samples=(reading, *SAMPLES[:2]))
    assert (co["C_ME"], co["采样时间类型"], co["检测日期"]) == ("4.25", "直读", DAY)
    assert benzene["检测日期"] == ""


def test_numbers_and_dates_are_written_plainly():
    assert [number_text(v) for v in (3.0, 0.72500000001, 2.6666666666666665, 1234567.0, 0.0000123, None)] == [
        "3", "0.725", "2.67", "1230000", "0.0000123", ""]
    assert day_text("2025-04-08T23:30:00+00:00") == "2025-04-09"  # an instant is read in China time
    assert (day_text(dt.date(2025, 4, 8)), day_text("2025-04-08"), day_text(None)) == (DAY, DAY, "")


def test_the_workbook_explains_every_column_and_hides_the_machine_keys():
    out = io.BytesIO()
    enterprise = dict(ENTERPRISE, name="=HYPERLINK(\"http://x\",\"点我\")")
    item = MonitoredVisit(VISIT, SAMPLES, NOISE, EVALUATION, enterprise, REGION)
    assert write_national_xlsx(out, national_rows([item], LABELS)) == 3
    book = load_workbook(io.BytesIO(out.getvalue()))
    assert book.sheetnames == ["说明", "监测结果"]
    guide = list(book["说明"].iter_rows(values_only=True))
    described = {row[2]: row for row in guide if row and row[2] in {c.key for c in COLUMNS}}
    assert list(described) == [c.key for c in COLUMNS]
    assert described["hazard_code"][1:4] == ("危害因素编码", "hazard_code", "未找到公开来源")
    assert "留空" in described["hazard_code"][4]
    assert "CREDIT_CODE" in described["credit_code"][3] and "未找到公开来源" == described["sampling_date"][3]
    assert "经济类型" == described["economic_type"][1] and "留空" in described["economic_type"][4]
    sheet = book["监测结果"]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == [c.label_zh for c in COLUMNS] and values[1] == [c.key for c in COLUMNS]
    assert sheet.row_dimensions[2].hidden and not sheet.row_dimensions[1].hidden and sheet.freeze_panes == "A3"
    name = sheet.cell(row=3, column=2)
    assert (name.value, name.data_type) == ("=HYPERLINK(\"http://x\",\"点我\")", "s")  # text, never a formula
    assert values[2][[c.key for c in COLUMNS].index("c_twa")] == "3.4"


@pytest.fixture()
def reference():
    dust = frozenset(row["key"] for row in HAZARDS if row["category"] == "dust")
    return EvaluationReference(oel_rows=tuple(load_oel_rows()), peak_rules=default_peak_rules(),
                               evaluation_rules=default_evaluation_rules(), sampling_qc=default_sampling_qc(),
                               noise_limits=default_noise_limits(), as_of=dt.date(2025, 4, 8), dust_keys=dust)


def test_the_evaluation_the_server_stores_feeds_the_export(reference):
    # Benzene 08–12 h lab 4.0 and 12–16 h lab 2.0 mg/m³, exposure 8 h → C_TWA 3.0 = PC-TWA 3 (符合);
    # other dust with 20 % free SiO₂ → 矽尘 10–50 % band, total 0.8 ≤ 1 (符合);
    # noise 6 h at 90 dB(A): L_EX,8h = 90 + 10·lg(6/8) = 88.75 > 85 (不符合).
    def timed(sample, start, end, **fields):
        return {**sample, "start_time": f"{DAY}T{start}:00+08:00", "end_time": f"{DAY}T{end}:00+08:00",
                "flow_before_l_min": 0.2, "flow_after_l_min": 0.2, "exposure_hours_per_day": 8, **fields}
    samples = (timed(SAMPLES[0], "08:00", "12:00", lab_concentration_mg_m3=4.0),
               timed(SAMPLES[1], "12:00", "16:00", lab_concentration_mg_m3=2.0, sample_type="field"),
               timed(SAMPLES[2], "08:00", "12:00", collector="filter_membrane", dust_fraction="total",
                     free_sio2_pct=20, duration_type="long_time", lab_concentration_mg_m3=0.8))
    noise = ({**NOISE[0], "laeq_1_db": 90, "laeq_2_db": 90, "laeq_3_db": 90, "exposure_hours_per_day": 6,
              "days_per_week": 5, "calibration_before_db": 93.8, "calibration_after_db": 93.9},)
    visit = {**VISIT, "temperature_c": 20.0, "pressure_kpa": 101.3}
    evaluation = evaluate_visit(visit, list(samples), list(noise), reference)
    item = MonitoredVisit(visit, samples, noise, evaluation, ENTERPRISE, REGION)
    rows = [dict(zip((c.key for c in COLUMNS), row)) for row in national_rows([item], LABELS)]
    assert [(r["hazard_name"], r["c_twa"], r["lex_8h"], r["result"]) for r in rows] == [
        ("苯", "3", "", "符合"), ("矽尘", "0.8", "", "符合"), ("噪声", "", "88.8", "不符合")]
    assert rows[1]["condition"] == "10%≤游离SiO₂含量≤50%" and rows[1]["dust_fraction"] == "总粉尘"
