// @ts-check
/**
 * Photo and signature bytes to the server, one at a time and only after the attachment record has synced:
 * a factory's 4G carries one upload poorly and several not at all. Uploads resume from the server's offset
 * after a dropped connection or a restarted tablet; each chunk carries its SHA-256 so a damaged chunk is
 * refused and sent again instead of spoiling the file. The local bytes are freed only when the server has
 * verified the whole file against its hash.
 * @module uploader
 */
import * as api from "./api.js";
import * as db from "./db.js";
import { sha256Base64 } from "./media.js";

/** About 256 KB: a chunk survives a weak link, and a lost one costs little to resend. */
export const CHUNK_BYTES = 256 * 1024;

/**
 * Upload every photo that is ready, oldest first; stops at the first failure (the caller backs off).
 * @param {(p: {done: number, total: number, sent: number, size: number}) => void} [onProgress]
 * @returns {Promise<number>} photos uploaded
 */
export async function uploadReady(onProgress) {
  const photos = await db.photosReadyToUpload();
  let done = 0;
  for (const photo of photos) {
    await uploadOne(photo, (sent) => onProgress?.({ done, total: photos.length, sent, size: photo.size }));
    done += 1;
    onProgress?.({ done, total: photos.length, sent: photo.size, size: photo.size });
  }
  return done;
}

/** @param {string} uploadId */
async function serverOffset(uploadId) {
  return (await api.get(`/api/blobs/uploads/${uploadId}`)).offset;
}

/** @param {any} photo @param {(sent: number) => void} progress */
async function uploadOne(photo, progress) {
  if (!photo.bytes) {
    await db.photoUploaded(photo.id);
    return;
  }
  let uploadId = photo.upload_id;
  let offset = 0;
  if (uploadId) {
    try {
      offset = await serverOffset(uploadId);
    } catch (error) {
      if (!(error instanceof api.ApiError) || error.status !== 404) throw error;
      uploadId = null; // the server's staging expired: start again
    }
  }
  if (!uploadId) {
    const start = await api.post("/api/blobs/uploads", { sha256: photo.sha256, size: photo.size, mime: photo.mime });
    if (start.exists) {
      await db.photoUploaded(photo.id); // the same bytes were uploaded before (content-addressed)
      return;
    }
    uploadId = start.upload_id;
    offset = 0;
    await db.updatePhoto(photo.id, { upload_id: uploadId, offset: 0 });
  }
  while (offset < photo.size) {
    offset = await sendChunk(uploadId, photo.bytes, offset);
    await db.updatePhoto(photo.id, { offset });
    progress(offset);
  }
  try {
    await api.post(`/api/blobs/uploads/${uploadId}/finish`, {}, { timeout: 120000 });
  } catch (error) {
    if (error instanceof api.ApiError && error.code === "HASH_MISMATCH") {
      await db.updatePhoto(photo.id, { upload_id: null, offset: 0 }); // the server discarded it: a clean retry
    }
    throw error;
  }
  await db.photoUploaded(photo.id);
}

/**
 * Bytes the server needs right away (a signature on a handover made online): sent in chunks and finished in one
 * go, not through the outbox — the person is online and waits for the act it signs. Returns their SHA-256.
 * @param {{bytes: ArrayBuffer, sha256: string, mime: string, size: number}} image
 */
export async function uploadNow(image) {
  const start = await api.post("/api/blobs/uploads", { sha256: image.sha256, size: image.size, mime: image.mime });
  if (!start.exists) {
    let offset = 0;
    while (offset < image.size) offset = await sendChunk(start.upload_id, image.bytes, offset);
    await api.post(`/api/blobs/uploads/${start.upload_id}/finish`, {}, { timeout: 120000 });
  }
  return image.sha256;
}

/**
 * One chunk at `offset`; returns the server's new offset. A wrong offset (409) or a damaged chunk answers
 * with where to continue.
 * @param {string} uploadId @param {ArrayBuffer} bytes @param {number} offset
 */
async function sendChunk(uploadId, bytes, offset) {
  const chunk = bytes.slice(offset, offset + CHUNK_BYTES);
  try {
    const state = await api.request("PATCH", `/api/blobs/uploads/${uploadId}`, {
      body: chunk, timeout: 60000,
      headers: { "Upload-Offset": String(offset), "Upload-Checksum": await sha256Base64(chunk),
        "Content-Type": "application/offset+octet-stream" },
    });
    return state.offset;
  } catch (error) {
    if (error instanceof api.ApiError && (error.status === 409 || error.code === "CHUNK_CORRUPT")) {
      return serverOffset(uploadId);
    }
    throw error;
  }
}
