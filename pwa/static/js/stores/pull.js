// @ts-check
/**
 * The synced copy: a pull page applied with its cursor, a reset (the server's copy starts again), and a
 * shared tablet's change of user. Unsynced data — dirty records, waiting outbox rows, open rejections,
 * documents issued here and not yet answered — survives all of them.
 * @module stores/pull
 */
import { db, exclusive } from "./connection.js";
import { alignSequence, outboxIn } from "./outbox.js";
import { stored } from "./records.js";
import { dropRoster, putRoster } from "./roster.js";
import * as replica from "../replica.js";

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
        if (next) await db.records.put(stored(next));
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
    // An inspector's pull brings the agency's officers whole (they have no change numbers): the newest wins.
    if (Array.isArray(body.roster)) await putRoster(body.roster);
    await db.meta.put({ key: "cursor", value: body.cursor });
    await alignSequence(deviceId, body.last_client_seq);
    return { changes: (body.changes || []).length, reset: Boolean(body.reset) };
  });
}

/**
 * Keep records the server sent outside the pull (an enterprise's older history, asked for by its page): stored like
 * pulled records, so they stay readable offline; the cursor does not move (later changes to them come by the pull).
 * @param {any[]} changes  record payloads as the pull sends them
 */
export function applyHistory(changes) {
  return exclusive(() => db.transaction("rw", [db.records], async () => {
    for (const change of changes) {
      if (change.kind !== "record") continue;
      const next = replica.fromServer(await db.records.get(change.id), change);
      if (next) await db.records.put(stored({ ...next, pinned: 1 }));
    }
  }));
}

/**
 * Remove the record trees that left the working set (replica.leftWorkingSet: approved and dated before `cutoff`,
 * nothing unsynced or open in them, not pinned). Returns how many records were removed.
 * @param {string} cutoff  YYYY-MM-DD
 */
export function dropOutsideWorkingSet(cutoff) {
  return exclusive(() => db.transaction("rw", [db.records, db.outbox, db.rejections], async () => {
    const waiting = await outboxIn("waiting").toArray();
    const open = await db.rejections.where("state").equals("open").toArray();
    const referenced = new Set([...waiting, ...open].map((r) => r.record_id));
    const trees = new Map();
    await db.records.each((record) => {
      const tree = trees.get(record.root_id) || [];
      tree.push(record);
      trees.set(record.root_id, tree);
    });
    const gone = [...trees.values()].filter((tree) => replica.leftWorkingSet(tree, cutoff, referenced)).flat();
    await db.records.bulkDelete(gone.map((r) => r.id));
    return gone.length;
  }));
}

async function dropSyncedCopy() {
  const waiting = await outboxIn("waiting").toArray();
  const open = await db.rejections.where("state").equals("open").toArray();
  const referenced = new Set([...waiting, ...open].map((r) => r.record_id));
  await db.records.filter((r) => !replica.keepOnReset(r, referenced)).delete();
  await db.enterprises.clear();
  await db.reference_rows.clear();
  await db.conflicts.clear();
  // Documents issued offline and not yet answered are this device's own work: they stay.
  await db.documents.filter((/** @type {any} */ d) => !d.local || d.local === "sent").delete();
}

/** Drop another user's synced copy (a shared tablet); refuses while anything of theirs is unsynced. */
export async function clearReplica() {
  await db.transaction("rw", db.tables, async () => {
    if (await db.records.where("dirty").equals(1).count()) throw new Error("unsynced records");
    if (await outboxIn("waiting").count()) throw new Error("unsynced outbox");
    for (const table of [db.records, db.enterprises, db.reference_rows, db.conflicts, db.rejections, db.outbox,
      db.documents, db.blocks, db.pdfs]) {
      await table.clear();
    }
    await db.photos.where("state").anyOf("uploaded", "discarded").delete();
    await db.meta.delete("cursor");
    await dropRoster();
  });
}
