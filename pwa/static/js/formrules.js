// @ts-check
/**
 * The form rules a screen applies while a record is filled in: validation context (reference keys),
 * visibility, required marks, computed values and errors — pwa/static/js/forms, the server's twin.
 * @module formrules
 */
import { compute, entityFields, entitySpec, fieldStates, validate } from "./forms/index.js";
import { officers, rowsOf } from "./formstore.js";

/**
 * Validation context of an entity: the reference keys its lookups may take, and the officers its officer
 * fields may name. A table or a roster not synced yet is left out, so it is not checked on the device (the
 * server checks with its own copy).
 * @param {any} def @param {string} entity @param {Record<string, number>} [attachments]
 * @returns {Promise<{references: Record<string, string[]>, officers?: string[], attachments?: Record<string, number>}>}
 */
export async function contextFor(def, entity, attachments) {
  /** @type {Record<string, string[]>} */
  const refs = {};
  let people = false;
  for (const [field] of entityFields(entitySpec(def, entity))) {
    if (field.type === "officer") people = true;
    if (field.type !== "reference" || refs[field.table]) continue;
    const rows = await rowsOf(field.table);
    if (rows.length) refs[field.table] = [...new Set(rows.map((row) => row.key))];
  }
  /** @type {{references: Record<string, string[]>, officers?: string[], attachments?: Record<string, number>}} */
  const context = { references: refs };
  const roster = people ? await officers() : [];
  if (roster.length) context.officers = roster.map((o) => String(o.id));
  if (attachments) context.attachments = attachments;
  return context;
}

/**
 * What a form screen shows for a record as it stands: visibility and required marks, computed values and
 * the draft errors (wrong values; missing answers are fine while typing).
 * @param {any} def @param {string} entity @param {Record<string, any>} data @param {Record<string, any>|null} parent
 * @param {any} context
 */
export function formState(def, entity, data, parent, context) {
  return {
    states: fieldStates(def, entity, data, parent),
    computed: compute(def, entity, data, parent),
    errors: validate(def, entity, data, "draft", context, parent),
  };
}

/**
 * Complete-mode errors (what submitting needs), attachments counted per field.
 * @param {any} def @param {string} entity @param {Record<string, any>} data @param {Record<string, any>|null} parent
 * @param {any} context
 */
export function completeErrors(def, entity, data, parent, context) {
  return validate(def, entity, data, "complete", context, parent);
}

/** The entity's label in a language. @param {any} def @param {string} entity @param {"zh"|"en"} lang */
export function entityLabel(def, entity, lang) {
  const spec = entitySpec(def, entity);
  return lang === "en" ? spec.label_en : spec.label_zh;
}

/** The fields of an entity that name a register's record (a follow-up's patient file). @param {any} def @param {string} entity */
export function registerFields(def, entity) {
  return entityFields(entitySpec(def, entity)).map(([field]) => field).filter((field) => field.type === "register");
}

/** The officer fields of an entity (chosen from the agency's roster). @param {any} def @param {string} entity */
export function officerFields(def, entity) {
  return entityFields(entitySpec(def, entity)).map(([field]) => field).filter((field) => field.type === "officer");
}

/** The ids of an entity's fields. @param {any} def @param {string} entity */
export function fieldIds(def, entity) {
  return entityFields(entitySpec(def, entity)).map(([field]) => field.id);
}

/** One field's definition, or null. @param {any} def @param {string} entity @param {string} fieldId */
export function fieldSpec(def, entity, fieldId) {
  return entityFields(entitySpec(def, entity)).map(([field]) => field).find((field) => field.id === fieldId) || null;
}
