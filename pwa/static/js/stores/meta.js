// @ts-check
/**
 * Small values kept on the device: session, device ids, client_seq counters, the pull cursor, the last sync.
 * @module stores/meta
 */
import { db } from "./connection.js";

/** @param {string} key */
export async function getMeta(key) {
  return (await db.meta.get(key))?.value;
}

/** @param {string} key @param {any} value */
export async function setMeta(key, value) {
  await db.meta.put({ key, value });
}
