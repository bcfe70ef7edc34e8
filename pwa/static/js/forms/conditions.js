// @ts-check
/**
 * Conditions: the small JSON expressions of show_if, required_if and constraints (no eval).
 * Twin of server/form_registry/conditions.py; see forms/README.md for the vocabulary.
 * @module forms/conditions
 */
import { compare, isEmpty, isTruthy, jsonEqual } from "./values.js";

export const PARENT_PREFIX = "$parent.";

/** @typedef {Record<string, unknown>} Data */

/**
 * Value of a field name; `$parent.`-prefixed names are read from the parent record.
 * @param {string} name
 * @param {Data} data
 * @param {Data | null} [parent]
 * @returns {unknown}
 */
export function resolve(name, data, parent = null) {
  const source = name.startsWith(PARENT_PREFIX) ? parent || {} : data;
  const key = name.startsWith(PARENT_PREFIX) ? name.slice(PARENT_PREFIX.length) : name;
  return Object.prototype.hasOwnProperty.call(source, key) ? source[key] : null;
}

/**
 * Truth of a condition for a record (and its parent record, if given).
 * @param {any} expr
 * @param {Data} data
 * @param {Data | null} [parent]
 * @returns {boolean}
 */
export function evaluate(expr, data, parent = null) {
  if ("all" in expr) return expr.all.every((/** @type {any} */ item) => evaluate(item, data, parent));
  if ("any" in expr) return expr.any.some((/** @type {any} */ item) => evaluate(item, data, parent));
  if ("not" in expr) return !evaluate(expr.not, data, parent);
  const left = resolve(expr.field, data, parent);
  if (expr.op === "truthy") return isTruthy(left);
  if (expr.op === "empty") return isEmpty(left);
  const right = "ref" in expr ? resolve(expr.ref, data, parent) : expr.value;
  return binary(expr.op, left, right);
}

/** @param {string} op @param {unknown} left @param {unknown} right */
function binary(op, left, right) {
  if (op === "eq") return jsonEqual(left, right);
  if (op === "ne") return !jsonEqual(left, right);
  if (op === "in") {
    if (isEmpty(left) || !Array.isArray(right)) return false;
    // A multi-select answer is "in" the list when it shares at least one value with it.
    const items = Array.isArray(left) ? left : [left];
    return items.some((item) => right.some((option) => jsonEqual(item, option)));
  }
  const order = compare(left, right);
  if (order === null) return false;
  return { gt: order > 0, gte: order >= 0, lt: order < 0, lte: order <= 0 }[op] === true;
}

/**
 * Every field name a condition reads (with `$parent.` prefixes kept), in order of appearance.
 * @param {any} expr
 * @returns {string[]}
 */
export function referencedFields(expr) {
  if ("all" in expr || "any" in expr) return (expr.all || expr.any).flatMap(referencedFields);
  if ("not" in expr) return referencedFields(expr.not);
  return "ref" in expr ? [expr.field, expr.ref] : [expr.field];
}
