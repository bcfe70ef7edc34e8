// @ts-check
/**
 * One-line descriptions of records for lists (home, enterprise history, conflicts): what a field worker
 * recognises a record by — the task number and enterprise of a visit, the patient of a follow-up.
 * @module summaries
 */
import { reviewState } from "./replica.js";

/**
 * @param {import("./replica.js").LocalRecord} record
 * @param {Map<string, any>} enterprises  id → enterprise
 */
export function summarise(record, enterprises) {
  const d = record.data || {};
  const enterprise = record.enterprise_id ? enterprises.get(record.enterprise_id) : null;
  const name = enterprise ? enterprise.name : "";
  /** @type {{title: string, subtitle: string}} */
  let text;
  switch (record.entity) {
    case "sampling_visit":
      text = { title: [d.task_no, name].filter(Boolean).join(" · ") || name, subtitle: d.sampling_date || "" };
      break;
    case "assistance_visit":
      text = { title: name, subtitle: d.visit_date || "" };
      break;
    case "literacy_survey":
      text = { title: name, subtitle: d.survey_date || "" };
      break;
    case "inspection":
      text = { title: name, subtitle: [d.inspection_date, d.officer_1_name, d.officer_2_name].filter(Boolean).join(" · ") };
      break;
    case "reinspection":
      text = { title: [name, d.notice_number].filter(Boolean).join(" · "), subtitle: d.reinspection_date || "" };
      break;
    case "followup":
      text = { title: [d.patient_name, d.case_no].filter(Boolean).join(" · "), subtitle: d.followup_date || "" };
      break;
    default:
      text = { title: name || record.entity, subtitle: "" };
  }
  return { ...text, state: reviewState(record), comment: record.server?.review_comment || null,
    unsynced: record.dirty === 1 };
}

/**
 * A field value as a person reads it: choice labels, yes/no, reference names, dates as written.
 * @param {any} field  the field's definition (null when unknown) @param {any} value @param {"zh"|"en"} lang
 * @param {Map<string, {zh: string, en: string}>} [names]  reference key → names
 */
export function formatValue(field, value, lang, names) {
  if (value == null || value === "" || (Array.isArray(value) && !value.length)) return null;
  const one = (/** @type {any} */ v) => {
    if (field && field.choices) {
      const choice = field.choices.find((/** @type {any} */ c) => c.value === v);
      if (choice) return lang === "en" ? choice.label_en : choice.label_zh;
    }
    if (typeof v === "boolean") return lang === "en" ? (v ? "Yes" : "No") : (v ? "是" : "否");
    if (names && names.has(v)) return lang === "en" ? names.get(v)?.en : names.get(v)?.zh;
    if (typeof v === "object") return JSON.stringify(v);
    return String(v) + (field && field.unit && typeof v === "number" ? ` ${field.unit}` : "");
  };
  return Array.isArray(value) ? value.map(one).join("、") : one(value);
}
