// @ts-check
/**
 * Enterprise search (offline, from the local replica) and the enterprise page with its history.
 * No DOM.
 * @module controllers/enterprises
 */
import * as api from "../api.js";
import * as clock from "../clock.js";
import * as db from "../db.js";
import { flowById, flowsFor, initialData, routeOf } from "../flows.js";
import * as formstore from "../formstore.js";
import { documentsWithStatus, pdfOf } from "../issuing.js";
import * as records from "../records.js";
import * as search from "../search.js";
import * as session from "../session.js";
import { summarise } from "../summaries.js";
import { assignmentView } from "./home.js";
import { rectificationsOf, startReinspection } from "./reinspection.js";

/** Records that are not a worker's history: made by the server for the enterprise. */
const SERVER_MADE = ["assignment", "rectification_item"];

/**
 * The enterprise's 职业病危害项目申报 as of a business date (YYYY-MM-DD): undeclared with no date on file, overdue once
 * the next due date the server set (domain/declarations.py) has passed, declared otherwise.
 * @param {any} e  the enterprise as the replica holds it @param {string} today
 * @returns {{status: "undeclared"|"declared"|"overdue", first: string|null, latest: string|null, due: string|null}}
 */
export function declarationOf(e, today) {
  const first = e.first_declared_on || null;
  const latest = [first, e.last_declared_on || null].filter(Boolean).sort().pop() || null;
  const due = e.declaration_due_on || null;
  const status = !latest ? "undeclared" : due && due < today ? "overdue" : "declared";
  return { status, first, latest, due };
}

/** @param {string} query */
export function searchEnterprises(query) {
  return search.search(query, 60);
}

/** @param {string} id */
export async function enterpriseModel(id) {
  const enterprise = await db.getEnterprise(id);
  if (!enterprise) return null;
  const user = session.user();
  const enterprises = new Map([[enterprise.id, enterprise]]);
  const all = await db.recordsBy("enterprise_id", id);
  const history = all.filter((r) => !r.parent_id && !r.deleted_local && !SERVER_MADE.includes(r.entity))
    .map((r) => ({ id: r.id, entity: r.entity, route: routeOf(r), form_title: formstore.formTitle(r.form_id, "zh"),
      form_id: r.form_id, ...summarise(r, enterprises) }))
    .sort((a, b) => (b.subtitle || "").localeCompare(a.subtitle || ""));
  const flows = flowsFor(user?.roles || []).filter((f) => f.needs_enterprise);
  const assignments = all.filter((r) => r.entity === "assignment" && !r.server?.deleted)
    .map((r) => assignmentView(r, user?.id ?? null)).sort((a, b) => (a.due_date || "").localeCompare(b.due_date || ""));
  return { enterprise, history, flows, declaration: declarationOf(enterprise, clock.today()),
    documents: await documentsWithStatus({ enterpriseId: id }),
    rectifications: await rectificationsOf(id), assignments,
    inspector: Boolean(user?.roles.includes("inspector") || user?.roles.includes("admin")) };
}

/**
 * The enterprise's older records from the server (a tablet holds its working set: open work and the last months),
 * kept on this tablet so that they stay readable offline. Returns how many record trees the server holds.
 * @param {string} id
 */
export async function loadHistory(id) {
  const body = await api.get(`/api/enterprises/${encodeURIComponent(id)}/history`);
  await db.applyHistory(body.records || []);
  return Number(body.count) || 0;
}

/**
 * Start a record of a flow (at an enterprise, when the flow needs one); returns the route to open. `extra`: fields
 * the start gives (an inspection of a campaign names the campaign).
 * @param {string} flowId @param {string|null} enterpriseId @param {Record<string, any>} [extra]
 */
export async function startFlow(flowId, enterpriseId, extra = {}) {
  const flow = flowById(flowId);
  const user = session.user();
  if (!flow || !flow.available || !user) return null;
  if (!formstore.currentVersion(flow.form_id)) throw new Error("form_missing");
  const enterprise = enterpriseId ? await db.getEnterprise(enterpriseId) : null;
  // The colleague of this enterprise's 双随机 assignment is the second officer.
  const assignment = enterpriseId && flow.id === "inspection" ? (await db.recordsBy("enterprise_id", enterpriseId))
    .filter((r) => r.entity === "assignment").map((r) => assignmentView(r, user.id)).find((a) => a.mine) : null;
  const data = initialData(flow, { enterpriseId, displayName: user.display_name, userId: user.id,
    place: enterprise?.address || null, partner: assignment?.partner || null, roster: await formstore.officers() });
  const record = await records.createRoot(flow.form_id, flow.entity,
    Object.fromEntries(Object.entries({ ...data, ...extra }).filter(([, v]) => v != null)));
  return routeOf(record);
}

/** Start the re-inspection of a notice's open items; returns the route. @param {string} enterpriseId @param {string} documentId */
export const reinspect = (enterpriseId, documentId) => startReinspection(enterpriseId, documentId);

/** A document's PDF (kept on the tablet, or downloaded now). @param {string} documentId */
export { pdfOf };
