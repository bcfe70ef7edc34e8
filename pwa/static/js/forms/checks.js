// @ts-check
/**
 * Checks of one non-empty value against its field type (the draft-mode checks). Twin of checks.py.
 * @module forms/checks
 */
import { makeError, patternError } from "./messages.js";
import { charCount, fractionDigits, isDate, isDatetime, isNumber, isPlainObject, isTime, isUuid, looksGrouped } from "./values.js";

/** @typedef {import("./messages.js").FormError} FormError */

/** @type {Record<string, [(value: unknown) => boolean, string]>} */
const FORMATS = {
  date: [isDate, "YYYY-MM-DD"],
  time: [isTime, "HH:MM"],
  datetime: [isDatetime, "YYYY-MM-DDTHH:MM[:SS]±HH:MM"],
};
const GEO_KEYS = ["lat", "lng", "accuracy_m"];
/** A user's id written as decimal text (String(id)), as checks.py reads it. */
const USER_ID = /^[1-9][0-9]{0,17}$/;
/** @type {Map<string, RegExp>} */
const patternCache = new Map();

/**
 * Error items for a value that is present; [] when it fits the field.
 * @param {any} field
 * @param {unknown} value
 * @param {any} [context]
 * @returns {FormError[]}
 */
export function checkValue(field, value, context = {}) {
  return CHECKERS[field.type](field, value, context || {});
}

/** @param {any} field @param {any} key @param {Record<string, unknown>} [params] */
function err(field, key, params = {}) {
  return makeError(field.id, key, field, params);
}

/** Python's re.fullmatch, for the regex subset the lint allows. @param {string} pattern */
function fullPattern(pattern) {
  let re = patternCache.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`, "u");
    patternCache.set(pattern, re);
  }
  return re;
}

/** @type {Record<string, (field: any, value: any, context: any) => FormError[]>} */
const CHECKERS = {
  text(field, value) {
    if (typeof value !== "string") return [err(field, "type")];
    const errors = [];
    if ("max_length" in field && charCount(value) > field.max_length) {
      errors.push(err(field, "max_length", { max_length: field.max_length }));
    }
    if ("pattern" in field && !fullPattern(field.pattern).test(value)) errors.push(patternError(field.id, field));
    return errors;
  },
  number(field, value) {
    // Text typed where a number belongs: said as typed, with what is wrong with it.
    if (typeof value === "string") return [err(field, looksGrouped(value) ? "number_grouping" : "not_number", { value })];
    if (!isNumber(value)) return [err(field, "type")];
    const errors = [];
    if ("min" in field && value < field.min) errors.push(err(field, "min", { min: field.min }));
    if ("max" in field && value > field.max) errors.push(err(field, "max", { max: field.max }));
    if ("decimals" in field && fractionDigits(value) > field.decimals) {
      errors.push(err(field, "decimals", { decimals: field.decimals }));
    }
    return errors;
  },
  date: checkFormat,
  time: checkFormat,
  datetime: checkFormat,
  select(field, value) {
    if (typeof value !== "string") return [err(field, "type")];
    return choiceValues(field).includes(value) ? [] : [err(field, "choice", { value })];
  },
  multi_select(field, value) {
    const errors = stringListErrors(field, value);
    if (errors.length) return errors;
    const wrong = value.filter((/** @type {string} */ item) => !choiceValues(field).includes(item));
    return wrong.length ? [err(field, "choice", { value: wrong[0] })] : [];
  },
  boolean(field, value) {
    return typeof value === "boolean" ? [] : [err(field, "type")];
  },
  geo_point(field, value) {
    if (!isPlainObject(value) || !Object.keys(value).every((key) => GEO_KEYS.includes(key)) ||
        !("lat" in value) || !("lng" in value) || !Object.values(value).every(isNumber)) {
      return [err(field, "type")];
    }
    const point = /** @type {{lat: number, lng: number, accuracy_m?: number}} */ (value);
    const inRange = point.lat >= -90 && point.lat <= 90 && point.lng >= -180 && point.lng <= 180 &&
      (point.accuracy_m ?? 0) >= 0;
    return inRange ? [] : [err(field, "geo_range")];
  },
  enterprise(field, value) {
    if (typeof value !== "string") return [err(field, "type")];
    return isUuid(value) ? [] : [err(field, "format", { format: "UUID" })];
  },
  /** A record of a register (a patient's file), by its id; the server checks that it exists and may be read. */
  register(field, value) {
    if (typeof value !== "string") return [err(field, "type")];
    return isUuid(value) ? [] : [err(field, "format", { format: "UUID" })];
  },
  reference(field, value, context) {
    let errors, keys;
    if (field.multiple) {
      errors = stringListErrors(field, value);
      keys = value;
    } else {
      errors = typeof value === "string" ? [] : [err(field, "type")];
      keys = [value];
    }
    const valid = (context.references || {})[field.table];
    // Without the table in the context the keys cannot be checked: the device may not have synced
    // that reference table yet, and the server checks again with its own copy.
    if (errors.length || valid === undefined || valid === null) return errors;
    const wrong = keys.filter((/** @type {string} */ key) => !hasKey(valid, key));
    return wrong.length ? [err(field, "reference", { value: wrong[0], table: field.table })] : [];
  },
  officer(field, value, context) {
    if (typeof value !== "string") return [err(field, "type")];
    if (!USER_ID.test(value)) return [err(field, "officer_format")];
    const roster = context.officers;
    // Without the roster in the context the person cannot be checked: the device may not have synced it
    // yet, and the server checks against its own users.
    if (roster === undefined || roster === null || hasKey(roster, value)) return [];
    return [err(field, "officer")];
  },
};

/** @param {any} field @param {any} value */
function checkFormat(field, value) {
  const [test, shape] = FORMATS[field.type];
  if (typeof value !== "string") return [err(field, "type")];
  return test(value) ? [] : [err(field, "format", { format: shape })];
}

/** @param {any} field @returns {string[]} */
function choiceValues(field) {
  return field.choices.map((/** @type {any} */ choice) => choice.value);
}

/** @param {any} field @param {unknown} value */
function stringListErrors(field, value) {
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) return [err(field, "type")];
  if (new Set(value).size !== value.length) return [err(field, "duplicate")];
  return [];
}

/** Membership in a reference table given as an array, a Set or an object keyed by key. */
function hasKey(/** @type {any} */ table, /** @type {string} */ key) {
  if (Array.isArray(table)) return table.includes(key);
  if (table instanceof Set) return table.has(key);
  return Object.prototype.hasOwnProperty.call(table, key);
}
