// @ts-check
/**
 * Readings the checks accept but that are unlikely: the person is asked to confirm them. A confirmation is written
 * as a sentence into the record's own 备注 (notes), so it stays with the record, reaches the reviewer and prints on
 * the 采样记录单; a reading changed afterwards is asked about again (the sentence names the values confirmed).
 * No DOM.
 * @module plausibility
 */
import { isNumber } from "./forms/values.js";

/**
 * @typedef {{key: string, field: string, message_zh: string, message_en: string, note: string, confirmed: boolean}} Warning
 * @typedef {{key: string, entity: string, field: string, note_field: string,
 *   check: (data: Record<string, any>) => {zh: string, en: string, note: string}|null}} Rule
 */

const FLOW_CHANGE_PCT = 5; // flow before and after sampling (GBZ 159: the pump's flow kept within ±5 %)

/** @param {number} value */
const shown = (value) => String(Math.round(value * 10) / 10);

const STAGE_ZH = { stage_1: "壹期", stage_2: "贰期", stage_3: "叁期" };
const STAGE_EN = { stage_1: "stage I", stage_2: "stage II", stage_3: "stage III" };

/** @type {Rule[]} */
const RULES = [
  {
    // A stage change seen at a follow-up is an event of the patient's file (一人一档): the worker confirms it, and the
    // confirmation goes into the file as a stage change (controllers/patients.js recordStageChange).
    key: "stage_change", entity: "followup", field: "stage_progression_to", note_field: "remarks",
    check: ({ stage: from, stage_progression_to: to, stage_progression_date: on }) => {
      if (!to || !from || to === from || !(to in STAGE_ZH) || !(from in STAGE_ZH)) return null;
      const [zhFrom, zhTo] = [/** @type {any} */ (STAGE_ZH)[from], /** @type {any} */ (STAGE_ZH)[to]];
      const [enFrom, enTo] = [/** @type {any} */ (STAGE_EN)[from], /** @type {any} */ (STAGE_EN)[to]];
      return {
        zh: `期别由${zhFrom}变为${zhTo}${on ? `（${on}）` : ""}：请核对诊断证明后确认，确认后记入患者档案`,
        en: `Stage changes from ${enFrom} to ${enTo}${on ? ` (${on})` : ""}: check the diagnosis certificate, then confirm; it goes into the patient's file`,
        note: `【已确认】期别由${zhFrom}变为${zhTo}${on ? `（${on}）` : ""}。`,
      };
    },
  },
  {
    key: "filter_lighter", entity: "sample", field: "filter_mass_after_mg", note_field: "notes",
    check: ({ filter_mass_before_mg: before, filter_mass_after_mg: after }) => (
      isNumber(before) && isNumber(after) && after < before ? {
        zh: `采样后滤膜质量 ${after} mg 低于采样前 ${before} mg，请复核称量后确认`,
        en: `Filter mass after sampling (${after} mg) is below the mass before (${before} mg): check the weighing, then confirm`,
        note: `【已确认】采样后滤膜质量 ${after} mg 低于采样前 ${before} mg，已复核。`,
      } : null),
  },
  {
    key: "flow_change", entity: "sample", field: "flow_after_l_min", note_field: "notes",
    check: ({ flow_before_l_min: before, flow_after_l_min: after }) => {
      if (!isNumber(before) || !isNumber(after) || before <= 0) return null;
      const change = Math.abs(after - before) / before * 100;
      return change > FLOW_CHANGE_PCT ? {
        zh: `采样前后流量相差 ${shown(change)}%（${before} → ${after} L/min），超过 ${FLOW_CHANGE_PCT}%，请确认`,
        en: `Flow changed by ${shown(change)}% (${before} → ${after} L/min), more than ${FLOW_CHANGE_PCT}%: confirm`,
        note: `【已确认】采样前后流量 ${before} → ${after} L/min，相差 ${shown(change)}%。`,
      } : null;
    },
  },
];

/**
 * The warnings of a record's data, each with whether it was confirmed.
 * @param {string} entity @param {Record<string, any>} data @returns {Warning[]}
 */
export function warningsOf(entity, data) {
  /** @type {Warning[]} */
  const out = [];
  for (const rule of RULES) {
    if (rule.entity !== entity) continue;
    const found = rule.check(data);
    if (!found) continue;
    const notes = typeof data[rule.note_field] === "string" ? data[rule.note_field] : "";
    out.push({ key: rule.key, field: rule.field, message_zh: found.zh, message_en: found.en, note: found.note,
      confirmed: notes.includes(found.note) });
  }
  return out;
}

/**
 * The record's notes with a warning's confirmation added (on a line of its own), and the field they go to.
 * @param {string} entity @param {Record<string, any>} data @param {string} key
 * @returns {{field: string, value: string}|null}
 */
export function confirmation(entity, data, key) {
  const rule = RULES.find((r) => r.entity === entity && r.key === key);
  const warning = warningsOf(entity, data).find((w) => w.key === key);
  if (!rule || !warning || warning.confirmed) return null;
  const notes = typeof data[rule.note_field] === "string" ? data[rule.note_field].trimEnd() : "";
  return { field: rule.note_field, value: notes ? `${notes}\n${warning.note}` : warning.note };
}
