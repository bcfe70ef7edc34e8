"""Short excursions above PC-TWA: the 2019 peak-exposure rule and the 2007 excursion multiples.

Both apply to substances that have a PC-TWA but no PC-STEL, and to dust. Which one applies is data:
the rule in force on the sampling date (reference/oel/peak_rules.json), so a 2018 report is
recomputed with 超限倍数 and a 2023 one with 峰接触浓度.
"""

from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from .errors import Invalid
from .judgements import CONFORM, NONCONFORM, exceeds, format_sig
from .references import check_confidence, default_path, in_period, parse_date, read_table

PEAK_TABLE = "peak_rules"
PEAK_EXPOSURE = "peak_exposure"
EXCURSION_MULTIPLE = "excursion_multiple"


@dataclass(frozen=True)
class Excursion:
    """One period above the PC-TWA seen during the shift: start (datetime), duration and concentration."""

    start: object
    minutes: float
    concentration: float


@dataclass(frozen=True)
class PeakRule:
    """One excursion rule with its effective period; fields of the other kind of rule stay None."""

    key: str
    rule: str
    source_standard: str
    confidence: str
    verified: bool
    effective_from: object = None
    effective_to: object = None
    trigger_multiple: float | None = None
    max_minutes_each: float | None = None
    max_count_per_day: int | None = None
    min_gap_minutes: float | None = None
    ceiling_multiple: float | None = None
    bands: tuple = ()  # ((pc_twa_min, pc_twa_below or None, multiple), ...)
    dust_multiple: float | None = None
    note: str | None = None


@dataclass(frozen=True)
class PeakFinding:
    """Outcome of an excursion rule: result, limits in concentration units, what broke, and why."""

    rule_key: str
    rule: str
    source_standard: str
    verified: bool
    result: str
    pc_twa: float
    trigger: float  # 3 × PC-TWA (2019) or the allowed multiple × PC-TWA (2007)
    ceiling: float | None  # 5 × PC-TWA (2019); None for 2007
    multiple: float
    count_above_trigger: int
    violations: tuple  # codes: too_long, too_many, too_close, above_ceiling, above_multiple
    reason_zh: str
    reason_en: str


def _parse_rule(raw, index):
    bands = tuple((float(b["pc_twa_min"]), None if b["pc_twa_below"] is None else float(b["pc_twa_below"]),
                   float(b["multiple"])) for b in raw.get("bands") or ())
    optional = {name: raw.get(name) for name in ("trigger_multiple", "max_minutes_each", "max_count_per_day",
                                                 "min_gap_minutes", "ceiling_multiple", "dust_multiple")}
    if raw.get("rule") not in (PEAK_EXPOSURE, EXCURSION_MULTIPLE):
        raise Invalid(f"第 {index} 行 rule 无效", details=[{"field": "rule", "row": index, "message": "unknown"}])
    return PeakRule(key=raw["key"], rule=raw["rule"], source_standard=raw["source_standard"],
                    confidence=check_confidence(raw, index), verified=bool(raw["verified"]),
                    effective_from=parse_date(raw.get("effective_from"), "effective_from", index),
                    effective_to=parse_date(raw.get("effective_to"), "effective_to", index),
                    bands=bands, note=raw.get("note"), **optional)


def load_peak_rules(path=None, rows=None):
    """Peak rules from `rows` (e.g. the database's, admins' edits included) or peak_rules.json."""
    if rows is None:
        rows = read_table(path or default_path("oel", "peak_rules.json"), PEAK_TABLE)["rows"]
    return tuple(_parse_rule(raw, index) for index, raw in enumerate(rows))


@lru_cache(maxsize=1)
def default_peak_rules():
    """The default peak rules, read on first use and kept."""
    return load_peak_rules()


def peak_rule_for(rules, on_date):
    """The excursion rule in force on on_date; raises Invalid if none or several are."""
    found = [rule for rule in rules if in_period(on_date, rule.effective_from, rule.effective_to)]
    if len(found) != 1:
        raise Invalid(f"{on_date} 无唯一的超限接触规则", details=[{"field": "sampling_date",
                                                                  "message": f"{len(found)} rules in force"}])
    return found[0]


def excursion_multiple(rule, pc_twa, is_dust):
    """The 2007 allowed excursion multiple for a PC-TWA value (dust: the dust multiple)."""
    if is_dust:
        return rule.dust_multiple
    for low, below, multiple in rule.bands:
        if pc_twa >= low and (below is None or pc_twa < below):
            return multiple
    raise Invalid(f"PC-TWA {pc_twa} 不在超限倍数分档内", details=[{"field": "pc_twa", "message": "no band"}])


def _finding(rule, result, pc_twa, trigger, ceiling, multiple, count, violations, zh, en):
    return PeakFinding(rule_key=rule.key, rule=rule.rule, source_standard=rule.source_standard,
                       verified=rule.verified, result=result, pc_twa=pc_twa, trigger=trigger,
                       ceiling=ceiling, multiple=multiple, count_above_trigger=count,
                       violations=tuple(violations), reason_zh=zh, reason_en=en)


def _peak_violations(rule, above, other_values, ceiling):
    """Violation codes and messages of the 2019 rule for excursions above the trigger."""
    found = []
    if any(exceeds(e.minutes, rule.max_minutes_each) for e in above):
        found.append(("too_long", f"单次超过 {format_sig(rule.max_minutes_each)} min",
                      f"an excursion lasted more than {format_sig(rule.max_minutes_each)} min"))
    if len(above) > rule.max_count_per_day:
        found.append(("too_many", f"{len(above)} 次，超过每日 {rule.max_count_per_day} 次",
                      f"{len(above)} excursions, more than {rule.max_count_per_day} a day"))
    ordered = sorted(above, key=lambda e: e.start)
    gap = timedelta(minutes=rule.min_gap_minutes)
    if any(b.start - (a.start + timedelta(minutes=a.minutes)) < gap for a, b in zip(ordered, ordered[1:])):
        found.append(("too_close", f"间隔不足 {format_sig(rule.min_gap_minutes)} min",
                      f"less than {format_sig(rule.min_gap_minutes)} min between excursions"))
    if any(exceeds(value, ceiling) for value in [e.concentration for e in above] + list(other_values)):
        found.append(("above_ceiling", f"超过 {format_sig(rule.ceiling_multiple)}×PC-TWA ({format_sig(ceiling)})",
                      f"above {format_sig(rule.ceiling_multiple)}×PC-TWA ({format_sig(ceiling)})"))
    return found


def check_peak_exposure(rule, pc_twa, excursions, other_values=()):
    """GBZ 2.1-2019 peak rule: excursions >3×PC-TWA ≤15 min each, ≤4/day, ≥1 h apart, none >5×PC-TWA.

    other_values are short-term results (C_STE, C_ME) that must also stay under the ceiling.
    """
    trigger = rule.trigger_multiple * pc_twa
    ceiling = rule.ceiling_multiple * pc_twa
    above = [e for e in excursions if exceeds(e.concentration, trigger)]
    found = _peak_violations(rule, above, other_values, ceiling)
    head_zh = f"峰接触: 超过 {format_sig(rule.trigger_multiple)}×PC-TWA ({format_sig(trigger)}) {len(above)} 次"
    head_en = f"Peak exposure: {len(above)} excursion(s) above {format_sig(rule.trigger_multiple)}×PC-TWA " \
              f"({format_sig(trigger)})"
    if found:
        zh = head_zh + "，" + "；".join(item[1] for item in found)
        en = head_en + "; " + "; ".join(item[2] for item in found)
        return _finding(rule, NONCONFORM, pc_twa, trigger, ceiling, rule.ceiling_multiple, len(above),
                        [item[0] for item in found], zh, en)
    return _finding(rule, CONFORM, pc_twa, trigger, ceiling, rule.ceiling_multiple, len(above), [],
                    head_zh + "，符合峰接触要求", head_en + ", within the peak-exposure rule")


def check_excursion_multiple(rule, pc_twa, is_dust, excursions, other_values=()):
    """GBZ 2.1-2007 rule: every short-term value ≤ allowed multiple × PC-TWA (超限倍数)."""
    multiple = excursion_multiple(rule, pc_twa, is_dust)
    allowed = multiple * pc_twa
    values = [e.concentration for e in excursions] + list(other_values)
    over = [v for v in values if exceeds(v, allowed)]
    zh = f"超限倍数 {format_sig(multiple)} (允许 {format_sig(allowed)})"
    en = f"Excursion multiple {format_sig(multiple)} (allowed {format_sig(allowed)})"
    if over:
        return _finding(rule, NONCONFORM, pc_twa, allowed, None, multiple, len(over), ["above_multiple"],
                        f"{zh}: 最高 {format_sig(max(over))}，超过允许值",
                        f"{en}: highest {format_sig(max(over))} is above it")
    return _finding(rule, CONFORM, pc_twa, allowed, None, multiple, 0, [],
                    f"{zh}: 未超过", f"{en}: not exceeded")


def check_excursions(rules, on_date, pc_twa, is_dust, excursions, other_values=()):
    """Apply the excursion rule in force on on_date (2019 peak exposure or 2007 multiple)."""
    rule = peak_rule_for(rules, on_date)
    if rule.rule == PEAK_EXPOSURE:
        return check_peak_exposure(rule, pc_twa, excursions, other_values)
    return check_excursion_multiple(rule, pc_twa, is_dust, excursions, other_values)
