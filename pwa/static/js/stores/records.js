// @ts-check
/**
 * The device's copy of the records (the rules that change one live in replica.js), and the conflicts and
 * rejections the user still has to look at.
 * @module stores/records
 */
import { db } from "./connection.js";
import * as replica from "../replica.js";

/** @typedef {import("../replica.js").LocalRecord} LocalRecord */

/** @param {string} id @returns {Promise<LocalRecord|undefined>} */
export const getRecord = (id) => db.records.get(id);

/** @param {string} index  an indexed property @param {any} value @returns {Promise<LocalRecord[]>} */
export const recordsBy = (index, value) => db.records.where(index).equals(value).toArray();

/** Root records (visits, follow-ups…), newest local change first. @returns {Promise<LocalRecord[]>} */
export async function rootRecords() {
  const rows = await db.records.where("is_root").equals(1).toArray();
  return rows.sort((a, b) => (b.updated_local || "").localeCompare(a.updated_local || ""));
}

/**
 * A record as it is stored: `is_root` indexes the roots (IndexedDB cannot index a missing parent).
 * @param {LocalRecord} record @returns {import("./connection.js").StoredRecord}
 */
export function stored(record) {
  return { ...record, is_root: record.parent_id ? 0 : 1 };
}

/**
 * INCOMPLETE lists the fields of every record of a visit: each record shows its own.
 * @param {string|undefined} ownerId  the record the rejected change was about @param {any} error
 */
export async function spreadProblems(ownerId, error) {
  const ids = new Set((error?.details || []).map((/** @type {any} */ d) => d.record_id).filter(Boolean));
  ids.delete(ownerId);
  for (const id of ids) {
    const record = await db.records.get(id);
    if (record) await db.records.put(stored({ ...record, problems: replica.problemsFor(id, error) }));
  }
}

export const openConflicts = () => db.conflicts.where("status").equals("open").toArray();
export const openRejections = () => db.rejections.where("state").equals("open").toArray();
