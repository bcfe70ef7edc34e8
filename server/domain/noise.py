"""Noise exposure (GBZ 2.2-2007 §11, GBZ/T 189.8-2007): L_EX,8h, L_EX,W, 85 dB(A), impulse peaks.

Which level is judged depends on the working pattern: 5 d × 8 h → the equivalent level over the day;
5 d, not 8 h → L_EX,8h; not 5 d a week → L_EX,W (L_EX,40h). A calibrator drift above the threshold
makes the measurement invalid, so the verdict is 不判定 whatever the levels say.
"""

import math
from dataclasses import asdict, dataclass
from functools import lru_cache

from .errors import Invalid
from .judgements import (CONFORM, NONCONFORM, UNDETERMINED, Check, LimitUsed, combine_results, exceeds,
                         format_sig, result_label)
from .references import check_confidence, default_path, read_table

PHYSICAL_TABLE = "physical_limits"
T0_HOURS = 8.0
WEEK_DAYS = 5
CASE_5D_8H = "5d_8h"
CASE_5D_NOT_8H = "5d_not_8h"
CASE_NOT_5D = "not_5d"


@dataclass(frozen=True)
class NoisePeriod:
    """One period of the working day at one A-weighted equivalent level L_Aeq,T (dB(A)) lasting hours."""

    laeq_db: float
    hours: float


@dataclass(frozen=True)
class ImpulseNoise:
    """Impulse noise: the highest peak level (dB(A)) and the number of impulses per working day."""

    peak_db: float
    count_per_day: int


@dataclass(frozen=True)
class NoiseLimits:
    """Noise reference values with their provenance (LimitUsed) from reference/noise/gbz2_2.json."""

    lex_limit: LimitUsed
    impulse_bands: tuple  # ((max_count_per_day, LimitUsed), ...) ascending by count
    calibrator_drift: LimitUsed


@dataclass(frozen=True)
class CalibrationCheck:
    """Calibrator reading before and after the measurement and whether the drift keeps it valid."""

    before_db: float
    after_db: float
    drift_db: float
    max_drift_db: float
    valid: bool
    reason_zh: str
    reason_en: str


@dataclass(frozen=True)
class NoiseEvaluation:
    """Noise verdict: result, reasons, computed levels, which case applied, checks and limits used."""

    sampling_date: object
    result: str
    reason_zh: str
    reason_en: str
    case: str | None
    lex_8h: float | None
    lex_w: float | None
    level_judged: float | None
    checks: tuple = ()
    calibration: CalibrationCheck | None = None
    limits_used: tuple = ()

    @property
    def result_zh(self):
        """符合 / 不符合 / 不判定."""
        return result_label(self.result, "zh")

    def as_dict(self):
        """Plain JSON-ready dict (dates as ISO strings, Chinese result label included)."""
        data = asdict(self)
        data["sampling_date"] = self.sampling_date.isoformat()
        data["result_zh"] = self.result_zh
        return data


def _limit_used(raw, index):
    return LimitUsed(row_id=raw["key"], limit_type=raw["kind"], value=float(raw["value"]), unit=raw["unit"],
                     source_standard=raw["source_standard"], effective_from=raw.get("effective_from"),
                     effective_to=raw.get("effective_to"), confidence=check_confidence(raw, index),
                     verified=bool(raw["verified"]), version=int(raw.get("row_version") or 1),
                     version_from=raw.get("row_version_from"))


def load_noise_limits(path=None, rows=None):
    """NoiseLimits from `rows` (e.g. the database's) or the physical-agent table gbz2_2.json."""
    if rows is None:
        rows = read_table(path or default_path("noise", "gbz2_2.json"), PHYSICAL_TABLE)["rows"]
    found, bands = {}, []
    for index, raw in enumerate(rows):
        if raw.get("kind") == "impulse_peak":
            bands.append((int(raw["max_count_per_day"]), _limit_used(raw, index)))
        elif raw.get("kind") in ("noise_limit", "calibration_drift"):
            found[raw["kind"]] = _limit_used(raw, index)
    if len(found) != 2 or not bands:
        raise Invalid("噪声限值数据不完整", details=[{"field": "rows", "message": "noise, impulse, calibration"}])
    return NoiseLimits(found["noise_limit"], tuple(sorted(bands, key=lambda b: b[0])),
                       found["calibration_drift"])


@lru_cache(maxsize=1)
def default_noise_limits():
    """The default noise limits, read on first use and kept."""
    return load_noise_limits()


def lex_8h(laeq_db, hours):
    """Single period: L_EX,8h = L_Aeq,Te + 10·lg(Te / 8 h)."""
    if float(hours) <= 0:
        raise Invalid("接触时间必须为正数", details=[{"field": "hours", "message": "must be > 0"}])
    return float(laeq_db) + 10.0 * math.log10(float(hours) / T0_HOURS)


def lex_8h_periods(periods):
    """Several periods: L_EX,8h = 10·lg[(1/8) Σ Tᵢ·10^(0.1·L_Aeq,Tᵢ)]."""
    periods = list(periods)
    if not periods or any(float(p.hours) < 0 for p in periods) or sum(float(p.hours) for p in periods) <= 0:
        raise Invalid("至少需要一个接触时间为正的时段", details=[{"field": "periods", "message": "empty"}])
    energy = sum(float(p.hours) * 10.0 ** (0.1 * float(p.laeq_db)) for p in periods)
    return 10.0 * math.log10(energy / T0_HOURS)


def lex_w(daily_lex_db):
    """Week: L_EX,W = 10·lg[(1/5) Σᵢ₌₁ⁿ 10^(0.1·L_EX,8h,i)], n = days worked in the week."""
    daily = [float(value) for value in daily_lex_db]
    if not 1 <= len(daily) <= 7:
        raise Invalid("每周工作天数应为 1–7", details=[{"field": "daily_lex", "message": "1 to 7 days"}])
    return 10.0 * math.log10(sum(10.0 ** (0.1 * value) for value in daily) / WEEK_DAYS)


def noise_case(days_per_week, hours_per_day):
    """Which GBZ 2.2 §11.2.1 case applies: 5d_8h, 5d_not_8h or not_5d."""
    if int(days_per_week) != WEEK_DAYS:
        return CASE_NOT_5D
    return CASE_5D_8H if math.isclose(float(hours_per_day), T0_HOURS) else CASE_5D_NOT_8H


def impulse_peak_limit(count_per_day, limits=None):
    """The impulse peak limit (LimitUsed) for impulses per day; None above the last band (>10,000)."""
    if int(count_per_day) < 0:
        raise Invalid("脉冲次数不能为负", details=[{"field": "count_per_day", "message": "negative"}])
    for max_count, limit in (limits or default_noise_limits()).impulse_bands:
        if int(count_per_day) <= max_count:
            return limit
    return None


def check_calibration(before_db, after_db, max_drift_db=None):
    """Calibrator before/after: valid when |after − before| ≤ the threshold (default 0.5 dB, from the table)."""
    limit = float(max_drift_db if max_drift_db is not None else default_noise_limits().calibrator_drift.value)
    drift = abs(float(after_db) - float(before_db))
    valid = not exceeds(drift, limit)
    sign = "≤" if valid else ">"
    return CalibrationCheck(float(before_db), float(after_db), drift, limit, valid,
                            f"校准偏差 {format_sig(drift)} dB {sign} {format_sig(limit)} dB，"
                            + ("测量有效" if valid else "测量无效"),
                            f"calibrator drift {format_sig(drift)} dB {sign} {format_sig(limit)} dB: "
                            + ("measurement valid" if valid else "measurement invalid"))


def _level_check(label, level, limit):
    failed = exceeds(level, limit.value)
    sign, zh, en = (">", "不符合", "does not conform") if failed else ("≤", "符合", "conforms")
    text = f"{label} {format_sig(level)} dB(A) {sign} {format_sig(limit.value)} dB(A) ({limit.source_standard})"
    return Check("noise_limit", NONCONFORM if failed else CONFORM, level, limit.value, "dB(A)",
                 level / limit.value, f"{text}，{zh}", f"{text}: {en}", limit)


def _impulse_check(impulse, limits):
    limit = impulse_peak_limit(impulse.count_per_day, limits)
    if limit is None:
        return Check("impulse_peak", UNDETERMINED, float(impulse.peak_db), None, "dB(A)", None,
                     f"脉冲次数 {impulse.count_per_day} 次/日超过 10000 次，GBZ 2.2 无相应限值，不判定",
                     f"{impulse.count_per_day} impulses a day is above 10,000: GBZ 2.2 gives no limit, not judged")
    failed = exceeds(impulse.peak_db, limit.value)
    sign, zh, en = (">", "不符合", "does not conform") if failed else ("≤", "符合", "conforms")
    text = (f"脉冲峰值 {format_sig(impulse.peak_db)} dB(A) {sign} {format_sig(limit.value)} dB(A)"
            f"（{impulse.count_per_day} 次/日）")
    text_en = (f"impulse peak {format_sig(impulse.peak_db)} dB(A) {sign} {format_sig(limit.value)} dB(A) "
               f"({impulse.count_per_day} a day)")
    return Check("impulse_peak", NONCONFORM if failed else CONFORM, float(impulse.peak_db), limit.value,
                 "dB(A)", float(impulse.peak_db) / limit.value, f"{text}，{zh}", f"{text_en}: {en}", limit)


def _continuous_levels(periods, days_per_week, daily_lex):
    """(case, L_EX,8h, L_EX,W, label, level judged) for the continuous-noise part."""
    hours = sum(float(p.hours) for p in periods)
    case = noise_case(days_per_week, hours)
    day_level = lex_8h_periods(periods)
    if case != CASE_NOT_5D:
        label = "L_Aeq,8h" if case == CASE_5D_8H else "L_EX,8h"
        return case, day_level, None, label, day_level
    days = list(daily_lex) if daily_lex is not None else [day_level] * int(days_per_week)
    if len(days) != int(days_per_week):
        raise Invalid("逐日 L_EX,8h 的个数应等于每周工作天数",
                      details=[{"field": "daily_lex", "message": "one value per working day"}])
    week_level = lex_w(days)
    return case, day_level, week_level, "L_EX,W", week_level


def evaluate_noise(sampling_date, periods=(), days_per_week=WEEK_DAYS, daily_lex=None, impulse=None,
                   calibration=None, limits=None, max_calibration_drift_db=None):
    """Judge noise exposure against 85 dB(A) and the impulse peak limits → NoiseEvaluation.

    periods: NoisePeriod of a representative day; daily_lex: L_EX,8h per working day for a non-5-day week
    (default: every day like the representative one); calibration: (before_db, after_db) or None;
    max_calibration_drift_db overrides the table's drift threshold.
    """
    limits = limits or default_noise_limits()
    if not periods and impulse is None:
        raise Invalid("未提供噪声测量值", details=[{"field": "periods", "message": "periods or impulse needed"}])
    case = day_level = week_level = level = None
    checks = []
    if periods:
        case, day_level, week_level, label, level = _continuous_levels(periods, days_per_week, daily_lex)
        checks.append(_level_check(label, level, limits.lex_limit))
    if impulse is not None:
        checks.append(_impulse_check(impulse, limits))
    drift_limit = max_calibration_drift_db if max_calibration_drift_db is not None \
        else limits.calibrator_drift.value
    cal = check_calibration(*calibration, drift_limit) if calibration else None
    reasons = ([] if cal is None else [(cal.reason_zh, cal.reason_en)]) + \
        [(c.reason_zh, c.reason_en) for c in checks]
    result = combine_results(c.result for c in checks)
    if cal is not None and not cal.valid:
        result = UNDETERMINED
        reasons.append(("校准不合格，不判定", "calibration failed: not judged"))
    used = [c.limit_used for c in checks if c.limit_used] + ([limits.calibrator_drift] if cal else [])
    return NoiseEvaluation(sampling_date, result, "；".join(r[0] for r in reasons),
                           "; ".join(r[1] for r in reasons), case, day_level, week_level, level,
                           tuple(checks), cal, tuple(used))
