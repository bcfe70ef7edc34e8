// @ts-check
/**
 * The outbox's rules (DESIGN §4), without storage or DOM: what one local change sends and which base it
 * carries. `client_seq` is given at enqueue time by stores/outbox.js, inside the same transaction that saves
 * the record, so a crash can never leave a change without its number or a number without its change.
 * @module outbox
 */

/**
 * @typedef {{client_seq: number, mutation_id: string, entity: string, record_id: string,
 *   op: "create"|"update"|"delete"|"submit"|"issue", form_version: number|null, fields: Record<string, any>|null,
 *   base: Record<string, number>|null, parent: string|null, device_time: string,
 *   state: "waiting"|"done", attempts: number, enqueued_at: string, result?: any, done_at?: string}} OutboxRow
 * @typedef {Omit<OutboxRow, "client_seq"|"mutation_id"|"state"|"attempts"|"enqueued_at">} MutationSpec
 */

/** A new UUID (records and mutations are keyed on the device; the server never re-keys). */
export function newId() {
  return crypto.randomUUID();
}

/**
 * Local time with its UTC offset, e.g. 2026-04-08T09:30:00+08:00: the capture time the server keeps as evidence.
 * @param {Date} [date]
 */
export function deviceTime(date = new Date()) {
  const pad = (/** @type {number} */ n) => String(Math.abs(Math.trunc(n))).padStart(2, "0");
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:` +
    `${pad(date.getMinutes())}:${pad(date.getSeconds())}${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}

/**
 * Per field, the change number the edit is based on: what this device last knew of it (0 = never seen).
 * @param {{versions?: Record<string, number>}} record @param {string[]} fields
 * @returns {Record<string, number>}
 */
export function baseFor(record, fields) {
  const versions = record.versions || {};
  return Object.fromEntries(fields.map((field) => [field, versions[field] || 0]));
}

/**
 * @param {{entity: string, record_id: string, op: MutationSpec["op"], fields?: Record<string, any>|null,
 *   base?: Record<string, number>|null, parent?: string|null, form_version?: number|null}} spec
 * @returns {MutationSpec}
 */
export function mutation(spec) {
  return { entity: spec.entity, record_id: spec.record_id, op: spec.op, form_version: spec.form_version ?? null,
    fields: spec.fields ?? null, base: spec.base ?? null, parent: spec.parent ?? null, device_time: deviceTime() };
}

/**
 * Whether `spec` may be folded into the last outbox row: the same record, never sent, and a field edit
 * on top of an edit or a create. Typing into a form then queues one change, not one per keystroke.
 * @param {OutboxRow|undefined} last @param {MutationSpec} spec
 */
export function canCoalesce(last, spec) {
  return last != null && last.state === "waiting" && last.attempts === 0 && last.record_id === spec.record_id &&
    spec.op === "update" && (last.op === "update" || last.op === "create") && last.entity === spec.entity &&
    (last.form_version ?? null) === (spec.form_version ?? null);
}

/**
 * `last` with `spec`'s fields folded in; a field's base stays the earliest one (what the user first saw).
 * @param {OutboxRow} last @param {MutationSpec} spec @returns {OutboxRow}
 */
export function coalesce(last, spec) {
  const fields = { ...(last.fields || {}), ...(spec.fields || {}) };
  const base = last.op === "update" ? { ...(spec.base || {}), ...(last.base || {}) } : null;
  return { ...last, fields, base, device_time: spec.device_time };
}

/**
 * A full outbox row from a spec and its sequence number.
 * @param {MutationSpec} spec @param {number} seq @returns {OutboxRow}
 */
export function row(spec, seq) {
  return { ...spec, client_seq: seq, mutation_id: newId(), state: "waiting", attempts: 0,
    enqueued_at: new Date().toISOString() };
}

/**
 * Where one local change goes: folded into the newest outbox row when it may (that row keeps its client_seq),
 * else a new row with the next client_seq of this device.
 * @param {OutboxRow|undefined} last  the row with the highest client_seq @param {MutationSpec} spec
 * @param {number} next  the device's next client_seq @returns {{row: OutboxRow, next: number}}
 */
export function enqueue(last, spec, next) {
  if (last && canCoalesce(last, spec)) return { row: coalesce(last, spec), next };
  return { row: row(spec, next), next: next + 1 };
}

/**
 * The rows of one push out of the next rows in client_seq order. An issuance starts a batch of its own: the
 * server numbers what a document shows by the change numbers of its records, which it gives a batch's new
 * records only when the batch is written (it answers 500 when the records and their issuance arrive together).
 * @param {OutboxRow[]} found @returns {OutboxRow[]}
 */
export function batchOf(found) {
  const cut = found.findIndex((row, i) => i > 0 && row.op === "issue");
  return cut > 0 ? found.slice(0, cut) : found;
}

/** A row about to be sent: an attempted row is never coalesced again. @param {OutboxRow} item @returns {OutboxRow} */
export function attempted(item) {
  return { ...item, attempts: item.attempts + 1 };
}

/**
 * The device's next client_seq after a pull told it the server's last one: a device whose counter fell behind
 * (storage restored from an old copy) continues after the server's, unless changes still wait with their numbers.
 * @param {number} next @param {number} serverSeq @param {number} waiting  rows not yet acknowledged
 */
export function seqAfterServer(next, serverSeq, waiting) {
  return !waiting && next <= serverSeq ? serverSeq + 1 : next;
}

/** Acknowledged rows done before this instant may be forgotten (ISO string). @param {Date} now */
export function keptSince(now) {
  return new Date(now.getTime() - KEEP_DONE_DAYS * 86400e3).toISOString();
}

/**
 * The mutation as the push endpoint reads it.
 * @param {OutboxRow} item
 */
export function wire(item) {
  /** @type {Record<string, any>} */
  const out = { client_seq: item.client_seq, mutation_id: item.mutation_id, entity: item.entity,
    id: item.record_id, op: item.op, device_time: item.device_time };
  if (item.form_version != null) out.form_version = item.form_version;
  if (item.fields) out.fields = item.fields;
  if (item.base) out.base = item.base;
  if (item.parent) out.parent = item.parent;
  return out;
}

/**
 * The push request body for a batch of rows.
 * @param {string} deviceId @param {OutboxRow[]} rows
 */
export function pushBody(deviceId, rows) {
  return { protocol: 1, device_id: deviceId, mutations: rows.map(wire) };
}

/** Largest batch a push carries: the server accepts 1000, a factory's 4G does better with less. */
export const BATCH_SIZE = 200;
/** Acknowledged rows are kept this long so a server restored from backup can be sent them again. */
export const KEEP_DONE_DAYS = 14;
