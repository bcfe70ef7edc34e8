// @ts-check
/**
 * Sync conflicts for the supervisor to decide, online: the value both edits started from (read back from the
 * record's history), the value the server kept and the one the device sent, who sent each from which device and
 * when, and the decision — a normal change that syncs out to every device. No DOM.
 * @module controllers/resolutions
 */
import * as api from "../api.js";
import * as db from "../db.js";
import { entityFields, entitySpec } from "../forms/index.js";
import * as formstore from "../formstore.js";
import { label, lang } from "../i18n.js";
import { formatValue } from "../summaries.js";

/**
 * The value a field had at change number `baseNo` of a record, from the change history (oldest first).
 * @param {any[]} history @param {string} recordId @param {string} field @param {number|null} baseNo
 * @returns {{known: boolean, value: any}}
 */
export function baseValue(history, recordId, field, baseNo) {
  if (!baseNo) return { known: true, value: null }; // the device had never seen the field
  let found = { known: false, value: /** @type {any} */ (null) };
  for (const change of history) {
    if (change.record_id === recordId && change.change_no <= baseNo && change.fields && field in change.fields) {
      found = { known: true, value: change.fields[field] };
    }
  }
  return found;
}

/** @param {any} def @param {string} entity @param {string|null} id */
function fieldOf(def, entity, id) {
  try {
    return def && id ? entityFields(entitySpec(def, entity)).map(([field]) => field).find((field) => field.id === id) || null : null;
  } catch {
    return null;
  }
}

/** How a supervisor types another value for this field. @param {any} field */
function editorOf(field) {
  if (!field) return { type: "text" };
  if (field.type === "select") return { type: "select", choices: field.choices.map((/** @type {any} */ c) => ({ value: c.value, label: label(c) })) };
  if (field.type === "boolean") return { type: "boolean" };
  if (field.type === "number") return { type: "number" };
  if (["date", "time"].includes(field.type)) return { type: field.type };
  if (["text", "reference"].includes(field.type)) return { type: "text" };
  return null; // lists, photos, places: chosen from the two values only
}

/**
 * A typed value from what was entered (empty clears the field).
 * @param {{type: string}} editor @param {string} text
 */
export function parseEntered(editor, text) {
  const value = text.trim();
  if (value === "") return null;
  if (editor.type === "number") return Number(value);
  if (editor.type === "boolean") return value === "true";
  return value;
}

/** Who sent a value from where. @param {Map<number, string>} people @param {number|null} userId @param {string|null} device @param {string|null} at */
const source = (people, userId, device, at) => ({ user: userId != null ? people.get(userId) || `#${userId}` : null,
  device: device ? String(device).slice(0, 8) : null, at });

/** @param {Map<string, Promise<any>>} roots @param {string} rootId */
function detailOf(roots, rootId) {
  if (!roots.has(rootId)) roots.set(rootId, api.get(`/api/records/${encodeURIComponent(rootId)}`).catch(() => null));
  return /** @type {Promise<any>} */ (roots.get(rootId));
}

/** Open (or resolved) conflicts with their record, field and the three values. @param {"open"|"resolved"} status */
export async function conflictsModel(status) {
  const [list, users] = await Promise.all([api.get(`/api/sync/conflicts?status=${status}`), api.get("/api/users")]);
  const people = new Map(users.items.map((/** @type {any} */ u) => [u.id, u.display_name]));
  const names = new Map((await formstore.referenceOptions("oel_limits")).map((o) => [o.key, o]));
  /** @type {Map<string, Promise<any>>} */
  const roots = new Map();
  const items = [];
  for (const c of list.items) {
    const local = c.entity === "enterprise" ? null : await db.getRecord(c.record_id);
    const detail = c.entity === "enterprise" ? null : await detailOf(roots, local?.root_id || c.record_id);
    const root = detail?.record;
    const def = root ? formstore.definition(root.form_id, root.form_version) : null;
    const field = fieldOf(def, c.entity, c.field);
    const child = detail?.children.find((/** @type {any} */ m) => m.id === c.record_id);
    const enterprise = c.entity === "enterprise" ? await db.getEnterprise(c.record_id) : null;
    const shown = (/** @type {any} */ v) => (c.kind === "field" ? formatValue(field, v, lang(), names) : null);
    const base = detail ? baseValue(detail.history, c.record_id, c.field, c.base_change_no) : { known: false, value: null };
    items.push({ id: c.id, kind: c.kind, status: c.status, entity: c.entity, field: c.field,
      field_label: field ? label(field) : c.field,
      record_label: enterprise ? enterprise.name : [root?.enterprise_name, root?.record_date,
        child ? [child.data?.sample_code, child.data?.post, child.data?.fact].find(Boolean) : null].filter(Boolean).join(" · ") || c.record_id,
      root_id: root?.id || null, base: base.known ? { text: shown(base.value) } : null, base_change_no: c.base_change_no,
      server: { text: shown(c.server_value), ...source(people, c.server_user_id, c.server_device_id, c.server_device_time) },
      client: { text: shown(c.client_value), ...source(people, c.client_user_id, c.client_device_id, c.client_device_time) },
      editor: c.kind === "field" ? editorOf(field) : null, resolution: c.resolution, created_at: c.created_at });
  }
  return { status, items };
}

/**
 * Decide: keep the server's value, take the device's, or set another one.
 * @param {string} id @param {"server"|"client"|"value"} choice @param {any} [value]
 */
export function resolve(id, choice, value = null) {
  return api.post(`/api/sync/conflicts/${encodeURIComponent(id)}/resolve`, { choice, value });
}
