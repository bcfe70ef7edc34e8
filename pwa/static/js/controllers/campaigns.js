// @ts-check
/**
 * A 专项治理 campaign in the office (online): its enterprises by state with the evidence that put them there, the six
 * rates against their targets, enrolment from the registry (by the campaign's industry codes, or enterprises found
 * by name) and the confirmation of a ready enterprise's treatment. The rules are the server's
 * (server/domain/campaigns.py). No DOM.
 * @module controllers/campaigns
 */
import * as api from "../api.js";
import * as search from "../search.js";
import * as sync from "../sync.js";

/** The campaign as its screen shows it. @param {string} id */
export const campaignModel = (id) => api.get(`/api/campaigns/${encodeURIComponent(id)}`);

/**
 * Enrol the registry's enterprises by the campaign's industry codes, or these enterprises; the tablet's copy is
 * synced so the enrolments appear in the record screens. @param {string} id
 * @param {{by_industry?: boolean, enterprise_ids?: string[]}} what
 * @returns {Promise<{enrolled: string[], already: number}>}
 */
export async function enrol(id, what) {
  const result = await api.post(`/api/campaigns/${encodeURIComponent(id)}/enrol`, what);
  sync.syncNow("campaign");
  return result;
}

/** 行政治理效果确认 of one enrolled enterprise; the campaign as it is now. @param {string} id @param {string} enrolmentId */
export async function confirm(id, enrolmentId) {
  const campaign = await api.post(`/api/campaigns/${encodeURIComponent(id)}/enrolments/${encodeURIComponent(enrolmentId)}/confirm`, {});
  sync.syncNow("campaign");
  return campaign;
}

/**
 * Enterprises of the registry on this device matching a name, those not enrolled yet.
 * @param {string} query @param {Set<string>} enrolled  enterprise ids
 */
export async function candidates(query, enrolled) {
  if (!query.trim()) return [];
  const found = await search.search(query, 20);
  return found.items.filter((/** @type {any} */ e) => !enrolled.has(e.id)).slice(0, 10);
}

/** A district's list takes the server a while to check (every row, every credit code). */
const LIST_TIMEOUT = 180_000;

/** @param {File} file */
function upload(file) {
  const body = new FormData();
  body.append("file", file);
  return body;
}

/**
 * What enrolling the enterprises a sheet lists by credit code would do, row by row (纳入 / 已纳入); a code not in
 * the district's registry rejects with every such row (ApiError details). Nothing is written.
 * @param {string} id @param {File} file
 */
export const previewList = (id, file) => api.request("POST", `/api/campaigns/${encodeURIComponent(id)}/enrol/preview`,
  { body: upload(file), timeout: LIST_TIMEOUT });

/** Enrol the previewed list with its digest (409 when it or the campaign changed since). @param {string} id @param {File} file @param {string} digest */
export async function enrolList(id, file, digest) {
  const report = await api.request("POST", `/api/campaigns/${encodeURIComponent(id)}/enrol/list?${new URLSearchParams({ digest })}`,
    { body: upload(file), timeout: LIST_TIMEOUT });
  sync.syncNow("campaign");
  return report;
}
