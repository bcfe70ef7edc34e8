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

const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
const iso = (/** @type {Date} */ d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/**
 * The period a preset stands for, ending today in China (business time, clock.js).
 * @param {string} preset @param {Date} [now]
 */
export function presetPeriod(preset, now = new Date()) {
  const { year: y, month, day } = clock.chinaParts(now);
  const m = month - 1;
  const from = preset === "month" ? Date.UTC(y, m, 1) : preset === "quarter" ? Date.UTC(y, m - (m % 3), 1)
    : preset === "last12" ? Date.UTC(y - 1, m, day + 1) : Date.UTC(y, 0, 1);
  return { date_from: iso(new Date(from)), date_to: clock.today(now) };
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
