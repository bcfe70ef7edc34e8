"""国家监测系统导出: monitoring results of sampling visits as the rows a CDC enters in the national
occupational-hazard monitoring system (工作场所职业病危害因素监测), and the workbook that carries them.

One row per evaluated group (a chemical or dust: one hazard, fraction and condition at one post) and one per noise
worker/post. Every cell is text as a person enters it: labels from the form definition and the reference data,
values at three significant figures (L_EX,8h to 0.1 dB), dates as YYYY-MM-DD — never an option key or a record id.
Which column rests on which public source, and which on none, is in docs/national_export.md and the 说明 sheet.
"""
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from ..clock import CHINA
from .document_contexts import choice_labels
from .enterprises import SIZE_LABELS
from .judgements import RESULT_LABELS_ZH, UNDETERMINED, format_sig, round_sig

GUIDE_TITLE, SHEET_TITLE = "说明", "监测结果"
PROGRESS_EVERY = 1000
NOT_FOUND = "未找到公开来源"
_EXCHANGE = "国家监测信息系统数据交换规范 用人单位字段 {}（据第三方代码转述，未见原文）"
_DECLARATION = "职业病危害项目申报表（2012年版）“{}”"
_RESULTS = "第三方检测结果上报字段“{}”（平台未明，非国家方案原文）"
# The survey form's words for the hazard_factors categories (forms/definitions/workplace_survey).
CATEGORY_LABELS = {"dust": "粉尘", "chemical": "化学因素", "physical": "物理因素", "radiation": "放射性因素",
                   "biological": "生物因素"}
UNITS = {"mg/m3": "mg/m³", "f/mL": "f/mL"}
# Noise level judged per working pattern (GBZ 2.2-2007 §11, domain/noise.py cases).
NOISE_LEVELS = {"5d_8h": "L_Aeq,8h", "5d_not_8h": "L_EX,8h", "not_5d": "L_EX,W"}
MEASURED = (("c_twa", "pc_twa"), ("c_me", "mac"), ("c_ste", "pc_stel"))


@dataclass(frozen=True)
class Column:
    """One column: machine key, Chinese header, where the national system's column was found, remark."""

    key: str
    label_zh: str
    source_zh: str
    note_zh: str = ""


COLUMNS = (
    Column("task_no", "任务编号", NOT_FOUND, "本系统采样记录的任务编号"),
    Column("enterprise_name", "用人单位名称", _EXCHANGE.format("CRPT_NAME")),
    Column("credit_code", "统一社会信用代码", _EXCHANGE.format("CREDIT_CODE")),
    Column("region_code", "所属地区编码", _EXCHANGE.format("ZONE_CODE"),
           "本系统的 GB/T 2260 行政区划代码；国家系统地区编码的位数未核对"),
    Column("region_name", "所属地区", _EXCHANGE.format("ZONE_CODE")),
    Column("industry_code", "行业类别编码", _EXCHANGE.format("INDUS_TYPE_CODE"),
           "GB/T 4754 代码；国家系统行业字典是否与其一致未核对"),
    Column("industry_name", "行业类别", _DECLARATION.format("行业分类")),
    Column("enterprise_size", "企业规模", _EXCHANGE.format("CRPT_SIZE_CODE") + "；" + _DECLARATION.format("企业规模")),
    Column("economic_type", "经济类型", _EXCHANGE.format("ECONOMY_CODE") + "；" + _DECLARATION.format("注册类型"),
           "本系统未登记经济类型，留空"),
    Column("workers_total", "职工总人数", _EXCHANGE.format("WORK_FORCE") + "；" + _DECLARATION.format("劳动者总人数"),
           "用人单位登记数"),
    Column("workers_exposed", "接触职业病危害因素人数", _EXCHANGE.format("HOLD_CARD_MAN"),
           "用人单位登记数（全单位，非本岗位）"),
    Column("monitoring_category", "检测类别", NOT_FOUND, "采样记录“检测类别”"),
    Column("workshop", "车间", _RESULTS.format("车间名称")),
    Column("post", "岗位/工种", _RESULTS.format("岗位/工种")),
    Column("points", "检测点", _RESULTS.format("检测点")),
    Column("hazard_category", "危害因素类别", _DECLARATION.format("职业病危害因素种类")),
    Column("hazard_name", "职业病危害因素名称", _RESULTS.format("危害因素名称"), "参考数据“职业病危害因素”表的中文名"),
    Column("hazard_code", "危害因素编码", NOT_FOUND,
           "参考数据中没有国家危害因素编码，留空（国家系统的编码表见 docs/national_export.md）"),
    Column("dust_fraction", "粉尘类别", _RESULTS.format("总尘/呼尘")),
    Column("condition", "限值适用条件", NOT_FOUND, "GBZ 2.1—2019 的适用条件（如游离SiO₂含量段）"),
    Column("sample_codes", "样品编号", NOT_FOUND),
    Column("sample_type", "样品类型", NOT_FOUND, "采样记录“样品类型”"),
    Column("sampling_mode", "采样/测量方式", NOT_FOUND, "采样记录“采样方式”或噪声“测量方式”"),
    Column("duration_type", "采样时间类型", NOT_FOUND),
    Column("c_twa", "C_TWA", _RESULTS.format("CTWA"), "“<”后为检出限"),
    Column("c_ste", "C_STE", _RESULTS.format("CSTE/CSTEL")),
    Column("c_me", "C_ME", _RESULTS.format("CME/CMAC")),
    Column("lex_8h", "L_EX,8h", _RESULTS.format("8/40h等效声级"), "dB(A)，保留一位小数"),
    Column("lex_w", "L_EX,W", _RESULTS.format("8/40h等效声级"), "每周工作非 5 天时"),
    Column("unit", "单位", _RESULTS.format("单位")),
    Column("limit_types", "限值类型", NOT_FOUND, "GBZ 2.1—2019 / GBZ 2.2—2007"),
    Column("limits", "职业接触限值", NOT_FOUND, "采样日期当日有效的限值"),
    Column("limit_source", "限值依据", NOT_FOUND),
    Column("result", "判定结果", _RESULTS.format("结果判定：1 不判定、2 符合、3 不符合"), "符合 / 不符合 / 不判定"),
    Column("sampling_date", "采样日期", NOT_FOUND),
    Column("analysis_date", "检测日期", NOT_FOUND, "实验室分析日期；直读和噪声为现场测量日"),
    Column("notes", "备注", NOT_FOUND, "本系统的说明：未评价的原因、按矽尘判定、低于检出限的计算规则"),
)
GUIDE_NOTES = (
    "国家监测系统导出：工作场所职业病危害因素监测结果（每个岗位每种危害因素一行，噪声每个岗位/劳动者一行）",
    "列与国家系统的对应关系依据公开的第三方资料整理，未见国家监测方案附表原文；录入前请按当年方案核对。",
    "“未找到公开来源”：国家系统是否有此列未能确认，列出供录入时对照。",
    "“监测结果”表第 2 行（隐藏）为机器键，供程序导入；所有单元格均为文本。",
)


@dataclass(frozen=True)
class MonitoredVisit:
    """One sampling visit as the export reads it: the records' form data (plain dicts with their ids), its
    evaluation as evaluate_visit returns it, the enterprise (name, credit_code, industry_code, industry_name,
    size, workers_total, workers_exposed, economic_type) and its region (code, name)."""

    visit: dict
    samples: tuple = ()
    noise_measurements: tuple = ()
    evaluation: dict | None = None
    enterprise: dict = field(default_factory=dict)
    region: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ExportLabels:
    """What turns keys into words: hazard rows by key, the form's choice labels, limit-condition labels."""

    hazards: dict
    visit: dict
    sample: dict
    noise: dict
    conditions: dict


def export_labels(hazard_factors, definition, oel_limits=()):
    """ExportLabels from the hazard_factors rows, the sampling_record form definition and (for the 适用条件 of
    silica bands and altitudes) the oel_limits rows."""
    sample = choice_labels(definition, "sample")
    conditions = dict(sample.get("oel_condition", {}))
    conditions.update({row["condition"]: row["condition_zh"] for row in oel_limits
                       if row.get("condition") and row.get("condition_zh")})
    return ExportLabels({row["key"]: row for row in hazard_factors}, choice_labels(definition, "sampling_visit"),
                        sample, choice_labels(definition, "noise_measurement"), conditions)


def number_text(value, digits=3):
    """A measured or limit value as text at `digits` significant figures, never in exponent notation."""
    if value is None:
        return ""
    text = format_sig(value, digits)
    return format(Decimal(repr(round_sig(value, digits))).normalize(), "f") if "e" in text else text


def day_text(value):
    """YYYY-MM-DD of a date, an ISO date or date-time text (an instant is read in China time); "" for none."""
    if value in (None, ""):
        return ""
    if isinstance(value, str) and len(value) > 10:
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime):
        return (value.astimezone(CHINA) if value.tzinfo else value).date().isoformat()
    return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]


def _joined(values):
    """Distinct non-empty texts in their first order, joined by 、."""
    seen = []
    for value in values:
        if value not in (None, "") and str(value) not in seen:
            seen.append(str(value))
    return "、".join(seen)


def _choices(labels, name, records):
    return _joined(labels.get(name, {}).get(record.get(name)) for record in records)


def _period(days):
    days = sorted({day for day in days if day})
    return "" if not days else days[0] if len(days) == 1 else f"{days[0]}至{days[-1]}"


def _count(value):
    return "" if value is None else str(int(value))


def _visit_cells(item, labels):
    """The columns every row of one visit shares: task, enterprise, region, dates."""
    visit, enterprise, region = item.visit, item.enterprise, item.region
    size = SIZE_LABELS.get(enterprise.get("size"))
    return {"task_no": visit.get("task_no") or "", "enterprise_name": enterprise.get("name") or "",
            "credit_code": enterprise.get("credit_code") or "", "region_code": region.get("code") or "",
            "region_name": region.get("name") or "", "industry_code": enterprise.get("industry_code") or "",
            "industry_name": enterprise.get("industry_name") or "", "enterprise_size": f"{size}型" if size else "",
            "economic_type": enterprise.get("economic_type") or "",
            "workers_total": _count(enterprise.get("workers_total")),
            "workers_exposed": _count(enterprise.get("workers_exposed")),
            "monitoring_category": _choices(labels.visit, "monitoring_category", [visit]),
            "sampling_date": day_text(visit.get("sampling_date") or (item.evaluation or {}).get("sampling_date"))}


def _hazard_cells(labels, hazard_key):
    hazard = labels.hazards.get(hazard_key) or {}
    return {"hazard_category": CATEGORY_LABELS.get(hazard.get("category"), ""),
            "hazard_name": hazard.get("name_zh") or "", "hazard_code": hazard.get("national_code") or ""}


def _limit_cells(judged, limit_label):
    """限值类型, 职业接触限值 and 限值依据 of the limits a verdict used (the calibrator threshold is QC, not a limit)."""
    used = [(limit_label(u["limit_type"]), u) for u in judged.get("limits_used") or ()]
    used = [(label, u) for label, u in used if label]
    return {"limit_types": _joined(label for label, _ in used),
            "limits": "；".join(f"{label} {number_text(u['value'])} {UNITS.get(u['unit'], u['unit'])}"
                              for label, u in used),
            "limit_source": _joined(" ".join(filter(None, (u.get("source_standard"), u.get("amendment"))))
                                    for _, u in used)}


def _status_notes(entry, judged, pending_zh):
    if entry.get("status") == "pending":
        return [pending_zh]
    if entry.get("status") == "invalid":
        return [(entry.get("problem") or {}).get("message_zh") or "数据有误，未评价"]
    return [judged.get("reason_zh")] if judged.get("result") == UNDETERMINED else []


def _measured_cells(judged, members):
    """C_TWA, C_ME, C_STE; a group below the LOD shows "<LOD" where its samples were to be judged."""
    cells = {key: number_text(judged.get(key)) for key, _ in MEASURED}
    if judged.get("below_lod"):
        lod = f"<{number_text(judged['lod'])}" if judged.get("lod") is not None else "<检出限"
        kinds = {m.get("limit_type") for m in members}
        key = next((key for key, kind in MEASURED if kind in kinds), "c_twa")
        cells[key] = lod
    return cells


def group_row(group, samples, labels, analysis_dates, sampling_day):
    """The cells (by key) of one chemical or dust group of a visit's evaluation."""
    members = [samples[i] for i in group.get("sample_ids") or () if i in samples]
    judged = group.get("evaluation") or {}
    notes = _status_notes(group, judged, "实验室结果未齐，未评价")
    if group.get("reclassified_from"):
        picked = _joined((labels.hazards.get(k) or {}).get("name_zh") for k in group["reclassified_from"])
        notes.append(f"现场记为{picked}，按游离SiO₂含量以矽尘判定" if picked else "按游离SiO₂含量以矽尘判定")
    if judged.get("below_lod"):
        notes.append("低于检出限")
    notes.append(group.get("below_lod_rule_zh"))
    tested = [analysis_dates.get(m.get("id")) or m.get("analysis_date")
              or (sampling_day if m.get("duration_type") == "direct_reading" else None) for m in members]
    return {"workshop": group.get("workshop") or "", "post": group.get("post") or "",
            "points": _joined(m.get("sampling_point") for m in members),
            **_hazard_cells(labels, group.get("hazard_key")),
            "dust_fraction": labels.sample.get("dust_fraction", {}).get(group.get("fraction"), ""),
            "condition": labels.conditions.get(group.get("condition"), ""),
            "sample_codes": _joined(m.get("sample_code") for m in members),
            "sample_type": _choices(labels.sample, "sample_type", members),
            "sampling_mode": _choices(labels.sample, "sampling_mode", members),
            "duration_type": _choices(labels.sample, "duration_type", members),
            **_measured_cells(judged, members), "unit": UNITS.get(judged.get("unit"), "") if judged else "",
            **_limit_cells(judged, str), "result": RESULT_LABELS_ZH.get(judged.get("result"), ""),
            "analysis_date": _period(day_text(day) for day in tested), "notes": "；".join(filter(None, notes))}


def noise_row(entry, measurements, labels, sampling_day):
    """The cells (by key) of one noise worker/post of a visit's evaluation (measured on site: tested that day)."""
    ids = entry.get("measurement_ids") or [entry.get("measurement_id")]  # evaluations stored before per-worker noise
    members = [measurements[i] for i in ids if i in measurements]
    judged = entry.get("evaluation") or {}
    level = NOISE_LEVELS.get(judged.get("case"), "L_EX,8h")

    def limit_label(kind):  # the 85 dB(A) limit is named by the level it judged; the calibrator drift is QC
        return level if kind == "noise_limit" else "脉冲噪声峰值" if kind == "impulse_peak" else None
    lex = {key: f"{judged[key]:.1f}" if judged.get(key) is not None else "" for key in ("lex_8h", "lex_w")}
    return {"workshop": entry.get("workshop") or "", "post": entry.get("post") or "",
            "points": _joined(m.get("measurement_point") for m in members), **_hazard_cells(labels, "noise"),
            "sampling_mode": _choices(labels.noise, "measurement_mode", members), **lex,
            "unit": "dB(A)" if judged else "", **_limit_cells(judged, limit_label),
            "result": RESULT_LABELS_ZH.get(judged.get("result"), ""), "analysis_date": sampling_day if judged else "",
            "notes": "；".join(filter(None, _status_notes(entry, judged, "测量数据不全，未评价")))}


def visit_rows(item, labels, analysis_dates=None):
    """Row dicts (every column key → text) of one visit: its groups, then its noise workers/posts."""
    evaluation = item.evaluation or {}
    shared = _visit_cells(item, labels)
    dates = analysis_dates or {}
    samples = {s["id"]: s for s in item.samples}
    measurements = {m["id"]: m for m in item.noise_measurements}
    rows = [group_row(g, samples, labels, dates, shared["sampling_date"]) for g in evaluation.get("groups") or ()]
    rows += [noise_row(n, measurements, labels, shared["sampling_date"]) for n in evaluation.get("noise") or ()]
    return [{c.key: {**shared, **row}.get(c.key, "") for c in COLUMNS} for row in rows]


def national_rows(visits, labels, *, analysis_dates=None):
    """Rows (lists of text in COLUMNS order) of the visits' monitoring results; analysis_dates maps a sample's
    id to the day the laboratory analysed it."""
    for item in visits:
        for row in visit_rows(item, labels, analysis_dates):
            yield [row[c.key] for c in COLUMNS]


def guide_rows():
    """The 说明 sheet: what the workbook is, then each column with its key, source and remark."""
    yield from ([line] for line in GUIDE_NOTES)
    yield []
    yield ["序号", "列名", "机器键", "来源（国家方案表/字段）", "说明"]
    for index, column in enumerate(COLUMNS, start=1):
        yield [str(index), column.label_zh, column.key, column.source_zh, column.note_zh]


def _text_cells(sheet, values):
    """Every cell a text cell: a value typed as =…, +… or @… in the field arrives as text, never as a formula."""
    cells = []
    for value in values:
        cell = None
        if value not in (None, ""):
            cell = WriteOnlyCell(sheet, value=str(value))
            cell.data_type = "s"
        cells.append(cell)
    return cells


def write_national_xlsx(out, rows, on_progress=None):
    """Write the 说明 and 监测结果 sheets to `out` (a path or a binary file), row by row so memory stays flat;
    returns the number of result rows. on_progress(count) is called every PROGRESS_EVERY rows."""
    book = Workbook(write_only=True)
    guide = book.create_sheet(GUIDE_TITLE)
    for letter, width in zip("ABCDE", (8, 22, 20, 60, 60)):
        guide.column_dimensions[letter].width = width
    for line in guide_rows():
        guide.append(_text_cells(guide, line))
    sheet = book.create_sheet(SHEET_TITLE)
    sheet.freeze_panes = "A3"
    sheet.row_dimensions[2].hidden = True
    sheet.append(_text_cells(sheet, [c.label_zh for c in COLUMNS]))
    sheet.append(_text_cells(sheet, [c.key for c in COLUMNS]))
    count = 0
    for count, row in enumerate(rows, start=1):
        sheet.append(_text_cells(sheet, row))
        if on_progress and count % PROGRESS_EVERY == 0:
            on_progress(count)
    book.save(out)
    return count
