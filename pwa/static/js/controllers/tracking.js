// @ts-check
/**
 * Rectification tracking, online: every item of every notice with its deadline and state (open, due soon,
 * overdue, closed), the re-inspections that looked at it, and each notice's own status. No DOM.
 * @module controllers/tracking
 */
import * as api from "../api.js";
import * as db from "../db.js";

export const STATES = ["overdue", "due_soon", "reinspecting", "open", "closed"];

/** Enterprise names from this device, the server for any it does not hold. @param {string[]} ids */
export async function enterpriseNames(ids) {
  /** @type {Map<string, string>} */
  const names = new Map();
  for (const id of new Set(ids.filter(Boolean))) {
    const local = await db.getEnterprise(id);
    if (local) names.set(id, local.name);
  }
  const missing = [...new Set(ids.filter((id) => id && !names.has(id)))];
  const fetched = await Promise.all(missing.map((id) => api.get(`/api/enterprises/${id}`).catch(() => null)));
  fetched.forEach((e, i) => names.set(missing[i], e ? e.name : ""));
  return names;
}

/** Where a re-inspection opens: its root record, when this device holds the re-inspected item. @param {string} itemId */
async function reinspectionOf(itemId) {
  const item = itemId ? await db.getRecord(itemId) : null;
  return item?.root_id || null;
}

/**
 * One page of items (optionally of one state) grouped by their notice, with the counts by state: every open item
 * and those closed in the last twelve months (the server pages and counts; a notice's progress counts all its items).
 * @param {string} status @param {number} [page]
 */
export async function trackingModel(status, page = 1) {
  const query = new URLSearchParams({ page: String(page), per_page: String(PER_PAGE) });
  if (status) query.set("status", status);
  const listing = await api.get(`/api/rectifications?${query}`);
  const items = listing.items;
  const names = await enterpriseNames(items.map((/** @type {any} */ i) => i.enterprise_id));
  const documentIds = [...new Set(items.map((/** @type {any} */ i) => i.document_id).filter(Boolean))];
  const documents = new Map((await Promise.all(documentIds.map((id) => api.get(`/api/documents/${id}`).catch(() => null))))
    .filter(Boolean).map((d) => [d.id, d]));
  /** @type {Map<string, any>} */
  const notices = new Map();
  for (const item of items) {
    const key = item.document_id || item.inspection_id;
    if (!notices.has(key)) {
      const counts = listing.notices[key] || { total: 0, closed: 0, overdue: 0 };
      notices.set(key, { key, number: item.document_number, document: documents.get(item.document_id) || null,
        enterprise: names.get(item.enterprise_id) || "", inspection_id: item.inspection_id, items: [], ...counts });
    }
    const reinspections = [];
    for (const r of item.reinspections || []) reinspections.push({ ...r, root_id: await reinspectionOf(r.reinspection_item_id) });
    notices.get(key).items.push({ ...item, reinspections });
  }
  const groups = [...notices.values()];
  for (const group of groups) group.items.sort((/** @type {any} */ a, /** @type {any} */ b) => (a.deadline || "").localeCompare(b.deadline || ""));
  const all = STATES.reduce((sum, s) => sum + (listing.summary[s] || 0), 0);
  return { status, summary: listing.summary, all, closedPeriod: listing.closed_period, groups,
    list: { page: listing.page, per_page: listing.per_page, total: listing.total } };
}

export const PER_PAGE = 50;
