// @ts-check
/**
 * Home: today's work of the logged-in user — drafts, records a supervisor returned (with the comment),
 * open conflicts, changes the server rejected, recent enterprises. No DOM.
 * @module controllers/home
 */
import * as db from "../db.js";
import { REGISTER_ROOTS, flowsFor } from "../flows.js";
import * as session from "../session.js";
import { summarise } from "../summaries.js";

const IN_PROGRESS = ["draft", "submitting", "submit_rejected"];

/**
 * A 双随机 assignment as lists show it: whether it is the user's, and the colleague it pairs them with.
 * @param {any} record @param {number|null} userId
 */
export function assignmentView(record, userId) {
  const d = record.data || {};
  const ids = d.inspector_ids || [];
  const index = ids.findIndex((/** @type {number} */ id) => id !== userId);
  return { id: record.id, enterprise_id: record.enterprise_id, enterprise_name: d.enterprise_name || "", title: d.title || "",
    due_date: d.due_date || null, names: (d.inspector_names || []).filter(Boolean), hazard_class: d.hazard_class || null,
    status: d.status || "assigned", mine: userId != null && ids.includes(userId),
    partner: index >= 0 && ids.includes(userId) ? { id: String(ids[index]), name: (d.inspector_names || [])[index] || "" } : null };
}

export async function homeModel() {
  const user = session.user();
  if (!user) return null;
  // Assignments are the server's, patients' files a register's (kept up to date, never drafts to hand in).
  const roots = (await db.rootRecords()).filter((r) => !r.deleted_local && !["assignment", ...REGISTER_ROOTS].includes(r.entity));
  const dirtyRoots = new Set((await db.recordsBy("dirty", 1)).map((r) => r.root_id));
  /** @type {Map<string, any>} */
  const enterprises = new Map();
  for (const id of new Set(roots.map((r) => r.enterprise_id).filter(Boolean))) {
    const enterprise = await db.getEnterprise(/** @type {string} */ (id));
    if (enterprise) enterprises.set(enterprise.id, enterprise);
  }
  const mine = roots.filter((r) => (r.owner_id ?? r.server?.created_by) === user.id);
  const item = (/** @type {any} */ r) => ({ id: r.id, entity: r.entity, ...summarise(r, enterprises),
    unsynced: dirtyRoots.has(r.id) });
  const conflicts = await db.openConflicts();
  const rejections = await db.openRejections();
  /** @type {any[]} */
  const recent = [];
  for (const r of roots) {
    const enterprise = r.enterprise_id && enterprises.get(r.enterprise_id);
    if (enterprise && !recent.includes(enterprise)) recent.push(enterprise);
    if (recent.length >= 6) break;
  }
  const inspected = new Set(roots.filter((r) => r.entity === "inspection").map((r) => r.enterprise_id));
  const assignments = user.roles.includes("inspector") ? (await db.recordsBy("entity", "assignment"))
    .map((r) => ({ ...assignmentView(r, user.id), inspected: inspected.has(r.enterprise_id) }))
    .filter((a) => a.mine && a.status === "assigned")
    .sort((a, b) => Number(a.inspected) - Number(b.inspected) || (a.due_date || "").localeCompare(b.due_date || "")) : [];
  return {
    user, flows: flowsFor(user.roles), assignments,
    drafts: mine.filter((r) => IN_PROGRESS.includes(item(r).state)).map(item),
    returned: mine.filter((r) => r.server?.review_status === "returned" && r.submit_state !== "waiting").map(item),
    submitted: mine.filter((r) => ["submitted", "resubmitted", "approved", "issued"].includes(item(r).state)).slice(0, 8).map(item),
    conflicts: conflicts.length, rejections: rejections.length, recent,
  };
}
