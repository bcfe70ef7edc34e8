// @ts-check
/**
 * The files of the registers as a record that names one shows it (a follow-up's patient, an inspection's campaign):
 * the file's name and its number, read from the tablet. No DOM.
 * @module controllers/registers
 */
import * as db from "../db.js";

/** Per register kind: the fields of its name and of its number. */
const NAMED_BY = {
  patient: ["patient_name", "case_no"],
  campaign: ["campaign_name", "campaign_code"],
  exam_institution: ["institution_name", "filing_no"],
};

/**
 * "名称（编号）" of the register file with this id, or null when the tablet does not hold it.
 * @param {string|null|undefined} id
 */
export async function fileLabel(id) {
  const file = id ? await db.getRecord(id) : null;
  if (!file) return null;
  const [name, number] = /** @type {any} */ (NAMED_BY)[file.entity] || [];
  const data = file.data || {};
  return name ? `${data[name] || ""}（${data[number] || ""}）` : null;
}
