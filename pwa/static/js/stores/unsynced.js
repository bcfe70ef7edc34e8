// @ts-check
/**
 * What is not on the server yet, read across the stores: the sync bar's figures and the emergency export.
 * @module stores/unsynced
 */
import { db } from "./connection.js";
import { outboxIn } from "./outbox.js";

/** What the sync bar shows: changes and photos waiting, rejected changes, open conflicts. */
export async function counts() {
  return db.transaction("r", [db.outbox, db.photos, db.rejections, db.conflicts, db.records], async () => {
    const photos = await db.photos.where("state").equals("waiting").toArray();
    return {
      waiting: await outboxIn("waiting").count(),
      photos: photos.length,
      photo_bytes: photos.reduce((/** @type {number} */ sum, p) => sum + (p.size || 0), 0),
      rejected: await db.rejections.where("state").equals("open").count(),
      conflicts: await db.conflicts.where("status").equals("open").count(),
      dirty: await db.records.where("dirty").equals(1).count(),
    };
  });
}

/** Everything not yet on the server, for the emergency export (photos as base64). */
export async function unsyncedData() {
  const waiting = await outboxIn("waiting").toArray();
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
