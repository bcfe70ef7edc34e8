// @ts-check
/**
 * The sync and storage page: sync state, device, rejected changes, persistent storage, usage and the
 * emergency export of everything unsynced. No DOM (the view saves the file).
 * @module controllers/status
 */
import * as db from "../db.js";
import * as records from "../records.js";
import * as session from "../session.js";
import * as storage from "../storage.js";
import * as sync from "../sync.js";
import { deviceTime } from "../outbox.js";

export async function statusModel() {
  const rejections = await db.openRejections();
  return { status: sync.getStatus(), user: session.user(), deviceId: session.deviceId(), deviceName: session.deviceName(),
    persisted: await storage.persisted(), estimate: await storage.estimate(), rejections };
}

export const requestPersist = () => storage.requestPersist();

/**
 * Send a refused record again as it stands (e.g. quarantined for a form version the server now knows).
 * @param {string} recordId
 */
export async function resend(recordId) {
  const record = await db.getRecord(recordId);
  if (record) await records.resendTree(record.root_id);
}

/** The export file: all unsynced data as JSON, named with user and time. */
export async function exportUnsynced() {
  const data = await db.unsyncedData();
  const body = { format: "zhiye-field-unsynced/1", exported_at: deviceTime(), device_id: session.deviceId(),
    user: session.user()?.username || null, ...data };
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:T]/g, "");
  return { filename: `unsynced-${body.user || "device"}-${stamp}.json`, text: JSON.stringify(body, null, 1) };
}
