// @ts-check
/**
 * 编号登记簿 (number register), online: for one year, every number of each of the agency's document series and what
 * became of it — issued (by whom, when, offline or not), voided with its reason, returned unused, still reserved on
 * a device, or its document voided — so an auditor sees that no number is missing without a reason. The year is the
 * business year (the server's clock) unless the route names one. No DOM.
 * @module controllers/numbers
 */
import * as api from "../api.js";

/** What can become of a number, in the order the summary line reads them (server/domain/number_series.py). */
export const STATES = ["issued", "voided", "returned", "reserved", "document_voided"];

/** The year the route asks for; empty for the current business year. @param {URLSearchParams} query */
export const yearOf = (query) => (query.get("year") || "").trim();

/** The register's hash for a year (empty: the current business year). @param {string} year */
export const registerHash = (year) => (year.trim() ? `#/numbers?${new URLSearchParams({ year: year.trim() })}` : "#/numbers");

/**
 * One document type's series: the counts by state in summary order, whether they add up to the numbers allocated
 * (a register that does not balance is shown as such, never hidden), and the entries in order.
 * @param {any} series  one item of the register's `series`
 */
export function seriesModel(series) {
  const counts = STATES.map((state) => ({ state, n: Number(series.counts?.[state] ?? 0) }));
  const total = counts.reduce((sum, c) => sum + c.n, 0);
  return { doc_type: String(series.doc_type), title_zh: String(series.title_zh || ""), allocated: Number(series.allocated),
    counts, total, balanced: total === Number(series.allocated), entries: /** @type {any[]} */ (series.entries || []) };
}

/**
 * The register of a year (empty: the business year, as the server's clock has it). A year the server refuses
 * (4xx) keeps the year picker on screen with the server's message; anything else fails the screen.
 * @param {string} year
 */
export async function registerModel(year) {
  const path = year ? `/api/documents/number-register?${new URLSearchParams({ year })}` : "/api/documents/number-register";
  try {
    const register = await api.get(path);
    return { year: String(register.year), series: register.series.map(seriesModel), error: null };
  } catch (error) {
    const status = /** @type {any} */ (error)?.status ?? 0;
    if (status >= 400 && status < 500) return { year, series: [], error };
    throw error;
  }
}
