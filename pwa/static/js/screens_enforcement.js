// @ts-check
/**
 * Wiring of the enforcement screens — inspection (checklist, findings, preview, signatures, issuing),
 * re-inspection — and of issuing and labels where other screens show them. No logic and no DOM of its own.
 * @module screens_enforcement
 */
import * as documents from "./controllers/documents.js";
import { attachmentItems } from "./controllers/form.js";
import * as inspections from "./controllers/inspection.js";
import { reinspectionModel } from "./controllers/reinspection.js";
import * as visits from "./controllers/visit.js";
import * as formrules from "./formrules.js";
import { t } from "./i18n.js";
import { deleteRecord } from "./records.js";
import { prepareForm } from "./screen_forms.js";
import { renderMessage } from "./views/common.js";
import { renderChecklist, renderFindings, renderInspectionFrame } from "./views/inspection.js";
import { renderIssuePanel, renderIssueStep, savePdf } from "./views/issue.js";
import { renderLabelSheet } from "./views/labels.js";
import { renderPreviews } from "./views/notice.js";
import { renderReinspectionFrame, renderReinspectionItems } from "./views/reinspection.js";
import { renderChildFrame } from "./views/visit.js";

/** @typedef {import("./screens.js").Context} Context */

const INFO_FIELDS = ["inspection_date", "start_time", "end_time", "place", "officer_1_id", "officer_1_name", "officer_2_id",
  "officer_2_name", "summary"];
const SIGN_FIELDS = ["officer_1_signature", "officer_2_signature", "party_rep_name", "party_rep_title", "refused_to_sign",
  "party_signature", "witness_name", "witness_signature"];
const REINSPECTION_FIELDS = ["notice_number", "reinspection_date", "officer_1_id", "officer_1_name", "officer_2_id",
  "officer_2_name", "party_rep_name", "party_signature", "conclusion"];
const PREVIEWS = { inspection: ["supervision_opinion", "onsite_record"], reinspection: ["reinspection_opinion"] };

/** What the issue panel said last, per record (kept across the redraw that follows an issuance). */
const said = new Map();

/** @param {Context} ctx */
const failed = (ctx) => (/** @type {any} */ error) => {
  console.error(error);
  ctx.toast(t("save_failed"), "error");
};

/** @param {any} result */
function messageOf(result) {
  if (result.ok) return { kind: "info", text: t(result.mode === "online" ? "issued_online" : "issued_offline_number", { number: result.number }) };
  if (result.reason === "no_numbers") return { kind: "error", text: t("no_numbers_left", { year: result.year }) };
  if (result.reason === "uncertain") return { kind: "error", text: t("issue_uncertain") };
  const details = (result.details || []).slice(0, 5).map((/** @type {any} */ d) => d.message).filter(Boolean).join("；");
  return { kind: "error", text: `${result.message || t("issue_refused")}${details ? `：${details}` : ""}` };
}

/**
 * The issue panel of a record, ready to draw. @param {string} rootId @param {Context} ctx
 * @returns {Promise<(el: HTMLElement) => void>}
 */
export async function prepareIssue(rootId, ctx) {
  const model = await documents.issueModel(rootId);
  if (!model) return (el) => renderMessage(el, t("not_found"));
  return (el) => renderIssuePanel(el, { ...model, message: said.get(rootId) || null }, {
    issue: async (type) => {
      ctx.toast(t("issuing"));
      try {
        said.set(rootId, messageOf(await documents.issue(rootId, type)));
        const outcome = said.get(rootId);
        ctx.toast(outcome.text, outcome.kind === "error" ? "error" : "info");  // the outcome replaces 正在签发…
      } catch (error) {
        failed(ctx)(error);
      }
      ctx.refresh();
    },
    amend: async (type, originalId) => {
      ctx.toast(t("issuing"));
      try {
        said.set(rootId, messageOf(await documents.issue(rootId, type, originalId)));
        const outcome = said.get(rootId);
        ctx.toast(outcome.text, outcome.kind === "error" ? "error" : "info");  // the outcome replaces 正在签发…
      } catch (error) {
        failed(ctx)(error);
      }
      ctx.refresh();
    },
    pdf: async (d) => {
      const pdf = await documents.pdfOf(d.id).catch(failed(ctx));
      if (pdf) savePdf(pdf.bytes, `${d.number}.pdf`);
      else ctx.toast(t("pdf_offline"), "error");
      ctx.refresh();
    },
  });
}

/** Previews of the documents a record issues. @param {string} rootId @param {string[]} types */
async function preparePreviews(rootId, types) {
  /** @type {any[]} */
  const models = [];
  for (const type of types) models.push(await documents.previewModel(rootId, type));
  return (/** @type {HTMLElement} */ el) => renderPreviews(el, models.filter(Boolean));
}

/** @param {any} model @param {string} step @param {Context} ctx @returns {Promise<(el: HTMLElement) => void>} */
async function inspectionStep(model, step, ctx) {
  const id = model.root.id;
  // Officers are chosen from the agency's roster; an inspection of a 专项治理 campaign shows the campaign it serves.
  if (step === "info") return prepareForm(id, ctx, model.root.data.campaign_id ? ["campaign_id", ...INFO_FIELDS] : INFO_FIELDS);
  if (step === "checklist") {
    const thumbs = new Map();
    for (const result of model.results.values()) {
      if (["nonconform", "corrected_on_site"].includes(result.data.result)) thumbs.set(result.id, (await attachmentItems(result.id)).photos || []);
    }
    return (el) => renderChecklist(el, model, {
      result: (item, value) => inspections.setResult(id, item, value, () => confirm(t("confirm_drop_finding")))
        .then(ctx.refresh, failed(ctx)),
      note: (resultId, text) => { inspections.setNote(id, resultId, text).catch(failed(ctx)); },
      photo: (resultId, file) => {
        ctx.toast(t("processing"));
        inspections.photographResult(resultId, file).then(ctx.refresh, failed(ctx));
      },
      remove: (photoId) => { if (confirm(t("confirm_delete"))) deleteRecord(photoId).then(ctx.refresh, failed(ctx)); },
      photoField: model.def ? formrules.fieldSpec(model.def, "checklist_result", "photos") : { id: "photos", type: "photos" },
      thumbs: (resultId) => thumbs.get(resultId) || [],
    });
  }
  if (step === "findings") {
    return (el) => renderFindings(el, model, { add: async () => {
      const child = await inspections.addFinding(id);
      if (child) ctx.go(`#/inspection/${id}/finding/${child}`);
    } });
  }
  if (step === "notice") return preparePreviews(id, PREVIEWS.inspection);
  if (step === "sign") return prepareForm(id, ctx, SIGN_FIELDS);
  const drawPanel = await prepareIssue(id, ctx);
  const drawPreviews = await preparePreviews(id, PREVIEWS.inspection);
  return (el) => {
    const parts = renderIssueStep(el);
    drawPanel(parts.panel);
    drawPreviews(parts.preview);
  };
}

/** @param {import("./router.js").Route} route @param {Context} ctx */
export async function inspection(route, ctx) {
  const model = await inspections.inspectionModel(route.params.id);
  if (!model) return renderMessage(ctx.main, t("not_found"));
  ctx.setTitle(t("inspection_title"));
  if (model.editable) documents.topUpNumbers();
  const draw = await inspectionStep(model, route.params.step, ctx);
  draw(renderInspectionFrame(ctx.main, model, route.params.step));
}

/** One finding's form, between the previous and the next. @param {import("./router.js").Route} route @param {Context} ctx */
export async function inspectionFinding(route, ctx) {
  const model = await inspections.inspectionModel(route.params.id);
  if (!model) return renderMessage(ctx.main, t("not_found"));
  const list = model.findings.map((/** @type {any} */ f) => f.record.id);
  const index = list.indexOf(route.params.child);
  const at = (/** @type {number} */ i) => (list[i] ? `#/inspection/${model.root.id}/finding/${list[i]}` : null);
  const drawForm = await prepareForm(route.params.child, ctx);
  ctx.setTitle(t("inspection_title"));
  drawForm(renderChildFrame(renderInspectionFrame(ctx.main, model, "findings"), {
    title: `${t("finding")} ${index + 1}`, back: `#/inspection/${model.root.id}/findings`, prev: at(index - 1),
    next: at(index + 1), editable: model.editable,
  }, { remove: async () => {
    await deleteRecord(route.params.child);
    ctx.go(`#/inspection/${model.root.id}/findings`);
  } }));
}

/** @param {import("./router.js").Route} route @param {Context} ctx */
export async function reinspection(route, ctx) {
  const model = await reinspectionModel(route.params.id);
  if (!model) return renderMessage(ctx.main, t("not_found"));
  ctx.setTitle(t("reinspection_title"));
  const id = model.root.id;
  const step = route.params.step;
  if (step === "info") {
    const drawForm = await prepareForm(id, ctx, REINSPECTION_FIELDS);
    return drawForm(renderReinspectionFrame(ctx.main, model, step));
  }
  if (step === "items") {
    /** @type {((el: HTMLElement) => void)[]} */
    const draws = [];
    for (const entry of model.items) draws.push(await prepareForm(entry.record.id, ctx, ["result", "evidence_note", "photos"]));
    const slots = renderReinspectionItems(renderReinspectionFrame(ctx.main, model, step), model);
    slots.forEach((slot, i) => draws[i](slot.form));
    return undefined;
  }
  if (model.editable) documents.topUpNumbers();
  const drawPanel = await prepareIssue(id, ctx);
  const drawPreviews = await preparePreviews(id, PREVIEWS.reinspection);
  const parts = renderIssueStep(renderReinspectionFrame(ctx.main, model, step));
  drawPanel(parts.panel);
  drawPreviews(parts.preview);
  return undefined;
}

/** The printable label sheet of a visit (offline too). @param {import("./router.js").Route} route @param {Context} ctx */
export async function visitLabels(route, ctx) {
  const model = await visits.labelsModel(route.params.id);
  if (!model) return renderMessage(ctx.main, t("not_found"));
  ctx.setTitle(t("labels_title"));
  renderLabelSheet(ctx.main, { back: `#/visit/${route.params.id}/print`, labels: model.labels });
  return undefined;
}
