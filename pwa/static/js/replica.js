// @ts-check
/**
 * The device's copy of a record and the rules that change it — no storage, no network, no DOM.
 * A record keeps the server's last known state (`server`) apart from what this device changed and the
 * server has not acknowledged yet (`pending`); screens show both merged (`data`). Pulling never
 * overwrites pending values, so a field worker's unsynced entries survive every sync.
 * @module replica
 */

/**
 * @typedef {{data: Record<string, any>, computed: Record<string, any>, field_versions: Record<string, number>,
 *   change_no: number|null, review_status: string|null, review_comment: string|null, locked: string|null,
 *   conflict_open: boolean, deleted: boolean, created_by: number|null, updated_at: string|null}} ServerState
 * @typedef {{field: string|null, code: string, message: string, message_en?: string}} Problem
 * @typedef {{id: string, entity: string, form_id: string|null, form_version: number|null,
 *   parent_id: string|null, root_id: string, enterprise_id: string|null, owner_id: number|null,
 *   server: ServerState|null, pending: Record<string, any>, versions: Record<string, number>,
 *   data: Record<string, any>, create_state: "waiting"|"applied"|"rejected",
 *   submit_state: null|"waiting"|"rejected", deleted_local: 0|1, problems: Problem[], dirty: 0|1,
 *   created_local: string, updated_local: string, locked_local?: string|null, pinned?: 0|1}} LocalRecord
 *   `pinned`: fetched on purpose (an enterprise's history): kept when it leaves the working set
 */

/** @param {any} a @param {any} b */
export const sameValue = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** @param {LocalRecord} record @returns {LocalRecord} */
function settle(record) {
  record.data = { ...(record.server?.data || {}), ...record.pending };
  const unsynced = Object.keys(record.pending).length > 0 || record.create_state !== "applied" ||
    record.submit_state === "waiting" || record.deleted_local === 1;
  record.dirty = unsynced ? 1 : 0;
  return record;
}

/**
 * A record made on this device (its create mutation waits in the outbox).
 * @param {{id: string, entity: string, form_id: string|null, form_version: number|null, parent_id?: string|null,
 *   root_id?: string, enterprise_id?: string|null, owner_id: number|null, data: Record<string, any>}} spec
 * @returns {LocalRecord}
 */
export function newRecord(spec) {
  const now = new Date().toISOString();
  return settle({
    id: spec.id, entity: spec.entity, form_id: spec.form_id, form_version: spec.form_version,
    parent_id: spec.parent_id || null, root_id: spec.root_id || spec.id, enterprise_id: spec.enterprise_id || null,
    owner_id: spec.owner_id, server: null, pending: { ...spec.data }, versions: {}, data: {},
    create_state: "waiting", submit_state: null, deleted_local: 0, problems: [], dirty: 1,
    created_local: now, updated_local: now,
  });
}

/**
 * The record after a local edit; a field the user touched loses the server's complaint about it.
 * @param {LocalRecord} record @param {Record<string, any>} changes @returns {LocalRecord}
 */
export function withEdit(record, changes) {
  const next = { ...record, pending: { ...record.pending, ...changes }, updated_local: new Date().toISOString() };
  next.problems = record.problems.filter((p) => !p.field || !(p.field in changes));
  return settle(next);
}

/** @param {LocalRecord} record @param {Partial<LocalRecord>} patch @returns {LocalRecord} */
export function withState(record, patch) {
  return settle({ ...record, ...patch });
}

/**
 * The pulled server state of a record merged into the local copy (pending values stay on top).
 * Returns null when the record is gone on the server and nothing local remains of it.
 * @param {LocalRecord|undefined} local @param {any} change @returns {LocalRecord|null}
 */
export function fromServer(local, change) {
  const server = {
    data: change.data || {}, computed: change.computed || {}, field_versions: change.field_versions || {},
    change_no: change.change_no ?? null, review_status: change.review_status ?? null,
    review_comment: change.review_comment ?? null, locked: change.locked ?? null,
    conflict_open: Boolean(change.conflict_open), deleted: Boolean(change.deleted),
    created_by: change.created_by ?? null, updated_at: change.updated_at ?? null,
  };
  if (server.deleted && (!local || !local.dirty)) return null;
  const versions = { ...(local?.versions || {}) };
  for (const [field, number] of Object.entries(server.field_versions)) {
    versions[field] = Math.max(versions[field] || 0, number);
  }
  const base = local || /** @type {Partial<LocalRecord>} */ ({
    pending: {}, problems: [], submit_state: null, deleted_local: 0, created_local: new Date().toISOString(),
  });
  // A submit still waiting keeps the record read-only until its result arrives.
  return settle(/** @type {LocalRecord} */ ({
    ...base, id: change.id, entity: change.entity, form_id: change.form_id ?? null,
    form_version: change.form_version ?? null, parent_id: change.parent_id ?? null,
    root_id: change.root_id || change.id, enterprise_id: change.enterprise_id ?? null,
    owner_id: base.owner_id ?? change.created_by ?? null, server, versions, create_state: "applied",
    updated_local: base.updated_local || new Date().toISOString(),
  }));
}

/**
 * Where the server's answer to one mutation leaves the record.
 * @param {LocalRecord|undefined} record
 * @param {import("./outbox.js").OutboxRow} row
 * @param {any} result  one item of the push response's `results`
 * @param {string} deviceId
 * @returns {{record: LocalRecord|null|undefined, conflicts: any[], rejection: any|null}}
 */
export function acknowledge(record, row, result, deviceId) {
  /** @type {any[]} */
  const conflicts = [];
  let rejection = null;
  if (!record) return { record, conflicts, rejection };
  let next = { ...record, pending: { ...record.pending }, versions: { ...record.versions } };
  const status = result.status;
  if (status === "applied" || status === "conflict" || status === "unknown") {
    for (const field of result.applied_fields || []) {
      if (typeof result.change_no === "number") next.versions[field] = result.change_no;
    }
    for (const [field, value] of Object.entries(row.fields || {})) {
      if (field in next.pending && sameValue(next.pending[field], value)) delete next.pending[field];
    }
    if (row.op === "create") next.create_state = "applied";
    if (row.op === "submit") {
      next.submit_state = null;
      next.problems = [];
      next.server = { ...(next.server || emptyServer()), review_status: result.review_status || "submitted",
        review_comment: null };
    }
    if (row.op === "delete" && status !== "conflict") return { record: null, conflicts, rejection };
    for (const item of result.conflicts || []) {
      conflicts.push({ id: item.conflict_id, record_id: row.record_id, record_entity: row.entity,
        conflict_kind: item.kind, field: item.field, server_value: item.server_value ?? null,
        client_value: item.field ? (row.fields || {})[item.field] ?? null : (row.op === "delete" ? { deleted: true } : row.fields),
        client_device_id: deviceId, status: "open" });
      if (item.field) {
        // The server kept its value: show it, and the conflict screen shows both.
        delete next.pending[item.field];
        next.server = { ...(next.server || emptyServer()) };
        next.server.data = { ...next.server.data, [item.field]: item.server_value ?? null };
      }
    }
    if (row.op === "delete" && status === "conflict") next.deleted_local = 0;
  } else {
    rejection = { mutation_id: row.mutation_id, client_seq: row.client_seq, record_id: row.record_id,
      entity: row.entity, op: row.op, fields: row.fields, status, error: result.error || {},
      at: new Date().toISOString(), state: "open" };
    if (row.op === "create") next.create_state = "rejected";
    if (row.op === "submit") next.submit_state = "rejected";
    if (row.op === "delete") next.deleted_local = 0;
    next.problems = problemsFor(record.id, result.error);
  }
  return { record: settle(/** @type {LocalRecord} */ (next)), conflicts, rejection };
}

/** @returns {ServerState} */
function emptyServer() {
  return { data: {}, computed: {}, field_versions: {}, change_no: null, review_status: null, review_comment: null,
    locked: null, conflict_open: false, deleted: false, created_by: null, updated_at: null };
}

const QUALIFIED = /^[a-z_]+\[([0-9a-f-]+)\]\.(.+)$/;

/**
 * Field-level messages of a rejection that belong to one record. INCOMPLETE names fields as
 * `entity[id].field` across a visit and its samples; other rejections name the field alone.
 * @param {string} recordId @param {any} error @returns {Problem[]}
 */
export function problemsFor(recordId, error) {
  const details = (error && error.details) || [];
  /** @type {Problem[]} */
  const out = [];
  for (const item of details) {
    const match = typeof item.field === "string" ? QUALIFIED.exec(item.field) : null;
    const owner = item.record_id || (match ? match[1] : recordId);
    if (owner !== recordId) continue;
    out.push({ field: match ? match[2] : item.field ?? null, code: item.code, message: item.message,
      message_en: item.message_en });
  }
  if (!out.length && error && error.message) out.push({ field: null, code: error.code, message: error.message });
  return out;
}

/**
 * Records a reset keeps: anything this device has not synced yet.
 * @param {LocalRecord} record @param {Set<string>} referenced  ids named by waiting outbox rows or open rejections
 */
export function keepOnReset(record, referenced) {
  return record.dirty === 1 || referenced.has(record.id);
}

// The field that dates each kind of root record's work: server/models/records.py BUSINESS_DATE_FIELDS, which the
// server's working set reads (a record kind's date field belongs to the sync protocol, like its name).
const BUSINESS_DATE_FIELDS = { sampling_visit: "sampling_date", inspection: "inspection_date",
  assistance_visit: "visit_date", followup: "followup_date", reinspection: "reinspection_date",
  workplace_survey: "survey_date" };

/**
 * Whether a record tree has left the device's working set: its root approved on the server, dated before `cutoff`
 * (YYYY-MM-DD), with no open conflict, nothing unsynced in the tree, no open rectification item, not pinned (fetched
 * on purpose from the enterprise's history).
 * @param {LocalRecord[]} tree  the root and everything under it @param {string} cutoff @param {Set<string>} referenced
 *   ids an outbox row or an open rejection refers to
 */
export function leftWorkingSet(tree, cutoff, referenced) {
  const root = tree.find((r) => r.id === r.root_id);
  const field = root ? /** @type {Record<string, string>} */ (BUSINESS_DATE_FIELDS)[root.entity] : undefined;
  const day = field ? root?.server?.data?.[field] : null;
  if (!root || typeof day !== "string" || day >= cutoff || root.server?.review_status !== "approved") return false;
  return !tree.some((r) => r.dirty === 1 || referenced.has(r.id) || r.pinned === 1 || r.server?.conflict_open ||
    (r.entity === "rectification_item" && !r.server?.data?.closed_on));
}

/** The review state a screen shows: local submits first, then the server's. @param {LocalRecord} record */
export function reviewState(record) {
  if (record.submit_state === "waiting") return "submitting";
  if (record.submit_state === "rejected") return "submit_rejected";
  const state = record.server?.review_status || "draft";
  // A document issued from it ends the field work on a record: no longer a draft.
  return state === "draft" && (record.locked_local || record.server?.locked === "document") ? "issued" : state;
}

/** Whether the field worker may still change the record. @param {LocalRecord} record */
export function isEditable(record) {
  const state = reviewState(record);
  // `locked_local`: a document was issued on this tablet and the server has not answered yet.
  return !record.server?.locked && !record.locked_local && ["draft", "returned", "submit_rejected"].includes(state);
}
