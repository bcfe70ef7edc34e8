// @ts-check
/**
 * The laboratory's side of the monitoring chain, online: the work list of sampling visits by lifecycle state, one
 * visit with its handovers (received by the codes scanned or typed), a result per sample entered exactly as typed,
 * the batch's quality control, and the supervisor's entry into the national system. No DOM.
 * @module controllers/lab
 */
import * as api from "../api.js";
import * as clock from "../clock.js";
import { readNumber } from "../forms/values.js";
import { lang } from "../i18n.js";
import { processSignature } from "../media.js";
import * as session from "../session.js";
import { uploadNow } from "../uploader.js";

/** The lifecycle of a sampling visit (server/domain/monitoring.py STATES), in order. */
export const STATES = ["field", "handed_over", "laboratory", "evaluation", "review", "reported", "entered"];
/** The work list's tabs: what waits for the laboratory (送检 and 实验室检测 together), each state, everything. */
export const TABS = ["work", ...STATES, "all"];
const WORK = ["handed_over", "laboratory"];
const PER_PAGE = 20;

/** @param {URLSearchParams} query */
export function listFilters(query) {
  const tab = query.get("state") || "work";
  return { tab: TABS.includes(tab) ? tab : "work", page: Math.max(1, Number(query.get("page")) || 1) };
}

/** @param {{tab: string, page: number}} filters */
export function listHash(filters) {
  const query = new URLSearchParams();
  if (filters.tab !== "work") query.set("state", filters.tab);
  if (filters.page > 1) query.set("page", String(filters.page));
  return `#/lab${String(query) ? `?${query}` : ""}`;
}

/** @param {string|null} state @param {number} page @param {number} perPage */
function visitsPage(state, page, perPage) {
  const query = new URLSearchParams({ page: String(page), per_page: String(perPage) });
  if (state) query.set("state", state);
  return api.get(`/api/monitoring/visits?${query}`);
}

/**
 * One page of the work list. "work" is two states: both are read whole (a laboratory's open handovers are few) and
 * shown handed-over first, so nothing waiting is on a page nobody opens.
 * @param {{tab: string, page: number}} filters
 */
export async function listModel(filters) {
  if (filters.tab !== "work") {
    const list = await visitsPage(filters.tab === "all" ? null : filters.tab, filters.page, PER_PAGE);
    return { filters, list };
  }
  const pages = await Promise.all(WORK.map((state) => visitsPage(state, 1, 100)));
  const items = pages.flatMap((p) => p.items);
  return { filters, list: { items, total: items.length, page: 1, per_page: Math.max(items.length, 1) } };
}

/**
 * A code as the server compares it (server/domain/monitoring.py normalise_code), so the list shows what a person
 * reads: a label's QR carries {"s": code, "r": record id}; full-width characters and spaces are folded.
 * @param {string} text
 */
export function codeOf(text) {
  const folded = String(text).replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xFEE0)).trim();
  if (!folded.startsWith("{")) return folded;
  try {
    const payload = JSON.parse(folded);
    return payload && typeof payload === "object" ? String(payload.s || "").trim() : folded;
  } catch {
    return folded;
  }
}

/** Fields of a result by its kind, in the order of the form (server/domain/monitoring.py check_lab_values). */
export const KIND_FIELDS = {
  mass: ["mass_ug", "below_lod", "lod", "loq"],
  concentration: ["concentration_mg_m3", "below_lod", "lod", "loq"],
  weighing: ["filter_pre_mg", "filter_post_mg", "balance_id", "free_sio2_pct", "lod", "loq"],
};
export const COMMON_FIELDS = ["method_standard", "instrument", "analyst", "analysis_date", "note"];
export const NUMBER_FIELDS = ["mass_ug", "concentration_mg_m3", "lod", "loq", "filter_pre_mg", "filter_post_mg", "free_sio2_pct"];
/** The unit of the LOD and LOQ by kind. */
export const LOD_UNITS = { mass: "µg", concentration: "mg/m³", weighing: "mg" };

/**
 * The body of a result from what the form holds: only the fields of its kind (a value left in a field of another
 * kind is not sent), numbers as typed, blanks left out.
 * @param {string} kind @param {Record<string, string|boolean>} raw @param {boolean} confirmBlank
 */
export function resultBody(kind, raw, confirmBlank) {
  /** @type {Record<string, any>} */
  const body = { result_kind: kind };
  for (const name of [.../** @type {any} */ (KIND_FIELDS)[kind] || [], ...COMMON_FIELDS]) {
    const value = raw[name];
    if (name === "below_lod") {
      if (value === true) body.below_lod = true;
    } else if (NUMBER_FIELDS.includes(name)) {
      const number = readNumber(String(value ?? ""));
      if (number !== null) body[name] = number;
    } else if (String(value ?? "").trim()) {
      body[name] = String(value).trim();
    }
  }
  if (confirmBlank) body.confirm_blank = true;
  return body;
}

/** The kind a new result starts as: weighing for a filter (dust), else the analyte's mass. @param {any} sample */
const firstKind = (sample) => sample.result?.result_kind || (sample.collector === "filter_membrane" ? "weighing" : "mass");

/** Where a sample is in the chain, for the laboratory. @param {any} s @param {boolean} receivedAny */
function sampleStage(s, receivedAny) {
  if (!s.needs_lab) return "direct";
  if (!s.handed) return "not_handed";
  if (s.received) return "received";
  return receivedAny ? "missing" : "pending";
}

/** One visit as the laboratory works on it. @param {string} visitId */
export async function visitModel(visitId) {
  const visit = await api.get(`/api/monitoring/visits/${encodeURIComponent(visitId)}`);
  const lab = session.hasRole("laboratory");
  const receivedAny = visit.handovers.some((/** @type {any} */ h) => h.received_at);
  const damaged = new Set(visit.handovers.flatMap((/** @type {any} */ h) => h.receipt?.damaged || []));
  const samples = visit.samples.map((/** @type {any} */ s) => ({ ...s, stage: sampleStage(s, receivedAny), kind: firstKind(s),
    damaged: damaged.has(s.sample_code), editable: lab && s.needs_lab && s.received }));  // after the report: a correction for its 更正
  const forLab = samples.filter((/** @type {any} */ s) => s.needs_lab);
  return { visit, samples, lab, supervisor: session.hasRole("supervisor", "admin"),
    entered: forLab.filter((/** @type {any} */ s) => s.result).length, forLab: forLab.length,
    defaults: { analyst: session.user()?.display_name || "", analysis_date: clock.today() },
    nationalEntry: session.hasRole("supervisor") && visit.state.key === "reported" && !visit.national_entry,
    // The CDC's 科长 issues the 检测报告 once the evaluated visit is approved.
    reportable: session.hasRole("supervisor") && visit.review_status === "approved" && !visit.report,
    supervisorOfAgency: session.hasRole("supervisor"),
    corrections: visit.samples.filter((/** @type {any} */ s) => s.correction).length,
    today: clock.today() };
}

/**
 * Receive a handover by the codes scanned or typed; the answer holds what was missing, extra and damaged.
 * @param {string} handoverId @param {string[]} codes @param {string[]} damaged @param {string|null} signature
 */
export function receive(handoverId, codes, damaged, signature) {
  return api.post(`/api/monitoring/handovers/${encodeURIComponent(handoverId)}/receipt`, { codes, damaged, signature });
}

/**
 * Save one sample's result. A refusal comes back as the ApiError (field-level details; `confirm_blank` on the
 * value of a blank above its LOD asks for a confirmation, then this is called again with `confirmBlank`).
 * @param {string} sampleId @param {string} kind @param {Record<string, string|boolean>} raw @param {boolean} confirmBlank
 */
export function saveResult(sampleId, kind, raw, confirmBlank) {
  return api.request("PUT", `/api/monitoring/samples/${encodeURIComponent(sampleId)}/result`,
    { json: resultBody(kind, raw, confirmBlank) });
}

/**
 * The server's question when a blank measured above its LOD (a detail coded `confirm_blank`): its message, to ask the
 * person before sending the result again confirmed; null for any other refusal.
 * @param {any} error
 */
export function blankToConfirm(error) {
  const detail = error instanceof api.ApiError && error.status === 422
    ? (error.details || []).find((/** @type {any} */ d) => d.code === "confirm_blank") : null;
  return detail ? ((lang() === "en" ? detail.message_en : detail.message) || detail.message || "") : null;
}

/** The 样品交接单 as a PDF. @param {string} handoverId @returns {Promise<ArrayBuffer>} */
export const handoverPdf = (handoverId) => api.request("GET", `/api/monitoring/handovers/${encodeURIComponent(handoverId)}/pdf`,
  { binary: true, timeout: 60000 });

/** Issue the visit's 检测报告 (numbered, QR-verified), or a 更正 of it; the answer holds its number.
 * @param {string} visitId @param {string|null} [amends] */
export const issueReport = (visitId, amends = null) => api.post("/api/documents",
  { id: crypto.randomUUID(), record_id: visitId, doc_type: "monitoring_report", ...(amends ? { amends_id: amends } : {}) },
  { timeout: 60000 });

/** The PDF of an issued document. @param {string} documentId */
export const documentPdf = (documentId) => api.request("GET", `/api/documents/${encodeURIComponent(documentId)}/pdf`,
  { binary: true, timeout: 60000 });

/** The visit's results were entered into the national system on `day`. @param {string} visitId @param {string} day */
export const recordNationalEntry = (visitId, day) => api.post(`/api/monitoring/visits/${encodeURIComponent(visitId)}/national-entry`,
  { entered_on: day });

/** A drawn signature uploaded now (the act it signs is posted right after). @param {{blob: Blob, width: number, height: number}} drawn */
export async function uploadSignature(drawn) {
  return uploadNow(await processSignature(drawn.blob, drawn.width, drawn.height));
}
