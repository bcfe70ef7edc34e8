// @ts-check
/**
 * The judgement vocabulary of server/domain/judgements.py on the tablet: conform / nonconform / undetermined,
 * "exceeds" with the same float tolerance, Python's display rounding (format_sig) and the typed error the rules
 * raise. Reasons are built from the same templates as the server's, so the same text comes out.
 * @module evaluation/judgements
 */

export const CONFORM = "conform";
export const NONCONFORM = "nonconform";
export const UNDETERMINED = "undetermined";
/** @type {Record<string, string>} */
export const RESULT_LABELS_ZH = { conform: "符合", nonconform: "不符合", undetermined: "不判定" };

// Field readings are decimals; binary floats turn 1.05/1.00 into 5.000000000000004 %. The server's tolerance.
const REL_TOL = 1e-9;

/** Input that breaks a rule (server: domain/errors.Invalid): a message and field-level details. */
export class Invalid extends Error {
  /** @param {string} message @param {any[]} [details] */
  constructor(message, details = []) {
    super(message);
    this.details = details;
  }
}

/**
 * True when value is above limit by more than float noise (a value equal to the limit complies).
 * @param {number} value @param {number} limit
 */
export const exceeds = (value, limit) => value > limit + REL_TOL * Math.max(1.0, Math.abs(limit));

/** Any nonconform wins, then any undetermined; conform only if all conform (none: undetermined). @param {string[]} results */
export function combineResults(results) {
  if (!results.length) return UNDETERMINED;
  if (results.includes(NONCONFORM)) return NONCONFORM;
  if (results.includes(UNDETERMINED)) return UNDETERMINED;
  return CONFORM;
}

/** Strip the zeros after a decimal point ("90.400" → "90.4", "85.000" → "85"). @param {string} text */
const trimZeros = (text) => (text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text);

/**
 * Python's "{:g}": six significant digits, exponent form below 1e-4 and from 1e6 ("1.23e+06"). Values shown here
 * have at most six significant digits, so the half-up rounding of toExponential never meets a tie.
 * @param {number} value
 */
export function formatG(value) {
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  const [mantissa, exponent] = value.toExponential(5).split("e");
  const e = Number(exponent);
  if (e < -4 || e >= 6) return `${trimZeros(mantissa)}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  return trimZeros(value.toFixed(5 - e));
}

/**
 * Python's round(x, n): the exact binary value rounded to n decimals, ties to even (toFixed breaks ties upwards,
 * so a true tie — x·2^(n+1) an odd integer — is settled here).
 * @param {number} x @param {number} n
 */
function pyRound(x, n) {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  if (n >= 0) {
    const scaled = a * 2 ** (n + 1);
    if (Number.isInteger(scaled) && scaled % 2 === 1) {
      const down = Math.floor(a * 10 ** n);
      return sign * Number(`${down % 2 === 0 ? down : down + 1}e-${n}`);
    }
    return sign * Number(a.toFixed(n));
  }
  const unit = 10 ** -n;
  if (Number.isInteger(a) && (a % unit) * 2 === unit) {
    const down = (a - (a % unit)) / unit;
    return sign * (down % 2 === 0 ? down : down + 1) * unit;
  }
  return sign * Math.round(a / unit) * unit;
}

/**
 * Rounded for display to `digits` significant figures (never inside arithmetic).
 * @param {number} value @param {number} [digits]
 */
export function roundSig(value, digits = 3) {
  if (value === 0 || !Number.isFinite(value)) return value;
  return pyRound(value, digits - 1 - Math.floor(Math.log10(Math.abs(value))));
}

/** Display text at 3 significant figures ("1.75", "6", "0.05"); "—" for none. @param {number|null|undefined} value */
export const formatSig = (value) => (value === null || value === undefined ? "—" : formatG(roundSig(value)));

/**
 * True when the ISO date is in [from, to): the end date is the first day not covered.
 * @param {string} on @param {string|null|undefined} from @param {string|null|undefined} to
 */
export const inPeriod = (on, from, to) => !(from && on < from) && !(to && on >= to);

/** Python's repr of a list of strings and None, as error details spell it ("['a', None]"). @param {(string|null)[]} items */
export const pyList = (items) => `[${items.map((item) => (item === null ? "None" : `'${item}'`)).join(", ")}]`;

/**
 * A limit a verdict was judged against, with its provenance (LimitUsed of the server's judgements.py).
 * @param {{row_id: string, limit_type: string, value: number, unit: string, source_standard: string, amendment?: string|null,
 *   effective_from?: string|null, effective_to?: string|null, condition?: string|null, fraction?: string|null,
 *   confidence: string, verified: boolean, version?: number, version_from?: string|null}} used
 */
export function limitUsed(used) {
  return { row_id: used.row_id, limit_type: used.limit_type, value: used.value, unit: used.unit,
    source_standard: used.source_standard, amendment: used.amendment ?? null, effective_from: used.effective_from ?? null,
    effective_to: used.effective_to ?? null, condition: used.condition ?? null, fraction: used.fraction ?? null,
    confidence: used.confidence, verified: used.verified, version: used.version ?? 1, version_from: used.version_from ?? null };
}

/** The version a cited row was read at (rows_in_force adds it on the server; 1 when absent). @param {any} raw */
export const rowVersion = (raw) => ({ version: Math.trunc(Number(raw.row_version || 1)), version_from: raw.row_version_from ?? null });

/** Python's repr of a float ("5.0", "0.35", "1e-05"), as the server's error messages print one. @param {number} value */
export function pyFloat(value) {
  if (value === 0 || !Number.isFinite(value)) return value === 0 ? "0.0" : String(value);
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  if (exponent < -4 || exponent >= 16) {
    const [mantissa, e] = value.toExponential().split("e");
    return `${mantissa}e${e[0]}${e.slice(1).padStart(2, "0")}`;
  }
  const text = String(value);
  return text.includes(".") ? text : `${text}.0`;
}
