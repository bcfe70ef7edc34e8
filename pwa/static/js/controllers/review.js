// @ts-check
/**
 * The supervisor's review, online (the queue is controllers/queue.js): one record with everything the field saw
 * (answers by the form's labels, children, photos, the evaluation with the limits used, documents, who changed
 * what from which device), and the decision — approving locks the record, returning sends the comment to the
 * device through sync. No DOM.
 * @module controllers/review
 */
import * as api from "../api.js";
import { entityFields, entitySpec, isAttachment } from "../forms/index.js";
import * as formstore from "../formstore.js";
import { label, lang, t } from "../i18n.js";
import * as session from "../session.js";
import { formatValue } from "../summaries.js";

/** Reference names (hazards, methods) by key, for showing a stored key as a person reads it. @param {string} table */
async function namesOf(table) {
  return new Map((await formstore.referenceOptions(table)).map((o) => [o.key, o]));
}

/** @param {any} value */
const plain = (value) => (value == null || value === "" ? null : typeof value === "object" ? JSON.stringify(value) : String(value));

/**
 * A record's answers by its form's sections and labels (unknown keys after them, as stored).
 * @param {any} def @param {string} entity @param {any} row  {data, computed} @param {{all: boolean, enterprise?: string|null}} how
 */
async function answersOf(def, entity, row, how) {
  const data = row.data || {};
  /** @type {{id: string, section: string, label: string, value: string|null}[]} */
  const answers = [];
  const known = new Set();
  let spec = null;
  try {
    spec = def ? entitySpec(def, entity) : null;
  } catch {
    spec = null; // a kind this form version does not describe: shown as stored
  }
  const fields = spec ? entityFields(spec) : [];
  // An officer reads as the name kept with the choice, never as the user's id.
  const named = new Set(fields.map(([field]) => field.type === "officer" && field.name_field).filter(Boolean));
  for (const [field, section] of fields) {
    known.add(field.id);
    if (isAttachment(field) || named.has(field.id)) continue;
    const raw = field.type === "computed" ? row.computed?.fields?.[field.id] : data[field.id];
    const names = field.type === "reference" ? await namesOf(field.table) : undefined;
    const value = field.type === "enterprise" ? how.enterprise || plain(raw)
      : field.type === "register" ? registerShown(raw, data)
      : field.type === "officer" ? plain(data[field.name_field]) ?? (raw ? t("officer_unnamed") : null)
        : formatValue(field, raw, lang(), names);
    if (value != null || how.all) answers.push({ id: field.id, section: label(section), label: label(field), value });
  }
  for (const [key, raw] of Object.entries(data)) {
    if (!known.has(key) && plain(raw) != null) answers.push({ id: key, section: "", label: key, value: plain(raw) });
  }
  return answers;
}

/**
 * A register's record named by a field (a follow-up's patient file) as people know it: the name and case number
 * the record carries, never the file's id. @param {any} raw @param {Record<string, any>} data
 */
function registerShown(raw, data) {
  if (!raw) return null;
  return data.patient_name ? `${data.patient_name}（${data.case_no || "—"}）` : t("register_linked");
}

/** What a child is recognised by: a sample's code, a post, a finding's fact. @param {any} child */
function childTitle(child) {
  const d = child.data || {};
  return [d.sample_code, d.post, d.fact, d.name, d.workshop].find((v) => v) || "";
}

/** A field of some entity of the form, or null. @param {any} def @param {string} entity @param {string} id */
function fieldOf(def, entity, id) {
  try {
    return (def ? entityFields(entitySpec(def, entity)).find(([field]) => field.id === id)?.[0] : null) || null;
  } catch {
    return null;
  }
}

/** The label of a field of some entity of the form. @param {any} def @param {string} entity @param {string} id */
function fieldLabel(def, entity, id) {
  const found = fieldOf(def, entity, id);
  return found ? label(found) : id;
}

/** @param {any} def @param {string} entity */
function entityName(def, entity) {
  try {
    return def ? label(entitySpec(def, entity)) : entity;
  } catch {
    return entity;
  }
}

/**
 * One change of the history as people read it: which part of the record, and the values by their labels (a photo
 * by its field, a decision by its comment; hashes and review states are not for reading).
 * @param {any} change @param {{def: any, root: string, entities: Map<string, string>, titles: Map<string, string>,
 *   attachments: Map<string, string>}} names
 */
async function historyLine(change, names) {
  const entity = names.entities.get(change.record_id) || "";
  if (entity === "attachment") return { ...change, target: names.attachments.get(change.record_id) || "", fields: [] };
  // An officer's id travels with their name: the name says who was chosen.
  // Only what the form names: other keys (ids, numbers the server keeps for itself) are for machines.
  const fields = [];
  for (const [key, value] of Object.entries(change.fields || {})) {
    if (key === "comment") {
      fields.push({ label: t("review_comment"), value: plain(value) });
      continue;
    }
    const field = fieldOf(names.def, entity, key);
    if (!field || field.type === "officer" || isAttachment(field)) continue;
    // A choice or a reference key reads as its label (男, 矽肺, 噪声), as in the answers.
    const shown = field.type === "reference" ? await namesOf(field.table) : undefined;
    fields.push({ label: label(field), value: ["enterprise", "register"].includes(field.type) ? null
      : formatValue(field, value, lang(), shown) });
  }
  const kept = fields.filter((f) => f.value != null || change.op === "update");
  return { ...change, fields: kept,
    target: change.record_id === names.root ? "" : names.titles.get(change.record_id) || entityName(names.def, entity) };
}

/** What a record is recognised by: its enterprise, or the patient of a follow-up. @param {any} record */
function titleOf(record) {
  const d = record.data || {};
  return record.enterprise_name || [d.patient_name, d.case_no].filter(Boolean).join(" · ") || record.record_date || "";
}

/** One record with everything the field saw, ready to draw. @param {string} id */
export async function recordModel(id) {
  const detail = await api.get(`/api/records/${encodeURIComponent(id)}`);
  const record = detail.record;
  const def = formstore.definition(record.form_id, record.form_version);
  const live = detail.children.filter((/** @type {any} */ c) => !c.deleted);
  const children = [];
  for (const child of live.filter((/** @type {any} */ c) => c.entity !== "attachment")) {
    children.push({ id: child.id, entity: child.entity, kind: entityName(def, child.entity), title: childTitle(child),
      answers: await answersOf(def, child.entity, child, { all: false }) });
  }
  const entities = new Map([[record.id, record.entity], ...detail.children.map((/** @type {any} */ c) => [c.id, c.entity])]);
  const titles = new Map(children.map((c) => [c.id, `${c.kind} ${c.title}`.trim()]));
  const photos = live.filter((/** @type {any} */ c) => c.entity === "attachment").map((/** @type {any} */ c) => ({
    id: c.id, sha256: c.data.sha256, mime: c.data.mime, uploaded: c.computed?.uploaded !== false,
    field: fieldLabel(def, entities.get(c.parent_id) || record.entity, c.data.field),
    owner: c.parent_id === record.id ? "" : titles.get(c.parent_id) || "" }));
  const historyNames = { def, root: record.id, entities, titles,
    attachments: new Map(photos.map((/** @type {any} */ p) => [p.id, [p.owner, p.field].filter(Boolean).join(" · ")])) };
  const history = await Promise.all(detail.history.map((/** @type {any} */ change) => historyLine(change, historyNames)));
  return {
    record, title: titleOf(record), def: Boolean(def), formTitle: record.form_id ? formstore.formTitle(record.form_id, lang()) : "", answers: await answersOf(def, record.entity, record, { all: true, enterprise: record.enterprise_name }),
    children, photos, history, documents: detail.documents,
    conflicts: detail.conflicts.filter((/** @type {any} */ c) => c.status === "open"),
    evaluation: record.computed?.evaluation?.groups ? record.computed.evaluation : null,
    evaluationProblem: record.computed?.evaluation?.status === "not_evaluated" ? record.computed.evaluation : null,
    hazardNames: await namesOf("oel_limits"),
    amendment: (record.computed?.pending_amendment || []).map((/** @type {any} */ p) => {
      const field = fieldOf(def, p.entity, p.field);
      return { field: p.field, label: field ? label(field) : p.field,
        shown: formatValue(field, p.shown, lang(), new Map()), value: formatValue(field, p.value, lang(), new Map()) };
    }),
    canReview: (record.actions || []).includes("approve"),
  };
}

/** A photo's thumbnail bytes, or null while it has not reached the server. @param {string} sha256 */
export async function thumbnail(sha256) {
  try {
    return await api.request("GET", `/api/blobs/${sha256}?variant=thumb`, { binary: true });
  } catch (error) {
    if (/** @type {any} */ (error).status === 404) return null;
    throw error;
  }
}

/** A document's PDF from the server. @param {string} documentId */
export const documentPdf = (documentId) => api.request("GET", `/api/documents/${documentId}/pdf`, { binary: true });

/**
 * Approve (locks the record and its children) or return it with a comment for the field worker.
 * @param {string} id @param {"approve"|"return"} action @param {string|null} comment
 */
export function decide(id, action, comment) {
  return api.post(`/api/records/${encodeURIComponent(id)}/review`, { action, comment: comment || null });
}
