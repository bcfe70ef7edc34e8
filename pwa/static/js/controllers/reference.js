// @ts-check
/**
 * Reference data, online, with four eyes: the tables, one table's rows in force with every field labelled in
 * Chinese, the changes waiting for a second administrator (with what they change) or for their effective date;
 * proposing a change, verifying or withdrawing one, checking a row against the official text, a row's history.
 * No DOM.
 * @module controllers/reference
 */
import * as api from "../api.js";
import { today } from "../clock.js";
import { label } from "../i18n.js";
import * as session from "../session.js";

/**
 * @typedef {{key: string, label_zh: string, label_en: string, type: string, editable: boolean, required: boolean}} Field
 * @typedef {{key: string, label: string, type: string, required: boolean, value: any}} Editable
 */

/** @param {string} table */
const tablePath = (table) => `/api/reference/${encodeURIComponent(table)}`;

/** @param {string} table @param {string} rowKey */
const rowPath = (table, rowKey) => `${tablePath(table)}/${encodeURIComponent(rowKey)}`;

/** What a person calls a row: its name or title, else its citation or key. @param {any} d */
const nameOf = (d) => label(d || {}, "name") || label(d || {}, "title") || d?.citation_zh || d?.key || "";

/**
 * The tables; one table's rows and fields when chosen; the changes still open (of that table, or of all).
 * @param {string|null} table
 */
export async function referenceModel(table) {
  const open = new URLSearchParams({ status: "open" });
  if (table) open.set("table", table);
  const [tables, listing, changes] = await Promise.all([api.get("/api/reference"),
    table ? api.get(tablePath(table)) : Promise.resolve(null), api.get(`/api/reference/changes?${open}`)]);
  /** @type {Field[]} */
  const fields = listing ? listing.fields : [];
  const me = session.user()?.id ?? null;
  const titles = new Map(tables.items.map((/** @type {any} */ t) => [t.name, label(t, "title")]));
  const waiting = new Set(changes.items.filter((/** @type {any} */ c) => c.status === "pending").map((/** @type {any} */ c) => c.row_key));
  return { tables: tables.items, table, today: today(),
    rows: listing ? listing.items.map((/** @type {any} */ row) => rowView(row, fields, waiting.has(row.row_key))) : [],
    changes: changes.items.map((/** @type {any} */ c) => changeView(c, me, titles.get(c.table) || "")) };
}

/**
 * A row as the list shows it: what it is, its value, where it comes from, its version, whether it was verified,
 * and the fields an edit may change with their labels.
 * @param {any} row @param {Field[]} fields @param {boolean} pending
 */
function rowView(row, fields, pending) {
  const d = row.data || {};
  const value = d.value != null ? `${d.limit_type ? `${d.limit_type} ` : ""}${d.value} ${String(d.unit || "").replace("m3", "m³")}`.trim()
    : d.target_pct != null ? `${d.target_pct}%` : d.ratio_pct != null ? `${d.label || ""} ${d.ratio_pct}%` : "";
  /** @type {Editable[]} */
  const editable = fields.filter((f) => f.editable).map((f) => ({ key: f.key, label: label(f), type: f.type, required: f.required,
    value: d[f.key] ?? null }));
  return { row_key: row.row_key, key: row.key, name: nameOf(d), value, source: [d.source_standard, d.amendment].filter(Boolean).join(" "),
    effective: [row.effective_from, row.effective_to].some(Boolean) ? `${row.effective_from || "…"} → ${row.effective_to || "…"}` : "",
    confidence: row.confidence, verified: row.verified, version: row.version, version_from: row.version_from, pending, editable };
}

/** A change as the lists show it. @param {any} c @param {number|null} me @param {string} tableTitle */
function changeView(c, me, tableTitle) {
  return { id: c.id, table: c.table, table_title: tableTitle, row_key: c.row_key, action: c.action, status: c.status, number: c.number,
    name: nameOf(c.data), reason: c.reason, effective_on: c.effective_on, in_force_from: c.in_force_from,
    proposed_by_name: c.proposed_by_name, proposed_at: c.proposed_at, decided_by_name: c.decided_by_name, decided_at: c.decided_at,
    mine: me != null && c.proposed_by === me,
    changes: c.changes.map((/** @type {any} */ x) => ({ field: x.field, label: label(x), before: x.before, after: x.after })) };
}

/**
 * The changed fields of an edit, typed like the stored values: numbers as numbers, empty as null; a number field
 * holding something else is sent as typed, for the server to refuse with the field's name.
 * @param {Editable[]} editable @param {Record<string, string>} entered
 */
export function changesOf(editable, entered) {
  /** @type {Record<string, any>} */
  const changes = {};
  for (const field of editable) {
    if (!(field.key in entered)) continue;
    const text = entered[field.key];
    const numeric = field.type === "number" || field.type === "integer";
    const value = text === "" ? null : numeric && text.trim() !== "" && Number.isFinite(Number(text)) ? Number(text) : text;
    if (value !== field.value) changes[field.key] = value;
  }
  return changes;
}

/**
 * Propose new values for a row (pending until another admin verifies it).
 * @param {string} table @param {string} rowKey @param {Record<string, any>} changes @param {string} reason @param {string} effectiveOn
 */
export const proposeChange = (table, rowKey, changes, reason, effectiveOn) =>
  api.request("PATCH", rowPath(table, rowKey), { json: { changes, reason, effective_on: effectiveOn || null } });

/** @param {number} id @param {string} reason */
export const verifyChange = (id, reason) => api.post(`/api/reference/changes/${id}/verify`, { reason });

/** @param {number} id @param {string} reason */
export const withdrawChange = (id, reason) => api.post(`/api/reference/changes/${id}/withdraw`, { reason });

/** Confirm a row's values in force against the official text. @param {string} table @param {string} rowKey @param {string} reason */
export const verifyRow = (table, rowKey, reason) => api.post(`${rowPath(table, rowKey)}/verify`, { reason });

/**
 * A row's trail (who proposed, verified, withdrew, applied) and its versions' changes, labelled.
 * @param {string} table @param {string} rowKey
 */
export async function rowHistory(table, rowKey) {
  const query = new URLSearchParams({ table, row_key: rowKey });
  const [trail, versions] = await Promise.all([api.get(`${rowPath(table, rowKey)}/history`), api.get(`/api/reference/changes?${query}`)]);
  return { trail: trail.items, versions: versions.items.map((/** @type {any} */ c) => changeView(c, null, "")) };
}
