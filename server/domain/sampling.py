"""Sampling arithmetic (GBZ 159): flows, volumes, concentrations and sampling QC checks. No Flask.

Occupational health uses 20 °C / 101.3 kPa as the standard state, not environmental monitoring's
0 °C / 101.325 kPa (reference.md §1.4): the two must never share a code path.
"""

from dataclasses import dataclass
from functools import lru_cache

from .errors import Invalid
from .judgements import exceeds, format_sig
from .references import check_confidence, default_path, read_table

STANDARD_TEMPERATURE_K = 293.0
STANDARD_PRESSURE_KPA = 101.3
KELVIN_OFFSET = 273.0


def mean_flow(flow_before, flow_after):
    """Mean of the pump flows measured before and after sampling (L/min)."""
    return (float(flow_before) + float(flow_after)) / 2.0


def flow_deviation_pct(flow_before, flow_after):
    """Relative change of the flow over the sampling, in % of the flow before (sign dropped)."""
    before = float(flow_before)
    if before <= 0:
        raise ValueError("flow_before must be positive")
    return abs(float(flow_after) - before) / before * 100.0


def sampled_volume_l(flow_before, flow_after, minutes):
    """Vt in litres: mean flow (L/min) × sampling time (min)."""
    return mean_flow(flow_before, flow_after) * float(minutes)


def standard_volume_l(volume_l, temperature_c, pressure_kpa):
    """V0 = Vt × 293 / (273 + t) × P / 101.3 (litres at 20 °C, 101.3 kPa)."""
    return (float(volume_l) * STANDARD_TEMPERATURE_K / (KELVIN_OFFSET + float(temperature_c))
            * float(pressure_kpa) / STANDARD_PRESSURE_KPA)


# Molar volume at 20 °C / 101.3 kPa: 8.314 × 293.15 / 101.3 = 24.06 L/mol (reference.md §1.4).
MOLAR_VOLUME_L = 24.06
QC_TABLE = "sampling_qc"


@dataclass(frozen=True)
class FilterGainRule:
    """Maximum dust-filter mass gain for diameters in [diameter_min_mm, diameter_max_mm] (None = open)."""

    diameter_min_mm: float | None
    diameter_max_mm: float | None
    max_gain_mg: float | None  # None: no limit (75 mm filters)


@dataclass(frozen=True)
class SamplingQc:
    """Sampling quality-control thresholds from reference/oel/sampling_qc.json."""

    flow_deviation_max_pct: float
    filter_gain_rules: tuple
    verified: bool = False


@dataclass(frozen=True)
class FlowCheck:
    """Pump-flow deviation over the sampling and whether the sample stays valid."""

    deviation_pct: float
    max_deviation_pct: float
    valid: bool
    reason_zh: str
    reason_en: str


@dataclass(frozen=True)
class MassGainCheck:
    """Dust filter mass gain Δm and whether it is within the limit for the filter's diameter."""

    gain_mg: float
    max_gain_mg: float | None
    valid: bool
    reason_zh: str
    reason_en: str


def _optional(value):
    return None if value is None else float(value)


def load_sampling_qc(path=None, rows=None):
    """SamplingQc from `rows` (e.g. the database's) or sampling_qc.json."""
    if rows is None:
        rows = read_table(path or default_path("oel", "sampling_qc.json"), QC_TABLE)["rows"]
    flow, gains, verified = None, [], True
    for index, raw in enumerate(rows):
        verified = verified and check_confidence(raw, index) == "verified"
        if raw.get("kind") == "flow_deviation":
            flow = float(raw["value"])
        elif raw.get("kind") == "dust_filter_mass_gain":
            gains.append(FilterGainRule(_optional(raw["diameter_min_mm"]), _optional(raw["diameter_max_mm"]),
                                        _optional(raw["max_gain_mg"])))
    if flow is None or not gains:
        raise Invalid("采样质控数据不完整", details=[{"field": "rows", "message": "flow and filter rules needed"}])
    return SamplingQc(flow_deviation_max_pct=flow, filter_gain_rules=tuple(gains), verified=verified)


@lru_cache(maxsize=1)
def default_sampling_qc():
    """The default sampling QC thresholds, read on first use and kept."""
    return load_sampling_qc()


def minutes_between(start, end):
    """Sampling time in minutes between two datetimes (both timezone-aware, or both naive)."""
    try:
        seconds = (end - start).total_seconds()
    except TypeError as exc:
        raise Invalid("开始/结束时间须同为带时区或同为不带时区",
                      details=[{"field": "end", "message": "mixed naive and aware datetimes"}]) from exc
    if seconds < 0:
        raise Invalid("结束时间早于开始时间", details=[{"field": "end", "message": "before start"}])
    return seconds / 60.0


def _positive_volume(volume_l):
    if float(volume_l) <= 0:
        raise Invalid("采样体积必须为正数", details=[{"field": "volume_l", "message": "must be > 0"}])
    return float(volume_l)


def concentration_from_filter_masses(mass_before_mg, mass_after_mg, volume_l):
    """Dust C (mg/m³) = (m₂ − m₁) (mg) / V (L) × 1000; pass V₀, the standard volume (reference.md §1.4)."""
    gain = float(mass_after_mg) - float(mass_before_mg)
    if gain < 0:
        raise Invalid("采样后滤膜质量小于采样前", details=[{"field": "mass_after_mg", "message": "below before"}])
    return gain / _positive_volume(volume_l) * 1000.0


def concentration_from_lab_mass(mass_ug, volume_l, blank_mass_ug=0.0):
    """C (mg/m³) = (m − m_blank) (µg) / V₀ (L): µg/L equals mg/m³. Sample below blank is refused (report <LOD)."""
    net = float(mass_ug) - float(blank_mass_ug)
    if net < 0:
        raise Invalid("样品量低于空白，应按低于检出限报告",
                      details=[{"field": "mass_ug", "message": "below the blank; report as below LOD"}])
    return net / _positive_volume(volume_l)


def check_flow(flow_before, flow_after, max_deviation_pct=None):
    """Flow deviation check: valid when the deviation is ≤ the threshold (default from the QC table, 5 %)."""
    limit = float(max_deviation_pct if max_deviation_pct is not None
                  else default_sampling_qc().flow_deviation_max_pct)
    deviation = flow_deviation_pct(flow_before, flow_after)
    valid = not exceeds(deviation, limit)
    word_zh, word_en = ("≤", "within") if valid else (">", "above")
    text = f"{format_sig(deviation)}% {word_zh} {format_sig(limit)}%"
    return FlowCheck(deviation, limit, valid,
                     f"流量偏差 {text}，" + ("样品有效" if valid else "样品无效"),
                     f"flow deviation {format_sig(deviation)}% {word_en} {format_sig(limit)}%: "
                     + ("sample valid" if valid else "sample invalid"))


def _gain_rule(rules, diameter):
    for rule in rules:
        if (rule.diameter_min_mm is None or diameter >= rule.diameter_min_mm) and \
                (rule.diameter_max_mm is None or diameter <= rule.diameter_max_mm):
            return rule
    raise Invalid(f"无 {format_sig(diameter)} mm 滤膜的增重规则",
                  details=[{"field": "filter_diameter_mm", "message": "no mass-gain rule for this diameter"}])


def check_filter_mass_gain(mass_before_mg, mass_after_mg, filter_diameter_mm, qc=None):
    """Dust filter Δm check by diameter (≤37 mm: 5 mg, 40 mm: 10 mg, 75 mm: no limit, from the QC table)."""
    rule = _gain_rule((qc or default_sampling_qc()).filter_gain_rules, float(filter_diameter_mm))
    gain = float(mass_after_mg) - float(mass_before_mg)
    if rule.max_gain_mg is None:
        return MassGainCheck(gain, None, True, f"滤膜增重 {format_sig(gain)} mg，该直径不限增重",
                             f"filter gain {format_sig(gain)} mg, no limit for this diameter")
    valid = not exceeds(gain, rule.max_gain_mg)
    sign = "≤" if valid else ">"
    return MassGainCheck(gain, rule.max_gain_mg, valid,
                         f"滤膜增重 {format_sig(gain)} mg {sign} {format_sig(rule.max_gain_mg)} mg，"
                         + ("有效" if valid else "过载，样品无效"),
                         f"filter gain {format_sig(gain)} mg {sign} {format_sig(rule.max_gain_mg)} mg: "
                         + ("valid" if valid else "overloaded, sample invalid"))


def ppm_to_mg_m3(ppm, molar_mass_g_mol, molar_volume_l=MOLAR_VOLUME_L):
    """mg/m³ = ppm × M / 24.06 (20 °C, 101.3 kPa); Chinese OELs are in mg/m³."""
    return float(ppm) * float(molar_mass_g_mol) / float(molar_volume_l)
