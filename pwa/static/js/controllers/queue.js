// @ts-check
/**
 * The supervisor's review queue, online: its filters, columns that sort and page size from the route; one page of
 * records, named as a reviewer knows them (the patient of a follow-up is asked for and audited by the server); and
 * approving several at once, with what came of it and the rows ticked kept while the queue is drawn again. No DOM.
 * @module controllers/queue
 */
import * as api from "../api.js";
import * as db from "../db.js";
import { pickers } from "./office.js";

export const KINDS = ["sampling_visit", "inspection", "reinspection", "assistance_visit", "followup", "workplace_survey"];
export const STATUSES = ["submitted", "resubmitted", "returned", "approved", "draft"];
/** The columns the queue sorts by (the server's `sort`), in the order they are shown. */
export const SORTS = ["kind", "subject", "record_date", "received", "state"];
export const PAGE_SIZES = [20, 50, 100];
/** A column's first order when it is chosen: dates newest first, names and kinds from the top of the alphabet. */
const FIRST_ORDER = { received: "desc", record_date: "desc", subject: "asc", kind: "asc", state: "asc" };
/** Statuses a reviewer can still approve (the others are decided or not handed in). */
export const APPROVABLE = ["submitted", "resubmitted"];
const FILTERS = ["entity", "agency_id", "team_id", "enterprise_id", "created_from", "created_to"];

/**
 * The queue's filters from the route (by default what waits for a decision, newest received first, 20 a page;
 * `status=` empty is every status).
 * @param {URLSearchParams} query @returns {Record<string, string|number>}
 */
export function filtersOf(query) {
  /** @type {Record<string, string|number>} */
  const filters = { status: query.has("status") ? query.get("status") || "" : "submitted" };
  for (const name of FILTERS) if (query.get(name)) filters[name] = /** @type {string} */ (query.get(name));
  filters.sort = SORTS.includes(query.get("sort") || "") ? /** @type {string} */ (query.get("sort")) : "received";
  filters.order = query.get("order") === "asc" || query.get("order") === "desc" ? /** @type {string} */ (query.get("order"))
    : /** @type {any} */ (FIRST_ORDER)[filters.sort];
  filters.per_page = PAGE_SIZES.includes(Number(query.get("per_page"))) ? Number(query.get("per_page")) : PAGE_SIZES[0];
  filters.page = Math.max(1, Number(query.get("page")) || 1);
  return filters;
}

/** The queue's hash for these filters. @param {Record<string, any>} filters */
export function queueHash(filters) {
  const query = new URLSearchParams({ status: filters.status ?? "" });
  for (const name of FILTERS) if (filters[name]) query.set(name, String(filters[name]));
  if (filters.sort && filters.sort !== "received") query.set("sort", filters.sort);
  if (filters.order && filters.order !== /** @type {any} */ (FIRST_ORDER)[filters.sort || "received"]) query.set("order", filters.order);
  if (filters.per_page && Number(filters.per_page) !== PAGE_SIZES[0]) query.set("per_page", String(filters.per_page));
  if (Number(filters.page) > 1) query.set("page", String(filters.page));
  return `#/review?${query}`;
}

/**
 * The filters after a click on a column's header: the same column turns the order round, another starts with its
 * natural order; either way from the first page.
 * @param {Record<string, any>} filters @param {string} sort
 */
export function sortedBy(filters, sort) {
  const order = filters.sort === sort ? (filters.order === "asc" ? "desc" : "asc") : /** @type {any} */ (FIRST_ORDER)[sort];
  return { ...filters, sort, order, page: 1 };
}

/** Enterprises on this device, by name, for the enterprise filter. */
async function localEnterprises() {
  return (await db.allEnterprises()).map((e) => ({ id: e.id, name: e.name }))
    .sort((a, b) => a.name.localeCompare(b.name, "zh-CN"));
}

/**
 * One page of the queue and what the filters offer. Follow-ups are named by their patient (`personal`: the server
 * audits each name it shows), sampling visits by their task number.
 * @param {Record<string, any>} filters
 */
export async function queueModel(filters) {
  const query = new URLSearchParams({ page: String(filters.page), personal: "true" });
  for (const [name, value] of Object.entries(filters)) if (value && name !== "page") query.set(name, String(value));
  const [list, options, enterprises] = await Promise.all([api.get(`/api/records?${query}`), pickers(), localEnterprises()]);
  return { list, filters, agencies: options.agencies, teams: options.teams, enterprises };
}

/** @type {{key: string, outcome: {approved: any[], refused: any[]}}|null} */
let lastApproval = null;
/** The rows ticked on a queue (its hash): kept when the screen is drawn again, e.g. after a sync brought changes. */
let ticked = { key: "", ids: /** @type {string[]} */ ([]) };

/** @param {string} key  the queue's hash */
export const tickedOn = (key) => (ticked.key === key ? ticked.ids : []);

/** @param {string} key @param {string[]} ids */
export function tick(key, ids) {
  ticked = { key, ids };
}

/**
 * Approve the records chosen on a page of the queue at once: each by the same rule as alone; the server names those
 * it refused, with the reason. The outcome is kept for the queue it was made on (`key`, its hash), so it stays on
 * screen when the queue is drawn again (the approved ones leave a queue of what waits).
 * @param {string[]} ids @param {string} key
 * @returns {Promise<{approved: {id: string, name: string|null, review_status: string}[],
 *   refused: {id: string, name: string|null, code: string, message: string, reason: string}[]}>}
 */
export async function approveMany(ids, key) {
  const outcome = await api.post("/api/records/approvals", { ids });
  lastApproval = { key, outcome };
  ticked = { key: "", ids: [] };
  return outcome;
}

/** The outcome of the last bulk approval made on this queue, or null. @param {string} key */
export const approvalOutcome = (key) => (lastApproval && lastApproval.key === key ? lastApproval.outcome : null);

/** The outcome has been read: the queue is drawn without it. */
export function forgetApproval() {
  lastApproval = null;
}
