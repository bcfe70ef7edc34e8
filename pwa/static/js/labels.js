// @ts-check
/**
 * Sample labels drawn on the tablet when there is no signal: the same facts and the same QR payload as the
 * server's labels (server/documents/qr.py): compact JSON {"s": sample code, "r": record id}, non-ASCII
 * escaped so every scanner reads it in byte mode. The QR image is a GIF data URL (qrcode-generator,
 * vendored). No DOM, no storage.
 * @module labels
 */
import qrcode from "../vendor/qrcode.mjs";

const TYPES = { field: "现场样", blank: "空白样", parallel: "平行样" };

/** JSON as Python's json.dumps(…, separators=(",", ":"), ensure_ascii=True) writes it. @param {any} value */
export function asciiJson(value) {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The payload a lab scanner reads. @param {string} sampleCode @param {string} recordId */
export function labelPayload(sampleCode, recordId) {
  return asciiJson({ s: sampleCode, r: recordId });
}

/**
 * A QR code as a GIF data URL (error correction M, like the server's: survives a smudge or a fold).
 * @param {string} text @param {number} [cell]  pixels per module @param {number} [margin]  pixels of quiet zone
 */
export function qrDataUrl(text, cell = 6, margin = 12) {
  const code = qrcode(0, "M");
  code.addData(text, "Byte");
  code.make();
  return code.createDataURL(cell, margin);
}

/**
 * The labels of a visit, sorted by sample code as the server prints them.
 * @param {{data: Record<string, any>}} visit @param {{id: string, data: Record<string, any>}[]} samples
 * @param {Map<string, {zh: string}>} hazardNames @param {string} enterpriseName
 */
export function visitLabels(visit, samples, hazardNames, enterpriseName) {
  const code = (/** @type {{data: Record<string, any>}} */ s) => String(s.data.sample_code || "");
  return [...samples].sort((a, b) => (code(a) < code(b) ? -1 : code(a) > code(b) ? 1 : 0)).map((sample) => {
    const payload = labelPayload(code(sample), sample.id);
    return { sample_code: code(sample), record_id: sample.id, payload, qr: qrDataUrl(payload),
      hazard_zh: hazardNames.get(sample.data.hazard_key)?.zh || sample.data.hazard_key || "",
      sample_type_zh: /** @type {Record<string, string>} */ (TYPES)[sample.data.sample_type] || "",
      enterprise_name: enterpriseName, sampling_date: visit.data.sampling_date || "" };
  });
}
