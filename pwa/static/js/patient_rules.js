// @ts-check
/**
 * When a pneumoconiosis patient is due a follow-up: the twin of server/domain/patients.py (due_state, next_due),
 * checked against the same golden cases (tests/golden/patient_due.json) under node and Python. Pure: no DOM, no
 * storage.
 * @module patient_rules
 */

export const NOT_FOLLOWED = ["dead", "moved_out"]; // 死亡, 迁出: the file is closed for follow-up
export const DUE_SOON_DAYS = 30;
export const DEFAULT_PERIOD_MONTHS = 12;
export const STATES = ["overdue", "due", "followed", "closed"]; // 逾期未随访, 本期待随访, 已随访, 不再随访

/** @param {string} iso @returns {number} days since 1970-01-01 */
const dayNumber = (iso) => Math.round(Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 86400000);

/** @param {number} n @returns {string} */
const isoOf = (n) => new Date(n * 86400000).toISOString().slice(0, 10);

/** @param {any} value @returns {value is string} */
const isDay = (value) => typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value);

/**
 * The same day `months` later, clamped to the month's end (2024-02-29 + 12 → 2025-02-28), as classification.add_months.
 * @param {string} day @param {number} months
 */
export function addMonths(day, months) {
  const index = +day.slice(5, 7) - 1 + months;
  const year = +day.slice(0, 4) + Math.floor(index / 12);
  const month = ((index % 12) + 12) % 12 + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(Math.min(+day.slice(8, 10), last)).padStart(2, "0")}`;
}

/**
 * The day a patient is due a follow-up: a cycle after the last one, else the day the file was opened.
 * @param {Record<string, any>} data @param {string|null} lastFollowup @param {number} periodMonths @returns {string|null}
 */
export function nextDue(data, lastFollowup, periodMonths) {
  if (lastFollowup) return addMonths(lastFollowup, periodMonths);
  if (isDay(data.registered_on)) return data.registered_on;
  return isDay(data.diagnosis_date) ? data.diagnosis_date : null;
}

/**
 * [state, due day] today: closed (died or moved out), overdue, due (within `soonDays`) or followed.
 * @param {Record<string, any>} data @param {string|null} lastFollowup @param {string} today @param {number} periodMonths
 * @param {number} [soonDays] @returns {[string, string|null]}
 */
export function dueState(data, lastFollowup, today, periodMonths, soonDays = DUE_SOON_DAYS) {
  if (NOT_FOLLOWED.includes(data.status)) return ["closed", null];
  const due = nextDue(data, lastFollowup, periodMonths);
  if (due === null || due < today) return ["overdue", due];
  if (due <= isoOf(dayNumber(today) + soonDays)) return ["due", due];
  return ["followed", due];
}
