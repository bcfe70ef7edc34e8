// @ts-check
/**
 * The agency's enforcement officers (执法人员: active inspectors holding a 执法证号) as the last pull gave them,
 * so that officers are chosen by name, and the previews print their 执法证号, with no signal. Users carry no
 * change numbers: every pull brings the whole roster and it replaces the one kept.
 * @module stores/roster
 */
import { db } from "./connection.js";

/** @typedef {{id: number, name: string, cert_no: string}} Officer */

const KEY = "roster";

/** Keep the roster a pull brought (called inside the pull's transaction). @param {Officer[]} officers */
export async function putRoster(officers) {
  await db.meta.put({ key: KEY, value: officers });
}

/** The officers kept on this tablet ([] before the first pull). @returns {Promise<Officer[]>} */
export async function officerRoster() {
  return (await db.meta.get(KEY))?.value || [];
}

/** Forget the roster (another user's agency on a shared tablet). */
export async function dropRoster() {
  await db.meta.delete(KEY);
}
