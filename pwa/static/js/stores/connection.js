// @ts-check
/**
 * What the stores (stores/*.js) share: the database db.js opens, the ends of its compound-key ranges, and
 * the one write lock. Only db.js and the stores reach IndexedDB.
 * @module stores/connection
 */

/**
 * @template T, K
 * @typedef {import("dexie").Table<T, K>} Table
 */
/** @typedef {import("../replica.js").LocalRecord & {is_root: 0|1}} StoredRecord  a record with its root index */
/** @typedef {{id: string, table: string, key: string, data: any}} ReferenceRow */
/** @typedef {{id: string, bytes: ArrayBuffer, number: string, saved_at: string}} PdfRow */
/**
 * The tables of db.js's schema.
 * @typedef {import("dexie").Dexie & {
 *   meta: Table<{key: string, value: any}, string>, records: Table<StoredRecord, string>,
 *   enterprises: Table<any, string>, reference_rows: Table<ReferenceRow, string>, conflicts: Table<any, string>,
 *   forms: Table<any, [string, number]>, outbox: Table<import("../outbox.js").OutboxRow, number>,
 *   rejections: Table<any, string>, photos: Table<any, string>, documents: Table<any, string>,
 *   blocks: Table<any, number>, pdfs: Table<PdfRow, string>}} Database
 */

/**
 * The open database: set by db.js's openDb at start-up, before any store is used.
 * @type {Database}
 */
export let db = /** @type {any} */ (null);
/** @type {any} */
let minKey = null;
/** @type {any} */
let maxKey = null;

/**
 * Hand the opened database to the stores, with Dexie's lowest and highest keys.
 * @param {Database} database @param {any} lowest @param {any} highest
 */
export function attach(database, lowest, highest) {
  db = database;
  minKey = lowest;
  maxKey = highest;
}

/**
 * The ends of the range of a compound index's keys that start with `first`.
 * @param {any} first @returns {[any[], any[]]}
 */
export const startingWith = (first) => [[first, minKey], [first, maxKey]];

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
