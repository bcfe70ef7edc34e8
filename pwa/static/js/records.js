// @ts-check
/**
 * What a field worker does to records, as local changes: each one is saved with its outbox mutation in one
 * transaction and syncs later. No DOM, no network.
 * @module records
 */
import * as clock from "./clock.js";
import * as db from "./db.js";
import { emit } from "./events.js";
import * as formstore from "./formstore.js";
import { nextNumber } from "./numbering.js";
import * as outbox from "./outbox.js";
import * as replica from "./replica.js";
import * as session from "./session.js";

/** @typedef {import("./replica.js").LocalRecord} LocalRecord */

/**
 * Run a local change under the database's write lock: its read of the record and its write happen with no
 * pull or push result applied in between (which would otherwise be overwritten by a stale copy).
 * @template T @param {() => Promise<T>} task @returns {Promise<T>}
 */
const serial = (task) => db.exclusive(task);

/** @param {string[]} ids */
function changed(ids) {
  emit("records-changed", { ids });
}

/**
 * Start a root record (a sampling visit, an assistance visit, a follow-up) with the newest form version.
 * @param {string} formId @param {string} entity @param {Record<string, any>} data @returns {Promise<LocalRecord>}
 */
async function createRootNow(formId, entity, data) {
  const version = formstore.currentVersion(formId);
  const id = outbox.newId();
  const record = replica.newRecord({ id, entity, form_id: formId, form_version: version,
    enterprise_id: data.enterprise_id || null, owner_id: session.user()?.id ?? null, data });
  await db.commitLocal({ records: [record], deviceId: session.deviceId(),
    specs: [outbox.mutation({ entity, record_id: id, op: "create", fields: data, form_version: version })] });
  changed([id]);
  return record;
}

/**
 * Add a child (a sample, a noise measurement) under a parent record; children are records of their own,
 * so two devices adding samples to one visit never conflict.
 * @param {LocalRecord} parent @param {string} entity @param {Record<string, any>} data @returns {Promise<LocalRecord>}
 */
async function createChildNow(parent, entity, data) {
  const id = outbox.newId();
  const record = replica.newRecord({ id, entity, form_id: parent.form_id, form_version: parent.form_version,
    parent_id: parent.id, root_id: parent.root_id, enterprise_id: parent.enterprise_id,
    owner_id: session.user()?.id ?? null, data });
  await db.commitLocal({ records: [record], deviceId: session.deviceId(), specs: [outbox.mutation({ entity,
    record_id: id, op: "create", fields: data, parent: parent.id, form_version: parent.form_version })] });
  changed([id]);
  return record;
}

/**
 * Save changed fields of a record. Values equal to what the record holds are not sent again. A record
 * whose earlier change the server rejected sends the rejected values again with the fix.
 * @param {string} recordId @param {Record<string, any>} changes @returns {Promise<LocalRecord|undefined>}
 */
async function saveFieldsNow(recordId, changes) {
  const record = await db.getRecord(recordId);
  if (!record) return undefined;
  const diff = Object.fromEntries(Object.entries(changes).filter(([k, v]) => !replica.sameValue(record.data[k], v)));
  if (!Object.keys(diff).length) return record;
  const tree = await db.recordsBy("root_id", record.root_id);
  if (tree.some((r) => r.create_state === "rejected")) {
    await resendTreeNow(record.root_id, { [record.id]: diff });
    return db.getRecord(recordId);
  }
  const next = replica.withEdit(record, diff);
  const rejected = (await db.openRejections()).filter((r) => r.record_id === recordId && r.op === "update");
  const fields = { ...diff };
  for (const rejection of rejected) {
    for (const field of Object.keys(rejection.fields || {})) if (field in next.pending) fields[field] = next.pending[field];
  }
  await db.commitLocal({ records: [next], deviceId: session.deviceId(),
    resolveRejectionsOf: rejected.length ? [recordId] : [],
    specs: [outbox.mutation({ entity: record.entity, record_id: record.id, op: "update", fields,
      base: outbox.baseFor(record, Object.keys(fields)), form_version: record.form_version })] });
  changed([recordId]);
  return next;
}

/**
 * Send a record tree again as new changes after the server rejected part of it: records it never
 * created are created with their current values (parents first), others send their unsynced values.
 * @param {string} rootId @param {Record<string, Record<string, any>>} [edits]  changes to fold in first
 */
async function resendTreeNow(rootId, edits = {}) {
  const tree = (await db.recordsBy("root_id", rootId)).filter((r) => !r.deleted_local);
  const depth = (/** @type {LocalRecord} */ r) => (r.id === rootId ? 0 : r.entity === "attachment" ? 2 : 1);
  tree.sort((a, b) => depth(a) - depth(b) || a.created_local.localeCompare(b.created_local));
  const records = [];
  const specs = [];
  for (const original of tree) {
    const record = edits[original.id] ? replica.withEdit(original, edits[original.id]) : original;
    if (record.create_state === "rejected") {
      records.push(replica.withState(record, { create_state: "waiting", problems: [] }));
      specs.push(outbox.mutation({ entity: record.entity, record_id: record.id, op: "create", fields: record.data,
        parent: record.parent_id, form_version: record.entity === "attachment" ? null : record.form_version }));
    } else if (Object.keys(record.pending).length) {
      records.push(record);
      specs.push(outbox.mutation({ entity: record.entity, record_id: record.id, op: "update",
        fields: { ...record.pending }, base: outbox.baseFor(record, Object.keys(record.pending)),
        form_version: record.entity === "attachment" ? null : record.form_version }));
    }
  }
  await db.commitLocal({ records, specs, deviceId: session.deviceId(), resolveRejectionsOf: tree.map((r) => r.id) });
  changed(tree.map((r) => r.id));
}

/**
 * Delete a record (and, on the server, its children). Sent like any change: a delete of something another
 * device edited meanwhile becomes a conflict for the supervisor, never a silent loss.
 * @param {string} recordId
 */
async function deleteRecordNow(recordId) {
  const record = await db.getRecord(recordId);
  if (!record) return;
  const children = (await db.recordsBy("root_id", record.root_id)).filter((r) => r.parent_id === record.id);
  const hidden = [record, ...children].map((r) => replica.withState(r, { deleted_local: 1 }));
  await db.commitLocal({ records: hidden, deviceId: session.deviceId(), specs: [outbox.mutation({
    entity: record.entity, record_id: record.id, op: "delete", base: { ...record.versions },
    form_version: record.entity === "attachment" ? null : record.form_version })] });
  changed(hidden.map((r) => r.id));
}

/**
 * Submit a root record for review (op `submit`); the server checks it completely and may answer INCOMPLETE.
 * @param {string} rootId
 */
async function submitNow(rootId) {
  const record = await db.getRecord(rootId);
  if (!record || record.parent_id) return;
  await db.commitLocal({ records: [replica.withState(record, { submit_state: "waiting", problems: [] })],
    deviceId: session.deviceId(), specs: [outbox.mutation({ entity: record.entity, record_id: record.id,
      op: "submit", form_version: record.form_version })] });
  changed([rootId]);
}

/**
 * Attach a processed photo or signature to a record: an `attachment` child record goes through the outbox;
 * the bytes wait in the photo store until that record has synced.
 * @param {LocalRecord} parent @param {string} field
 * @param {{bytes: ArrayBuffer, thumb: ArrayBuffer|null, sha256: string, mime: string, size: number, width: number,
 *   height: number}} image
 * @param {"photo"|"signature"} kind
 */
async function attachNow(parent, field, image, kind) {
  const id = outbox.newId();
  const capturedAt = outbox.deviceTime();
  const fields = { field, sha256: image.sha256, mime: image.mime, size: image.size, width: image.width,
    height: image.height, captured_at: capturedAt, kind };
  const record = replica.newRecord({ id, entity: "attachment", form_id: null, form_version: null, parent_id: parent.id,
    root_id: parent.root_id, enterprise_id: parent.enterprise_id, owner_id: session.user()?.id ?? null, data: fields });
  const photo = { id, record_id: parent.id, field, sha256: image.sha256, mime: image.mime, size: image.size,
    width: image.width, height: image.height, bytes: image.bytes, thumb: image.thumb, kind, captured_at: capturedAt,
    state: "waiting", upload_id: null, offset: 0 };
  await db.commitLocal({ records: [record], photos: [photo], deviceId: session.deviceId(),
    specs: [outbox.mutation({ entity: "attachment", record_id: id, op: "create", fields, parent: parent.id })] });
  changed([id]);
  return record;
}

export class NoNumbers extends Error {
  /** @param {string} docType @param {number} year  the year (China time) a number was wanted for */
  constructor(docType, year) {
    super(`no reserved numbers of ${year} for ${docType}`);
    this.docType = docType;
    this.year = year;
  }
}

/**
 * Issue a document with no signal: the next number of this device's reserved block, the document shown at
 * once, the record locked on the tablet, and an `issue` mutation the server checks when it syncs (number
 * in this device's block, record complete). Throws NoNumbers when the blocks are used up.
 * @param {string} rootId @param {string} docType @param {string|null} [amendsId] @param {string} [documentId]
 */
async function issueOfflineNow(rootId, docType, amendsId = null, documentId = outbox.newId()) {
  const root = await db.getRecord(rootId);
  if (!root) throw new Error("not_found");
  const issuedAt = outbox.deviceTime();
  // Numbers of documents already known are never offered again (a block's use list may be younger).
  const taken = new Set(await db.documentNumbers(docType));
  // The number's year is the year in China at issuance: last year's block never numbers this year's document.
  const year = clock.yearOf(issuedAt);
  const next = nextNumber(await db.localBlocks(), docType, year, taken);
  if (!next) throw new NoNumbers(docType, year);
  const id = documentId;
  const fields = { record_id: rootId, doc_type: docType, number: next.number, issued_at: issuedAt,
    ...(amendsId ? { amends_id: amendsId } : {}) };
  const doc = { id, kind: "document", doc_type: docType, number: next.number, record_id: rootId,
    enterprise_id: root.enterprise_id, issued_at: issuedAt, offline: true, amends_id: amendsId, voided: null,
    local: "waiting", block_id: next.block.id, seq: next.seq, mine: 1 };
  await db.commitLocal({ records: [replica.withState(root, { locked_local: "document" })], documents: [doc],
    blocks: [{ ...next.block, used: [...(next.block.used || []), next.seq] }], deviceId: session.deviceId(),
    specs: [outbox.mutation({ entity: "document", record_id: id, op: "issue", fields })] });
  changed([rootId]);
  return doc;
}

/**
 * A document the server issued online from this tablet: kept (its PDF is fetched after the photos are
 * up) and the record locked here too. @param {string} rootId @param {any} doc  the server's answer
 */
async function recordIssuedNow(rootId, doc) {
  const root = await db.getRecord(rootId);
  await db.commitLocal({ records: root ? [replica.withState(root, { locked_local: "document" })] : [],
    documents: [{ ...doc, kind: "document", voided: null, mine: 1 }], deviceId: session.deviceId() });
  changed([rootId]);
}

/** Live attachments of a record, per field. @param {string} recordId @returns {Promise<Record<string, LocalRecord[]>>} */
export async function attachmentsOf(recordId) {
  /** @type {Record<string, LocalRecord[]>} */
  const out = {};
  for (const child of await db.recordsBy("parent_id", recordId)) {
    if (child.entity !== "attachment" || child.deleted_local) continue;
    (out[child.data.field] = out[child.data.field] || []).push(child);
  }
  return out;
}

/** Attachment counts per field, as the validator's context wants them. @param {Record<string, LocalRecord[]>} byField */
export function attachmentCounts(byField) {
  return Object.fromEntries(Object.entries(byField).map(([field, list]) => [field, list.length]));
}

/** @type {typeof createRootNow} */
export const createRoot = (...args) => serial(() => createRootNow(...args));
/** @type {typeof createChildNow} */
export const createChild = (...args) => serial(() => createChildNow(...args));
/** @type {typeof saveFieldsNow} */
export const saveFields = (...args) => serial(() => saveFieldsNow(...args));
/** @type {typeof resendTreeNow} */
export const resendTree = (...args) => serial(() => resendTreeNow(...args));
/** @type {typeof deleteRecordNow} */
export const deleteRecord = (...args) => serial(() => deleteRecordNow(...args));
/** @type {typeof submitNow} */
export const submit = (...args) => serial(() => submitNow(...args));
/** @type {typeof attachNow} */
export const attach = (...args) => serial(() => attachNow(...args));
/** @type {typeof issueOfflineNow} */
export const issueOffline = (...args) => serial(() => issueOfflineNow(...args));
/** @type {typeof recordIssuedNow} */
export const recordIssued = (...args) => serial(() => recordIssuedNow(...args));
