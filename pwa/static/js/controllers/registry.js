// @ts-check
/**
 * Administration of data, online: the enterprise registry (search, import of a district's XLSX/CSV with the
 * per-row report), reference data (rows with their verification flag, edits with a reason, verification by a
 * second admin, history) and the published form versions. No DOM.
 * @module controllers/registry
 */
import * as api from "../api.js";
import { entityFields } from "../forms/index.js";
import { label } from "../i18n.js";

/** Fields an edit may not touch: the row's identity (add a row for a new period) and its verification. */
const FIXED = ["key", "condition", "limit_type", "fraction", "unit", "effective_from", "verified", "verified_by", "verified_at",
  "sources"];

/** @param {string} q @param {number} page */
export function enterprisesModel(q, page) {
  const query = new URLSearchParams({ page: String(page), per_page: "20" });
  if (q) query.set("q", q);
  return api.get(`/api/enterprises?${query}`);
}

/** Import a registry file; one bad row imports nothing and the error lists every row's problems. @param {File} file */
export function importFile(file) {
  const body = new FormData();
  body.append("file", file);
  return api.request("POST", "/api/enterprises/import", { body, timeout: 180_000 });
}

/** The tables, and one table's rows when chosen. @param {string|null} table */
export async function referenceModel(table) {
  const [tables, rows] = await Promise.all([api.get("/api/reference"),
    table ? api.get(`/api/reference/${encodeURIComponent(table)}`) : Promise.resolve(null)]);
  return { tables: tables.items, table, rows: rows ? rows.items.map(rowView) : [] };
}

/** A row as the list shows it: what it is, its value, where it comes from, whether it was verified. @param {any} row */
function rowView(row) {
  const d = row.data || {};
  const name = label(d, "name") || label(d, "title") || "";
  const value = d.value != null ? `${d.limit_type ? `${d.limit_type} ` : ""}${d.value} ${d.unit || ""}`.trim()
    : d.target_pct != null ? `${d.target_pct}%` : d.ratio_pct != null ? `${d.label || ""} ${d.ratio_pct}%` : "";
  const editable = Object.entries(d).filter(([k, v]) => !FIXED.includes(k) && (v == null || ["string", "number"].includes(typeof v)))
    .map(([k, v]) => ({ key: k, value: v, number: typeof v === "number" }));
  return { row_key: row.row_key, key: row.key, name, value, source: [d.source_standard, d.amendment].filter(Boolean).join(" "),
    effective: [row.effective_from, row.effective_to].some(Boolean) ? `${row.effective_from || "…"} → ${row.effective_to || "…"}` : "",
    confidence: row.confidence, verified: row.verified, edited_at: row.edited_at, editable };
}

/**
 * The changed fields of an edit, typed like the stored values (empty clears).
 * @param {{key: string, value: any, number: boolean}[]} editable @param {Record<string, string>} entered
 */
export function changesOf(editable, entered) {
  /** @type {Record<string, any>} */
  const changes = {};
  for (const field of editable) {
    if (!(field.key in entered)) continue;
    const text = entered[field.key];
    const value = text === "" ? null : field.number && Number.isFinite(Number(text)) ? Number(text) : text;
    if (value !== field.value) changes[field.key] = value;
  }
  return changes;
}

/** @param {string} table @param {string} rowKey */
const rowPath = (table, rowKey) => `/api/reference/${encodeURIComponent(table)}/${encodeURIComponent(rowKey)}`;

/** @param {string} table @param {string} rowKey @param {Record<string, any>} changes @param {string} reason */
export const editRow = (table, rowKey, changes, reason) => api.request("PATCH", rowPath(table, rowKey), { json: { changes, reason } });

/** @param {string} table @param {string} rowKey @param {string} reason */
export const verifyRow = (table, rowKey, reason) => api.post(`${rowPath(table, rowKey)}/verify`, { reason });

/** @param {string} table @param {string} rowKey */
export const rowHistory = async (table, rowKey) => (await api.get(`${rowPath(table, rowKey)}/history`)).items;

/** Every published form version, and one version's outline when chosen. @param {string|null} formId @param {number|null} version */
export async function formsModel(formId, version) {
  const list = (await api.get("/api/forms?all_versions=true")).items;
  const newest = new Map();
  for (const f of list) newest.set(f.form_id, Math.max(newest.get(f.form_id) || 0, f.version));
  let outline = null;
  if (formId && version) {
    const form = await api.get(`/api/forms/${encodeURIComponent(formId)}/${version}`);
    outline = { form_id: form.form_id, version: form.version, hash: form.hash, title: label(form, "title"),
      entities: form.definition.entities.map((/** @type {any} */ spec) => ({ entity: spec.entity, label: label(spec), parent: spec.parent,
        fields: entityFields(spec).map(([field, section]) => ({ id: field.id, label: label(field), type: field.type,
          section: label(section), required: Boolean(field.required) })) })) };
  }
  return { forms: list.map((/** @type {any} */ f) => ({ ...f, title: label(f, "title"), current: newest.get(f.form_id) === f.version })), outline };
}
