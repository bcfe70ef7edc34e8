// @ts-check
/**
 * A push response applied to the stores: acknowledged rows are done, records follow their results (replica.js),
 * conflicts and rejections are kept for the user, a refused offline issuance gives its number back.
 * @module stores/push
 */
import { db, exclusive } from "./connection.js";
import { spreadProblems, stored } from "./records.js";
import * as replica from "../replica.js";

/** @typedef {import("../outbox.js").OutboxRow} OutboxRow */

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
      else if (record) await db.records.put(stored(record));
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
  if (root) await db.records.put(stored({ ...root, locked_local: null, problems: replica.problemsFor(root.id, error) }));
  await spreadProblems(rootId, error);
  await db.rejections.put({ mutation_id: item.mutation_id, client_seq: item.client_seq, record_id: rootId, entity: "document",
    op: "issue", fields: item.fields, status: result.status, error, at: new Date().toISOString(), state: "open" });
  return false;
}
