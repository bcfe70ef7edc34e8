"""Judgement vocabulary shared by exposure and noise evaluation (reference.md §2.3, §9.5).

The canonical result is one of three values — conform / nonconform / undetermined — shown as
符合 / 不符合 / 不判定. Every verdict carries a reason in zh-CN and en and the limits it used, so a
supervisor can see which row of which standard decided it.
"""

import math
from dataclasses import dataclass

CONFORM = "conform"
NONCONFORM = "nonconform"
UNDETERMINED = "undetermined"
RESULTS = (CONFORM, NONCONFORM, UNDETERMINED)

RESULT_LABELS_ZH = {CONFORM: "符合", NONCONFORM: "不符合", UNDETERMINED: "不判定"}
RESULT_LABELS_EN = {CONFORM: "conforms", NONCONFORM: "does not conform", UNDETERMINED: "not judged"}

# Field readings are decimals (0.1 dB, 0.01 mg, 0.01 L/min); binary floats turn 1.05/1.00 into a
# deviation of 5.000000000000004 %. A relative tolerance far below any instrument's resolution keeps
# "exactly at the limit" on the permitted side without rounding the arithmetic itself.
_REL_TOL = 1e-9


@dataclass(frozen=True)
class LimitUsed:
    """One reference value that a verdict was judged against, with its provenance."""

    row_id: str
    limit_type: str
    value: float | None
    unit: str
    source_standard: str
    amendment: str | None = None
    effective_from: str | None = None
    effective_to: str | None = None
    condition: str | None = None
    fraction: str | None = None
    confidence: str = "memory"
    verified: bool = False
    version: int = 1  # the row's version (reference data changed by admins, four eyes)
    version_from: str | None = None  # the business date that version took effect (None: as first loaded)


@dataclass(frozen=True)
class Check:
    """One comparison of a measured value with one limit (e.g. C_TWA vs PC-TWA), with its reason."""

    limit_type: str
    result: str
    measured: float | None
    limit_value: float | None
    unit: str
    ratio: float | None  # measured / limit at full precision; None when not computable
    reason_zh: str
    reason_en: str
    limit_used: LimitUsed | None = None


def result_label(result, lang="zh"):
    """Display label of a canonical result: 符合/不符合/不判定 or the English words."""
    labels = RESULT_LABELS_ZH if lang == "zh" else RESULT_LABELS_EN
    return labels[result]


def exceeds(value, limit):
    """True when value is above limit by more than float noise (a value equal to the limit complies)."""
    return float(value) > float(limit) + _REL_TOL * max(1.0, abs(float(limit)))


def combine_results(results):
    """Overall verdict: any nonconform wins, then any undetermined, conform only if all conform."""
    results = list(results)
    if not results:
        return UNDETERMINED
    if NONCONFORM in results:
        return NONCONFORM
    if UNDETERMINED in results:
        return UNDETERMINED
    return CONFORM


def round_sig(value, digits=3):
    """Round for display only, to `digits` significant figures; never use inside arithmetic."""
    if value is None:
        return None
    value = float(value)
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - int(math.floor(math.log10(abs(value)))))


def format_sig(value, digits=3):
    """Display text of a value at `digits` significant figures ("1.75", "6", "0.05")."""
    if value is None:
        return "—"
    return f"{round_sig(value, digits):g}"
