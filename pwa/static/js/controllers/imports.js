// @ts-check
/**
 * Importing the enterprise registry from a district's XLSX/CSV, in two steps: the server's preview (what each row
 * would do, the changes to existing enterprises field by field; nothing written), then the import of the same file
 * with the preview's digest once the person has confirmed it. No DOM.
 * @module controllers/imports
 */
import * as api from "../api.js";
import * as sync from "../sync.js";

/** A large district file takes the server a while to check (every row, every credit code). */
const TIMEOUT = 180_000;

/** @param {File} file */
function form(file) {
  const body = new FormData();
  body.append("file", file);
  return body;
}

/**
 * What importing the file would do; a bad row rejects with every problem by row and column (ApiError details).
 * @param {File} file
 * @returns {Promise<{digest: string, counts: {new: number, update: number, unchanged: number}, rows: any[]}>}
 */
export function preview(file) {
  return api.request("POST", "/api/enterprises/import/preview", { body: form(file), timeout: TIMEOUT });
}

/**
 * Import the previewed file; the server refuses (409) when the file or the registry changed since the preview.
 * The local copy of the registry is synced at once, so the enterprise pages show the new values.
 * @param {File} file @param {string} digest
 */
export async function apply(file, digest) {
  const report = await api.request("POST", `/api/enterprises/import?${new URLSearchParams({ digest })}`,
    { body: form(file), timeout: TIMEOUT });
  sync.syncNow("import");
  return report;
}
