// @ts-check
/**
 * What the forms need on the device: form definitions by version, and reference rows (limits, checklist
 * items, law articles…) as a pull stores them.
 * @module stores/reference
 */
import { db } from "./connection.js";

/** @typedef {import("./connection.js").ReferenceRow} ReferenceRow */

/** For the benchmark: reference rows as a pull stores them ({id, table, key, data}). @param {ReferenceRow[]} rows */
export const putReferenceRows = (rows) => db.reference_rows.bulkPut(rows);
/** @param {string} table */
export const referenceRows = (table) => db.reference_rows.where("table").equals(table).toArray();

/** @param {any} form */
export const putForm = (form) => db.forms.put(form);
/** @param {string} formId @param {number} version */
export const getForm = (formId, version) => db.forms.get([formId, version]);
export const allForms = () => db.forms.toArray();
