// @ts-check
/**
 * A sampling visit evaluated on the tablet, offline, with the server's rules (server/domain/evaluations.py
 * evaluate_visit) and the reference rows the device pulled: the same JSON, so the evaluation screen shows it as it
 * shows the server's. What is known on site is judged here — noise per post, direct-reading instruments, samples whose
 * concentration was typed in; a group waiting for the laboratory stays "pending" (its results live on the server).
 * tests/golden/evaluation holds the cases both implementations must answer alike. Pure: no DOM, no database.
 * @module evaluation
 */
import { evaluateSubstance, evaluationRules, oelRows, silicaCondition } from "./evaluation/exposure.js";
import { Invalid, exceeds, formatSig, CONFORM, NONCONFORM, UNDETERMINED } from "./evaluation/judgements.js";
import { evaluatePost, noiseKey, noiseLimits } from "./evaluation/noise.js";
import { peakRules } from "./evaluation/peaks.js";
import { datetimeSeconds } from "./forms/values.js";

/** The reference tables an evaluation reads (server: reference_store.evaluation_reference), as a pull stores them. */
export const REFERENCE_TABLES = ["oel_limits", "peak_rules", "exposure_evaluation_rules", "sampling_qc", "physical_limits",
  "hazard_factors"];

/**
 * @typedef {Record<string, any>} Row  a record's data (a visit, a sample, a noise measurement) with its id
 * @typedef {{as_of?: string|null} & Record<string, any>} Reference  table name → row payloads (`data` of the stored rows)
 */

/** The rules' view of the reference rows (server: EvaluationReference). @param {Reference} reference */
function loadReference(reference) {
  /** @param {string} table @returns {any[]} */
  const rows = (table) => reference[table] || [];
  const qc = rows("sampling_qc");
  const flow = qc.filter((r) => r.kind === "flow_deviation").map((r) => Number(r.value)).pop();
  if (flow === undefined || !qc.some((r) => r.kind === "dust_filter_mass_gain")) {
    throw new Invalid("采样质控数据不完整", [{ field: "rows", message: "flow and filter rules needed" }]);
  }
  return { oel: oelRows(rows("oel_limits")), peakRules: peakRules(rows("peak_rules")),
    rules: evaluationRules(rows("exposure_evaluation_rules")), flowMaxPct: flow, noise: noiseLimits(rows("physical_limits")),
    dustKeys: new Set(rows("hazard_factors").filter((r) => r.category === "dust").map((r) => r.key)) };
}

/** @typedef {ReturnType<typeof loadReference>} Ref */

/**
 * Seconds of an ISO date-time; one without an offset is read as the server reads it (naive, compared with naive).
 * @param {string} text
 */
function instant(text) {
  const zoned = /(Z|[+-]\d\d:\d\d)$/.test(text);
  return { zoned, seconds: datetimeSeconds(zoned ? text : `${text}Z`) };
}

/** Minutes from start to end (server: sampling.minutes_between). @param {string} start @param {string} end */
function minutesBetween(start, end) {
  const [a, b] = [instant(start), instant(end)];
  if (a.zoned !== b.zoned) {
    throw new Invalid("开始/结束时间须同为带时区或同为不带时区", [{ field: "end", message: "mixed naive and aware datetimes" }]);
  }
  if (a.seconds === null || b.seconds === null) {
    throw new Invalid("日期格式错误", [{ field: "start_time", message: "expected an ISO date-time" }]);
  }
  if (b.seconds < a.seconds) throw new Invalid("结束时间早于开始时间", [{ field: "end", message: "before start" }]);
  return (b.seconds - a.seconds) / 60.0;
}

/** Mean blank mass per hazard: µg from the lab, mg gained by blank filters. @param {Row[]} samples */
function blankMasses(samples) {
  /** @type {Record<string, {ug: number[], mg: number[]}>} */
  const byHazard = {};
  for (const s of samples) {
    if (s.sample_type !== "blank" || !s.hazard_key) continue;
    const entry = (byHazard[s.hazard_key] ??= { ug: [], mg: [] });
    if (s.lab_mass_ug != null) entry.ug.push(Number(s.lab_mass_ug));
    if (s.filter_mass_after_mg != null && s.filter_mass_before_mg != null) {
      entry.mg.push(Number(s.filter_mass_after_mg) - Number(s.filter_mass_before_mg));
    }
  }
  /** @param {number[]} v */
  const mean = (v) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0.0);
  return Object.fromEntries(Object.entries(byHazard).map(([k, e]) => [k, { ug: mean(e.ug), mg: mean(e.mg) }]));
}

/** @param {number} volume */
function positiveVolume(volume) {
  if (volume <= 0) throw new Invalid("采样体积必须为正数", [{ field: "volume_l", message: "must be > 0" }]);
  return volume;
}

/**
 * Volumes, flow check and concentration of one sample (server: sample_result); null while the lab is pending.
 * @param {Row} sample @param {Row} visit @param {Record<string, {ug: number, mg: number}>} blanks @param {number} flowMaxPct
 */
function sampleResult(sample, visit, blanks, flowMaxPct) {
  /** @type {Record<string, any>} */
  const out = { minutes: null, volume_l: null, standard_volume_l: null, flow_check: null, concentration_mg_m3: null,
    source: "pending", problems: [] };
  if (sample.start_time && sample.end_time) out.minutes = minutesBetween(sample.start_time, sample.end_time);
  const before = sample.flow_before_l_min, after = sample.flow_after_l_min;
  if (before && after != null && out.minutes) {
    if (before <= 0) throw new Error("flow_before must be positive");
    const deviation = Math.abs(Number(after) - Number(before)) / Number(before) * 100.0;
    const ok = !exceeds(deviation, flowMaxPct);
    out.flow_check = { deviation_pct: deviation, limit_pct: flowMaxPct, ok };
    if (!ok) {
      out.problems.push({ code: "flow_deviation", message_zh: `流量偏差 ${formatSig(deviation)}% > ${formatSig(flowMaxPct)}%，样品无效`,
        message_en: `flow deviation ${formatSig(deviation)}% above ${formatSig(flowMaxPct)}%: sample invalid` });
    }
    out.volume_l = (Number(before) + Number(after)) / 2.0 * out.minutes;
    if (visit.temperature_c != null && visit.pressure_kpa != null) {
      out.standard_volume_l = out.volume_l * 293.0 / (273.0 + Number(visit.temperature_c)) * Number(visit.pressure_kpa) / 101.3;
    }
  }
  if (sample.lod_mg_m3 != null) out.lod_mg_m3 = Number(sample.lod_mg_m3);
  else if (sample.lod_ug != null && out.standard_volume_l) out.lod_mg_m3 = Number(sample.lod_ug) / out.standard_volume_l; // µg/L = mg/m³
  const blank = blanks[sample.hazard_key] ?? { ug: 0.0, mg: 0.0 };
  const volume = out.standard_volume_l;
  if (sample.direct_reading_mg_m3 != null) {
    Object.assign(out, { concentration_mg_m3: Number(sample.direct_reading_mg_m3), source: "direct_reading" });
  } else if (sample.lab_concentration_mg_m3 != null) {
    Object.assign(out, { concentration_mg_m3: Number(sample.lab_concentration_mg_m3), source: "lab_concentration" });
  } else if (volume && sample.filter_mass_after_mg != null && sample.filter_mass_before_mg != null) {
    const gain = (Number(sample.filter_mass_after_mg) - blank.mg) - Number(sample.filter_mass_before_mg);
    if (gain < 0) throw new Invalid("采样后滤膜质量小于采样前", [{ field: "mass_after_mg", message: "below before" }]);
    Object.assign(out, { concentration_mg_m3: Math.max(gain / positiveVolume(volume) * 1000.0, 0.0), source: "filter_mass" });
  } else if (volume && sample.lab_mass_ug != null) {
    const net = Number(sample.lab_mass_ug) - blank.ug;
    if (net < 0) {
      throw new Invalid("样品量低于空白，应按低于检出限报告", [{ field: "mass_ug", message: "below the blank; report as below LOD" }]);
    }
    Object.assign(out, { concentration_mg_m3: Math.max(net / positiveVolume(volume), 0.0), source: "lab_mass" });
  }
  return out;
}

/**
 * [hazard, fraction, condition, workshop, post] a sample is judged under: dust with free SiO₂ ≥ 10 % is 矽尘 in its band.
 * @param {Row} s @param {Set<string>} dustKeys
 */
function groupKey(s, dustKeys) {
  let hazard = s.hazard_key, condition = s.oel_condition ?? null;
  if (s.free_sio2_pct != null && (hazard === "silica_dust" || dustKeys.has(hazard))) {
    const band = silicaCondition(Number(s.free_sio2_pct));
    if (band !== null) [hazard, condition] = ["silica_dust", band];
  }
  return [hazard, s.dust_fraction ?? null, condition, s.workshop || "", s.post || s.sampling_point || ""];
}

/**
 * The group's samples as the exposure rules take them (server: _measurement).
 * @param {Row[]} members @param {Record<string, any>} results
 */
function measurement(members, results) {
  const twa = [], short = [], peaks = [], excursions = [];
  const hours = members.find((s) => s.exposure_hours_per_day != null)?.exposure_hours_per_day;
  for (const s of members) {
    const value = results[s.id].concentration_mg_m3, minutes = results[s.id].minutes || 0;
    if (s.limit_type === "pc_twa") twa.push([value, minutes]);
    else if (s.limit_type === "pc_stel") short.push({ concentration: value, minutes: minutes || 15.0 });
    else if (s.limit_type === "mac") peaks.push(value);
    else if (s.limit_type === "peak") {
      excursions.push({ start: s.start_time ? instant(s.start_time).seconds : null, minutes, concentration: value });
    }
  }
  const total = twa.reduce((sum, [, m]) => sum + m, 0);
  let segments = twa.map(([c, m]) => ({ concentration: c, hours: m / 60.0 }));
  if (twa.length && hours != null && total > 0) {
    segments = [{ concentration: twa.reduce((sum, [c, m]) => sum + c * m, 0) / total, hours: Number(hours) }];
  }
  const lodMembers = members.filter((s) => s.below_lod);
  const lods = lodMembers.map((s) => results[s.id].lod_mg_m3).filter((v) => v != null);
  return { unit: "mg/m3", fraction: members[0].dust_fraction ?? null, segments, short_term: short,
    c_me: peaks.length ? Math.max(...peaks) : null, excursions: excursions.length ? excursions : null,
    below_lod: lodMembers.length > 0 && lodMembers.length === members.length, lod: lods.length ? Math.max(...lods) : null };
}

/**
 * One group's entry (server: _evaluate_group): pending while a concentration is missing, else judged.
 * @param {any[]} key @param {Row[]} members @param {Record<string, any>} results @param {string} date @param {Ref} ref
 * @param {Map<object, any>} judged
 */
function evaluateGroup(key, members, results, date, ref, judged) {
  const [hazard, fraction, condition, workshop, where] = key;
  /** @type {Record<string, any>} */
  const entry = { hazard_key: hazard, fraction, condition, workshop, post: where, sample_ids: members.map((s) => s.id),
    status: "pending", evaluation: null,
    reclassified_from: [...new Set(members.map((s) => s.hazard_key))].filter((k) => k !== hazard).sort() };
  if (members.some((s) => results[s.id].concentration_mg_m3 === null && !s.below_lod)) return entry;
  const below = members.filter((s) => s.below_lod && results[s.id].concentration_mg_m3 === null);
  if (below.length && below.length < members.length) {
    // Some above, some below the LOD: the stated rule gives the value that enters the C_TWA.
    for (const s of below) {
      const lod = results[s.id].lod_mg_m3;
      if (lod == null) {
        return Object.assign(entry, { status: "invalid", problem: { message_zh: "低于检出限的样品缺少检出限，无法计算时间加权平均浓度",
          details: [{ field: "lod", message: "LOD missing" }] } });
      }
      Object.assign(results[s.id], { concentration_mg_m3: ref.rules.lodFactor * lod, source: "below_lod" });
    }
    entry.below_lod_rule_zh = ref.rules.lodRule;
  }
  if (below.length === members.length) for (const s of below) results[s.id].concentration_mg_m3 = 0.0; // judged through the LOD
  try {
    const evaluation = evaluateSubstance(ref, hazard, date, measurement(members, results), condition);
    judged.set(entry, evaluation);
    return Object.assign(entry, { status: "evaluated", evaluation });
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    return Object.assign(entry, { status: "invalid", problem: { message_zh: error.message, details: error.details } });
  }
}

/**
 * Σ C/OEL of the substances of one mixture group at one post (server: evaluate_mixture on PC-TWA).
 * @param {any[]} evaluations @param {number} max
 */
function mixture(evaluations, max) {
  const terms = [], used = [], lacking = [];
  for (const ev of evaluations) {
    const c = ev.checks.find((/** @type {any} */ x) => x.limit_type === "PC-TWA" && x.ratio !== null);
    if (!c) lacking.push(ev.substance_key);
    else {
      terms.push(c);
      used.push(c.limit_used);
    }
  }
  if (lacking.length || terms.length < 2) {
    return { result: UNDETERMINED, index: null, reason_zh: `混合接触无法计算（${lacking.join("、") || "少于两种物质"} 无 PC-TWA 比值），不判定`,
      reason_en: `mixture index not computable (${lacking.join(", ") || "fewer than two"} without a PC-TWA ratio): not judged` };
  }
  const index = terms.reduce((sum, t) => sum + t.measured / t.limit_value, 0);
  const text = `ΣC/OEL = ${terms.map((t) => `${formatSig(t.measured)}/${formatSig(t.limit_value)}`).join(" + ")} = ${formatSig(index)}`;
  const failed = exceeds(index, max);
  return { result: failed ? NONCONFORM : CONFORM, index,
    reason_zh: `混合接触 ${text} ${failed ? ">" : "≤"} ${formatSig(max)}，${failed ? "不符合" : "符合"}`,
    reason_en: `mixture ${text} ${failed ? ">" : "≤"} ${formatSig(max)}: ${failed ? "does not conform" : "conforms"}` };
}

/** @param {any[]} evaluated @param {Map<object, any>} judged @param {Ref} ref */
function mixtures(evaluated, judged, ref) {
  const out = [];
  for (const group of ref.rules.groups) {
    /** @type {Map<string, any[]>} */
    const byPost = new Map();
    for (const entry of evaluated) {
      if (!group.members.has(entry.hazard_key) || !judged.has(entry)) continue;
      const where = JSON.stringify([entry.workshop, entry.post]);
      byPost.set(where, [...(byPost.get(where) || []), entry]);
    }
    const posts = [...byPost.keys()].sort((a, b) => { // (workshop, post) tuples in Python's order
      const [x, y] = [JSON.parse(a), JSON.parse(b)];
      return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0;
    });
    for (const where of posts) {
      const entries = /** @type {any[]} */ (byPost.get(where));
      if (new Set(entries.map((e) => e.hazard_key)).size < 2) continue;
      const [workshop, post] = JSON.parse(where);
      out.push({ group_key: group.key, label_zh: group.label_zh, workshop, post, hazard_keys: entries.map((e) => e.hazard_key).sort(),
        index_max: ref.rules.mixtureMax, ...mixture(entries.map((e) => judged.get(e)), ref.rules.mixtureMax) });
    }
  }
  return out;
}

/**
 * @param {Row} visit @param {Row[]} samples @param {Row[]} noiseMeasurements @param {Reference} reference
 */
function evaluateVisit(visit, samples, noiseMeasurements, reference) {
  const date = visit.sampling_date;
  if (!date) {
    throw new Invalid("缺少采样日期，无法评价", [{ field: "sampling_date", code: "required", message: "缺少采样日期",
      message_en: "Sampling date missing" }]);
  }
  const ref = loadReference(reference);
  const blanks = blankMasses(samples);
  /** @type {Record<string, any>} */
  const results = {};
  for (const s of samples) results[s.id] = sampleResult(s, visit, blanks, ref.flowMaxPct);
  /** @type {Map<string, Row[]>} */
  const groups = new Map();
  for (const s of samples) {
    if (s.sample_type === "blank" || !s.hazard_key) continue;
    const key = JSON.stringify(groupKey(s, ref.dustKeys));
    groups.set(key, [...(groups.get(key) || []), s]);
  }
  const judged = new Map();
  const evaluated = [...groups].map(([key, members]) => evaluateGroup(JSON.parse(key), members, results, date, ref, judged));
  /** @type {Map<string, Row[]>} */
  const posts = new Map();
  for (const m of noiseMeasurements) posts.set(noiseKey(m), [...(posts.get(noiseKey(m)) || []), m]);
  const noise = [...posts.values()].map((members) => evaluatePost(members, date, ref.noise));
  const mixed = mixtures(evaluated, judged, ref);
  const verdicts = [...evaluated, ...noise].filter((g) => g.evaluation).map((g) => g.evaluation.result)
    .concat(mixed.map((m) => m.result));
  /** @param {string} result */
  const count = (result) => verdicts.filter((v) => v === result).length;
  return { sampling_date: date, reference_as_of: reference.as_of ?? null, samples: results, groups: evaluated, noise, mixtures: mixed,
    summary: { samples: samples.length, blanks: samples.filter((s) => s.sample_type === "blank").length,
      groups: evaluated.length + noise.length, pending: [...evaluated, ...noise].filter((g) => g.status === "pending").length,
      nonconform: count(NONCONFORM), conform: count(CONFORM), undetermined: count(UNDETERMINED) } };
}

/**
 * The visit's evaluation as the server's evaluate_visit gives it, computed on this device from the records and the
 * pulled reference rows (`reference`: table → row payloads for REFERENCE_TABLES, and `as_of`, the business date).
 * Input that breaks a rule gives what the server stores then: {status: "not_evaluated", message_zh, details}.
 * @param {Row} visit @param {Row[]} samples @param {Row[]} noiseMeasurements @param {Reference} reference
 * @returns {Record<string, any>}
 */
export function evaluateOffline(visit, samples, noiseMeasurements, reference) {
  try {
    return evaluateVisit(visit, samples, noiseMeasurements, reference);
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    return { status: "not_evaluated", message_zh: error.message, details: error.details };
  }
}
