// @ts-check
/**
 * The outbox as stored: a local change saved with its mutations in one transaction, the next batch to push,
 * the pruning of acknowledged rows and the device's client_seq counter. The rules are outbox.js's.
 * @module stores/outbox
 */
import { db, startingWith } from "./connection.js";
import { stored } from "./records.js";
import * as outbox from "../outbox.js";

/** @typedef {import("../outbox.js").OutboxRow} OutboxRow */

/** Outbox rows in one state, oldest first. @param {OutboxRow["state"]} state */
export const outboxIn = (state) => db.outbox.where("[state+client_seq]").between(...startingWith(state));

/**
 * Save local records, their photos and their mutations in one transaction; each mutation gets the next
 * client_seq of this device (or folds into the last row when it was never sent). Called inside exclusive().
 * An offline issuance adds its document row and the block whose number it used.
 * @param {{records?: import("../replica.js").LocalRecord[], specs?: import("../outbox.js").MutationSpec[],
 *   photos?: any[], deviceId: string, resolveRejectionsOf?: string[], documents?: any[], blocks?: any[]}} change
 */
export async function commitLocal({ records = [], specs = [], photos = [], deviceId, resolveRejectionsOf = [],
  documents = [], blocks = [] }) {
  return db.transaction("rw", [db.records, db.outbox, db.meta, db.photos, db.rejections, db.documents, db.blocks], async () => {
    for (const record of records) await db.records.put(stored(record));
    for (const photo of photos) await db.photos.put(photo);
    for (const doc of documents) await db.documents.put(doc);
    for (const block of blocks) await db.blocks.put(block);
    const seqKey = `seq:${deviceId}`;
    let next = (await db.meta.get(seqKey))?.value || 1;
    for (const spec of specs) {
      const queued = outbox.enqueue(await db.outbox.orderBy("client_seq").last(), spec, next);
      await db.outbox.put(queued.row);
      next = queued.next;
    }
    await db.meta.put({ key: seqKey, value: next });
    if (resolveRejectionsOf.length) {
      await db.rejections.where("record_id").anyOf(resolveRejectionsOf).modify({ state: "resent" });
    }
  });
}

/**
 * The next rows to push, oldest first, counted as attempted (an attempted row is never coalesced again).
 * `fromSeq` re-reads acknowledged rows too: after SEQ_GAP the server asks again from that number.
 * @param {number} limit @param {number|null} [fromSeq] @returns {Promise<OutboxRow[]>}
 */
export async function outboxBatch(limit, fromSeq = null) {
  return db.transaction("rw", db.outbox, async () => {
    const found = fromSeq != null
      ? await db.outbox.where("client_seq").aboveOrEqual(fromSeq).limit(limit).toArray()
      : await outboxIn("waiting").limit(limit).toArray();
    const rows = outbox.batchOf(found);
    for (const item of rows) await db.outbox.put(outbox.attempted(item));
    return rows;
  });
}

/** Forget acknowledged rows older than the recovery window. */
export async function pruneOutbox() {
  const cutoff = outbox.keptSince(new Date());
  await outboxIn("done").and((r) => (r.done_at || "") < cutoff).delete();
}

/**
 * A device whose local counter fell behind the server's (restored storage) continues after the server's.
 * @param {string} deviceId @param {number|null|undefined} serverSeq
 */
export async function alignSequence(deviceId, serverSeq) {
  if (serverSeq == null) return;
  const key = `seq:${deviceId}`;
  const next = (await db.meta.get(key))?.value || 1;
  const aligned = outbox.seqAfterServer(next, serverSeq, await outboxIn("waiting").count());
  if (aligned !== next) await db.meta.put({ key, value: aligned });
}
