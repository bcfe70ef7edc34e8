// @ts-check
/**
 * An inspection (监督检查) on the tablet: the checklist that applies to the enterprise, computed here from the
 * pulled reference tables (no signal needed); one result per item; a nonconformity pre-fills its finding from
 * the item (citations, requirement, usual deadline), which the inspector edits. No DOM.
 * @module controllers/inspection
 */
import * as db from "../db.js";
import { UnknownCondition, enterpriseChecklist, findingDraft, resolveItems } from "../checklist.js";
import * as formstore from "../formstore.js";
import * as records from "../records.js";
import { isEditable, reviewState, sameValue } from "../replica.js";

const TABLES = ["checklist_items", "checklist_groups", "checklist_conditions", "hazard_factors", "law_articles",
  "campaign_checklists"];
/** @type {Promise<any>} */
let chain = Promise.resolve();
/**
 * One tap's changes after the other: a double tap with a glove must not make two results for one item.
 * @template T @param {() => Promise<T>} task @returns {Promise<T>}
 */
function inTurn(task) {
  const run = chain.then(task, task);
  chain = run.catch(() => undefined);
  return run;
}
const byCreation = (/** @type {any} */ a, /** @type {any} */ b) => a.created_local.localeCompare(b.created_local);

/** The reference tables the checklist is computed from (held in memory until a pull changes them). */
export async function checklistTables() {
  /** @type {Record<string, any[]>} */
  const tables = {};
  for (const table of TABLES) tables[table] = (await formstore.rowsOf(table)).map((row) => row.data);
  return /** @type {any} */ (tables);
}

/**
 * An enterprise's checklist (groups of applicable items), and every item by key for findings outside it.
 * @param {any} enterprise
 */
export async function checklistOf(enterprise, industry = null) {
  // Computed once per enterprise, hazards and campaign industry while the pulled tables stay the same (formstore
  // keeps one array per table until a pull changes it): reopening the checklist after each tap costs nothing here.
  const rows = await formstore.rowsOf("checklist_items");
  const key = `${enterprise.id}|${JSON.stringify(enterprise.declared_hazards || [])}|${industry || ""}`;
  if (computed.rows !== rows) {
    computed.rows = rows;
    computed.lists = new Map();
  }
  if (!computed.lists.has(key)) computed.lists.set(key, compute(enterprise, await checklistTables(), industry));
  return computed.lists.get(key);
}

/** @type {{rows: any[]|null, lists: Map<string, any>}} */
const computed = { rows: null, lists: new Map() };

/** @param {any} enterprise @param {any} tables @param {string|null} industry  the campaign's industry */
function compute(enterprise, tables, industry) {
  const all = new Map(resolveItems(tables.checklist_items, tables.law_articles).map((item) => [item.key, item]));
  const campaign = industry ? tables.campaign_checklists.find((/** @type {any} */ row) => row.key === industry) || null : null;
  try {
    return { ...enterpriseChecklist(enterprise, tables, { campaign }), all, error: null };
  } catch (error) {
    if (error instanceof UnknownCondition) return { groups: [], conditions: [], campaign: null, all, error: error.tokens };
    throw error;
  }
}

/**
 * Everything the inspection's screens show, or null when the record is not an inspection on this tablet.
 * @param {string} id
 */
export async function inspectionModel(id) {
  const root = await db.getRecord(id);
  if (!root || root.entity !== "inspection" || root.deleted_local) return null;
  const tree = (await db.recordsBy("root_id", id)).filter((r) => !r.deleted_local);
  const enterprise = root.enterprise_id ? await db.getEnterprise(root.enterprise_id) : null;
  // An inspection of a 专项治理 campaign checks the industry's focus items too (reference table campaign_checklists).
  const campaign = root.data.campaign_id ? await db.getRecord(root.data.campaign_id) : null;
  const list = await checklistOf(enterprise || { id: root.enterprise_id, declared_hazards: [] }, campaign?.data?.industry || null);
  /** @type {Map<string, any>} */
  const items = new Map();
  for (const group of list.groups) for (const item of group.items) items.set(item.key, item);
  /** @type {Map<string|null, any[]>} attachments per parent record */
  const attachments = new Map();
  for (const a of tree.filter((r) => r.entity === "attachment")) {
    attachments.set(a.parent_id, [...(attachments.get(a.parent_id) || []), a]);
  }
  const results = new Map(tree.filter((r) => r.entity === "checklist_result").sort(byCreation)
    .map((r) => [r.data.item_key, r]));
  const findings = tree.filter((r) => r.entity === "finding").sort(byCreation).map((f) => ({ record: f,
    item: list.all.get(f.data.item_key) || null, photos: (attachments.get(f.id) || []).filter((a) => a.data.field === "photos").length,
    problems: (f.problems || []).length }));
  const answered = [...items.keys()].filter((key) => results.get(key)?.data.result).length;
  return { root, enterprise, groups: list.groups, conditions: list.conditions, unknown: list.error, items, results,
    campaign: list.campaign ? { ...list.campaign, name: campaign?.data?.campaign_name || "" } : null,
    findings, attachments, editable: isEditable(root), state: reviewState(root),
    unsynced: tree.some((r) => r.dirty === 1), progress: { answered, total: items.size },
    def: formstore.definition(root.form_id, root.form_version) };
}

/** The finding a nonconform item made, if any. @param {string} rootId @param {string} itemKey */
async function findingOf(rootId, itemKey) {
  return (await db.recordsBy("root_id", rootId)).find((r) => r.entity === "finding" && !r.deleted_local &&
    r.data.item_key === itemKey) || null;
}

/**
 * Whether a finding is still exactly what its item pre-filled (no edits, no photos).
 * @param {any} finding @param {any} item @param {string|null} note @param {string|null} day  the inspection date
 */
async function pristine(finding, item, note, day) {
  const draft = findingDraft(item, note, day);
  const same = Object.entries(draft).every(([k, v]) => sameValue(finding.data[k], v));
  return same && !Object.keys(await records.attachmentsOf(finding.id)).length;
}

/** @param {Record<string, any>} data */
const withoutEmpty = (data) => Object.fromEntries(Object.entries(data).filter(([, v]) => v != null && v !== ""));

/**
 * The inspector's answer for one item. Nonconform pre-fills a finding (once); leaving nonconform removes
 * the pre-filled finding unless it was edited or photographed — then `confirmDrop` decides.
 * @param {string} rootId @param {any} item  resolved checklist item @param {string} value
 * @param {() => boolean} confirmDrop
 * @returns {Promise<boolean>} false when the change was not made
 */
export function setResult(rootId, item, value, confirmDrop) {
  return inTurn(() => setResultNow(rootId, item, value, confirmDrop));
}

/** @param {string} rootId @param {any} item @param {string} value @param {() => boolean} confirmDrop */
async function setResultNow(rootId, item, value, confirmDrop) {
  const root = await db.getRecord(rootId);
  if (!root) return false;
  const result = (await db.recordsBy("root_id", rootId)).find((r) => r.entity === "checklist_result" && !r.deleted_local &&
    r.data.item_key === item.key);
  const note = result?.data.note || null;
  const finding = await findingOf(rootId, item.key);
  if (value !== "nonconform" && finding) {
    if (!(await pristine(finding, item, note, root.data.inspection_date)) && !confirmDrop()) return false;
    await records.deleteRecord(finding.id);
  }
  if (result) await records.saveFields(result.id, { result: value });
  else await records.createChild(root, "checklist_result", { item_key: item.key, result: value });
  if (value === "nonconform" && !finding) {
    await records.createChild(root, "finding", withoutEmpty(findingDraft(item, note, root.data.inspection_date)));
  }
  return true;
}

/**
 * The note of a result; the finding's fact follows it while the inspector has not written a fact of its own.
 * @param {string} rootId @param {string} resultId @param {string|null} note
 */
export function setNote(rootId, resultId, note) {
  return inTurn(async () => {
    const result = await db.getRecord(resultId);
    if (!result) return;
    const before = result.data.note || null;
    await records.saveFields(resultId, { note });
    const finding = await findingOf(rootId, result.data.item_key);
    if (finding && (finding.data.fact == null || finding.data.fact === before)) {
      await records.saveFields(finding.id, { fact: note });
    }
  });
}

/** A finding not tied to an answered item (the inspector picks the item in its form). @param {string} rootId */
export function addFinding(rootId) {
  return inTurn(async () => {
    const root = await db.getRecord(rootId);
    return root ? (await records.createChild(root, "finding", {})).id : null;
  });
}

/** A photo of what was seen at a checklist item. @param {string} resultId @param {File} file */
export async function photographResult(resultId, file) {
  const result = await db.getRecord(resultId);
  if (!result) return;
  const { processPhoto } = await import("../media.js");
  await records.attach(result, "photos", await processPhoto(file), "photo");
}
