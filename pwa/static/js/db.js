// @ts-check
/**
 * The only module that touches IndexedDB (through Dexie). Every write that must be atomic — a record with
 * its outbox row, a pull page with its cursor, a push result with its record — is one transaction here.
 * Unsynced data (dirty records, waiting outbox rows, photos the server does not have) is never deleted.
 * @module db
 */
import Dexie from "../vendor/dexie.mjs";
import * as outbox from "./outbox.js";
import * as replica from "./replica.js";

/** @typedef {import("./replica.js").LocalRecord} LocalRecord */
/** @typedef {import("./outbox.js").OutboxRow} OutboxRow */

export const DB_NAME = "zhiye_field";
const DATA_VERSION = 1;
/** @type {any} */
let db = null;

/** Open (and migrate) the database; call once at start-up. @param {string} [name] */
export async function openDb(name = DB_NAME) {
  db = new Dexie(name);
  // Indexes only; Dexie adds new stores and indexes without touching rows. Data changes go in migrate().
  db.version(1).stores({
    meta: "key",
    records: "id, entity, root_id, parent_id, enterprise_id, dirty, is_root",
    enterprises: "id",
    reference_rows: "id, table",
    conflicts: "id, record_id, status",
    forms: "[form_id+version], form_id",
    outbox: "client_seq, record_id, [state+client_seq]",
    rejections: "mutation_id, record_id, state",
    photos: "id, sha256, state",
    documents: "id, enterprise_id, record_id",
  });
  // Phase 2: number blocks reserved for offline issuance, and downloaded PDFs of issued documents.
  db.version(2).stores({ blocks: "id, doc_type", pdfs: "id" });
  await db.open();
  await migrate();
}

/** Data migrations: a fall-through switch on the stored data version; each step says why it exists. */
async function migrate() {
  const from = (await db.meta.get("data_version"))?.value ?? 0;
  if (from >= DATA_VERSION) return;
  await db.transaction("rw", db.tables, async () => {
    switch (from) {
      case 0:
        // First start of this app on the device: nothing to convert. A later step (`case 1:` …) reshapes
        // rows in place and never deletes a dirty record, an outbox row or a photo not yet uploaded.
      // falls through
      default:
        await db.meta.put({ key: "data_version", value: DATA_VERSION });
    }
  });
}

/** @type {Promise<any>} */
let lock = Promise.resolve();

/**
 * Run `task` alone among the writers of records: local changes (records.js), push results and pull pages.
 * Each of them reads a record and writes it back; interleaved, the later write would drop the earlier.
 * @template T @param {() => Promise<T>} task @returns {Promise<T>}
 */
export function exclusive(task) {
  const run = lock.then(task, task);
  lock = run.catch(() => undefined);
  return run;
}

/** Resolves when every write queued so far is done: a screen reads after the last tap's save. */
export const idle = () => exclusive(async () => undefined);

// ---- meta: session, device ids, sequence, cursor -------------------------------------------------------

/** @param {string} key */
export async function getMeta(key) {
  return (await db.meta.get(key))?.value;
}

/** @param {string} key @param {any} value */
export async function setMeta(key, value) {
  await db.meta.put({ key, value });
}

/** Drop another user's synced copy (a shared tablet); refuses while anything of theirs is unsynced. */
export async function clearReplica() {
  await db.transaction("rw", db.tables, async () => {
    if (await db.records.where("dirty").equals(1).count()) throw new Error("unsynced records");
    if (await db.outbox.where("[state+client_seq]").between(["waiting", Dexie.minKey], ["waiting", Dexie.maxKey]).count()) {
      throw new Error("unsynced outbox");
    }
    for (const table of ["records", "enterprises", "reference_rows", "conflicts", "rejections", "outbox", "documents",
      "blocks", "pdfs"]) {
      await db[table].clear();
    }
    await db.photos.where("state").anyOf("uploaded", "discarded").delete();
    await db.meta.delete("cursor");
  });
}

// ---- records ---------------------------------------------------------------------------------------------

/** @param {string} id @returns {Promise<LocalRecord|undefined>} */
export const getRecord = (id) => db.records.get(id);

/** @param {string} index  an indexed property @param {any} value @returns {Promise<LocalRecord[]>} */
export const recordsBy = (index, value) => db.records.where(index).equals(value).toArray();

/** Root records (visits, follow-ups…), newest local change first. @returns {Promise<LocalRecord[]>} */
export async function rootRecords() {
  const rows = await db.records.where("is_root").equals(1).toArray();
  return rows.sort((/** @type {any} */ a, /** @type {any} */ b) => (b.updated_local || "").localeCompare(a.updated_local || ""));
}

/**
 * Save local records, their photos and their mutations in one transaction; each mutation gets the next
 * client_seq of this device (or folds into the last row when it was never sent). Called inside exclusive().
 * An offline issuance adds its document row and the block whose number it used.
 * @param {{records?: LocalRecord[], specs?: import("./outbox.js").MutationSpec[], photos?: any[],
 *   deviceId: string, resolveRejectionsOf?: string[], documents?: any[], blocks?: any[]}} change
 */
export async function commitLocal({ records = [], specs = [], photos = [], deviceId, resolveRejectionsOf = [],
  documents = [], blocks = [] }) {
  return db.transaction("rw", [db.records, db.outbox, db.meta, db.photos, db.rejections, db.documents, db.blocks], async () => {
    for (const record of records) await db.records.put(indexed(record));
    for (const photo of photos) await db.photos.put(photo);
    for (const doc of documents) await db.documents.put(doc);
    for (const block of blocks) await db.blocks.put(block);
    const seqKey = `seq:${deviceId}`;
    let next = (await db.meta.get(seqKey))?.value || 1;
    for (const spec of specs) {
      const last = await db.outbox.orderBy("client_seq").last();
      if (outbox.canCoalesce(last, spec)) {
        await db.outbox.put(outbox.coalesce(last, spec));
      } else {
        await db.outbox.put(outbox.row(spec, next));
        next += 1;
      }
    }
    await db.meta.put({ key: seqKey, value: next });
    if (resolveRejectionsOf.length) {
      await db.rejections.where("record_id").anyOf(resolveRejectionsOf).modify({ state: "resent" });
    }
  });
}

/** @param {LocalRecord} record */
function indexed(record) {
  return { ...record, is_root: record.parent_id ? 0 : 1 };
}

// ---- outbox and push results ----------------------------------------------------------------------------

/**
 * The next rows to push, oldest first, counted as attempted (an attempted row is never coalesced again).
 * `fromSeq` re-reads acknowledged rows too: after SEQ_GAP the server asks again from that number.
 * @param {number} limit @param {number|null} [fromSeq] @returns {Promise<OutboxRow[]>}
 */
export async function outboxBatch(limit, fromSeq = null) {
  return db.transaction("rw", db.outbox, async () => {
    const found = fromSeq != null
      ? await db.outbox.where("client_seq").aboveOrEqual(fromSeq).limit(limit).toArray()
      : await db.outbox.where("[state+client_seq]").between(["waiting", Dexie.minKey], ["waiting", Dexie.maxKey])
        .limit(limit).toArray();
    // An issuance starts a batch of its own: the server numbers what a document shows by the change numbers
    // of its records, which it gives a batch's new records only when the batch is written (it answers 500
    // when the records and their issuance arrive together).
    const cut = found.findIndex((/** @type {OutboxRow} */ row, /** @type {number} */ i) => i > 0 && row.op === "issue");
    const rows = cut > 0 ? found.slice(0, cut) : found;
    for (const item of rows) await db.outbox.put({ ...item, attempts: item.attempts + 1 });
    return rows;
  });
}

/**
 * Apply a push response: acknowledged rows are done, records follow their results, conflicts and
 * rejections are kept for the user. Returns how many of each.
 * @param {OutboxRow[]} sent @param {any} body @param {string} deviceId
 */
export function applyPushResults(sent, body, deviceId) {
  return exclusive(() => applyPushResultsNow(sent, body, deviceId));
}

/** @param {OutboxRow[]} sent @param {any} body @param {string} deviceId */
async function applyPushResultsNow(sent, body, deviceId) {
  const bySeq = new Map(sent.map((item) => [item.client_seq, item]));
  const tally = { applied: 0, conflict: 0, rejected: 0 };
  await db.transaction("rw", [db.records, db.outbox, db.conflicts, db.rejections, db.meta, db.documents, db.blocks], async () => {
    for (const result of body.results || []) {
      const item = bySeq.get(result.client_seq) || await db.outbox.get(result.client_seq);
      if (!item) continue;
      if (item.entity === "document") {
        tally[await issueResult(item, result) ? "applied" : "rejected"] += 1;
        await db.outbox.put({ ...item, state: "done", result, done_at: new Date().toISOString() });
        continue;
      }
      const { record, conflicts, rejection } = replica.acknowledge(await db.records.get(item.record_id), item, result,
        deviceId);
      if (record === null) await db.records.delete(item.record_id);
      else if (record) await db.records.put(indexed(record));
      for (const conflict of conflicts) await db.conflicts.put(conflict);
      if (rejection) {
        await db.rejections.put(rejection);
        await spreadProblems(item.record_id, rejection.error);
        tally.rejected += 1;
      } else {
        await db.rejections.where("record_id").equals(item.record_id)
          .and((/** @type {any} */ r) => r.state === "open" && r.client_seq < item.client_seq).modify({ state: "resolved" });
        tally[result.status === "conflict" ? "conflict" : "applied"] += 1;
      }
      await db.outbox.put({ ...item, state: "done", result, done_at: new Date().toISOString() });
    }
    await db.meta.put({ key: "server_seq", value: body.last_client_seq });
  });
  return tally;
}

/**
 * The server's answer to an offline issuance: applied → the document waits for its pull; refused → the
 * number goes back to its block, the record is unlocked on the tablet and the problems show at its fields.
 * @param {OutboxRow} item @param {any} result @returns {Promise<boolean>} whether it was applied
 */
async function issueResult(item, result) {
  const doc = await db.documents.get(item.record_id);
  const rootId = item.fields?.record_id;
  if (result.status === "applied") {
    if (doc?.local) await db.documents.put({ ...doc, local: "sent", number: result.document_number || doc.number });
    await db.rejections.where("record_id").equals(rootId || "").and((/** @type {any} */ r) => r.entity === "document")
      .modify({ state: "resolved" });
    return true;
  }
  const error = result.error || {};
  if (doc) await db.documents.put({ ...doc, local: "rejected", error });
  const block = doc?.block_id != null ? await db.blocks.get(doc.block_id) : null;
  if (block) await db.blocks.put({ ...block, used: (block.used || []).filter((/** @type {number} */ s) => s !== doc.seq) });
  const root = rootId ? await db.records.get(rootId) : null;
  if (root) await db.records.put(indexed({ ...root, locked_local: null, problems: replica.problemsFor(root.id, error) }));
  await spreadProblems(rootId, error);
  await db.rejections.put({ mutation_id: item.mutation_id, client_seq: item.client_seq, record_id: rootId, entity: "document",
    op: "issue", fields: item.fields, status: result.status, error, at: new Date().toISOString(), state: "open" });
  return false;
}

/** INCOMPLETE lists the fields of every record of a visit: each record shows its own. */
async function spreadProblems(/** @type {string} */ ownerId, /** @type {any} */ error) {
  const ids = new Set((error?.details || []).map((/** @type {any} */ d) => d.record_id).filter(Boolean));
  ids.delete(ownerId);
  for (const id of ids) {
    const record = await db.records.get(id);
    if (record) await db.records.put(indexed({ ...record, problems: replica.problemsFor(id, error) }));
  }
}

/** Forget acknowledged rows older than the recovery window. */
export async function pruneOutbox() {
  const cutoff = new Date(Date.now() - outbox.KEEP_DONE_DAYS * 86400e3).toISOString();
  await db.outbox.where("[state+client_seq]").between(["done", Dexie.minKey], ["done", Dexie.maxKey])
    .and((/** @type {any} */ r) => (r.done_at || "") < cutoff).delete();
}

// ---- pull ------------------------------------------------------------------------------------------------

/**
 * Apply one pull page and its cursor atomically; `reset` first drops the synced copy (never unsynced data).
 * @param {any} body @param {string} deviceId
 */
export function applyPull(body, deviceId) {
  return exclusive(() => applyPullNow(body, deviceId));
}

/** @param {any} body @param {string} deviceId */
async function applyPullNow(body, deviceId) {
  const tables = [db.records, db.enterprises, db.reference_rows, db.conflicts, db.meta, db.outbox, db.rejections,
    db.documents];
  return db.transaction("rw", tables, async () => {
    if (body.reset) await dropSyncedCopy();
    for (const change of body.changes || []) {
      if (change.kind === "record") {
        const next = replica.fromServer(await db.records.get(change.id), change);
        if (next) await db.records.put(indexed(next));
        else await db.records.delete(change.id);
      } else if (change.kind === "enterprise") {
        await db.enterprises.put({ ...change.data, id: change.id, change_no: change.change_no,
          field_versions: change.field_versions || {} });
      } else if (change.kind === "reference") {
        await db.reference_rows.put({ id: change.id, table: change.table, key: change.key, data: change.data });
      } else if (change.kind === "conflict") {
        await db.conflicts.put({ ...change });
      } else if (change.kind === "document") {
        const known = await db.documents.get(change.id);
        await db.documents.put({ ...change, voided: known?.voided || null, mine: known?.mine || 0 });
      } else if (change.kind === "document_void") {
        const issued = await db.documents.get(change.id);
        await db.documents.put({ ...(issued || { id: change.id }), voided: { reason: change.reason, at: change.voided_at } });
      }
      // Kinds this version does not know yet are skipped; the cursor moves on and a newer app shows them.
    }
    await db.meta.put({ key: "cursor", value: body.cursor });
    await alignSequence(deviceId, body.last_client_seq);
    return { changes: (body.changes || []).length, reset: Boolean(body.reset) };
  });
}

async function dropSyncedCopy() {
  const waiting = await db.outbox.where("[state+client_seq]").between(["waiting", Dexie.minKey], ["waiting", Dexie.maxKey])
    .toArray();
  const open = await db.rejections.where("state").equals("open").toArray();
  const referenced = new Set([...waiting, ...open].map((r) => r.record_id));
  await db.records.filter((/** @type {LocalRecord} */ r) => !replica.keepOnReset(r, referenced)).delete();
  await db.enterprises.clear();
  await db.reference_rows.clear();
  await db.conflicts.clear();
  // Documents issued offline and not yet answered are this device's own work: they stay.
  await db.documents.filter((/** @type {any} */ d) => !d.local || d.local === "sent").delete();
}

/** A device whose local counter fell behind the server's (restored storage) continues after the server's. */
async function alignSequence(/** @type {string} */ deviceId, /** @type {number|null} */ serverSeq) {
  if (serverSeq == null) return;
  const key = `seq:${deviceId}`;
  const next = (await db.meta.get(key))?.value || 1;
  const waiting = await db.outbox.where("[state+client_seq]").between(["waiting", Dexie.minKey], ["waiting", Dexie.maxKey])
    .count();
  if (!waiting && next <= serverSeq) await db.meta.put({ key, value: serverSeq + 1 });
}

// ---- replica reads ---------------------------------------------------------------------------------------

export const allEnterprises = () => db.enterprises.toArray();
/** @param {string} id */
export const getEnterprise = (id) => db.enterprises.get(id);
/** For the benchmark and tests: many enterprises at once. @param {any[]} rows */
export const putEnterprises = (rows) => db.enterprises.bulkPut(rows);
/** For the benchmark: reference rows as a pull stores them ({id, table, key, data}). @param {any[]} rows */
export const putReferenceRows = (rows) => db.reference_rows.bulkPut(rows);
/** @param {string} table */
export const referenceRows = (table) => db.reference_rows.where("table").equals(table).toArray();
export const openConflicts = () => db.conflicts.where("status").equals("open").toArray();
export const openRejections = () => db.rejections.where("state").equals("open").toArray();
/** Issued documents of an enterprise (shown on its page; the PDFs themselves are fetched online). @param {string} id */
export const documentsOf = (id) => db.documents.where("enterprise_id").equals(id).toArray();
/** Documents issued from a record. @param {string} recordId */
export const documentsOfRecord = (recordId) => db.documents.where("record_id").equals(recordId).toArray();
/** Numbers of the known documents of a type (a refused offline issuance gave its number back). @param {string} docType */
export const documentNumbers = async (docType) => (await db.documents
  .filter((/** @type {any} */ d) => d.doc_type === docType && d.local !== "rejected").toArray()).map((/** @type {any} */ d) => d.number);
/** Documents that correct another (an amended document's status comes from them). */
export const amendments = () => db.documents.filter((/** @type {any} */ d) => Boolean(d.amends_id)).toArray();
/** @param {string} id */
export const getDocument = (id) => db.documents.get(id);
/** A document issued online (its row until the pull brings the server's). @param {any} row */
export const putDocument = (row) => db.documents.put(row);
/** Documents issued on this tablet whose PDF is not kept yet. */
export const documentsWithoutPdf = async () => {
  const kept = new Set(await db.pdfs.toCollection().primaryKeys());
  return db.documents.filter((/** @type {any} */ d) => d.mine === 1 && !d.local && !d.voided && !kept.has(d.id)).toArray();
};

// ---- number blocks and PDFs --------------------------------------------------------------------------------

export const localBlocks = () => db.blocks.toArray();

/**
 * The server's list of this device's open blocks; the numbers used offline are kept, and a block the
 * server no longer lists (released) is dropped. Under the write lock: an issuance may be taking a number.
 * @param {any[]} serverBlocks
 */
export function saveBlocks(serverBlocks) {
  return exclusive(() => db.transaction("rw", db.blocks, async () => {
    const known = new Map((await db.blocks.toArray()).map((/** @type {any} */ b) => [b.id, b]));
    await db.blocks.clear();
    for (const block of serverBlocks) await db.blocks.put({ ...block, used: known.get(block.id)?.used || [] });
  }));
}

/** @param {string} id @returns {Promise<{id: string, bytes: ArrayBuffer, number: string, saved_at: string}|undefined>} */
export const getPdf = (id) => db.pdfs.get(id);
/** @param {{id: string, bytes: ArrayBuffer, number: string, saved_at: string}} row */
export const putPdf = (row) => db.pdfs.put(row);

// ---- form definitions ------------------------------------------------------------------------------------

/** @param {any} form */
export const putForm = (form) => db.forms.put(form);
/** @param {string} formId @param {number} version */
export const getForm = (formId, version) => db.forms.get([formId, version]);
export const allForms = () => db.forms.toArray();

// ---- photos ----------------------------------------------------------------------------------------------

/** @param {string} id  the attachment record's id */
export const getPhoto = (id) => db.photos.get(id);
/** @param {string} id @param {any} patch */
export const updatePhoto = (id, patch) => db.photos.update(id, patch);

/** Photos whose attachment record the server has acknowledged and whose bytes it does not have yet. */
export async function photosReadyToUpload() {
  const waiting = await db.photos.where("state").equals("waiting").toArray();
  const ready = [];
  for (const photo of waiting) {
    const record = await db.records.get(photo.id);
    if (record && record.create_state === "applied" && !record.deleted_local) ready.push(photo);
    else if (!record && !(await db.outbox.where("record_id").equals(photo.id).and((/** @type {any} */ r) => r.state === "waiting").count())) {
      // The user deleted this photo and the server has acknowledged it: its bytes are needed nowhere.
      await db.photos.update(photo.id, { state: "discarded", bytes: null, thumb: null });
    }
  }
  return ready.sort((a, b) => (a.captured_at || "").localeCompare(b.captured_at || ""));
}

/** The server has the bytes: keep the thumbnail, free the full photo (its mutation is acknowledged). */
export async function photoUploaded(/** @type {string} */ id) {
  await exclusive(() => db.transaction("rw", [db.photos, db.records], async () => {
    const photo = await db.photos.get(id);
    const record = await db.records.get(id);
    if (!photo) return;
    const acknowledged = !record || record.create_state === "applied";
    await db.photos.put({ ...photo, state: "uploaded", bytes: acknowledged ? null : photo.bytes });
  }));
}

// ---- status and export -----------------------------------------------------------------------------------

/** What the sync bar shows: changes and photos waiting, rejected changes, open conflicts. */
export async function counts() {
  return db.transaction("r", [db.outbox, db.photos, db.rejections, db.conflicts, db.records], async () => {
    const photos = await db.photos.where("state").equals("waiting").toArray();
    return {
      waiting: await db.outbox.where("[state+client_seq]").between(["waiting", Dexie.minKey], ["waiting", Dexie.maxKey]).count(),
      photos: photos.length,
      photo_bytes: photos.reduce((sum, p) => sum + (p.size || 0), 0),
      rejected: await db.rejections.where("state").equals("open").count(),
      conflicts: await db.conflicts.where("status").equals("open").count(),
      dirty: await db.records.where("dirty").equals(1).count(),
    };
  });
}

/** Everything not yet on the server, for the emergency export (photos as base64). */
export async function unsyncedData() {
  const waiting = await db.outbox.where("[state+client_seq]").between(["waiting", Dexie.minKey], ["waiting", Dexie.maxKey])
    .toArray();
  const photos = await db.photos.where("state").equals("waiting").toArray();
  return {
    outbox: waiting,
    rejections: await db.rejections.where("state").equals("open").toArray(),
    records: await db.records.where("dirty").equals(1).toArray(),
    photos: photos.map(({ bytes, thumb, ...rest }) => ({ ...rest, base64: bytes ? toBase64(bytes) : null })),
  };
}

/** @param {ArrayBuffer} buffer */
function toBase64(buffer) {
  const bytes = new Uint8Array(buffer);
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}
