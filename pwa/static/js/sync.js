// @ts-check
/**
 * The sync engine (DESIGN §4), driven by the page: on open, on reconnect, on a timer, after local changes
 * and on the button — the Background Sync API is not relied on. One run pushes the outbox in order,
 * pulls until nothing is left, refreshes form definitions and uploads photos one at a time. Failures back
 * off exponentially (capped); a revoked device stops and says so; an expired session waits for a login.
 * No DOM: screens follow the "sync-status" event.
 * @module sync
 */
import * as api from "./api.js";
import * as clock from "./clock.js";
import * as db from "./db.js";
import { emit, on } from "./events.js";
import * as formstore from "./formstore.js";
import * as outbox from "./outbox.js";
import * as retry from "./retry.js";
import * as session from "./session.js";

const IDLE_PULL_MS = 5 * 60_000;
const WAITING_RETRY_MS = 60_000;
const AFTER_EDIT_MS = 4_000;
const FORMS_CHECK_MS = 15 * 60_000;

/**
 * @typedef {{phase: string, progress: any, online: boolean, last_sync_at: string|null,
 *   last_error: {code: string, message: string, at: string}|null, next_retry_at: string|null, revoked: boolean,
 *   counts: {waiting: number, photos: number, photo_bytes: number, rejected: number, conflicts: number, dirty: number}}} SyncStatus
 */

/** @type {SyncStatus} */
const status = { phase: "idle", progress: null, online: false, last_sync_at: null, last_error: null,
  next_retry_at: null, revoked: false, counts: { waiting: 0, photos: 0, photo_bytes: 0, rejected: 0, conflicts: 0, dirty: 0 } };
let running = false;
let again = false;
let failures = 0;
let formsCheckedAt = 0;
/** @type {ReturnType<typeof setTimeout>|null} */
let timer = null;
/** @type {Promise<void>|null} */
let current = null;

export const getStatus = () => status;

function publish() {
  emit("sync-status", { ...status, counts: { ...status.counts } });
}

/** Start the engine: read the last state, follow reachability and local edits. */
export async function start() {
  status.last_sync_at = (await db.getMeta("last_sync_at")) || null;
  status.online = api.isOnline();
  api.configure({ onReachability: (online) => {
    status.online = online;
    publish();
  } });
  on("records-changed", async () => {
    await refreshCounts();
    if (api.isOnline() && !status.revoked) schedule(AFTER_EDIT_MS);
  });
  await refreshCounts();
}

/** Refresh the waiting/photos/rejected/conflicts figures. */
export async function refreshCounts() {
  status.counts = await db.counts();
  publish();
}

/**
 * Sync now (the button, opening the app, a reconnect). A run already going is followed by one more.
 * @param {string} [reason] @returns {Promise<void>}
 */
export function syncNow(reason = "button") {
  if (reason === "button" || reason === "reconnect" || reason === "login") failures = 0;
  if (running) {
    again = true;
    return current || Promise.resolve();
  }
  current = run();
  return current;
}

/**
 * Send the outbox now, without pulling or uploading photos (issuing online needs the record on the server,
 * not the photos). Waits for a run already going.
 */
export async function pushNow() {
  while (running) await (current || Promise.resolve());
  running = true;
  try {
    await pushAll();
  } finally {
    running = false;
    await refreshCounts();
  }
}

/** After a new login: a stopped engine may go again. */
export function resume() {
  status.revoked = false;
  status.last_error = null;
  return syncNow("login");
}

/** @param {number} delay */
function schedule(delay) {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => syncNow("timer"), delay);
}

/** @param {string} phase @param {any} [progress] */
function setPhase(phase, progress = null) {
  status.phase = phase;
  status.progress = progress;
  publish();
}

async function run() {
  const active = session.current();
  // Nothing goes out while the server waits for a new password or a second factor: it would refuse it all.
  if (status.revoked || !active || active.expired || session.pendingStep()) {
    setPhase(active && active.expired ? "login" : "idle");
    return;
  }
  running = true;
  if (timer) clearTimeout(timer);
  try {
    if (!formstore.hasForms() || Date.now() - formsCheckedAt > FORMS_CHECK_MS) {
      setPhase("forms");
      await formstore.refreshForms();
      formsCheckedAt = Date.now();
    }
    await pushAll();
    await pullAll();
    await keepWorkingSet();
    await pushAll(); // anything typed while pulling
    if (status.counts.photos || (await db.counts()).photos) {
      setPhase("photos");
      // Loaded when there is something to upload: hashing and chunking are not needed to start the app.
      const { uploadReady } = await import("./uploader.js");
      await uploadReady((p) => setPhase("photos", p));
    }
    // Number blocks for offline issuance, the agency's name for previews, PDFs of documents issued here
    // (fetched once their photos are up: a PDF is rendered once, with the images the server has then).
    setPhase("documents");
    const issuing = await import("./issuing.js");
    await issuing.afterSync();
    await db.pruneOutbox();
    failures = 0;
    status.last_error = null;
    status.next_retry_at = null;
    status.last_sync_at = new Date().toISOString();
    await db.setMeta("last_sync_at", status.last_sync_at);
    emit("sync-done", {});
  } catch (error) {
    failed(error);
  } finally {
    running = false;
    status.phase = status.revoked ? "revoked" : session.current()?.expired ? "login" : "idle";
    status.progress = null;
    await refreshCounts();
    if (again) {
      again = false;
      schedule(300);
    } else if (!status.next_retry_at && !status.revoked) {
      schedule(status.counts.waiting || status.counts.photos ? WAITING_RETRY_MS : IDLE_PULL_MS);
    }
  }
}

async function pushAll() {
  /** @type {number|null} */
  let from = null;
  let gapRetries = 0;
  const deviceId = session.deviceId();
  for (;;) {
    const rows = await db.outboxBatch(outbox.BATCH_SIZE, from);
    if (!rows.length) return;
    setPhase("push", { sending: rows.length });
    let body;
    try {
      body = await api.post("/api/sync/push", outbox.pushBody(deviceId, rows), { timeout: 90000 });
    } catch (error) {
      // SEQ_GAP: the server expects an earlier number — resend from there (acknowledged rows are kept a while).
      if (error instanceof api.ApiError && error.code === "SEQ_GAP" && gapRetries < 3) {
        const expected = (error.details || []).map((d) => d.expected).find((n) => Number.isInteger(n));
        if (expected == null) throw error;
        gapRetries += 1;
        from = expected;
        continue;
      }
      throw error;
    }
    await db.applyPushResults(rows, body, deviceId);
    emit("replica-changed", { source: "push" });
    if (body.stopped_early) throw new api.ApiError(503, "RETRY_LATER", "服务器暂时无法保存，稍后自动重试");
    if (!(body.results || []).length) throw new api.ApiError(0, "NO_PROGRESS", "服务器没有处理任何变更");
    from = null;
  }
}

async function pullAll() {
  const deviceId = session.deviceId();
  for (let page = 0; page < 10000; page += 1) {
    setPhase("pull", { page: page + 1 });
    const cursor = await db.getMeta("cursor");
    // Protocol 2: a first copy is the working set (open work, the last months of closed records); older records
    // come from an enterprise's history when its page asks.
    const query = `/api/sync/pull?limit=1000&protocol=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const body = await api.get(query, { timeout: 90000 });
    await db.applyPull(body, deviceId);
    if (body.working_set?.months) await db.setMeta("working_set_months", body.working_set.months);
    const references = (body.changes || []).some((/** @type {any} */ c) => c.kind === "reference");
    if (references || body.reset) formstore.invalidateReferences();
    emit("replica-changed", { source: "pull", reset: Boolean(body.reset) });
    if (!body.has_more) return;
  }
}

/** The first day of the working set: `months` before today in business time (the 28th where a month is shorter). @param {number} months */
export function workingSetStart(months) {
  const [year, month, day] = clock.today().split("-").map(Number);
  const total = year * 12 + month - 1 - months;
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `${Math.floor(total / 12)}-${pad((total % 12) + 1)}-${pad(Math.min(day, 28))}`;
}

/** Records that left the working set (approved, older than its months, nothing unsynced or open) leave the tablet. */
async function keepWorkingSet() {
  const months = Number(await db.getMeta("working_set_months")) || 12;
  const removed = await db.dropOutsideWorkingSet(workingSetStart(months));
  if (removed) emit("replica-changed", { source: "working-set", reset: false });
}

/** @param {any} error */
function failed(error) {
  const known = error instanceof api.ApiError;
  // No network is not an error: the tablet is offline (离线, grey) and tries again when the signal returns.
  const offline = known && error.code === "NETWORK" && !navigator.onLine;
  status.online = status.online && !offline;
  status.last_error = offline ? null : { code: known ? error.code : "ERROR", message: known ? error.message : String(error),
    at: new Date().toISOString() };
  const next = retry.afterFailure(error);
  if (next === "stop") {
    status.revoked = true; // nothing this device sends will be accepted again
    status.next_retry_at = null;
    emit("device-revoked", {});
    return;
  }
  if (next === "login") {
    status.next_retry_at = null; // waits for the login dialog; nothing local is touched
    return;
  }
  if (!known) console.error("sync failed", error);
  failures += 1;
  const delay = retry.backoff(failures, known ? error.retryAfter : null);
  status.next_retry_at = new Date(Date.now() + delay).toISOString();
  schedule(delay);
}
