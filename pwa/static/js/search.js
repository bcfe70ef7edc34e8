// @ts-check
/**
 * Offline enterprise search over the local replica: name, unified social credit code, industry (name or
 * GB/T 4754 code), address and contact. The index is a flat array of lowercase haystacks held in memory:
 * 5,000 enterprises are searched in a few milliseconds on a tablet, without a search library.
 * @module search
 */
import * as db from "./db.js";

/** @type {{enterprise: any, hay: string, name: string}[]|null} */
let index = null;

/** Full-width letters and digits (typed on a Chinese keyboard) match their ASCII twins. @param {string} text */
export function normalise(text) {
  return String(text || "").replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xFEE0))
    .replace(/\u3000/g, " ").toLowerCase();
}

/** Build the index from the store (after start-up or a pull that brought enterprises). */
export async function load() {
  const rows = await db.allEnterprises();
  index = rows.map((enterprise) => ({
    enterprise, name: normalise(enterprise.name),
    hay: normalise([enterprise.name, enterprise.credit_code, enterprise.industry_name, enterprise.industry_code,
      enterprise.address, enterprise.contact_name, enterprise.legal_representative].filter(Boolean).join(" ")),
  }));
  const collator = new Intl.Collator("zh-CN");
  index.sort((a, b) => collator.compare(a.enterprise.name || "", b.enterprise.name || ""));
  return index.length;
}

/** Forget the index; the next search rebuilds it. */
export function invalidate() {
  index = null;
}

/**
 * Enterprises matching every word of the query, names starting with it first.
 * @param {string} query @param {number} [limit]
 * @returns {Promise<{total: number, items: any[]}>}
 */
export async function search(query, limit = 50) {
  if (!index) await load();
  const all = index || [];
  const words = normalise(query).split(/\s+/).filter(Boolean);
  if (!words.length) return { total: all.length, items: all.slice(0, limit).map((x) => x.enterprise) };
  const found = all.filter((x) => words.every((word) => x.hay.includes(word)));
  const first = words[0];
  const rank = (/** @type {{name: string, hay: string}} */ x) => (x.name.startsWith(first) ? 0 : x.name.includes(first) ? 1 : 2);
  found.sort((a, b) => rank(a) - rank(b));
  return { total: found.length, items: found.slice(0, limit).map((x) => x.enterprise) };
}
