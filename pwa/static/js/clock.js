// @ts-check
/**
 * Business time on the tablet (DESIGN §7, server/clock.py): dates that matter — a document's year, the year of
 * a number block, default dates of new records, dashboard periods — are dates in China Standard Time
 * (Asia/Shanghai, UTC+8, no daylight saving), whatever timezone the device is set to. No DOM, no storage.
 * @module clock
 */

const CHINA_OFFSET_MS = 8 * 3600e3;

/** The China date and time parts of an instant. @param {Date} [date] */
export function chinaParts(date = new Date()) {
  const shifted = new Date(date.getTime() + CHINA_OFFSET_MS);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(), minute: shifted.getUTCMinutes(), second: shifted.getUTCSeconds() };
}

const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");

/** Today in China as YYYY-MM-DD. @param {Date} [date] */
export function today(date = new Date()) {
  const p = chinaParts(date);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** The year in China (document numbers, number blocks). @param {Date} [date] */
export const year = (date = new Date()) => chinaParts(date).year;

/** The month in China, 1–12. @param {Date} [date] */
export const month = (date = new Date()) => chinaParts(date).month;

/** The China year of an ISO instant with its offset (e.g. a document's issued_at). @param {string} iso */
export const yearOf = (iso) => year(new Date(iso));

/** Years a device keeps number blocks for: this year, and from December the coming one. @param {Date} [date] */
export function blockYears(date = new Date()) {
  const y = year(date);
  return month(date) === 12 ? [y, y + 1] : [y];
}
