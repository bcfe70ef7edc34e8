// @ts-check
/**
 * Rectification items (整改项, made by the server from an issued notice) and the re-inspection (复查) that
 * closes them: open items with their deadlines (overdue ones marked), a re-inspection started from a notice
 * with one result per open item, and its form. No DOM.
 * @module controllers/reinspection
 */
import * as db from "../db.js";
import { flowById, initialData, today } from "../flows.js";
import * as formstore from "../formstore.js";
import * as records from "../records.js";
import { isEditable, reviewState } from "../replica.js";
import * as session from "../session.js";

/**
 * An item as the enterprise page shows it: open, overdue (past the deadline day), under re-inspection (a 复查
 * recorded, its 复查意见书 not issued yet) or closed (only by the issued 复查意见书).
 * @param {any} record @param {string} day  today, YYYY-MM-DD
 */
export function itemView(record, day) {
  const d = record.data || {};
  const closed = d.status === "closed";
  return { id: record.id, document_id: d.document_id, document_number: d.document_number, number: d.number,
    fact: d.fact || "", requirement: d.requirement || "", deadline: d.deadline || null, closed_on: d.closed_on || null,
    status: closed ? "closed" : d.status === "reinspecting" ? "reinspecting" : d.deadline && d.deadline < day ? "overdue"
      : "open",
    last: (d.reinspections || []).slice(-1)[0] || null };
}

/**
 * The rectification items of an enterprise, grouped by the notice that ordered them; open groups first.
 * @param {string} enterpriseId
 */
export async function rectificationsOf(enterpriseId) {
  const day = today();
  const items = (await db.recordsBy("enterprise_id", enterpriseId))
    .filter((r) => r.entity === "rectification_item" && !r.server?.deleted).map((r) => itemView(r, day));
  /** @type {Map<string, {document_id: string, document_number: string, items: any[], open: number}>} */
  const groups = new Map();
  for (const item of items.sort((a, b) => (a.number || 0) - (b.number || 0))) {
    /** @type {{document_id: string, document_number: string, items: any[], open: number}} */
    const group = groups.get(item.document_id) || { document_id: item.document_id, document_number: item.document_number,
      items: [], open: 0 };
    group.items.push(item);
    if (item.status !== "closed") group.open += 1;
    groups.set(item.document_id, group);
  }
  return [...groups.values()].sort((a, b) => b.open - a.open);
}

/**
 * Start a re-inspection of a notice: the re-inspection and one result row for each of its open items.
 * Returns the route to open.
 * @param {string} enterpriseId @param {string} documentId
 */
export async function startReinspection(enterpriseId, documentId) {
  const flow = flowById("reinspection");
  const user = session.user();
  if (!flow || !user || !formstore.currentVersion(flow.form_id)) throw new Error("form_missing");
  // A re-inspection of this notice already under way on the tablet is continued, not started twice.
  const existing = (await db.recordsBy("entity", "reinspection")).find((r) => !r.deleted_local &&
    r.data.notice_document_id === documentId && isEditable(r));
  if (existing) return `#/reinspection/${existing.id}/items`;
  const groups = await rectificationsOf(enterpriseId);
  const group = groups.find((g) => g.document_id === documentId);
  if (!group) return null;
  // The colleague of the original inspection is the second officer again.
  const notice = await db.getDocument(documentId);
  const original = notice ? await db.getRecord(notice.record_id) : null;
  const slot = ["officer_1", "officer_2"].find((s) => original?.data[`${s}_id`] && original.data[`${s}_id`] !== String(user.id));
  const partner = slot && original ? { id: original.data[`${slot}_id`], name: original.data[`${slot}_name`] } : null;
  const data = { ...initialData(flow, { enterpriseId, displayName: user.display_name, userId: user.id, partner,
    roster: await formstore.officers() }),
    notice_document_id: documentId, notice_number: group.document_number };
  const root = await records.createRoot(flow.form_id, flow.entity, Object.fromEntries(Object.entries(data).filter(([, v]) => v != null)));
  for (const item of group.items.filter((i) => i.status !== "closed")) {
    await records.createChild(root, "reinspection_item", { rectification_item_id: item.id });
  }
  return `#/reinspection/${root.id}/items`;
}

/** @param {string} id */
export async function reinspectionModel(id) {
  const root = await db.getRecord(id);
  if (!root || root.entity !== "reinspection" || root.deleted_local) return null;
  const day = today();
  const children = (await db.recordsBy("root_id", id)).filter((r) => r.entity === "reinspection_item" && !r.deleted_local)
    .sort((a, b) => a.created_local.localeCompare(b.created_local));
  const items = [];
  for (const child of children) {
    const target = await db.getRecord(child.data.rectification_item_id || "");
    items.push({ record: child, target: target ? itemView(target, day) : null });
  }
  const tree = await db.recordsBy("root_id", id);
  return { root, items, enterprise: root.enterprise_id ? await db.getEnterprise(root.enterprise_id) : null,
    editable: isEditable(root), state: reviewState(root), unsynced: tree.some((r) => r.dirty === 1) };
}
