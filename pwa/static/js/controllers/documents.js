// @ts-check
/**
 * Documents of a record on the tablet: the preview of what will be issued (the server's wording, marked as a
 * preview), issuing it online or from the reserved numbers, and the PDFs. No DOM.
 * @module controllers/documents
 */
import { ApiError, isOnline } from "../api.js";
import * as db from "../db.js";
import * as formstore from "../formstore.js";
import * as issuing from "../issuing.js";
import * as notice from "../notice.js";
import { typesOf } from "../numbering.js";
import { NoNumbers } from "../records.js";
import * as session from "../session.js";
import { fieldReader, conflictsModel } from "./conflicts.js";
import { attachmentItems } from "./form.js";
import { inspectionModel } from "./inspection.js";
import { submitCheck } from "./submit.js";

/** @param {any} enterprise */
function partyOf(enterprise) {
  const e = enterprise || {};
  return { name: e.name || "", credit_code: e.credit_code || "", address: e.address || "",
    legal_representative: e.legal_representative || "", contact_name: e.contact_name || "", contact_phone: e.contact_phone || "" };
}

/**
 * The officers as documents print them: the names kept on the record, each 执法证号 from the agency's roster the
 * last pull brought (so both print offline), the signed-in officer's own from the session.
 * @param {any} data
 */
async function officersOf(data) {
  const me = session.user();
  const roster = await formstore.officers();
  return ["officer_1", "officer_2"].filter((slot) => data[`${slot}_name`]).map((slot) => {
    const id = String(data[`${slot}_id`] ?? "");
    const listed = roster.find((o) => String(o.id) === id);
    return { name: data[`${slot}_name`],
      cert_no: listed?.cert_no || (me && String(me.id) === id ? me.enforcement_cert_no || "" : "") };
  });
}

/** The newest document of a type issued from a record (not a refused one). @param {any[]} documents @param {string} docType */
const current = (documents, docType) => documents.find((d) => d.doc_type === docType && d.status !== "rejected") || null;

/** Signatures and photos, as the thumbnails kept on the tablet. @param {string} recordId */
async function images(recordId) {
  const items = await attachmentItems(recordId);
  const last = (/** @type {string} */ field) => (items[field] || []).slice(-1)[0] || null;
  return { officers: [last("officer_1_signature"), last("officer_2_signature")], party: last("party_signature"),
    witness: last("witness_signature"), escort: last("escort_signature"), enterprise: last("enterprise_signature") };
}

/**
 * The preview of a document of an inspection or a re-inspection, laid out like the server's template.
 * @param {string} rootId @param {string} docType
 */
export async function previewModel(rootId, docType) {
  const root = await db.getRecord(rootId);
  if (!root) return null;
  const enterprise = root.enterprise_id ? await db.getEnterprise(root.enterprise_id) : null;
  const documents = await issuing.documentsWithStatus({ recordId: rootId });
  const agency = (await issuing.agencyInfo())?.name || "";
  const d = root.data;
  const base = { doc_type: docType, number: current(documents, docType)?.number || null, agency, party: partyOf(enterprise),
    officers: await officersOf(d), signatures: await images(rootId), party_rep: { name: d.party_rep_name || "",
      title: d.party_rep_title || "", refused: Boolean(d.refused_to_sign), witness: d.witness_name || "" },
    signed_on: notice.dateZh(d.inspection_date || d.reinspection_date), photos: /** @type {any[]} */ ([]) };
  if (docType === "reinspection_opinion") return { ...base, ...(await reinspectionPart(root)) };
  const model = await inspectionModel(rootId);
  if (!model) return null;
  for (const finding of model.findings) {
    for (const photo of (await attachmentItems(finding.record.id)).photos || []) {
      base.photos.push({ ...photo, caption: String(finding.record.data.fact || "").slice(0, 40) });
    }
  }
  if (docType === "onsite_record") return { ...base, ...onsitePart(model) };
  const findings = model.findings.map((f, index) => ({ number: index + 1, text: notice.findingText({ fact: f.record.data.fact,
    violated_citation: f.record.data.violated_article, penalty_citation: f.record.data.penalty_article,
    requirement: f.record.data.requirement, deadline: notice.deadlineOf(f.record.data, d.inspection_date) }) }));
  return { ...base, inspection_date: notice.dateZh(d.inspection_date), findings, report_within_days: 5,
    self: notice.selfReference(agency) };
}

/** 现场笔录: time span, place, what was seen at each nonconform item, the party's statement. @param {any} model */
function onsitePart(model) {
  const d = model.root.data;
  const observations = [];
  for (const [key, result] of model.results) {
    const note = String(result.data.note || "").trim();
    if (!["nonconform", "corrected_on_site"].includes(result.data.result) || !note) continue;
    const title = model.items.get(key)?.title_zh || key;
    observations.push(`${title}：${note}${result.data.result === "corrected_on_site" ? "（现场已改正）" : ""}`);
  }
  if (d.summary) observations.push(d.summary);
  return { period: notice.periodZh(d.inspection_date, d.start_time, d.end_time), place: d.place || "",
    recorder: d.officer_1_name || "", notification: notice.NOTIFICATION, observations,
    statement: d.refused_to_sign ? notice.REFUSED_STATEMENT : notice.PARTY_STATEMENT };
}

/** 复查意见书: each re-inspected item of the earlier notice with its result. @param {any} root */
async function reinspectionPart(root) {
  const children = (await db.recordsBy("root_id", root.id)).filter((r) => r.entity === "reinspection_item" && !r.deleted_local)
    .sort((a, b) => a.created_local.localeCompare(b.created_local));
  const items = [];
  for (const child of children) {
    const target = await db.getRecord(child.data.rectification_item_id || "");
    items.push({ number: items.length + 1, fact: target?.data.fact || "", requirement: target?.data.requirement || "",
      deadline: target?.data.deadline ? `${notice.dateZh(target.data.deadline)}前` : "立即改正",
      result: /** @type {Record<string, string>} */ (notice.RESULTS_ZH)[child.data.result] || "", evidence: child.data.evidence_note || "" });
  }
  const original = root.data.notice_document_id ? await db.getDocument(root.data.notice_document_id) : null;
  const agency = (await issuing.agencyInfo())?.name || "";
  return { original: { number: root.data.notice_number || original?.number || "", issued_on: notice.dateZh(original?.issued_at) },
    reinspection_date: notice.dateZh(root.data.reinspection_date), items, conclusion: root.data.conclusion || "",
    self: notice.selfReference(agency) };
}

/**
 * The issue panel of a record: per document type its current document (number, state, PDF kept), what the
 * record still lacks (the same complete check the server makes) and the numbers left on the tablet.
 * @param {string} rootId
 */
export async function issueModel(rootId) {
  const root = await db.getRecord(rootId);
  if (!root) return null;
  const documents = await issuing.documentsWithStatus({ recordId: rootId });
  const check = await submitCheck(rootId);
  const left = await issuing.numbersLeft();
  return { root, online: isOnline(), problems: check.items, types: typesOf(root.entity).map((type) => ({ type, left: left[type] ?? 0,
    document: current(documents, type), rejected: documents.find((d) => d.doc_type === type && d.status === "rejected") || null })),
  documents, conflicts: (await conflictsModel(rootId)).items, amendment: await amendmentOf(root, documents) };
}

/**
 * What a conflict settled after issuance changed (DESIGN §7): each field as the issued document shows it and as
 * settled, and the valid documents a 更正 would supersede. Null when nothing waits for a correction.
 * @param {any} root @param {any[]} documents
 */
async function amendmentOf(root, documents) {
  const pending = root.server?.computed?.pending_amendment || [];
  if (!pending.length) return null;
  const changes = [];
  for (const p of pending) {
    const record = await db.getRecord(p.record_id);
    const reader = await fieldReader(record, p.field);
    changes.push({ field: p.field, label: reader.label, shown: reader.format(p.shown), value: reader.format(p.value) });
  }
  return { changes, originals: documents.filter((d) => d.status === "valid") };
}

/**
 * Issue a document; returns what the user is told: the number and whether it was issued offline, or the
 * problems (the server's INCOMPLETE details), or that no numbers are left.
 * @param {string} rootId @param {string} docType @param {string|null} [amendsId]  the document a 更正 supersedes
 */
export async function issue(rootId, docType, amendsId = null) {
  try {
    const { doc, mode } = await issuing.issue(rootId, docType, amendsId);
    return { ok: true, number: doc.number, mode };
  } catch (error) {
    if (error instanceof NoNumbers) return { ok: false, reason: "no_numbers", year: error.year };
    if (error instanceof ApiError) return { ok: false, reason: error.transient ? "uncertain" : "refused", message: error.message,
      details: error.details || [] };
    throw error;
  }
}

/** A document's PDF for the view to hand out, or null (offline without a kept copy). @param {string} documentId */
export const pdfOf = (documentId) => issuing.pdfOf(documentId);

/** Top the number blocks up while the server can be reached (opening an inspection does this). */
export function topUpNumbers() {
  if (isOnline()) issuing.ensureBlocks().catch(() => undefined); // offline: the last sync's blocks are what there is
}
