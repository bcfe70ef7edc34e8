// @ts-check
/**
 * Short excursions above PC-TWA on the tablet (server/domain/peaks.py): the GBZ 2.1-2019 peak-exposure rule and the
 * GBZ 2.1-2007 excursion multiples, whichever is in force on the sampling date (reference table peak_rules). Both
 * apply to substances with a PC-TWA but no PC-STEL, and to dust.
 * @module evaluation/peaks
 */
import { CONFORM, Invalid, NONCONFORM, exceeds, formatSig, inPeriod, pyFloat } from "./judgements.js";

/** @typedef {{start: number|null, minutes: number, concentration: number}} Excursion  start: seconds since 1970 */

/** The peak rules as the server parses them. @param {any[]} rows */
export function peakRules(rows) {
  return rows.map((raw, index) => {
    if (raw.rule !== "peak_exposure" && raw.rule !== "excursion_multiple") {
      throw new Invalid(`第 ${index} 行 rule 无效`, [{ field: "rule", row: index, message: "unknown" }]);
    }
    return { ...raw, verified: Boolean(raw.verified), bands: (raw.bands || []).map((/** @type {any} */ b) =>
      [Number(b.pc_twa_min), b.pc_twa_below === null ? null : Number(b.pc_twa_below), Number(b.multiple)]) };
  });
}

/** The rule in force on the date; Invalid unless exactly one is. @param {any[]} rules @param {string} date */
export function peakRuleFor(rules, date) {
  const found = rules.filter((r) => inPeriod(date, r.effective_from, r.effective_to));
  if (found.length !== 1) {
    throw new Invalid(`${date} 无唯一的超限接触规则`, [{ field: "sampling_date", message: `${found.length} rules in force` }]);
  }
  return found[0];
}

/**
 * @param {any} rule @param {string} result @param {number} pcTwa @param {number} trigger @param {number|null} ceiling
 * @param {number} multiple @param {number} count @param {string[]} violations @param {string} zh @param {string} en
 */
const finding = (rule, result, pcTwa, trigger, ceiling, multiple, count, violations, zh, en) => ({ rule_key: rule.key,
  rule: rule.rule, source_standard: rule.source_standard, verified: rule.verified, result, pc_twa: pcTwa, trigger, ceiling,
  multiple, count_above_trigger: count, violations, reason_zh: zh, reason_en: en });

/** Whole microseconds, as Python's datetime and timedelta count them. @param {number} seconds */
const micro = (seconds) => Math.round(seconds * 1e6);

/**
 * @param {any} rule @param {Excursion[]} above @param {number[]} others @param {number} ceiling
 */
function peakViolations(rule, above, others, ceiling) {
  /** @type {[string, string, string][]} */
  const found = [];
  if (above.some((e) => exceeds(e.minutes, rule.max_minutes_each))) {
    found.push(["too_long", `单次超过 ${formatSig(rule.max_minutes_each)} min`,
      `an excursion lasted more than ${formatSig(rule.max_minutes_each)} min`]);
  }
  if (above.length > rule.max_count_per_day) {
    found.push(["too_many", `${above.length} 次，超过每日 ${rule.max_count_per_day} 次`,
      `${above.length} excursions, more than ${rule.max_count_per_day} a day`]);
  }
  const ordered = [...above].sort((a, b) => Number(a.start) - Number(b.start));
  const gap = micro(rule.min_gap_minutes * 60);
  const ends = ordered.map((e) => micro(Number(e.start)) + micro(e.minutes * 60));
  if (ordered.slice(1).some((b, i) => micro(Number(b.start)) - ends[i] < gap)) {
    found.push(["too_close", `间隔不足 ${formatSig(rule.min_gap_minutes)} min`,
      `less than ${formatSig(rule.min_gap_minutes)} min between excursions`]);
  }
  if ([...above.map((e) => e.concentration), ...others].some((value) => exceeds(value, ceiling))) {
    found.push(["above_ceiling", `超过 ${formatSig(rule.ceiling_multiple)}×PC-TWA (${formatSig(ceiling)})`,
      `above ${formatSig(rule.ceiling_multiple)}×PC-TWA (${formatSig(ceiling)})`]);
  }
  return found;
}

/**
 * GBZ 2.1-2019: excursions > 3×PC-TWA ≤ 15 min each, ≤ 4 a day, ≥ 1 h apart, none > 5×PC-TWA.
 * @param {any} rule @param {number} pcTwa @param {Excursion[]} excursions @param {number[]} others
 */
function checkPeakExposure(rule, pcTwa, excursions, others) {
  const trigger = rule.trigger_multiple * pcTwa;
  const ceiling = rule.ceiling_multiple * pcTwa;
  const above = excursions.filter((e) => exceeds(e.concentration, trigger));
  const found = peakViolations(rule, above, others, ceiling);
  const headZh = `峰接触: 超过 ${formatSig(rule.trigger_multiple)}×PC-TWA (${formatSig(trigger)}) ${above.length} 次`;
  const headEn = `Peak exposure: ${above.length} excursion(s) above ${formatSig(rule.trigger_multiple)}×PC-TWA (${formatSig(trigger)})`;
  if (found.length) {
    return finding(rule, NONCONFORM, pcTwa, trigger, ceiling, rule.ceiling_multiple, above.length, found.map((f) => f[0]),
      `${headZh}，${found.map((f) => f[1]).join("；")}`, `${headEn}; ${found.map((f) => f[2]).join("; ")}`);
  }
  return finding(rule, CONFORM, pcTwa, trigger, ceiling, rule.ceiling_multiple, above.length, [],
    `${headZh}，符合峰接触要求`, `${headEn}, within the peak-exposure rule`);
}

/**
 * The 2007 allowed multiple for a PC-TWA (dust: the dust multiple).
 * @param {any} rule @param {number} pcTwa @param {boolean} isDust
 */
function excursionMultiple(rule, pcTwa, isDust) {
  if (isDust) return rule.dust_multiple;
  const band = rule.bands.find((/** @type {any[]} */ [low, below]) => pcTwa >= low && (below === null || pcTwa < below));
  if (!band) throw new Invalid(`PC-TWA ${pyFloat(pcTwa)} 不在超限倍数分档内`, [{ field: "pc_twa", message: "no band" }]);
  return band[2];
}

/**
 * GBZ 2.1-2007: every short-term value ≤ the allowed multiple × PC-TWA.
 * @param {any} rule @param {number} pcTwa @param {boolean} isDust @param {Excursion[]} excursions
 * @param {number[]} others
 */
function checkExcursionMultiple(rule, pcTwa, isDust, excursions, others) {
  const multiple = excursionMultiple(rule, pcTwa, isDust);
  const allowed = multiple * pcTwa;
  const over = [...excursions.map((e) => e.concentration), ...others].filter((v) => exceeds(v, allowed));
  const zh = `超限倍数 ${formatSig(multiple)} (允许 ${formatSig(allowed)})`;
  const en = `Excursion multiple ${formatSig(multiple)} (allowed ${formatSig(allowed)})`;
  if (over.length) {
    const highest = formatSig(Math.max(...over));
    return finding(rule, NONCONFORM, pcTwa, allowed, null, multiple, over.length, ["above_multiple"],
      `${zh}: 最高 ${highest}，超过允许值`, `${en}: highest ${highest} is above it`);
  }
  return finding(rule, CONFORM, pcTwa, allowed, null, multiple, 0, [], `${zh}: 未超过`, `${en}: not exceeded`);
}

/**
 * The excursion rule in force on the date applied (server: check_excursions).
 * @param {any[]} rules @param {string} date @param {number} pcTwa @param {boolean} isDust @param {Excursion[]} excursions
 * @param {number[]} others
 */
export function checkExcursions(rules, date, pcTwa, isDust, excursions, others) {
  const rule = peakRuleFor(rules, date);
  return rule.rule === "peak_exposure" ? checkPeakExposure(rule, pcTwa, excursions, others)
    : checkExcursionMultiple(rule, pcTwa, isDust, excursions, others);
}
