// @ts-check
/**
 * The device's database (IndexedDB, through Dexie): the schema, its data migrations, and the stores by noun
 * (stores/*.js), re-exported here so that screens and the engine import one module. Only this module and
 * the stores reach IndexedDB. Every write that must be atomic — a record with its outbox row, a pull page
 * with its cursor, a push result with its record — is one transaction in a store. Unsynced data (dirty
 * records, waiting outbox rows, photos the server does not have) is never deleted.
 * @module db
 */
import Dexie from "../vendor/dexie.mjs";
import { attach, db } from "./stores/connection.js";

export { exclusive, idle } from "./stores/connection.js";
export { getMeta, setMeta } from "./stores/meta.js";
export { getRecord, recordsBy, rootRecords, openConflicts, openRejections } from "./stores/records.js";
export { commitLocal, outboxBatch, pruneOutbox } from "./stores/outbox.js";
export { applyPushResults } from "./stores/push.js";
export { applyHistory, applyPull, clearReplica, dropOutsideWorkingSet } from "./stores/pull.js";
export { allEnterprises, getEnterprise, putEnterprises } from "./stores/enterprises.js";
export { putReferenceRows, referenceRows, putForm, getForm, allForms } from "./stores/reference.js";
export { officerRoster } from "./stores/roster.js";
export { documentsOf, documentsOfRecord, documentNumbers, amendments, getDocument, putDocument, documentsWithoutPdf,
  localBlocks, saveBlocks, getPdf, putPdf } from "./stores/documents.js";
export { getPhoto, updatePhoto, photosReadyToUpload, photoUploaded } from "./stores/photos.js";
export { counts, unsyncedData } from "./stores/unsynced.js";

export const DB_NAME = "zhiye_field";
const DATA_VERSION = 1;

/** Open (and migrate) the database; call once at start-up. @param {string} [name] */
export async function openDb(name = DB_NAME) {
  const opened = /** @type {import("./stores/connection.js").Database} */ (new Dexie(name));
  // Indexes only; Dexie adds new stores and indexes without touching rows. Data changes go in migrate().
  opened.version(1).stores({
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
  opened.version(2).stores({ blocks: "id, doc_type", pdfs: "id" });
  attach(opened, Dexie.minKey, Dexie.maxKey);
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
