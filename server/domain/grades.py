"""Exposure grade (0/Ⅰ/Ⅱ/Ⅲ/Ⅳ by % of OEL), action level and the mixture threshold.

The bands and thresholds are reference data (reference/oel/evaluation_rules.json), not constants:
they are third-party readings of the GBZ 2.1-2019 annex and must stay editable.
"""

from dataclasses import dataclass
from functools import lru_cache

from .errors import Invalid
from .references import check_confidence, default_path, read_table

RULES_TABLE = "exposure_evaluation_rules"
# Stated when the reference data does not say otherwise (reference.md §2.3: no GBZ text gives the value; SL 219-2013,
# HJ/T 166-2004 and 环办监测函〔2020〕82号 use ½ LOD).
BELOW_LOD_RULE_ZH = "低于检出限的结果以 1/2 检出限计入时间加权平均浓度（GBZ 未规定取值，参照 SL 219-2013、HJ/T 166-2004）"


@dataclass(frozen=True)
class MixtureGroup:
    """Substances with the same target organ or effect, judged together: Σ Cᵢ/OELᵢ ≤ 1."""

    key: str
    label_zh: str
    members: frozenset


@dataclass(frozen=True)
class GradeBand:
    """ratio_above < ratio ≤ ratio_up_to (None = open end)."""

    grade: str
    ratio_above: float | None
    ratio_up_to: float | None
    label_zh: str
    label_en: str


@dataclass(frozen=True)
class EvaluationRules:
    """Grade bands, action-level ratio and the maximum mixture index."""

    grade_bands: tuple
    action_level_ratio: float
    mixture_index_max: float
    verified: bool = False
    below_lod_factor: float = 0.5   # a result below the LOD enters a C_TWA as this × LOD
    below_lod_rule_zh: str = BELOW_LOD_RULE_ZH
    mixture_groups: tuple = ()      # MixtureGroup: substances judged together by Σ C/OEL


def _number(value):
    return None if value is None else float(value)


def load_evaluation_rules(path=None, rows=None):
    """EvaluationRules from `rows` (e.g. the database's) or evaluation_rules.json."""
    if rows is None:
        rows = read_table(path or default_path("oel", "evaluation_rules.json"), RULES_TABLE)["rows"]
    bands, singles, groups, verified, lod_rule = [], {}, [], True, BELOW_LOD_RULE_ZH
    for index, raw in enumerate(rows):
        verified = verified and check_confidence(raw, index) == "verified"
        if raw.get("kind") == "exposure_grade":
            bands.append(GradeBand(raw["grade"], _number(raw["ratio_above"]), _number(raw["ratio_up_to"]),
                                   raw["label_zh"], raw["label_en"]))
        elif raw.get("kind") == "mixture_group":
            groups.append(MixtureGroup(raw["key"], raw["label_zh"], frozenset(raw["members"])))
        else:
            singles[raw.get("kind")] = float(raw["value"])
            if raw.get("kind") == "below_lod" and raw.get("rule_zh"):
                lod_rule = raw["rule_zh"]
    missing = [kind for kind in ("action_level", "mixture") if kind not in singles]
    if missing or not bands:
        raise Invalid("评价规则数据不完整", details=[{"field": kind, "message": "missing"}
                                                     for kind in missing or ["exposure_grade"]])
    return EvaluationRules(grade_bands=tuple(bands), action_level_ratio=singles["action_level"],
                           mixture_index_max=singles["mixture"], verified=verified,
                           below_lod_factor=singles.get("below_lod", 0.5), below_lod_rule_zh=lod_rule,
                           mixture_groups=tuple(groups))


@lru_cache(maxsize=1)
def default_evaluation_rules():
    """The default evaluation rules, read on first use and kept."""
    return load_evaluation_rules()


def exposure_grade(ratio, rules=None):
    """The GradeBand for ratio = exposure / OEL (0.35 → Ⅱ); None when the ratio is unknown."""
    if ratio is None:
        return None
    rules = rules or default_evaluation_rules()
    for band in rules.grade_bands:
        if (band.ratio_above is None or ratio > band.ratio_above) and \
                (band.ratio_up_to is None or ratio <= band.ratio_up_to):
            return band
    raise Invalid(f"接触比值 {ratio} 不在任何分级内", details=[{"field": "ratio", "message": "no band"}])


def action_level_reached(ratio, rules=None):
    """True when exposure / OEL ≥ the action level (0.5 by default); None when the ratio is unknown."""
    if ratio is None:
        return None
    rules = rules or default_evaluation_rules()
    return ratio >= rules.action_level_ratio
