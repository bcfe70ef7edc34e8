// @ts-check
/**
 * A definition's identity: SHA-256 of its canonical JSON, byte for byte the same as
 * server/form_registry/canonical.py (keys sorted by code point, "," and ":" separators, UTF-8).
 * @module forms/canonical
 */

/** Python sorts keys by code point; JS's default sort compares UTF-16 units. @param {string} a @param {string} b */
function byCodePoint(a, b) {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const diff = /** @type {number} */ (x[i].codePointAt(0)) - /** @type {number} */ (y[i].codePointAt(0));
    if (diff !== 0) return diff;
  }
  return x.length - y.length;
}

/**
 * The canonical JSON text of a JSON value.
 * @param {unknown} value
 * @returns {string}
 */
export function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const obj = /** @type {Record<string, unknown>} */ (value);
    const items = Object.keys(obj).sort(byCodePoint).map((key) => `${JSON.stringify(key)}:${canonicalJson(obj[key])}`);
    return `{${items.join(",")}}`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) throw new Error("non-finite number in canonical JSON");
  return JSON.stringify(value);
}

/**
 * Hex SHA-256 of the canonical JSON of a definition, in UTF-8 (Web Crypto: browsers and Node ≥ 20).
 * @param {unknown} definition
 * @returns {Promise<string>}
 */
export async function definitionHash(definition) {
  const bytes = new TextEncoder().encode(canonicalJson(definition));
  const digest = await globalThis.crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
