// @ts-check
/**
 * Chemicals and dust judged on the tablet with the limits in force on the sampling date, the server's rules step for
 * step (server/domain/exposure.py, oel.py, grades.py): C_TWA = Σ CᵢTᵢ / 8, C_STE = Σ cᵢtᵢ / 15, C_ME vs MAC, PC-STEL
 * only where the substance has one, the excursion rule where it has a PC-TWA but no PC-STEL, grade and action level.
 * @module evaluation/exposure
 */
import { CONFORM, Invalid, NONCONFORM, RESULT_LABELS_ZH, UNDETERMINED, combineResults, exceeds, formatSig, inPeriod, limitUsed,
  pyFloat, pyList, rowVersion } from "./judgements.js";
import { checkExcursions, peakRuleFor } from "./peaks.js";

const LIMIT_TYPES = ["MAC", "PC-TWA", "PC-STEL"];
const FRACTIONS = [null, "total", "respirable"];
const UNITS = ["mg/m3", "f/mL"];
/** @type {Record<string, string>} */
const UNIT_DISPLAY = { "mg/m3": "mg/m³", "f/mL": "f/mL" };
/** @type {Record<string, string>} */
const LABELS = { MAC: "C_ME", "PC-TWA": "C_TWA", "PC-STEL": "C_STE" };
// Free-SiO₂ bands of 矽尘 (GBZ 2.1 表2): lower bound, lower inclusive, upper bound, condition.
/** @type {[number, boolean, number, string][]} */
const SILICA_BANDS = [[10.0, true, 50.0, "sio2_10_50"], [50.0, false, 80.0, "sio2_50_80"], [80.0, false, 100.0, "sio2_gt_80"]];

/**
 * @typedef {{concentration: number, hours: number}} Segment
 * @typedef {{unit: string, fraction: string|null, segments: Segment[], short_term: {concentration: number, minutes: number}[],
 *   c_me: number|null, excursions: import("./peaks.js").Excursion[]|null, below_lod: boolean, lod: number|null}} Measurement
 */

/**
 * OEL rows as the server reads them. The server keeps the table's order (MAC, PC-TWA, PC-STEL within a substance);
 * the device's store is ordered by row key, so the rows are put back in limit-type order: checks and reasons read the same.
 * @param {any[]} rows
 */
export function oelRows(rows) {
  const parsed = rows.map((raw) => ({ key: raw.key, category: raw.category, limit_type: raw.limit_type, value: Number(raw.value),
    unit: raw.unit, source_standard: raw.source_standard, amendment: raw.amendment ?? null, condition: raw.condition ?? null,
    fraction: raw.fraction ?? null, effective_from: raw.effective_from ?? null, effective_to: raw.effective_to ?? null,
    confidence: raw.confidence, verified: Boolean(raw.verified), ...rowVersion(raw) }));
  return parsed.sort((a, b) => LIMIT_TYPES.indexOf(a.limit_type) - LIMIT_TYPES.indexOf(b.limit_type));
}

/** @typedef {ReturnType<typeof oelRows>[number]} OelRow */

/** The provenance a verdict carries for an OEL row. @param {OelRow} row */
const rowUsed = (row) => limitUsed({ ...row, row_id: [row.key, row.condition || "", row.limit_type, row.fraction || "", row.unit,
  row.effective_from || ""].join("|") });

/** Grade bands, action level, mixture index and below-LOD rule (server: load_evaluation_rules). @param {any[]} rows */
export function evaluationRules(rows) {
  const bands = [], groups = [];
  /** @type {Record<string, number>} */
  const singles = {};
  let lodRule = "低于检出限的结果以 1/2 检出限计入时间加权平均浓度（GBZ 未规定取值，参照 SL 219-2013、HJ/T 166-2004）";
  for (const raw of rows) {
    if (raw.kind === "exposure_grade") bands.push(raw);
    else if (raw.kind === "mixture_group") groups.push({ key: raw.key, label_zh: raw.label_zh, members: new Set(raw.members) });
    else {
      singles[raw.kind] = Number(raw.value);
      if (raw.kind === "below_lod" && raw.rule_zh) lodRule = raw.rule_zh;
    }
  }
  const missing = ["action_level", "mixture"].filter((kind) => !(kind in singles));
  if (missing.length || !bands.length) {
    const fields = missing.length ? missing : ["exposure_grade"];
    throw new Invalid("评价规则数据不完整", fields.map((field) => ({ field, message: "missing" })));
  }
  return { bands, action: singles.action_level, mixtureMax: singles.mixture, lodFactor: singles.below_lod ?? 0.5, lodRule, groups };
}

/** @typedef {ReturnType<typeof evaluationRules>} EvaluationRules */

/** The 矽尘 condition for a free-SiO₂ content in % (null below 10 %). @param {number} pct */
export function silicaCondition(pct) {
  if (!(pct >= 0 && pct <= 100)) {
    throw new Invalid("游离SiO₂含量应在 0–100% 之间", [{ field: "free_sio2_pct", message: "must be within 0–100" }]);
  }
  const band = SILICA_BANDS.find(([low, inclusive, high]) => (pct > low || (inclusive && pct === low)) && pct <= high);
  return band ? band[3] : null;
}

/** @param {Measurement} m */
function validate(m) {
  const numbers = [...m.segments.flatMap((s) => [["segments", s.concentration], ["segments", s.hours]]),
    ...m.short_term.flatMap((s) => [["short_term", s.concentration], ["short_term", s.minutes]]),
    ...(m.excursions || []).flatMap((e) => [["excursions", e.concentration], ["excursions", e.minutes]]),
    ...(m.c_me !== null ? [["c_me", m.c_me]] : [])];
  const bad = numbers.filter(([, value]) => Number(value) < 0).map(([field]) => String(field));
  if (exceeds(m.segments.reduce((sum, s) => sum + s.hours, 0), 24)) bad.push("segments");
  if (m.below_lod && (m.lod === null || m.lod <= 0)) bad.push("lod");
  if (!UNITS.includes(m.unit)) bad.push("unit");
  if (!FRACTIONS.includes(m.fraction)) bad.push("fraction");
  if (bad.length) {
    throw new Invalid("测量值无效", [...new Set(bad)].sort().map((field) => ({ field, message: "negative or out of range" })));
  }
}

/**
 * Rows in force for the substance, condition, fraction and unit, and all its rows in force.
 * @param {OelRow[]} rows @param {string} key @param {string} date @param {Measurement} m
 * @param {string|null} condition
 */
function applicableRows(rows, key, date, m, condition) {
  const known = [...new Set(rows.filter((r) => r.key === key).map((r) => r.condition))]
    .sort((a, b) => (a === null ? -1 : b === null ? 1 : a < b ? -1 : a > b ? 1 : 0));
  if (known.length && !known.includes(condition)) {
    throw new Invalid(`${key} 需要指定条件: ${known.map((c) => (c === null ? "None" : c)).join(", ")}`,
      [{ field: "condition", message: `one of ${pyList(known)}` }]);
  }
  const inForce = rows.filter((r) => r.key === key && r.condition === condition && inPeriod(date, r.effective_from, r.effective_to));
  if (inForce.some((r) => r.category === "dust") && m.fraction === null) {
    throw new Invalid("粉尘需指定总尘或呼尘", [{ field: "fraction", message: "total or respirable" }]);
  }
  return [inForce.filter((r) => r.fraction === m.fraction && r.unit === m.unit), inForce];
}

/**
 * @param {string} limitType @param {string} result @param {number|null} measured @param {OelRow} row
 * @param {number|null} ratio @param {string} zh @param {string} en
 */
const check = (limitType, result, measured, row, ratio, zh, en) => ({ limit_type: limitType, result, measured, limit_value: row.value,
  unit: row.unit, ratio, reason_zh: zh, reason_en: en, limit_used: rowUsed(row) });

/** @param {OelRow} row @param {string} label @param {number} measured */
function compare(row, label, measured) {
  const unit = UNIT_DISPLAY[row.unit] ?? row.unit;
  const source = [row.source_standard, row.amendment].filter(Boolean).join(" ");
  const limitText = `${row.limit_type} ${formatSig(row.value)} ${unit} (${source})`;
  const failed = exceeds(measured, row.value);
  const [result, zh, en] = failed ? [NONCONFORM, "不符合", "does not conform"] : [CONFORM, "符合", "conforms"];
  const text = `${label} ${formatSig(measured)} ${unit} ${failed ? ">" : "≤"} ${limitText}`;
  return check(row.limit_type, result, measured, row, measured / row.value, `${text}，${zh}`, `${text}: ${en}`);
}

/** @param {OelRow} row @param {number} lod */
function lodCheck(row, lod) {
  const unit = UNIT_DISPLAY[row.unit] ?? row.unit;
  const text = `<检出限 (${formatSig(lod)} ${unit})`;
  if (exceeds(row.value, lod)) {
    return check(row.limit_type, CONFORM, null, row, null, `${text}，检出限低于 ${row.limit_type} ${formatSig(row.value)} ${unit}，符合`,
      `below LOD (${formatSig(lod)} ${unit}), LOD under ${row.limit_type}: conforms`);
  }
  return check(row.limit_type, UNDETERMINED, null, row, null, `${text}，检出限不低于 ${row.limit_type}，方法不适用，不判定`,
    `below LOD, but the LOD is not under ${row.limit_type}: method unsuitable, not judged`);
}

/** C_TWA, the C_STE of each 15-min window and C_ME. @param {Measurement} m */
function measuredValues(m) {
  const windows = m.short_term.map((s) => {
    if (exceeds(s.minutes, 15)) {
      throw new Invalid(`一个短时间窗口的采样时间 ${formatSig(s.minutes)} min 超过 15 min`,
        [{ field: "short_term", message: "window longer than 15 min" }]);
    }
    return s.concentration * s.minutes / 15.0;
  });
  /** @type {Record<string, number|null>} */
  const values = { "PC-TWA": m.segments.length ? m.segments.reduce((sum, s) => sum + s.concentration * s.hours, 0) / 8.0 : null,
    "PC-STEL": windows.length ? Math.max(...windows) : null, MAC: m.c_me };
  return { values, windows };
}

/** @param {number|null} ratio @param {EvaluationRules} rules */
function grade(ratio, rules) {
  if (ratio === null) return null;
  const band = rules.bands.find((b) => (b.ratio_above == null || ratio > b.ratio_above)
    && (b.ratio_up_to == null || ratio <= b.ratio_up_to));
  if (!band) throw new Invalid(`接触比值 ${pyFloat(ratio)} 不在任何分级内`, [{ field: "ratio", message: "no band" }]);
  return band;
}

/**
 * The evaluation of a substance without a limit for it (不判定, never 符合).
 * @param {string} key @param {string} date @param {string|null} condition @param {Measurement} m
 * @param {boolean} hasOther
 */
function noOel(key, date, condition, m, hasOther) {
  let extraZh = "", extraEn = "";
  if (hasOther) { // the substance has limits, but not for this fraction or unit
    const fractionZh = /** @type {Record<string, string>} */ ({ total: "总尘", respirable: "呼尘" })[m.fraction || ""] ?? "";
    const unit = UNIT_DISPLAY[m.unit] ?? m.unit;
    extraZh = `（${fractionZh} ${unit} 无限值）`.replace("（ ", "（");
    extraEn = ` (none for ${m.fraction || ""} ${unit})`.replace("( ", "(");
  }
  return assemble(key, date, condition, m, UNDETERMINED, [`无职业接触限值${extraZh}，不判定`],
    [`no occupational exposure limit${extraEn}: not judged`],
    { values: {}, checks: [], peak: null, ratio: null, band: null, action: null, used: [], missing: [] });
}

/**
 * The Evaluation of the server as its as_dict gives it.
 * @param {string} key @param {string} date @param {string|null} condition @param {Measurement} m @param {string} result
 * @param {string[]} zh @param {string[]} en @param {any} parts
 */
function assemble(key, date, condition, m, result, zh, en, parts) {
  const { values, checks, peak, ratio, band, action, used, missing } = parts;
  return { substance_key: key, sampling_date: date, condition, fraction: m.fraction, unit: m.unit, result,
    reason_zh: zh.join("；"), reason_en: en.join("; "), c_twa: values["PC-TWA"] ?? null, c_ste: values["PC-STEL"] ?? null,
    c_me: values.MAC ?? null, checks, peak, ratio, grade: band ? band.grade : null, grade_label_zh: band ? band.label_zh : null,
    grade_label_en: band ? band.label_en : null, action_level_reached: action, limits_used: used, not_assessed: missing,
    below_lod: m.below_lod, lod: m.lod, result_zh: RESULT_LABELS_ZH[result],
    limits_verified: used.length > 0 && used.every((/** @type {any} */ u) => u.verified) && (peak === null || peak.verified) };
}

/**
 * One substance (one fraction, one unit) judged with the limits in force on the date (server: evaluate_substance).
 * @param {{oel: OelRow[], peakRules: any[], rules: EvaluationRules}} ref @param {string} key @param {string} date
 * @param {Measurement} m @param {string|null} condition
 */
export function evaluateSubstance(ref, key, date, m, condition) {
  validate(m);
  const [rows, inForce] = applicableRows(ref.oel, key, date, m, condition);
  if (!rows.length) return noOel(key, date, condition, m, inForce.length > 0);
  const { values, windows } = m.below_lod ? { values: {}, windows: [] } : measuredValues(m);
  const checks = [], missing = [];
  for (const row of rows) {
    const value = m.below_lod ? null : values[row.limit_type];
    if (m.below_lod) checks.push(lodCheck(row, Number(m.lod)));
    else if (value === null || value === undefined) missing.push(row.limit_type);
    else checks.push(compare(row, LABELS[row.limit_type], value));
  }
  const types = new Set(rows.map((r) => r.limit_type));
  const peakApplies = types.has("PC-TWA") && !types.has("PC-STEL");
  let peak = null;
  const twaRow = rows.find((r) => r.limit_type === "PC-TWA");
  if (peakApplies && !m.below_lod && twaRow) {
    const rule = peakRuleFor(ref.peakRules, date);
    if (m.excursions !== null || (rule.rule === "excursion_multiple" && windows.length)) {
      peak = checkExcursions(ref.peakRules, date, twaRow.value, twaRow.category === "dust", m.excursions || [],
        [...windows, ...(m.c_me !== null ? [m.c_me] : [])]);
    }
  }
  if (peak === null && peakApplies && !m.below_lod) missing.push("PEAK");
  const zh = [...checks.map((c) => c.reason_zh), ...(peak ? [peak.reason_zh] : [])];
  const en = [...checks.map((c) => c.reason_en), ...(peak ? [peak.reason_en] : [])];
  if (missing.length) {
    const names = missing.map((item) => (item === "PEAK" ? ["峰接触/超限倍数", "peak exposure / excursion multiple"] : [item, item]));
    zh.push(`${names.map((n) => n[0]).join("、")} 未评价（未提供相应测量值）`);
    en.push(`${names.map((n) => n[1]).join(", ")} not assessed (no data)`);
  }
  const results = [...checks.map((c) => c.result), ...(peak ? [peak.result] : [])];
  if (!results.length) {
    zh.unshift("未提供可用于判定的测量值，不判定");
    en.unshift("no measured value that can be judged: not judged");
  }
  const ratios = checks.map((c) => c.ratio).filter((r) => r !== null);
  const ratio = ratios.length ? Math.max(.../** @type {number[]} */ (ratios)) : null;
  const used = checks.map((c) => c.limit_used);
  if (peak && twaRow && !used.some((u) => JSON.stringify(u) === JSON.stringify(rowUsed(twaRow)))) used.push(rowUsed(twaRow));
  return assemble(key, date, condition, m, combineResults(results), zh, en, { values, checks, peak, ratio,
    band: grade(ratio, ref.rules), action: ratio === null ? null : ratio >= ref.rules.action, used, missing });
}
