// @ts-check
/**
 * Form definitions and reference data on the device: fetched while online, kept in IndexedDB, read from
 * memory while filling in a form. Validation rules are in formrules.js (loaded with the form screens,
 * not at start-up).
 * @module formstore
 */
import * as api from "./api.js";
import * as db from "./db.js";

/** @type {Map<string, any>} `form_id/version` → stored form {form_id, version, hash, title_zh, title_en, definition} */
const forms = new Map();
/** @type {Map<string, any[]>} table → reference rows */
const references = new Map();

/** Read the stored definitions into memory (start-up, offline). */
export async function loadForms() {
  for (const form of await db.allForms()) forms.set(`${form.form_id}/${form.version}`, form);
}

/** Fetch definitions that are new or changed (by hash); every published version, for records filled long ago. */
export async function refreshForms() {
  const list = await api.get("/api/forms?all_versions=true");
  let fetched = 0;
  for (const item of list.items) {
    const known = forms.get(`${item.form_id}/${item.version}`);
    if (known && known.hash === item.hash) continue;
    const form = await api.get(`/api/forms/${item.form_id}/${item.version}`);
    await db.putForm(form);
    forms.set(`${form.form_id}/${form.version}`, form);
    fetched += 1;
  }
  return fetched;
}

/**
 * The definition of one form version, or null when it has not reached this device yet (or the record has no form).
 * @param {string|null} formId @param {number|null} version
 */
export function definition(formId, version) {
  return forms.get(`${formId}/${version}`)?.definition || null;
}

/** The newest version of a form on this device. @param {string|null} formId */
export function currentVersion(formId) {
  let best = 0;
  for (const form of forms.values()) if (form.form_id === formId && form.version > best) best = form.version;
  return best || null;
}

/** @param {string|null} formId @param {"zh"|"en"} lang */
export function formTitle(formId, lang) {
  const version = currentVersion(formId);
  const form = version ? forms.get(`${formId}/${version}`) : null;
  return form ? (lang === "en" ? form.title_en : form.title_zh) : formId;
}

export const hasForms = () => forms.size > 0;

/** Forget cached reference rows (a pull changed them). */
export function invalidateReferences() {
  references.clear();
}

/** Rows of a reference table (cached in memory until a pull changes them). @param {string} table @returns {Promise<any[]>} */
export async function rowsOf(table) {
  if (!references.has(table)) references.set(table, await db.referenceRows(table));
  return references.get(table) || [];
}

/** The agency's officers as the last pull gave them (read each time: a pull may have replaced them). */
export const officers = () => db.officerRoster();

/**
 * Choices of an officer field: the person's name, with the 执法证号 beside it.
 * @returns {Promise<{key: string, zh: string, en: string, detail: string}[]>}
 */
export async function officerOptions() {
  return (await officers()).map((o) => ({ key: String(o.id), zh: o.name, en: o.name, detail: o.cert_no }));
}

/**
 * Choices of a reference field, one per key, labelled in both languages.
 * @param {string} table @returns {Promise<{key: string, zh: string, en: string, detail: string}[]>}
 */
export async function referenceOptions(table) {
  const seen = new Map();
  for (const row of await rowsOf(table)) {
    if (seen.has(row.key)) continue;
    const d = row.data || {};
    const zh = d.name_zh || d.title_zh || d.code || row.key;
    const en = d.name_en || d.title_en || d.code || row.key;
    const detail = table === "method_standards" ? (d.code || "") : (d.cas ? `CAS ${d.cas}` : "");
    seen.set(row.key, { key: row.key, zh: table === "method_standards" && d.code ? `${d.code} ${zh}` : zh,
      en: table === "method_standards" && d.code ? `${d.code} ${en}` : en, detail });
  }
  return [...seen.values()];
}
