"""Exposure evaluation of chemicals and dust against the limits in force on the sampling date.

C_TWA = Σ CᵢTᵢ / 8 (unexposed time counts as 0), C_STE = Σ cᵢtᵢ / 15, C_ME vs MAC, PC-STEL only
where the substance has one, and the excursion rule (peaks.py) where it has a PC-TWA but no PC-STEL.
Values keep full precision; format_sig is for display only.
"""

from dataclasses import asdict, dataclass

from .errors import Invalid
from .grades import action_level_reached, default_evaluation_rules, exposure_grade
from .judgements import (CONFORM, NONCONFORM, UNDETERMINED, Check, combine_results, exceeds, format_sig,
                         result_label)
from .oel import FRACTIONS, UNITS, conditions_for, limits_for
from .peaks import EXCURSION_MULTIPLE, check_excursions, default_peak_rules, peak_rule_for

SHIFT_HOURS = 8.0
STE_MINUTES = 15.0
NO_OEL_ZH = "无职业接触限值"
NO_OEL_EN = "no occupational exposure limit"
_UNIT_DISPLAY = {"mg/m3": "mg/m³", "f/mL": "f/mL"}


@dataclass(frozen=True)
class Segment:
    """A period of the shift at one concentration (C_TWA input); hours of the period."""

    concentration: float
    hours: float


@dataclass(frozen=True)
class ShortTermSample:
    """A short-time sample; samples sharing a window label form one 15-min window (None: its own)."""

    concentration: float
    minutes: float
    window: str | None = None


@dataclass(frozen=True)
class Measurement:
    """What was measured for one substance and fraction. excursions None = not recorded, () = none seen."""

    unit: str = "mg/m3"
    fraction: str | None = None
    segments: tuple = ()
    short_term: tuple = ()
    c_me: float | None = None
    excursions: tuple | None = None
    below_lod: bool = False
    lod: float | None = None


@dataclass(frozen=True)
class Evaluation:
    """A verdict with its computed values, per-limit checks and the limits used."""

    substance_key: str
    sampling_date: object
    condition: str | None
    fraction: str | None
    unit: str
    result: str
    reason_zh: str
    reason_en: str
    c_twa: float | None = None
    c_ste: float | None = None
    c_me: float | None = None
    checks: tuple = ()
    peak: object = None  # PeakFinding or None
    ratio: float | None = None
    grade: str | None = None
    grade_label_zh: str | None = None
    grade_label_en: str | None = None
    action_level_reached: bool | None = None
    limits_used: tuple = ()
    not_assessed: tuple = ()
    below_lod: bool = False
    lod: float | None = None

    @property
    def result_zh(self):
        """符合 / 不符合 / 不判定."""
        return result_label(self.result, "zh")

    @property
    def limits_verified(self):
        """True only when every limit and rule used was verified against the official text."""
        return bool(self.limits_used) and all(u.verified for u in self.limits_used) and \
            (self.peak is None or self.peak.verified)

    def as_dict(self):
        """Plain JSON-ready dict (dates as ISO strings, Chinese result label and verification included)."""
        data = asdict(self)
        data["sampling_date"] = self.sampling_date.isoformat()
        data["result_zh"] = self.result_zh
        data["limits_verified"] = self.limits_verified
        return data


def c_twa(segments, shift_hours=SHIFT_HOURS):
    """C_TWA = Σ CᵢTᵢ / 8 over (concentration, hours) segments; unexposed time is simply left out (0)."""
    return sum(float(s.concentration) * float(s.hours) for s in segments) / float(shift_hours)


def c_ste(samples):
    """C_STE = Σ cᵢtᵢ / 15 for the samples of one 15-min window (less than 15 min exposed: rest is 0)."""
    minutes = sum(float(s.minutes) for s in samples)
    if exceeds(minutes, STE_MINUTES):
        raise Invalid(f"一个短时间窗口的采样时间 {format_sig(minutes)} min 超过 15 min",
                      details=[{"field": "short_term", "message": "window longer than 15 min"}])
    return sum(float(s.concentration) * float(s.minutes) for s in samples) / STE_MINUTES


def c_ste_windows(samples):
    """C_STE of each 15-min window, grouping samples by their window label."""
    windows = {}
    for index, sample in enumerate(samples):
        windows.setdefault(sample.window if sample.window is not None else f"#{index}", []).append(sample)
    return {label: c_ste(group) for label, group in windows.items()}


def _validate(measurement):
    numbers = [("segments", s.concentration) for s in measurement.segments]
    numbers += [("segments", s.hours) for s in measurement.segments]
    numbers += [("short_term", s.concentration) for s in measurement.short_term]
    numbers += [("short_term", s.minutes) for s in measurement.short_term]
    numbers += [("excursions", e.concentration) for e in measurement.excursions or ()]
    numbers += [("excursions", e.minutes) for e in measurement.excursions or ()]
    numbers += [("c_me", measurement.c_me)] if measurement.c_me is not None else []
    bad = [field for field, value in numbers if float(value) < 0]
    if exceeds(sum(float(s.hours) for s in measurement.segments), 24):
        bad.append("segments")
    if measurement.below_lod and (measurement.lod is None or measurement.lod <= 0):
        bad.append("lod")
    if measurement.unit not in UNITS:
        bad.append("unit")
    if measurement.fraction not in FRACTIONS:
        bad.append("fraction")
    if bad:
        raise Invalid("测量值无效", details=[{"field": field, "message": "negative or out of range"}
                                             for field in sorted(set(bad))])


def applicable_rows(rows, substance_key, on_date, measurement, condition=None):
    """Rows in force for the substance, condition, fraction and unit; Invalid when the input is ambiguous."""
    known = conditions_for(rows, substance_key)
    if known and condition not in known:
        raise Invalid(f"{substance_key} 需要指定条件: {', '.join(str(c) for c in known)}",
                      details=[{"field": "condition", "message": f"one of {list(known)}"}])
    in_force = limits_for(rows, substance_key, on_date, condition)
    if any(row.category == "dust" for row in in_force) and measurement.fraction is None:
        raise Invalid("粉尘需指定总尘或呼尘", details=[{"field": "fraction", "message": "total or respirable"}])
    return tuple(row for row in in_force
                 if row.fraction == measurement.fraction and row.unit == measurement.unit), in_force


def _compare(row, label, measured):
    unit = _UNIT_DISPLAY.get(row.unit, row.unit)
    source = " ".join(filter(None, [row.source_standard, row.amendment]))
    limit_text = f"{row.limit_type} {format_sig(row.value)} {unit} ({source})"
    failed = exceeds(measured, row.value)
    sign = ">" if failed else "≤"
    verdict = (NONCONFORM, "不符合", "does not conform") if failed else (CONFORM, "符合", "conforms")
    return Check(row.limit_type, verdict[0], measured, row.value, row.unit, measured / row.value,
                 f"{label} {format_sig(measured)} {unit} {sign} {limit_text}，{verdict[1]}",
                 f"{label} {format_sig(measured)} {unit} {sign} {limit_text}: {verdict[2]}",
                 row.as_limit_used())


def _lod_check(row, lod):
    unit = _UNIT_DISPLAY.get(row.unit, row.unit)
    text = f"<检出限 ({format_sig(lod)} {unit})"
    if exceeds(row.value, lod):
        return Check(row.limit_type, CONFORM, None, row.value, row.unit, None,
                     f"{text}，检出限低于 {row.limit_type} {format_sig(row.value)} {unit}，符合",
                     f"below LOD ({format_sig(lod)} {unit}), LOD under {row.limit_type}: conforms",
                     row.as_limit_used())
    return Check(row.limit_type, UNDETERMINED, None, row.value, row.unit, None,
                 f"{text}，检出限不低于 {row.limit_type}，方法不适用，不判定",
                 f"below LOD, but the LOD is not under {row.limit_type}: method unsuitable, not judged",
                 row.as_limit_used())


def _measured_checks(rows, values):
    """Checks of every limit row whose measured value is present; labels of the rows left unmeasured."""
    labels = {"MAC": "C_ME", "PC-TWA": "C_TWA", "PC-STEL": "C_STE"}
    checks, missing = [], []
    for row in rows:
        value = values.get(row.limit_type)
        if value is None:
            missing.append(row.limit_type)
        else:
            checks.append(_compare(row, labels[row.limit_type], value))
    return checks, missing


def _peak_applies(rows):
    types = {row.limit_type for row in rows}
    return "PC-TWA" in types and "PC-STEL" not in types


def _assess_peak(rows, on_date, measurement, values, peak_rules):
    """The excursion finding (or None when the rule does not apply or nothing was recorded for it)."""
    if not _peak_applies(rows) or measurement.below_lod:
        return None, None
    rule = peak_rule_for(peak_rules, on_date)
    short_values = list(values["short_term_windows"].values())
    if measurement.excursions is None and not (rule.rule == EXCURSION_MULTIPLE and short_values):
        return None, None
    twa_row = next(row for row in rows if row.limit_type == "PC-TWA")
    others = short_values + ([float(measurement.c_me)] if measurement.c_me is not None else [])
    return check_excursions(peak_rules, on_date, twa_row.value, twa_row.category == "dust",
                            measurement.excursions or (), others), twa_row


def _measured_values(measurement):
    windows = c_ste_windows(measurement.short_term)
    return {"PC-TWA": c_twa(measurement.segments) if measurement.segments else None,
            "PC-STEL": max(windows.values()) if windows else None,
            "MAC": float(measurement.c_me) if measurement.c_me is not None else None,
            "short_term_windows": windows}


def _no_oel(substance_key, on_date, condition, measurement, in_force):
    extra_zh, extra_en = "", ""
    if in_force:  # the substance has limits, but not for this fraction or unit
        fraction_zh = {"total": "总尘", "respirable": "呼尘"}.get(measurement.fraction, "")
        unit = _UNIT_DISPLAY.get(measurement.unit, measurement.unit)
        extra_zh = f"（{fraction_zh} {unit} 无限值）".replace("（ ", "（")
        extra_en = f" (none for {measurement.fraction or ''} {unit})".replace("( ", "(")
    return Evaluation(substance_key, on_date, condition, measurement.fraction, measurement.unit, UNDETERMINED,
                      f"{NO_OEL_ZH}{extra_zh}，不判定", f"{NO_OEL_EN}{extra_en}: not judged",
                      below_lod=measurement.below_lod, lod=measurement.lod)


def _not_assessed_text(not_assessed):
    names = {"PEAK": ("峰接触/超限倍数", "peak exposure / excursion multiple")}
    if not not_assessed:
        return [], []
    zh = "、".join(names.get(item, (item, item))[0] for item in not_assessed)
    en = ", ".join(names.get(item, (item, item))[1] for item in not_assessed)
    return [f"{zh} 未评价（未提供相应测量值）"], [f"{en} not assessed (no data)"]


def evaluate_substance(rows, substance_key, sampling_date, measurement, condition=None,
                       peak_rules=None, evaluation_rules=None):
    """Judge one substance (one fraction, one unit) with the limits in force on sampling_date → Evaluation.

    Raises Invalid for impossible input (negative values, missing condition or dust fraction).
    """
    _validate(measurement)
    rows_used, in_force = applicable_rows(rows, substance_key, sampling_date, measurement, condition)
    if not rows_used:
        return _no_oel(substance_key, sampling_date, condition, measurement, in_force)
    peak_rules = peak_rules or default_peak_rules()
    values = _measured_values(measurement) if not measurement.below_lod else {"short_term_windows": {}}
    if measurement.below_lod:
        checks, missing = [_lod_check(row, float(measurement.lod)) for row in rows_used], []
    else:
        checks, missing = _measured_checks(rows_used, values)
    peak, twa_row = _assess_peak(rows_used, sampling_date, measurement, values, peak_rules)
    if peak is None and _peak_applies(rows_used) and not measurement.below_lod:
        missing.append("PEAK")
    return _assemble(substance_key, sampling_date, condition, measurement, values, checks, peak, twa_row,
                     missing, evaluation_rules or default_evaluation_rules())


def _assemble(key, on_date, condition, measurement, values, checks, peak, twa_row, missing, rules):
    notes = _not_assessed_text(missing)
    results = [c.result for c in checks] + ([peak.result] if peak else [])
    reasons_zh = [c.reason_zh for c in checks] + ([peak.reason_zh] if peak else []) + notes[0]
    reasons_en = [c.reason_en for c in checks] + ([peak.reason_en] if peak else []) + notes[1]
    if not results:
        reasons_zh.insert(0, "未提供可用于判定的测量值，不判定")
        reasons_en.insert(0, "no measured value that can be judged: not judged")
    ratios = [c.ratio for c in checks if c.ratio is not None]
    ratio = max(ratios) if ratios else None
    band = exposure_grade(ratio, rules)
    used = [c.limit_used for c in checks]
    if peak and twa_row.as_limit_used() not in used:
        used.append(twa_row.as_limit_used())
    return Evaluation(
        key, on_date, condition, measurement.fraction, measurement.unit, combine_results(results),
        "；".join(reasons_zh), "; ".join(reasons_en), c_twa=values.get("PC-TWA"),
        c_ste=values.get("PC-STEL"), c_me=values.get("MAC"), checks=tuple(checks), peak=peak, ratio=ratio,
        grade=band.grade if band else None, grade_label_zh=band.label_zh if band else None,
        grade_label_en=band.label_en if band else None,
        action_level_reached=action_level_reached(ratio, rules), limits_used=tuple(used),
        not_assessed=tuple(missing), below_lod=measurement.below_lod, lod=measurement.lod)
