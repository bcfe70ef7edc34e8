// @ts-check
/**
 * The dashboard's figures for a period, a district and a team, as the server computes them (/api/kpis), with
 * the names a person reads (hazards, districts, teams). Online. No DOM.
 * @module controllers/dashboard
 */
import * as api from "../api.js";
import * as clock from "../clock.js";
import * as formstore from "../formstore.js";
import { lang } from "../i18n.js";
import { pickers } from "./office.js";

export const PRESETS = ["month", "quarter", "year", "last12"];
/** The four rates of the assistance programme the work plans report (target 100 %). */
export const ASSISTANCE_RATES = ["declaration_rate", "periodic_testing_rate", "health_exam_rate", "training_rate"];

/**
 * The period a preset stands for, up to today in China (business time: clock.js, never the device's own date):
 * this month, this quarter, this year, or the last twelve months.
 * @param {string} preset @param {string} [today]  YYYY-MM-DD
 */
export function presetPeriod(preset, today = clock.today()) {
  const [y, month, day] = today.split("-").map(Number);
  const first = (/** @type {number} */ year, /** @type {number} */ m) => `${year}-${String(m).padStart(2, "0")}-01`;
  if (preset === "month") return { date_from: first(y, month), date_to: today };
  if (preset === "quarter") return { date_from: first(y, month - ((month - 1) % 3)), date_to: today };
  if (preset === "last12") {
    // The day after today's date a year ago (29 February of a leap year falls back on 1 March).
    const start = new Date(Date.UTC(y - 1, month - 1, day + 1));
    return { date_from: start.toISOString().slice(0, 10), date_to: today };
  }
  return { date_from: `${y}-01-01`, date_to: today };
}

/** The dashboard's filters from the route (this month by default). @param {URLSearchParams} query */
export function filtersOf(query) {
  const preset = PRESETS.includes(query.get("preset") || "") ? /** @type {string} */ (query.get("preset")) : "month";
  const period = presetPeriod(preset);
  const custom = query.get("from") && query.get("to");
  return { preset: custom ? "" : preset, date_from: custom ? /** @type {string} */ (query.get("from")) : period.date_from,
    date_to: custom ? /** @type {string} */ (query.get("to")) : period.date_to,
    region_id: query.get("region_id") || "", team_id: query.get("team_id") || "" };
}

/** The dashboard's hash for these filters. @param {Record<string, string>} filters */
export function dashboardHash(filters) {
  const query = new URLSearchParams();
  if (filters.preset) query.set("preset", filters.preset);
  else {
    query.set("from", filters.date_from);
    query.set("to", filters.date_to);
  }
  if (filters.region_id) query.set("region_id", filters.region_id);
  if (filters.team_id) query.set("team_id", filters.team_id);
  return `#/dashboard?${query}`;
}

/** The period and scope as the server's query. @param {Record<string, string>} filters */
function scopeQuery(filters) {
  const query = new URLSearchParams({ date_from: filters.date_from, date_to: filters.date_to });
  if (filters.region_id) query.set("region_id", filters.region_id);
  if (filters.team_id) query.set("team_id", filters.team_id);
  return query;
}

/** The figures beside the same period last year (`previous`), and what the filters offer. @param {Record<string, string>} filters */
export async function dashboardModel(filters) {
  const query = scopeQuery(filters);
  query.set("yoy", "true");
  // A period the server refuses (the end before the start) keeps the filters on screen, with its message.
  const [kpis, options] = await Promise.all([api.get(`/api/kpis?${query}`).catch((error) => {
    if (error.status === 422) return { error };
    throw error;
  }), pickers()]);
  const hazards = new Map((await formstore.referenceOptions("oel_limits")).map((o) => [o.key, lang() === "en" ? o.en : o.zh]));
  const rates = (await formstore.rowsOf("assistance_rates")).map((row) => row.data);
  return { filters, kpis: kpis.error ? null : kpis, error: kpis.error || null, hazards, rateTitles: new Map(rates.map((r) => [r.key, lang() === "en" ? r.title_en : r.title_zh])),
    districts: options.regions.filter((/** @type {any} */ r) => r.level === "district"), teams: options.teams };
}

/**
 * The same period and scope as a report to hand on: a printable PDF or an XLSX workbook, named by the server
 * (统计指标_<范围>_<期间>). A district's year takes a while to lay out.
 * The year-end summary's data annex (Word or PDF) is for the year the period ends in, with the same scope.
 * @param {Record<string, string>} filters @param {"pdf"|"xlsx"|"summary_docx"|"summary_pdf"} format
 * @returns {Promise<{bytes: ArrayBuffer, filename: string, mime: string}>}
 */
export async function report(filters, format) {
  const file = await api.request("GET", reportUrl(filters, format), { file: true, timeout: 120_000 });
  return { ...file, filename: file.filename || `${filters.date_from}_${filters.date_to}.${format}` };
}

/** @param {Record<string, string>} filters @param {"pdf"|"xlsx"|"summary_docx"|"summary_pdf"} format */
function reportUrl(filters, format) {
  if (!format.startsWith("summary_")) return `/api/kpis/report.${format}?${scopeQuery(filters)}`;
  const query = new URLSearchParams({ year: String(filters.date_to).slice(0, 4) });
  if (filters.region_id) query.set("region_id", filters.region_id);
  return `/api/summaries/year.${format.slice("summary_".length)}?${query}`;
}
