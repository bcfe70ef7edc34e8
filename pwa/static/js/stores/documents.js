// @ts-check
/**
 * Issued documents on the device (pulled, issued online, or issued offline and waiting), the number blocks
 * reserved for offline issuance, and the downloaded PDFs.
 * @module stores/documents
 */
import { db, exclusive } from "./connection.js";

/** @typedef {import("./connection.js").PdfRow} PdfRow */

/** Issued documents of an enterprise (shown on its page; the PDFs themselves are fetched online). @param {string} id */
export const documentsOf = (id) => db.documents.where("enterprise_id").equals(id).toArray();
/** Documents issued from a record. @param {string} recordId */
export const documentsOfRecord = (recordId) => db.documents.where("record_id").equals(recordId).toArray();
/** Numbers of the known documents of a type (a refused offline issuance gave its number back). @param {string} docType */
export const documentNumbers = async (docType) => (await db.documents
  .filter((/** @type {any} */ d) => d.doc_type === docType && d.local !== "rejected").toArray()).map((/** @type {any} */ d) => d.number);
/** Documents that correct another (an amended document's status comes from them). */
export const amendments = () => db.documents.filter((/** @type {any} */ d) => Boolean(d.amends_id)).toArray();
/** @param {string} id */
export const getDocument = (id) => db.documents.get(id);
/** A document issued online (its row until the pull brings the server's). @param {any} row */
export const putDocument = (row) => db.documents.put(row);
/** Documents issued on this tablet whose PDF is not kept yet. */
export const documentsWithoutPdf = async () => {
  const kept = new Set(await db.pdfs.toCollection().primaryKeys());
  return db.documents.filter((/** @type {any} */ d) => d.mine === 1 && !d.local && !d.voided && !kept.has(d.id)).toArray();
};

// ---- number blocks and PDFs --------------------------------------------------------------------------------

export const localBlocks = () => db.blocks.toArray();

/**
 * The server's list of this device's open blocks; the numbers used offline are kept, and a block the
 * server no longer lists (released) is dropped. Under the write lock: an issuance may be taking a number.
 * @param {any[]} serverBlocks
 */
export function saveBlocks(serverBlocks) {
  return exclusive(() => db.transaction("rw", db.blocks, async () => {
    const known = new Map((await db.blocks.toArray()).map((/** @type {any} */ b) => [b.id, b]));
    await db.blocks.clear();
    for (const block of serverBlocks) await db.blocks.put({ ...block, used: known.get(block.id)?.used || [] });
  }));
}

/** @param {string} id @returns {Promise<PdfRow|undefined>} */
export const getPdf = (id) => db.pdfs.get(id);
/** @param {PdfRow} row */
export const putPdf = (row) => db.pdfs.put(row);
