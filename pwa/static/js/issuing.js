// @ts-check
/**
 * Issuing documents from the tablet (DESIGN §5). Online: the record's changes are pushed, then
 * POST /api/documents numbers it from the agency's series. With no signal: the next number of a block this
 * device reserved while online (records.issueOffline); the server checks it when the issuance syncs.
 * While online the blocks are kept topped up, the agency's name is kept for previews, and the PDF of every
 * document issued here is downloaded once and kept for offline viewing. No DOM.
 * @module issuing
 */
import * as api from "./api.js";
import * as db from "./db.js";
import * as clock from "./clock.js";
import { issuedTypes, remaining, typesOf } from "./numbering.js";
import * as records from "./records.js";
import * as session from "./session.js";
import * as sync from "./sync.js";

/** Fewer numbers than this left for a type → reserve another block. */
export const LOW_WATER = 1;
/** Small blocks: a field day issues a few documents, and what is not used goes back at the next sync. */
const BLOCK_SIZE = 3;
const CHECK_EVERY_MS = 30 * 60_000;
let blocksCheckedAt = 0;
/** Ids of online issuances whose answer never came: the next attempt uses the same id (never two documents). */
const pending = new Map();

/** Why the unused numbers of a closed year's block are given back (kept in the number register). */
export const YEAR_END_REASON = "年度结束，预留号段中未使用的号码作废";

/**
 * The document types this tablet may still have to issue offline: those of the user's own field work that is
 * open here (not deleted, not locked by a document or an approval, not handed in), of the 双随机 inspections
 * assigned to the user and not yet done, and re-inspection notices while rectification items are still open.
 * Only such work needs numbers.
 */
async function openWorkTypes() {
  const user = session.user();
  if (!user) return [];
  const mine = issuedTypes(user.roles);
  const roots = (await db.rootRecords()).filter((r) => !r.deleted_local && !r.server?.deleted);
  const open = roots.filter((r) => r.entity !== "assignment" && !r.server?.locked && !r.locked_local
    && ["draft", "returned"].includes(r.server?.review_status || "draft")
    && (r.owner_id == null || r.owner_id === user.id));
  const entities = open.map((r) => r.entity);
  const assigned = roots.some((r) => r.entity === "assignment" && (r.data?.inspector_ids || []).includes(user.id)
    && (r.data?.status || "assigned") === "assigned");
  if (assigned) entities.push("inspection");
  const items = (await db.recordsBy("entity", "rectification_item"))
    .some((r) => !r.server?.deleted && !["closed", "rectified", "not_rectified"].includes(r.data?.status));
  if (items) entities.push("reinspection");
  return [...new Set(entities.flatMap(typesOf))].filter((type) => mine.includes(type));
}

/**
 * Reserve numbers while online, only for field work open on this tablet (`types`, default: every type of the
 * open work): a block of BLOCK_SIZE for each type with fewer than LOW_WATER left — for this year (China time)
 * and, from December, for the coming one, so a document issued offline on 2 January carries the new year's
 * number. Skipped when all types have enough and the server was asked recently (unless `force`). Then the
 * blocks nothing open needs are given back (returnUnused) and those of a closed year closed (closeYears).
 * @param {boolean} [force] @param {string[]|null} [types]
 */
export async function ensureBlocks(force = false, types = null) {
  const user = session.user();
  if (!user || !issuedTypes(user.roles).length) return;
  const wanted = types || await openWorkTypes();
  const years = clock.blockYears();
  const low = (/** @type {any[]} */ blocks) => wanted.flatMap((type) => years
    .filter((year) => remaining(blocks, type, year) < LOW_WATER).map((year) => ({ type, year })));
  const stale = (/** @type {any[]} */ blocks) => blocks.some((b) => b.year < years[0]);
  const local = await db.localBlocks();
  if (!force && !low(local).length && !stale(local) && !local.length && Date.now() - blocksCheckedAt < CHECK_EVERY_MS) return;
  await db.saveBlocks((await api.get("/api/documents/number-blocks")).items);
  const missing = low(await db.localBlocks());
  for (const { type, year } of missing) {
    await api.post("/api/documents/number-blocks", { doc_type: type, size: BLOCK_SIZE, year });
  }
  const closed = await closeYears(years[0]);
  const returned = types ? 0 : await returnUnused(wanted);
  if (missing.length || closed || returned) await db.saveBlocks((await api.get("/api/documents/number-blocks")).items);
  blocksCheckedAt = Date.now();
}

/**
 * Give back the blocks of types no open work here needs, once nothing issued on the tablet waits to sync: the
 * unused numbers return to the series (at its end, they are the next ones issued) or are listed in the number
 * register as returned. Returns how many were given back.
 * @param {string[]} needed
 */
async function returnUnused(needed) {
  const spare = (await db.localBlocks()).filter((b) => !needed.includes(b.doc_type));
  if (!spare.length || (await db.counts()).waiting) return 0;
  for (const block of spare) {
    await api.post(`/api/documents/number-blocks/${block.id}/release`, { unused: true });
  }
  return spare.length;
}

/**
 * Give back the blocks of years before `year` once nothing issued from them waits to sync: the server voids
 * their unused numbers with YEAR_END_REASON (no silent gap). Returns how many were given back.
 * @param {number} year
 */
async function closeYears(year) {
  const old = (await db.localBlocks()).filter((b) => b.year < year);
  if (!old.length || (await db.counts()).waiting) return 0;
  for (const block of old) {
    await api.post(`/api/documents/number-blocks/${block.id}/release`, { reason: YEAR_END_REASON });
  }
  return old.length;
}

/** Numbers left on this tablet per document type (this year, China time). */
export async function numbersLeft() {
  const blocks = await db.localBlocks();
  const year = clock.year();
  return Object.fromEntries(issuedTypes(session.user()?.roles || []).map((type) => [type, remaining(blocks, type, year)]));
}

/** The agency's name (for the head of previews), fetched once while online. */
async function refreshAgency() {
  const user = session.user();
  const known = await db.getMeta("agency");
  if (!user || (known && known.id === user.agency_id)) return;
  const body = await api.get("/api/regions");
  const agency = (body.agencies || []).find((/** @type {any} */ a) => a.id === user.agency_id);
  if (agency) await db.setMeta("agency", { id: agency.id, name: agency.name, region_short: agency.region_short_name });
}

/** @returns {Promise<{name: string, region_short: string}|null>} */
export const agencyInfo = async () => (await db.getMeta("agency")) || null;

/** Download the PDF of a document and keep it on the tablet. @param {{id: string, number: string}} doc */
async function fetchPdf(doc) {
  const bytes = await api.get(`/api/documents/${doc.id}/pdf`, { binary: true, timeout: 120000 });
  await db.putPdf({ id: doc.id, bytes, number: doc.number, saved_at: new Date().toISOString() });
  return bytes;
}

/** PDFs of the documents issued here, once the server has every photo (a PDF is rendered once). */
async function downloadPdfs() {
  if ((await db.counts()).photos) return;
  for (const doc of await db.documentsWithoutPdf()) await fetchPdf(doc);
}

/** The end of a sync run: blocks, agency, PDFs. A refusal of one of them does not fail the run. */
export async function afterSync() {
  for (const step of [ensureBlocks, refreshAgency, downloadPdfs]) {
    try {
      await step();
    } catch (error) {
      if (error instanceof api.ApiError && error.transient) throw error;
      console.warn("after sync", error);
    }
  }
}

/**
 * A document's PDF: the copy kept on the tablet, else downloaded now (online). Null offline without a copy.
 * @param {string} documentId @returns {Promise<{bytes: ArrayBuffer, number: string}|null>}
 */
export async function pdfOf(documentId) {
  const kept = await db.getPdf(documentId);
  if (kept) return kept;
  const doc = await db.getDocument(documentId);
  if (!doc || doc.local) return null;
  try {
    return { bytes: await fetchPdf(doc), number: doc.number };
  } catch (error) {
    if (error instanceof api.ApiError && error.status === 0) return null;
    throw error;
  }
}

/**
 * Issue a document from a record. Online: push, then POST. Offline, or when the server cannot be reached:
 * from the reserved block, under the same document id as a POST whose answer never came — if that POST
 * did issue, the server answers the offline issuance with that document instead of making a second one.
 * Throws ApiError (e.g. INCOMPLETE, with details per field) or records.NoNumbers.
 * @param {string} rootId @param {string} docType @param {string|null} [amendsId]
 * @returns {Promise<{doc: any, mode: "online"|"offline"}>}
 */
export async function issue(rootId, docType, amendsId = null) {
  const key = `${rootId}|${docType}|${amendsId || ""}`;
  const id = pending.get(key) || crypto.randomUUID();
  if (api.isOnline()) {
    try {
      await sync.pushNow();
      pending.set(key, id);
      const doc = await api.post("/api/documents", { id, record_id: rootId, doc_type: docType, amends_id: amendsId },
        { timeout: 60000 });
      pending.delete(key);
      await records.recordIssued(rootId, doc);
      sync.syncNow("issue");
      return { doc, mode: "online" };
    } catch (error) {
      if (!(error instanceof api.ApiError) || !error.transient) throw error;
    }
  }
  const doc = await records.issueOffline(rootId, docType, amendsId, id);
  pending.delete(key);
  return { doc, mode: "offline" };
}

/**
 * What a user reads a document's state as: waiting to sync, refused, voided, amended or valid.
 * @param {any} doc @param {any[]} amendments  documents that correct another
 */
export function statusOf(doc, amendments) {
  if (doc.local === "waiting" || doc.local === "sent") return "pending";
  if (doc.local === "rejected") return "rejected";
  if (doc.voided) return "voided";
  if (amendments.some((a) => a.amends_id === doc.id && a.id !== doc.id)) return "amended";
  return "valid";
}

/**
 * Documents of a record (or an enterprise), newest first, with their state and whether a PDF is kept.
 * @param {{recordId?: string, enterpriseId?: string}} of
 */
export async function documentsWithStatus(of) {
  const list = of.recordId ? await db.documentsOfRecord(of.recordId) : await db.documentsOf(of.enterpriseId || "");
  const amendments = await db.amendments();
  const out = [];
  for (const doc of list) {
    out.push({ ...doc, status: statusOf(doc, amendments), pdf: Boolean(await db.getPdf(doc.id)) });
  }
  return out.sort((a, b) => (b.issued_at || "").localeCompare(a.issued_at || ""));
}
