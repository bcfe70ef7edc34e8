// @ts-check
/**
 * Enterprises 用人单位 as pulled (the search index is built from them).
 * @module stores/enterprises
 */
import { db } from "./connection.js";

export const allEnterprises = () => db.enterprises.toArray();
/** @param {string} id */
export const getEnterprise = (id) => db.enterprises.get(id);
/** For the benchmark and tests: many enterprises at once. @param {any[]} rows */
export const putEnterprises = (rows) => db.enterprises.bulkPut(rows);
