// @ts-check
/**
 * Validating one record's data against its form definition. Twin of validation.py.
 * `draft` accepts half-filled records (field staff save as they go) but never a wrong value;
 * `complete` adds presence, attachment counts and cross-field constraints.
 * @module forms/validate
 */
import { checkValue } from "./checks.js";
import { PARENT_PREFIX, evaluate, referencedFields, resolve } from "./conditions.js";
import { entityFields, entitySpec, isAttachment, isComputed } from "./definitions.js";
import { constraintError, makeError } from "./messages.js";
import { isEmpty, isPlainObject } from "./values.js";

/** @typedef {import("./messages.js").FormError} FormError */
/** @typedef {{references?: Record<string, any>, attachments?: Record<string, number>}} Context */

export const MODES = ["draft", "complete"];

/**
 * field id → {visible, required} for a record as it stands, for the form UI.
 * @param {any} definition
 * @param {string} entity
 * @param {Record<string, unknown>} data
 * @param {Record<string, unknown> | null} [parent]
 * @returns {Record<string, {visible: boolean, required: boolean}>}
 */
export function fieldStates(definition, entity, data, parent = null) {
  /** @type {Record<string, {visible: boolean, required: boolean}>} */
  const states = {};
  for (const [field, section] of entityFields(entitySpec(definition, entity))) {
    states[field.id] = state(field, section, data, parent);
  }
  return states;
}

/** @param {any} field @param {any} section @param {any} data @param {any} parent */
function state(field, section, data, parent) {
  const visible = [section, field].every((item) => !("show_if" in item) || evaluate(item.show_if, data, parent));
  const required = visible && (field.required === true ||
    ("required_if" in field && evaluate(field.required_if, data, parent)));
  return { visible, required };
}

/**
 * Error items for a record's data (empty when valid); throws on an unknown mode or entity.
 * @param {any} definition
 * @param {string} entity
 * @param {unknown} data
 * @param {"draft" | "complete"} [mode]
 * @param {Context | null} [context]
 * @param {Record<string, unknown> | null} [parent]
 * @returns {FormError[]}
 */
export function validate(definition, entity, data, mode = "draft", context = null, parent = null) {
  if (!MODES.includes(mode)) throw new Error(`unknown validation mode ${mode}`);
  const spec = entitySpec(definition, entity);
  if (!isPlainObject(data)) return [makeError("", "record_type")];
  const ctx = context || {};
  const fields = entityFields(spec);
  const known = new Set(fields.map(([field]) => field.id));
  const errors = Object.keys(data).filter((key) => !known.has(key))
    .map((key) => makeError(key, "unknown_field", null, { name: key }));
  const invalid = new Set();
  for (const [field] of fields) {
    const found = valueErrors(field, data, ctx);
    if (found.length) {
      invalid.add(field.id);
      errors.push(...found);
    }
  }
  if (mode === "complete") {
    for (const [field, section] of fields) {
      const st = state(field, section, data, parent);
      if (st.visible) errors.push(...completeErrors(field, st, data, parent, ctx, invalid));
    }
  }
  return errors;
}

/** @param {any} field @param {Record<string, unknown>} data @param {Context} context @returns {FormError[]} */
function valueErrors(field, data, context) {
  if (!Object.prototype.hasOwnProperty.call(data, field.id)) return [];
  if (isComputed(field)) return [makeError(field.id, "readonly", field)];
  if (isAttachment(field)) return [makeError(field.id, "readonly_attachment", field)];
  const value = data[field.id];
  return isEmpty(value) ? [] : checkValue(field, value, context);
}

/**
 * @param {any} field @param {{visible: boolean, required: boolean}} st @param {Record<string, unknown>} data
 * @param {any} parent @param {Context} context @param {Set<string>} invalid
 * @returns {FormError[]}
 */
function completeErrors(field, st, data, parent, context, invalid) {
  if (isComputed(field)) return [];
  if (isAttachment(field)) return countErrors(field, st, context);
  if (isEmpty(data[field.id])) return st.required ? [makeError(field.id, "required", field)] : [];
  if (invalid.has(field.id)) return [];
  return (field.constraints || [])
    .filter((/** @type {any} */ c) => checkable(c, data, parent, invalid) && !evaluate(c.check, data, parent))
    .map((/** @type {any} */ c) => constraintError(field.id, c));
}

// A constraint speaks only when every field it reads holds a valid answer: presence is the
// business of required/required_if, and a wrong value already has its own error.
/** @param {any} constraint @param {any} data @param {any} parent @param {Set<string>} invalid */
function checkable(constraint, data, parent, invalid) {
  return referencedFields(constraint.check).every((name) =>
    !isEmpty(resolve(name, data, parent)) && (name.startsWith(PARENT_PREFIX) || !invalid.has(name)));
}

/** @param {any} field @param {{required: boolean}} st @param {Context} context @returns {FormError[]} */
function countErrors(field, st, context) {
  const counts = context.attachments;
  if (counts === undefined || counts === null) return []; // counts unknown: nothing can be said
  const count = counts[field.id] ?? 0;
  let minimum = field.min_count ?? 0;
  if (st.required) minimum = Math.max(minimum, 1);
  if (count < minimum) return [makeError(field.id, "min_count", field, { min_count: minimum })];
  if ("max_count" in field && count > field.max_count) {
    return [makeError(field.id, "max_count", field, { max_count: field.max_count })];
  }
  return [];
}
