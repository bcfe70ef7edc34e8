"""The monitoring task after the site (DESIGN §7): its lifecycle state, the handover of samples to the laboratory,
the laboratory's results with their checks and QC, and how results feed the evaluation. Plain Python, no Flask.

Lifecycle of a sampling visit: 现场采样 → 送检 → 实验室检测 → 评价 → 审核 → 报告已出具 → 已录入国家系统. The state is
derived from what exists (handovers, results, review status, the issued 检测报告, the national entry), never stored,
so it cannot drift from the facts.
"""
import datetime as dt
import json
from dataclasses import dataclass

from .errors import Invalid, problem

STATES = ("field", "handed_over", "laboratory", "evaluation", "review", "reported", "entered")
STATE_NAMES = {"field": "现场采样", "handed_over": "送检", "laboratory": "实验室检测", "evaluation": "评价",
               "review": "审核", "reported": "报告已出具", "entered": "已录入国家系统"}
STATE_NAMES_EN = {"field": "Sampling on site", "handed_over": "Handed to the laboratory", "laboratory": "In the laboratory",
                  "evaluation": "Evaluation", "review": "Review", "reported": "Report issued",
                  "entered": "Entered in the national system"}
REPORT_TYPE = "monitoring_report"
CONDITIONS = {"intact": "完好", "damaged": "破损", "leaking": "泄漏", "unsealed": "封口不严"}
RESULT_KINDS = {"mass": "分析物质量（µg）", "concentration": "浓度（mg/m³）", "weighing": "滤膜称量（mg）"}
LOD_UNITS = {"mass": "µg", "concentration": "mg/m³", "weighing": "mg"}


def needs_laboratory(sample):
    """Samples the laboratory analyses: everything collected on a medium (direct readings are read on site)."""
    return sample.get("duration_type") != "direct_reading" and sample.get("direct_reading_mg_m3") is None


def typed_result(sample):
    """Lab values typed on the tablet (form fields of sampling_record v1–v3), from before the laboratory's own entry."""
    return any(sample.get(name) is not None for name in ("lab_mass_ug", "lab_concentration_mg_m3", "filter_mass_after_mg")) \
        or sample.get("below_lod") is True


def lifecycle(*, review_status, samples, handovers, results, report_issued, entered, evaluation):
    """The state key of a visit from its facts: samples (dicts with id), handovers (SampleHandover-like with
    received_at), results (sample id → values), whether its 检测报告 is issued, whether it is entered."""
    if entered:
        return "entered"
    if report_issued:
        return "reported"
    awaiting = [s for s in samples if needs_laboratory(s) and s["id"] not in results and not typed_result(s)]
    if awaiting:
        if not handovers:
            return "field"
        if not any(h.received_at for h in handovers):
            return "handed_over"
        received = {code for h in handovers for code in (h.receipt or {}).get("received", [])}
        # A sample the laboratory never received cannot get a result: it is recorded missing, not awaited.
        if any(s.get("sample_code") in received for s in awaiting):
            return "laboratory"
    elif not evaluation or (evaluation.get("summary") or {}).get("pending"):
        return "field"
    if review_status in ("submitted", "resubmitted", "approved") and evaluation_complete(evaluation):
        return "review"
    return "evaluation"


def evaluation_complete(evaluation):
    """True when the evaluation judged every group (nothing pending)."""
    summary = (evaluation or {}).get("summary") or {}
    return bool(summary) and not summary.get("pending")


def state_of(key, review_status=None):
    """The state as people read it: key, 中文, English, its step of seven; an approved visit waiting for its report
    says so."""
    waiting = key == "review" and review_status == "approved"
    return {"key": key, "label_zh": STATE_NAMES[key] + ("（已审核通过，待出具检测报告）" if waiting else ""),
            "label_en": STATE_NAMES_EN[key] + (" (approved, report to issue)" if waiting else ""),
            "step": STATES.index(key) + 1, "steps": len(STATES)}


# ---------------------------------------------------------------------------------------------------------------
# Handover and receipt


def handover_items(samples, conditions):
    """The list handed over: every sample the laboratory analyses, with its condition (完好 unless stated)."""
    items, problems = [], []
    for code, condition in sorted(conditions.items()):
        if condition not in CONDITIONS:
            problems.append(problem(f"conditions.{code}", "choice", f"样品 {code} 的状态应为："
                                    + "、".join(CONDITIONS.values()), f"Unknown condition for {code}"))
    codes = {s.get("sample_code") for s in samples}
    for code in sorted(set(conditions) - codes):
        problems.append(problem(f"conditions.{code}", "unknown_sample", f"本次采样没有编号为 {code} 的样品",
                                f"No sample {code} in this visit"))
    if problems:
        raise Invalid("交接清单有误", details=problems)
    for sample in sorted(samples, key=lambda s: s.get("sample_code") or ""):
        if needs_laboratory(sample):
            items.append({"sample_id": sample["id"], "sample_code": sample.get("sample_code"),
                          "condition": conditions.get(sample.get("sample_code"), "intact")})
    if not items:
        raise Invalid("本次采样没有需要送实验室检测的样品", details=[problem(
            "samples", "empty", "没有需要送检的样品（直读结果已在现场记录）", "No samples for the laboratory")])
    return items


def normalise_code(text):
    """A code as a scanner or a person typed it: the label's QR holds {"s": code, "r": record id} (documents/qr.py),
    a person types the code; full-width characters and surrounding spaces are folded. Otherwise kept as typed."""
    folded = "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in str(text)).strip()
    if folded.startswith("{"):
        try:
            payload = json.loads(folded)
        except ValueError:
            return folded
        return str(payload.get("s") or "").strip() if isinstance(payload, dict) else folded
    return folded


def receipt_of(items, scanned, damaged=()):
    """Compare what the laboratory scanned with the handover list: received, missing, extra and damaged codes."""
    listed = [item["sample_code"] for item in items]
    seen, extra = [], []
    for raw in scanned:
        code = normalise_code(raw)
        if not code or code in seen or code in extra:
            continue
        (seen if code in listed else extra).append(code)
    damaged_codes = sorted({normalise_code(c) for c in damaged} | {i["sample_code"] for i in items
                                                                    if i.get("condition") != "intact"})
    return {"received": [c for c in listed if c in seen], "missing": [c for c in listed if c not in seen],
            "extra": extra, "damaged": [c for c in damaged_codes if c in listed]}


# ---------------------------------------------------------------------------------------------------------------
# Laboratory results

NUMBERS = {"mass_ug": (0, None), "concentration_mg_m3": (0, None), "lod": (0, None), "loq": (0, None),
           "filter_pre_mg": (0, None), "filter_post_mg": (0, None), "free_sio2_pct": (0, 100)}
TEXTS = {"method_standard": 120, "instrument": 120, "analyst": 60, "balance_id": 60, "note": 500}
FIELD_NAMES = {"result_kind": "结果类型", "mass_ug": "分析物质量", "concentration_mg_m3": "浓度", "lod": "检出限",
               "loq": "定量下限", "below_lod": "低于检出限", "filter_pre_mg": "采样前滤膜质量",
               "filter_post_mg": "采样后滤膜质量", "balance_id": "天平编号", "free_sio2_pct": "游离SiO₂含量",
               "method_standard": "检测方法标准", "instrument": "仪器", "analyst": "检测人",
               "analysis_date": "检测日期", "note": "备注", "confirm_blank": "确认空白样结果"}
REQUIRED = ("result_kind", "method_standard", "instrument", "analyst", "analysis_date")


@dataclass(frozen=True)
class LabCheck:
    values: dict        # as typed, ready to store (confirm_blank dropped)
    analysis_date: dt.date


def _number(name, value, problems):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.append(problem(name, "type", f"{FIELD_NAMES[name]}应为数字（不带单位和千位分隔符），收到“{value}”",
                                f"{name} must be a number"))
        return None
    low, high = NUMBERS[name]
    if value < low or (high is not None and value > high):
        span = f"{low}–{high}" if high is not None else f"不小于 {low}"
        problems.append(problem(name, "range", f"{FIELD_NAMES[name]}应在 {span} 之间，收到 {value}",
                                f"{name} out of range"))
    return value


def check_lab_values(values, *, sample, sampling_date, today):
    """Validate one result as typed; refuse with every problem at once. Nothing is converted or rounded."""
    problems = []
    unknown = sorted(set(values) - set(FIELD_NAMES))
    problems += [problem(name, "unknown_field", "未知字段", f"Unknown field {name}") for name in unknown]
    for name in REQUIRED:
        if values.get(name) in (None, ""):
            problems.append(problem(name, "required", f"请填写{FIELD_NAMES[name]}", f"{name} is required"))
    kind = values.get("result_kind")
    if kind is not None and kind not in RESULT_KINDS:
        problems.append(problem("result_kind", "choice", "结果类型应为：" + "、".join(RESULT_KINDS.values()),
                                "Unknown result kind"))
    numbers = {name: _number(name, values.get(name), problems) for name in NUMBERS}
    for name, longest in TEXTS.items():
        value = values.get(name)
        if value is not None and not isinstance(value, str):
            problems.append(problem(name, "type", f"{FIELD_NAMES[name]}应为文字", f"{name} must be text"))
        elif value and len(value) > longest:
            problems.append(problem(name, "max_length", f"{FIELD_NAMES[name]}最多 {longest} 个字，现有 {len(value)} 个",
                                    f"{name} longer than {longest}"))
    for name in ("below_lod", "confirm_blank"):
        if values.get(name) is not None and not isinstance(values[name], bool):
            problems.append(problem(name, "type", f"{FIELD_NAMES[name]}应为是或否", f"{name} must be true or false"))
    analysis_date = None
    if isinstance(values.get("analysis_date"), str):
        try:
            analysis_date = dt.date.fromisoformat(values["analysis_date"])
        except ValueError:
            problems.append(problem("analysis_date", "format", "检测日期应为 年-月-日，如 2026-04-09", "YYYY-MM-DD"))
    if analysis_date and analysis_date > today:
        problems.append(problem("analysis_date", "future", f"检测日期 {analysis_date} 晚于今天 {today}",
                                "Analysis date is in the future"))
    if analysis_date and sampling_date and analysis_date < sampling_date:
        problems.append(problem("analysis_date", "before_sampling", f"检测日期 {analysis_date} 早于采样日期 {sampling_date}",
                                "Analysis before sampling"))
    below = values.get("below_lod") is True
    main = {"mass": "mass_ug", "concentration": "concentration_mg_m3"}.get(kind)
    if kind == "weighing":
        for name in ("filter_pre_mg", "filter_post_mg"):
            if numbers[name] is None and name not in {p["field"] for p in problems}:
                problems.append(problem(name, "required", f"请填写{FIELD_NAMES[name]}", f"{name} is required"))
        pre, post = numbers["filter_pre_mg"], numbers["filter_post_mg"]
        if pre is not None and post is not None and post < pre:
            problems.append(problem("filter_post_mg", "below_pre_mass",
                                    f"采样后滤膜质量 {post} mg 低于采样前 {pre} mg，请复核称量（天平、滤膜编号）",
                                    "Post-sampling mass below the pre-sampling mass"))
        if not values.get("balance_id"):
            problems.append(problem("balance_id", "required", "滤膜称量请填写天平编号", "Balance id required"))
    elif main:
        if below and numbers[main] is not None:
            problems.append(problem(main, "below_lod_with_value", "已勾选“低于检出限”，不填测得值",
                                    "Below LOD: leave the value empty"))
        if not below and numbers[main] is None and main not in {p["field"] for p in problems}:
            problems.append(problem(main, "required", f"请填写{FIELD_NAMES[main]}，或勾选“低于检出限”",
                                    f"{main} is required unless below the LOD"))
    if below and numbers["lod"] is None and "lod" not in {p["field"] for p in problems}:
        problems.append(problem("lod", "required", "低于检出限时请填写检出限", "LOD required below the LOD"))
    if numbers["lod"] is not None and numbers["loq"] is not None and numbers["loq"] < numbers["lod"]:
        problems.append(problem("loq", "below_lod", "定量下限不应低于检出限", "LOQ below LOD"))
    if numbers["free_sio2_pct"] is not None and sample.get("collector") != "filter_membrane":
        problems.append(problem("free_sio2_pct", "not_dust", "游离SiO₂只对粉尘（滤膜）样品测定",
                                "Free silica applies to dust samples"))
    if (not problems and sample.get("sample_type") == "blank" and main and numbers[main] is not None
            and (numbers["lod"] is None or numbers[main] > numbers["lod"]) and values.get("confirm_blank") is not True):
        lod = f"检出限 {numbers['lod']}" if numbers["lod"] is not None else "未填检出限"
        problems.append(problem(main, "confirm_blank", f"空白样测得 {numbers[main]}（{lod}）：空白高于检出限将标记本批样品，"
                                "请复核后确认", "A blank above the LOD flags the batch: confirm"))
    if problems:
        raise Invalid("检测结果有误，未保存", details=problems)
    stored = {k: v for k, v in values.items() if k != "confirm_blank" and v not in (None, "")}
    return LabCheck(stored, analysis_date)


def apply_results(samples, results):
    """Sample dicts as the evaluation reads them, the laboratory's results taking the place of any lab values typed
    on the tablet (one source per value: the laboratory's, when it has entered one)."""
    merged = []
    for sample in samples:
        values = results.get(sample["id"])
        if not values:
            merged.append(sample)
            continue
        out = {k: v for k, v in sample.items() if k not in (
            "lab_mass_ug", "lab_concentration_mg_m3", "below_lod", "lod_mg_m3", "lod_ug")}
        kind = values.get("result_kind")
        if kind == "mass":
            out["lab_mass_ug"] = values.get("mass_ug")
        elif kind == "concentration":
            out["lab_concentration_mg_m3"] = values.get("concentration_mg_m3")
        elif kind == "weighing":
            out["filter_mass_before_mg"], out["filter_mass_after_mg"] = values["filter_pre_mg"], values["filter_post_mg"]
        if values.get("below_lod"):
            out["below_lod"] = True
            out["lod_ug" if kind == "mass" else "lod_mg_m3"] = values.get("lod")
        if values.get("free_sio2_pct") is not None:
            out["free_sio2_pct"] = values["free_sio2_pct"]
        merged.append(out)
    return merged


def quality_control(samples, results, evaluation):
    """QC of a batch: field blanks above their LOD (the batch of that hazard is flagged) and the relative deviation
    of parallel samples against their field sample (same hazard and sampling point): |a − b| / (a + b) × 100 %."""
    blanks, parallels = [], []
    concentrations = {k: v.get("concentration_mg_m3") for k, v in ((evaluation or {}).get("samples") or {}).items()}
    for sample in samples:
        values = results.get(sample["id"]) or {}
        if sample.get("sample_type") == "blank" and values:
            measured = values.get("mass_ug", values.get("concentration_mg_m3"))
            if measured is not None and not values.get("below_lod") and (
                    values.get("lod") is None or measured > values["lod"]):
                blanks.append({"sample_code": sample.get("sample_code"), "hazard_key": sample.get("hazard_key"),
                               "measured": measured, "lod": values.get("lod")})
        if sample.get("sample_type") == "parallel":
            twin = next((s for s in samples if s.get("sample_type") == "field"
                         and s.get("hazard_key") == sample.get("hazard_key")
                         and (s.get("sampling_point") or s.get("post")) == (sample.get("sampling_point") or sample.get("post"))),
                        None)
            a, b = concentrations.get(sample["id"]), concentrations.get(twin["id"]) if twin else None
            deviation = abs(a - b) / (a + b) * 100 if a is not None and b is not None and a + b > 0 else None
            parallels.append({"sample_code": sample.get("sample_code"),
                              "twin_code": twin.get("sample_code") if twin else None,
                              "relative_deviation_pct": deviation})
    flagged = sorted({b["hazard_key"] for b in blanks})
    return {"blanks_above_lod": blanks, "flagged_hazards": flagged, "parallels": parallels}
