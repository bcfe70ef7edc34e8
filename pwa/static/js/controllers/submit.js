// @ts-check
/**
 * Submitting a record for review: the whole tree (a visit with its samples and noise measurements) is
 * checked completely on the tablet first — the same rules the server applies — and every problem links
 * to its field. The server's own answer (INCOMPLETE with per-field messages) is shown the same way.
 * @module controllers/submit
 */
import * as db from "../db.js";
import * as formrules from "../formrules.js";
import * as formstore from "../formstore.js";
import * as records from "../records.js";
import { entitySpec } from "../forms/index.js";
import { isEditable, reviewState } from "../replica.js";
import { warningsOf } from "../plausibility.js";
import { knownEntries } from "./form.js";

/** Fields of an inspection drawn on its signature step (the others are on its first step). */
const SIGNING = ["officer_1_signature", "officer_2_signature", "party_rep_name", "party_rep_title", "refused_to_sign",
  "party_signature", "witness_name", "witness_signature"];

/**
 * Where the form of a record of a tree opens (at the step that shows `field`).
 * @param {any} record @param {string|null} [field]
 */
export function routeOfRecord(record, field = null) {
  const root = record.root_id;
  switch (record.entity) {
    case "sampling_visit": return `#/visit/${record.id}/header`;
    case "sample": return `#/visit/${root}/sample/${record.id}`;
    case "noise_measurement": return `#/visit/${root}/noise/${record.id}`;
    case "inspection": return `#/inspection/${root}/${field && SIGNING.includes(field) ? "sign" : "info"}`;
    case "checklist_result": return `#/inspection/${root}/checklist`;
    case "finding": return `#/inspection/${root}/finding/${record.id}`;
    case "reinspection": return `#/reinspection/${root}/info`;
    case "reinspection_item": return `#/reinspection/${root}/items`;
    case "literacy_survey": return `#/literacy/${root}`;
    case "literacy_respondent": return `#/literacy/${root}/worker/${record.id}`;
    default: return `#/record/${root}`;
  }
}

/**
 * Problems that stop a submit: the device's complete-mode check and the server's last answer.
 * @param {string} rootId
 * @returns {Promise<{items: any[], state: string, root: any}>}
 */
export async function submitCheck(rootId) {
  const root = await db.getRecord(rootId);
  if (!root) return { items: [], state: "draft", root };
  const tree = (await db.recordsBy("root_id", rootId)).filter((r) => !r.deleted_local && r.entity !== "attachment");
  const byId = new Map(tree.map((r) => [r.id, r]));
  const items = [];
  for (const record of tree) {
    const def = formstore.definition(record.form_id, record.form_version);
    if (!def) continue;
    const counts = records.attachmentCounts(await records.attachmentsOf(record.id));
    const context = await formrules.contextFor(def, record.entity, counts);
    const parent = record.parent_id ? byId.get(record.parent_id) : null;
    const spec = entitySpec(def, record.entity);
    const labelOf = (/** @type {string|null} */ id) => {
      for (const section of spec.sections) for (const field of section.fields) if (field.id === id) return field;
      return null;
    };
    // What is on the screen is checked: an entry refused while typing is named for what is wrong with it (not as
    // missing), and an unlikely reading not yet confirmed is listed to confirm.
    const data = { ...record.data, ...knownEntries(record, def, Boolean(root) && isEditable(root)) };
    const found = [
      ...formrules.completeErrors(def, record.entity, data, parent?.data || null, context),
      ...warningsOf(record.entity, data).filter((w) => !w.confirmed).map((w) => ({ field: w.field, code: "unconfirmed",
        message_zh: `待确认：${w.message_zh}`, message_en: `To confirm: ${w.message_en}` })),
      ...(record.problems || []).map((p) => ({ ...p, server: true })),
    ];
    const seen = new Set();
    for (const error of found) {
      const key = `${error.field}|${error.code}`;
      if (seen.has(key)) continue;
      seen.add(key);
      items.push({ ...error, record_id: record.id, entity: record.entity, entity_spec: spec,
        field_spec: labelOf(error.field), record_label: record.data.sample_code || record.data.measurement_point || null,
        route: routeOfRecord(record, error.field) });
    }
  }
  return { items, state: reviewState(root), root };
}

/**
 * Submit when the device finds nothing missing; returns the problems otherwise.
 * @param {string} rootId
 */
export async function submitRoot(rootId) {
  const check = await submitCheck(rootId);
  const blocking = check.items.filter((item) => !item.server);
  if (blocking.length) return { submitted: false, items: check.items };
  await records.submit(rootId);
  return { submitted: true, items: [] };
}
