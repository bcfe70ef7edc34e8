// @ts-check
/**
 * The registers kept as ledgers (三同时 projects, 放射诊疗 institutions, 专项治理 campaigns): the server reads each
 * file's state today (its rules: server/domain/ledgers.py and the ledger's module) and the page is kept on the
 * tablet, so a ledger opened offline shows the last one read, saying when. A new file is created on the tablet
 * (offline) and opened in the record screen; supervisors import the sheet the ledger was kept in. No DOM.
 * @module controllers/ledgers
 */
import * as api from "../api.js";
import * as records from "../records.js";
import * as sync from "../sync.js";

const KEPT = "ledger-page:";
/** A district's sheet takes the server a while to check (every row). */
const IMPORT_TIMEOUT = 180_000;

/** The ledgers the user reads, [{kind, title_zh, form_id, entity}] (kept for offline use). */
export async function ledgers() {
  try {
    const list = await api.get("/api/ledgers");
    localStorage.setItem(`${KEPT}index`, JSON.stringify(list));
    return { list, offline: false };
  } catch (error) {
    if (/** @type {any} */ (error)?.status !== 0) throw error;
    return { list: JSON.parse(localStorage.getItem(`${KEPT}index`) || "[]"), offline: true };
  }
}

/**
 * One page of a ledger with its counts by state; offline, the last page read of this ledger with when it was read
 * (`kept_at`), or null when it was never read on this tablet.
 * @param {string} kind @param {{state?: string, q?: string, page?: number}} filters
 */
export async function ledgerModel(kind, filters) {
  const query = new URLSearchParams();
  if (filters.state) query.set("state", filters.state);
  if (filters.q) query.set("q", filters.q);
  if (filters.page && filters.page > 1) query.set("page", String(filters.page));
  const key = `${KEPT}${kind}?${query}`;
  try {
    const page = await api.get(`/api/ledgers/${encodeURIComponent(kind)}?${query}`);
    localStorage.setItem(key, JSON.stringify({ ...page, kept_at: new Date().toISOString() }));
    return { ...page, filters, offline: false };
  } catch (error) {
    if (/** @type {any} */ (error)?.status !== 0) throw error;
    const kept = localStorage.getItem(key);
    return kept ? { ...JSON.parse(kept), filters, offline: true } : null;
  }
}

/** Open a new file of the ledger on this tablet (offline); returns the route of its form. @param {any} ledger */
export async function newFile(ledger) {
  const record = await records.createRoot(ledger.form_id, ledger.entity, {});
  return `#/record/${record.id}`;
}

/** @param {File} file */
function upload(file) {
  const body = new FormData();
  body.append("file", file);
  return body;
}

/**
 * What importing a sheet of the ledger's files would do, row by row (new, changes field by field, unchanged); a bad
 * row rejects with every problem by row and column (ApiError details). Nothing is written.
 * @param {string} kind @param {File} file
 */
export const previewImport = (kind, file) => api.request("POST", `/api/ledgers/${encodeURIComponent(kind)}/import/preview`,
  { body: upload(file), timeout: IMPORT_TIMEOUT });

/**
 * Import the previewed sheet with its digest (409 when it or the ledger changed since); the tablet's copy is synced
 * at once. @param {string} kind @param {File} file @param {string} digest
 */
export async function applyImport(kind, file, digest) {
  const report = await api.request("POST", `/api/ledgers/${encodeURIComponent(kind)}/import?${new URLSearchParams({ digest })}`,
    { body: upload(file), timeout: IMPORT_TIMEOUT });
  sync.syncNow("import");
  return report;
}
