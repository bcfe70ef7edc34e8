// @ts-check
/**
 * Value semantics shared with server/form_registry/values.py: emptiness, equality, dates and times.
 * Formats are matched with explicit ASCII patterns and instants computed by hand, because
 * Date.parse and Python's datetime accept different things; the golden cases hold both to the same answers.
 * @module forms/values
 */

// The whitespace a tablet keyboard produces, including the ideographic space of Chinese input
// methods; listed because String.prototype.trim and Python's str.strip disagree on the rest.
const BLANK_CHARS = " \t\n\r\u3000";

const DATE_RE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const TIME_RE = /^([01][0-9]|2[0-3]):([0-5][0-9])$/;
const DATETIME_RE = new RegExp(
  "^([0-9]{4})-([0-9]{2})-([0-9]{2})T([01][0-9]|2[0-3]):([0-5][0-9])" +
  "(?::([0-5][0-9])(?:\\.([0-9]{1,6}))?)?" +
  "(Z|([+-])([01][0-9]|2[0-3]):([0-5][0-9]))$");
const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

// Marks an input method may type in full width, folded to ASCII before a number is read (digits are folded too).
const FOLDED = { "\uFF0E": ".", "\u3002": ".", "\uFF0C": ",", "\uFF0D": "-", "\u2212": "-" };
const PLAIN_NUMBER = /^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/;
const DECIMAL_COMMA = /^-?[0-9]+,[0-9]+$/;
const GROUPED = /^-?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$/;

/** @param {string} text */
function foldNumber(text) {
  return [...text].filter((ch) => !BLANK_CHARS.includes(ch))
    .map((ch) => (ch >= "\uFF10" && ch <= "\uFF19" ? String.fromCharCode(ch.charCodeAt(0) - 0xFEE0)
      : /** @type {Record<string, string>} */ (FOLDED)[ch] || ch)).join("");
}

/**
 * A number as a person typed it: the number it unambiguously is, or the text unchanged so that the check says
 * what is wrong (never guessed, never rescaled). Full-width digits, the Chinese full stop and a decimal comma
 * ("12,5") are read; a comma that may be a thousands separator ("1,200") is not: the text comes back. Blank is null.
 * Twin: values.py read_number.
 * @param {string} text @returns {number|string|null}
 */
export function readNumber(text) {
  const plain = foldNumber(text);
  if (plain === "") return null;
  if (PLAIN_NUMBER.test(plain)) return Number(plain);
  if (DECIMAL_COMMA.test(plain) && !GROUPED.test(plain)) return Number(plain.replace(",", "."));
  return text;
}

/**
 * True for text that may be a number written with thousands separators ("1,200", "12,500.5"), which is refused
 * with that reason. Twin: values.py looks_grouped.
 * @param {unknown} value
 */
export function looksGrouped(value) {
  return typeof value === "string" && GROUPED.test(foldNumber(value));
}

/**
 * True for no answer: null/undefined, a blank string, an empty array or an empty object.
 * @param {unknown} value
 * @returns {boolean}
 */
export function isEmpty(value) {
  if (value === null || value === undefined) return true;
  if (typeof value === "string") return [...value].every((ch) => BLANK_CHARS.includes(ch));
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.keys(value).length === 0;
  return false;
}

/**
 * True when answered and not false or zero (the `truthy` operator).
 * @param {unknown} value
 * @returns {boolean}
 */
export function isTruthy(value) {
  if (isEmpty(value) || value === false) return false;
  return !(isNumber(value) && value === 0);
}

/**
 * A finite JSON number (booleans are not numbers).
 * @param {unknown} value
 * @returns {value is number}
 */
export function isNumber(value) {
  return typeof value === "number" && Number.isFinite(value);
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
export function isPlainObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Equality of JSON values with JSON's types: true is not 1.
 * @param {unknown} a
 * @param {unknown} b
 * @returns {boolean}
 */
export function jsonEqual(a, b) {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length &&
      keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && jsonEqual(a[key], b[key]));
  }
  return a === b;
}

/**
 * Number of decimal places written in the shortest representation of a number.
 * @param {number} value
 * @returns {number}
 */
export function fractionDigits(value) {
  const [mantissa, exponent] = String(value).toLowerCase().split("e");
  const fraction = (mantissa.split(".")[1] || "").replace(/0+$/, "");
  return Math.max(0, fraction.length - Number(exponent || 0));
}

/**
 * Length in characters (code points), as Python's len().
 * @param {string} text
 * @returns {number}
 */
export function charCount(text) {
  return [...text].length;
}

/** @param {number} year @param {number} month */
function daysInMonth(year, month) {
  if (month === 2) {
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** @param {number} year @param {number} month @param {number} day */
function validYmd(year, month, day) {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * A calendar date written YYYY-MM-DD.
 * @param {unknown} value
 * @returns {boolean}
 */
export function isDate(value) {
  const match = typeof value === "string" ? DATE_RE.exec(value) : null;
  return match !== null && validYmd(Number(match[1]), Number(match[2]), Number(match[3]));
}

/**
 * A clock time written HH:MM (24 h).
 * @param {unknown} value
 * @returns {boolean}
 */
export function isTime(value) {
  return typeof value === "string" && TIME_RE.test(value);
}

/**
 * An ISO 8601 date-time with seconds optional and a mandatory offset (Z or ±HH:MM).
 * @param {unknown} value
 * @returns {boolean}
 */
export function isDatetime(value) {
  return datetimeSeconds(value) !== null;
}

/** Floor division as Python's //. @param {number} a @param {number} b */
function floorDiv(a, b) {
  return Math.floor(a / b);
}

/** Howard Hinnant's days-from-civil, the same integer steps as the Python twin. */
function daysFromCivil(/** @type {number} */ year, /** @type {number} */ month, /** @type {number} */ day) {
  year -= month <= 2 ? 1 : 0;
  const era = floorDiv(year >= 0 ? year : year - 399, 400);
  const yoe = year - era * 400;
  const doy = floorDiv(153 * (month + (month > 2 ? -3 : 9)) + 2, 5) + day - 1;
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Seconds since 1970-01-01T00:00Z of an offset date-time, or null when it is not one.
 * @param {unknown} value
 * @returns {number | null}
 */
export function datetimeSeconds(value) {
  const m = typeof value === "string" ? DATETIME_RE.exec(value) : null;
  if (m === null) return null;
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(m[i]));
  if (!validYmd(year, month, day)) return null;
  const second = Number(m[6] || 0);
  let offset = 0;
  if (m[8] !== "Z") {
    offset = (Number(m[10]) * 60 + Number(m[11])) * 60;
    if (m[9] === "-") offset = -offset;
  }
  const whole = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
  return whole + (m[7] ? Number(m[7]) / 10 ** m[7].length : 0);
}

/**
 * A UUID in its 8-4-4-4-12 hexadecimal form.
 * @param {unknown} value
 * @returns {boolean}
 */
export function isUuid(value) {
  return typeof value === "string" && UUID_RE.test(value);
}

/**
 * -1, 0 or 1 for two numbers, two dates, two times or two date-times; null when not comparable.
 * @param {unknown} a
 * @param {unknown} b
 * @returns {number | null}
 */
export function compare(a, b) {
  let pair;
  if (isNumber(a) && isNumber(b)) pair = [a, b];
  else if (isDatetime(a) && isDatetime(b)) pair = [datetimeSeconds(a), datetimeSeconds(b)];
  else if ((isDate(a) && isDate(b)) || (isTime(a) && isTime(b))) pair = [a, b];
  else return null;
  const [x, y] = /** @type {[any, any]} */ (pair);
  return x > y ? 1 : x < y ? -1 : 0;
}
