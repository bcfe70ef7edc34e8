// @ts-check
/**
 * Noise on the tablet, the server's rules step for step (server/domain/noise.py and the noise part of
 * domain/evaluations.py): GBZ/T 189.8-2007 and GBZ 2.2-2007 §11. The sound-level-meter periods of one post
 * (workshop + post) are one worker's day: each period's L_Aeq is the energy mean of its three readings, and
 * L_EX,8h = 10·lg[(1/8)·Σ Tᵢ·10^(0.1·L_Aeq,Tᵢ)]; a dosimeter's L_EX,8h covers the day and stands alone. Not 5 days
 * a week: L_EX,W is judged. A calibrator drift above its limit makes the verdict 不判定 whatever the levels say.
 * @module evaluation/noise
 */
import { CONFORM, Invalid, NONCONFORM, RESULT_LABELS_ZH, UNDETERMINED, combineResults, exceeds, formatG, formatSig, limitUsed,
  rowVersion } from "./judgements.js";

const T0_HOURS = 8.0;
const WEEK_DAYS = 5;

/**
 * @typedef {ReturnType<typeof limitUsed>} LimitUsed
 * @typedef {{lex: LimitUsed, impulseBands: [number, LimitUsed][], drift: LimitUsed}} NoiseLimits
 * @typedef {{laeq_db: number, hours: number}} NoisePeriod
 */

/** @param {any} raw */
const noiseLimitUsed = (raw) => limitUsed({ row_id: raw.key, limit_type: raw.kind, value: Number(raw.value), unit: raw.unit,
  source_standard: raw.source_standard, effective_from: raw.effective_from, effective_to: raw.effective_to,
  confidence: raw.confidence, verified: Boolean(raw.verified), ...rowVersion(raw) });

/**
 * The noise limit, impulse peak bands and calibrator drift from the physical_limits rows (server: load_noise_limits).
 * @param {any[]} rows @returns {NoiseLimits}
 */
export function noiseLimits(rows) {
  /** @type {Record<string, LimitUsed>} */
  const found = {};
  /** @type {[number, LimitUsed][]} */
  const bands = [];
  for (const raw of rows) {
    if (raw.kind === "impulse_peak") bands.push([Math.trunc(Number(raw.max_count_per_day)), noiseLimitUsed(raw)]);
    else if (raw.kind === "noise_limit" || raw.kind === "calibration_drift") found[raw.kind] = noiseLimitUsed(raw);
  }
  if (Object.keys(found).length !== 2 || !bands.length) {
    throw new Invalid("噪声限值数据不完整", [{ field: "rows", message: "noise, impulse, calibration" }]);
  }
  return { lex: found.noise_limit, impulseBands: bands.sort((a, b) => a[0] - b[0]), drift: found.calibration_drift };
}

/** L_EX,8h = 10·lg[(1/8) Σ Tᵢ·10^(0.1·L_Aeq,Tᵢ)]. @param {NoisePeriod[]} periods */
function lex8hPeriods(periods) {
  if (!periods.length || periods.some((p) => p.hours < 0) || periods.reduce((sum, p) => sum + p.hours, 0) <= 0) {
    throw new Invalid("至少需要一个接触时间为正的时段", [{ field: "periods", message: "empty" }]);
  }
  const energy = periods.reduce((sum, p) => sum + p.hours * 10.0 ** (0.1 * p.laeq_db), 0);
  return 10.0 * Math.log10(energy / T0_HOURS);
}

/** L_EX,W = 10·lg[(1/5) Σᵢ₌₁ⁿ 10^(0.1·L_EX,8h,i)], n = days worked in the week. @param {number[]} daily */
function lexW(daily) {
  if (daily.length < 1 || daily.length > 7) throw new Invalid("每周工作天数应为 1–7", [{ field: "daily_lex", message: "1 to 7 days" }]);
  return 10.0 * Math.log10(daily.reduce((sum, value) => sum + 10.0 ** (0.1 * value), 0) / WEEK_DAYS);
}

/** GBZ 2.2 §11.2.1: 5d_8h, 5d_not_8h or not_5d (math.isclose's relative tolerance). @param {number} days @param {number} hours */
function noiseCase(days, hours) {
  if (Math.trunc(days) !== WEEK_DAYS) return "not_5d";
  return Math.abs(hours - T0_HOURS) <= 1e-9 * Math.max(Math.abs(hours), T0_HOURS) ? "5d_8h" : "5d_not_8h";
}

/**
 * @param {string} limitType @param {string} result @param {number|null} measured @param {number|null} limit
 * @param {number|null} ratio @param {string} zh @param {string} en @param {LimitUsed|null} used
 */
const check = (limitType, result, measured, limit, ratio, zh, en, used) => ({ limit_type: limitType, result, measured,
  limit_value: limit, unit: "dB(A)", ratio, reason_zh: zh, reason_en: en, limit_used: used });

/** @param {string} label @param {number} level @param {LimitUsed} limit */
function levelCheck(label, level, limit) {
  const failed = exceeds(level, limit.value);
  const [sign, zh, en] = failed ? [">", "不符合", "does not conform"] : ["≤", "符合", "conforms"];
  const text = `${label} ${formatSig(level)} dB(A) ${sign} ${formatSig(limit.value)} dB(A) (${limit.source_standard})`;
  return check("noise_limit", failed ? NONCONFORM : CONFORM, level, limit.value, level / limit.value, `${text}，${zh}`,
    `${text}: ${en}`, limit);
}

/** @param {{peak_db: number, count_per_day: number}} impulse @param {NoiseLimits} limits */
function impulseCheck(impulse, limits) {
  const count = impulse.count_per_day;
  if (count < 0) throw new Invalid("脉冲次数不能为负", [{ field: "count_per_day", message: "negative" }]);
  const limit = limits.impulseBands.find(([max]) => count <= max)?.[1];
  if (!limit) {
    return check("impulse_peak", UNDETERMINED, impulse.peak_db, null, null,
      `脉冲次数 ${count} 次/日超过 10000 次，GBZ 2.2 无相应限值，不判定`,
      `${count} impulses a day is above 10,000: GBZ 2.2 gives no limit, not judged`, null);
  }
  const failed = exceeds(impulse.peak_db, limit.value);
  const [sign, zh, en] = failed ? [">", "不符合", "does not conform"] : ["≤", "符合", "conforms"];
  const text = `脉冲峰值 ${formatSig(impulse.peak_db)} dB(A) ${sign} ${formatSig(limit.value)} dB(A)（${count} 次/日）`;
  const textEn = `impulse peak ${formatSig(impulse.peak_db)} dB(A) ${sign} ${formatSig(limit.value)} dB(A) (${count} a day)`;
  return check("impulse_peak", failed ? NONCONFORM : CONFORM, impulse.peak_db, limit.value, impulse.peak_db / limit.value,
    `${text}，${zh}`, `${textEn}: ${en}`, limit);
}

/**
 * Calibrator before/after: valid when |after − before| ≤ the limit.
 * @param {number} before @param {number} after @param {number} limit
 */
function calibrationCheck(before, after, limit) {
  const drift = Math.abs(after - before);
  const valid = !exceeds(drift, limit);
  const sign = valid ? "≤" : ">";
  return { before_db: before, after_db: after, drift_db: drift, max_drift_db: limit, valid,
    reason_zh: `校准偏差 ${formatSig(drift)} dB ${sign} ${formatSig(limit)} dB，${valid ? "测量有效" : "测量无效"}`,
    reason_en: `calibrator drift ${formatSig(drift)} dB ${sign} ${formatSig(limit)} dB: `
      + (valid ? "measurement valid" : "measurement invalid") };
}

/**
 * The noise verdict of one worker's day (server: evaluate_noise, every working day like the representative one).
 * @param {string} date @param {NoisePeriod[]} periods @param {number} days
 * @param {{peak_db: number, count_per_day: number}|null} impulse @param {[number, number]|null} calibration
 * @param {NoiseLimits} limits
 */
function evaluateNoise(date, periods, days, impulse, calibration, limits) {
  const hours = periods.reduce((sum, p) => sum + p.hours, 0);
  const kase = noiseCase(days, hours);
  const dayLevel = lex8hPeriods(periods);
  const weekLevel = kase === "not_5d" ? lexW(Array(Math.trunc(days)).fill(dayLevel)) : null;
  const label = kase === "not_5d" ? "L_EX,W" : kase === "5d_8h" ? "L_Aeq,8h" : "L_EX,8h";
  const level = weekLevel ?? dayLevel;
  const checks = [levelCheck(label, level, limits.lex), ...(impulse ? [impulseCheck(impulse, limits)] : [])];
  const cal = calibration ? calibrationCheck(calibration[0], calibration[1], limits.drift.value) : null;
  const reasons = [...(cal ? [[cal.reason_zh, cal.reason_en]] : []), ...checks.map((c) => [c.reason_zh, c.reason_en])];
  let result = combineResults(checks.map((c) => c.result));
  if (cal && !cal.valid) {
    result = UNDETERMINED;
    reasons.push(["校准不合格，不判定", "calibration failed: not judged"]);
  }
  const used = [...checks.map((c) => c.limit_used).filter((u) => u !== null), ...(cal ? [limits.drift] : [])];
  return { sampling_date: date, result, reason_zh: reasons.map((r) => r[0]).join("；"), reason_en: reasons.map((r) => r[1]).join("; "),
    case: kase, lex_8h: dayLevel, lex_w: weekLevel, level_judged: level, checks, calibration: cal, limits_used: used,
    result_zh: RESULT_LABELS_ZH[result] };
}

/** The energy mean of a sound-level-meter's readings (null without one). @param {any} m */
function laeq(m) {
  const readings = ["laeq_1_db", "laeq_2_db", "laeq_3_db"].filter((f) => m[f] != null).map((f) => Number(m[f]));
  if (!readings.length) return null;
  return 10 * Math.log10(readings.reduce((sum, r) => sum + 10 ** (r / 10), 0) / readings.length);
}

/**
 * Measurements of one post are the periods of one worker's day; a dosimeter's L_EX,8h already covers the day.
 * @param {any} m @returns {string}
 */
export function noiseKey(m) {
  const where = m.post || m.measurement_point || "";
  return JSON.stringify(m.measurement_mode === "dosimeter" ? ["dosimeter", m.id, m.workshop || "", where]
    : ["periods", "", m.workshop || "", where]);
}

/**
 * The noise entry of one post (server: evaluations._evaluate_noise): pending while a reading or a time is missing,
 * invalid when the periods add up to more than a day.
 * @param {any[]} measurements @param {string} date @param {NoiseLimits} limits
 */
export function evaluatePost(measurements, date, limits) {
  const first = measurements[0];
  /** @type {Record<string, any>} */
  const entry = { measurement_ids: measurements.map((m) => m.id), measurement_id: first.id, workshop: first.workshop ?? null,
    post: (first.post || first.measurement_point) ?? null, status: "pending", evaluation: null, periods: [] };
  const days = Math.max(...measurements.map((m) => Math.trunc(Number(m.days_per_week || 5))));
  /** @type {NoisePeriod[]} */
  const periods = [];
  if (first.measurement_mode === "dosimeter") {
    if (first.dosimeter_lex_8h_db == null || first.exposure_hours_per_day == null) return entry;
    periods.push({ laeq_db: Number(first.dosimeter_lex_8h_db), hours: 8.0 });
  } else {
    for (const m of measurements) {
      const level = laeq(m);
      if (level === null || m.exposure_hours_per_day == null) return entry;
      periods.push({ laeq_db: level, hours: Number(m.exposure_hours_per_day) });
    }
    const total = periods.reduce((sum, p) => sum + p.hours, 0);
    if (total > 24) {
      return Object.assign(entry, { status: "invalid", problem: { message_zh: `同一岗位各时段接触时间合计 ${formatG(total)} h，超过 24 h，请核对`,
        details: [{ field: "exposure_hours_per_day", message: "periods exceed 24 h" }] } });
    }
  }
  entry.periods = periods.map((p, i) => ({ measurement_id: measurements[i].id, laeq_db: p.laeq_db, hours: p.hours }));
  const impulses = measurements.filter((m) => m.impulses_per_day && m.peak_db != null);
  const loudest = impulses.reduce((a, m) => (a === null || Number(m.peak_db) > Number(a.peak_db) ? m : a), null);
  const impulse = loudest
    ? { peak_db: Number(loudest.peak_db), count_per_day: Math.trunc(Number(loudest.impulses_per_day)) } : null;
  const drifts = measurements.filter((m) => m.calibration_before_db != null && m.calibration_after_db != null)
    .map((m) => /** @type {[number, number]} */ ([Number(m.calibration_before_db), Number(m.calibration_after_db)]));
  // The worst drift of the day decides.
  const calibration = drifts.reduce((a, d) => (a === null || Math.abs(d[1] - d[0]) > Math.abs(a[1] - a[0]) ? d : a),
    /** @type {[number, number]|null} */ (null));
  const evaluation = evaluateNoise(date, periods, days, impulse, calibration, limits);
  return Object.assign(entry, { status: "evaluated", evaluation });
}
