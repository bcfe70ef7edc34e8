// @ts-check
/**
 * The dashboard's figures for a period, a district and a team, as the server computes them (/api/kpis), with
 * the names a person reads (hazards, districts, teams). Online. No DOM.
 * @module controllers/dashboard
 */
import * as api from "../api.js";
import * as formstore from "../formstore.js";
import { lang } from "../i18n.js";
import { pickers } from "./office.js";

export const PRESETS = ["month", "quarter", "year", "last12"];
/** The four rates of the assistance programme the work plans report (target 100 %). */
export const ASSISTANCE_RATES = ["declaration_rate", "periodic_testing_rate", "health_exam_rate", "training_rate"];

const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
const iso = (/** @type {Date} */ d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** The period a preset stands for, ending today. @param {string} preset @param {Date} [today] */
export function presetPeriod(preset, today = new Date()) {
  const y = today.getFullYear();
  const m = today.getMonth();
  const from = preset === "month" ? new Date(y, m, 1) : preset === "quarter" ? new Date(y, m - (m % 3), 1)
    : preset === "last12" ? new Date(y - 1, m, today.getDate() + 1) : new Date(y, 0, 1);
  return { date_from: iso(from), date_to: iso(today) };
}

/** The dashboard's filters from the route (this year by default). @param {URLSearchParams} query */
export function filtersOf(query) {
  const preset = PRESETS.includes(query.get("preset") || "") ? /** @type {string} */ (query.get("preset")) : "year";
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

/** The figures and what the filters offer. @param {Record<string, string>} filters */
export async function dashboardModel(filters) {
  const query = new URLSearchParams({ date_from: filters.date_from, date_to: filters.date_to });
  if (filters.region_id) query.set("region_id", filters.region_id);
  if (filters.team_id) query.set("team_id", filters.team_id);
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
