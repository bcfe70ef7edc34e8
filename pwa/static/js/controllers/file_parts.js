// @ts-check
/**
 * The parts of a ledger's file on the tablet (a 职业健康检查机构's 督导 and card counts, a 督导's checklist items, a
 * training's enterprises): each part is a child record of its own, listed under its parent with what identifies it,
 * and added offline like any record (records.createChild), then filled in the record screen. No DOM.
 * @module controllers/file_parts
 */
import * as db from "../db.js";
import { FILE_PARTS_ROOTS } from "../flows.js";
import * as formstore from "../formstore.js";
import { entities, entityFields, entitySpec, fieldStates } from "../forms/index.js";
import { lang } from "../i18n.js";
import * as records from "../records.js";
import { formatValue } from "../summaries.js";

/** Answers that name a part in its line: the first ones answered, as a person reads them. */
const SHOWN = new Set(["text", "number", "date", "select", "multi_select", "boolean", "reference", "enterprise"]);
const PARTS_IN_TITLE = 3;

/** @param {any} record */
const live = (record) => !record.deleted_local && !record.server?.deleted;

/**
 * What identifies a record in a list: its first answered, shown fields in words (choices and reference rows by
 * their names, never their keys). @param {any} def @param {any} record @param {any} parent @param {number} [most]
 */
async function titleOf(def, record, parent, most = PARTS_IN_TITLE) {
  const states = fieldStates(def, record.entity, record.data || {}, parent?.data || null);
  const parts = [];
  for (const [field] of entityFields(entitySpec(def, record.entity))) {
    if (parts.length >= most) break;
    const value = (record.data || {})[field.id];
    if (!SHOWN.has(field.type) || states[field.id]?.visible === false || value == null || value === "") continue;
    if (field.type === "enterprise") { // a registry enterprise by its name (when the tablet holds it)
      const enterprise = await db.getEnterprise(value);
      if (enterprise) parts.push(enterprise.name);
      continue;
    }
    const names = field.type === "reference"
      ? new Map((await formstore.referenceOptions(field.table)).map((o) => [o.key, { zh: o.zh, en: o.en }])) : undefined;
    const shown = formatValue(field, value, lang(), names);
    if (shown) parts.push(String(shown));
  }
  return parts.join(" · ");
}

/**
 * The parts of a ledger's file or of one of its parts, or null for a record whose parts are not kept this way:
 * {parent: {id, kind, title}|null, groups: [{entity, kind, items: [{id, title, unsynced}]}], editable}.
 * @param {any} record  the record shown (a local record) @param {any} root  its file @param {boolean} editable
 */
export async function partsModel(record, root, editable) {
  if (!root || !FILE_PARTS_ROOTS.includes(root.entity)) return null;
  const def = formstore.definition(record.form_id, record.form_version);
  if (!def) return null;
  const language = lang();
  const kindOf = (/** @type {string} */ entity) => {
    const spec = entitySpec(def, entity);
    return language === "en" ? spec.label_en : spec.label_zh;
  };
  const tree = (await db.recordsBy("root_id", record.root_id)).filter(live);
  const groups = [];
  for (const { entity, parent } of entities(def)) {
    if (parent !== record.entity) continue;
    const items = [];
    for (const child of tree.filter((r) => r.parent_id === record.id && r.entity === entity)) {
      items.push({ id: child.id, title: await titleOf(def, child, record), unsynced: child.dirty === 1 });
    }
    items.sort((a, b) => b.title.localeCompare(a.title));
    groups.push({ entity, kind: kindOf(entity), items });
  }
  const up = record.parent_id ? tree.find((r) => r.id === record.parent_id) : null;
  const grand = up?.parent_id ? tree.find((r) => r.id === up.parent_id) : null;
  return { parent: up ? { id: up.id, kind: kindOf(up.entity), title: await titleOf(def, up, grand, 2) } : null,
    groups, editable };
}

/**
 * Add a part (a child record) under a record of a file, offline; returns the route of its form.
 * @param {string} recordId @param {string} entity
 */
export async function addPart(recordId, entity) {
  const parent = await db.getRecord(recordId);
  if (!parent) throw new Error("not on this tablet");
  const child = await records.createChild(parent, entity, {});
  return `#/record/${child.id}`;
}
