// @ts-check
/**
 * Photos and signatures prepared on the tablet: a 12 MP camera photo is turned upright (EXIF), scaled to at
 * most 1600 px and stored as JPEG (≈300 KB instead of 5 MB over a factory's 4G), hashed with SHA-256 for
 * content addressing, and given a small thumbnail that stays on the device after the upload.
 * @module media
 */

export const MAX_SIDE = 1600;
const THUMB_SIDE = 320;
const QUALITY = 0.85;

/**
 * @typedef {{bytes: ArrayBuffer, thumb: ArrayBuffer|null, sha256: string, mime: string, size: number,
 *   width: number, height: number}} ProcessedImage
 */

/** @param {ArrayBuffer} buffer @returns {Promise<string>} lowercase hex SHA-256 */
export async function sha256Hex(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** @param {ArrayBuffer} buffer @returns {Promise<string>} base64 SHA-256 (the Upload-Checksum header) */
export async function sha256Base64(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return btoa(String.fromCharCode(...digest));
}

/** @param {number} width @param {number} height */
function surface(width, height) {
  if (typeof OffscreenCanvas !== "undefined") return new OffscreenCanvas(width, height);
  const canvas = document.createElement("canvas"); // older WebViews: a detached canvas, never shown
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

/** @param {any} canvas @param {string} type @param {number} quality @returns {Promise<Blob>} */
function encode(canvas, type, quality) {
  if (canvas.convertToBlob) return canvas.convertToBlob({ type, quality });
  return new Promise((resolve, reject) => canvas.toBlob((/** @type {Blob|null} */ blob) =>
    blob ? resolve(blob) : reject(new Error("encode failed")), type, quality));
}

/** @param {ImageBitmap} bitmap @param {number} side @param {number} quality */
async function jpegOf(bitmap, side, quality) {
  const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = surface(width, height);
  const context = /** @type {any} */ (canvas.getContext("2d"));
  context.fillStyle = "#fff"; // a transparent PNG picked from the gallery must not turn black
  context.fillRect(0, 0, width, height);
  context.drawImage(bitmap, 0, 0, width, height);
  const blob = await encode(canvas, "image/jpeg", quality);
  return { bytes: await blob.arrayBuffer(), width, height };
}

/**
 * A camera photo ready to store and upload.
 * @param {Blob} file @returns {Promise<ProcessedImage>}
 */
export async function processPhoto(file) {
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  try {
    const main = await jpegOf(bitmap, MAX_SIDE, QUALITY);
    const thumb = await jpegOf(bitmap, THUMB_SIDE, 0.7);
    return { bytes: main.bytes, thumb: thumb.bytes, sha256: await sha256Hex(main.bytes), mime: "image/jpeg",
      size: main.bytes.byteLength, width: main.width, height: main.height };
  } finally {
    bitmap.close();
  }
}

/**
 * A drawn signature (PNG from the pad) ready to store and upload.
 * @param {Blob} png @param {number} width @param {number} height @returns {Promise<ProcessedImage>}
 */
export async function processSignature(png, width, height) {
  const bytes = await png.arrayBuffer();
  return { bytes, thumb: null, sha256: await sha256Hex(bytes), mime: "image/png", size: bytes.byteLength, width, height };
}
