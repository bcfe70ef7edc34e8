// @ts-check
/**
 * Photos and signatures kept on the device until the server has their bytes; then only the thumbnail stays.
 * @module stores/photos
 */
import { db, exclusive } from "./connection.js";

/** @param {string} id  the attachment record's id */
export const getPhoto = (id) => db.photos.get(id);
/** @param {string} id @param {any} patch */
export const updatePhoto = (id, patch) => db.photos.update(id, patch);

/** Photos whose attachment record the server has acknowledged and whose bytes it does not have yet. */
export async function photosReadyToUpload() {
  const waiting = await db.photos.where("state").equals("waiting").toArray();
  const ready = [];
  for (const photo of waiting) {
    const record = await db.records.get(photo.id);
    if (record && record.create_state === "applied" && !record.deleted_local) ready.push(photo);
    else if (!record && !(await db.outbox.where("record_id").equals(photo.id).and((r) => r.state === "waiting").count())) {
      // The user deleted this photo and the server has acknowledged it: its bytes are needed nowhere.
      await db.photos.update(photo.id, { state: "discarded", bytes: null, thumb: null });
    }
  }
  return ready.sort((a, b) => (a.captured_at || "").localeCompare(b.captured_at || ""));
}

/** The server has the bytes: keep the thumbnail, free the full photo (its mutation is acknowledged). @param {string} id */
export async function photoUploaded(id) {
  await exclusive(() => db.transaction("rw", [db.photos, db.records], async () => {
    const photo = await db.photos.get(id);
    const record = await db.records.get(id);
    if (!photo) return;
    const acknowledged = !record || record.create_state === "applied";
    await db.photos.put({ ...photo, state: "uploaded", bytes: acknowledged ? null : photo.bytes });
  }));
}
