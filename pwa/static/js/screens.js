// @ts-check
/**
 * Wiring of each screen: a controller's model into a view, the view's events into controller actions.
 * Part of app.js's job, kept apart for size; no logic of its own and no DOM of its own.
 * @module screens
 */
import * as conflicts from "./controllers/conflicts.js";
import * as enterprises from "./controllers/enterprises.js";
import { partsModel, addPart } from "./controllers/file_parts.js";
import { loadForm } from "./controllers/form.js";
import * as status from "./controllers/status.js";
import * as visits from "./controllers/visit.js";
import { REGISTER_ROOTS, flowById, flowOfEntity, routeOf } from "./flows.js";
import { entityLabel } from "./formrules.js";
import * as formstore from "./formstore.js";
import { lang, t } from "./i18n.js";
import * as records from "./records.js";
import { reviewState } from "./replica.js";
import { prepareForm, prepareSubmit } from "./screen_forms.js";
import { prepareIssue } from "./screens_enforcement.js";

export { inspection, inspectionFinding, reinspection, visitLabels } from "./screens_enforcement.js";
import { summarise } from "./summaries.js";
import * as sync from "./sync.js";
import { messageOf, renderMessage } from "./views/common.js";
import { renderConflicts } from "./views/conflicts.js";
import { renderEnterprise, renderSearch } from "./views/enterprises.js";
import { renderEvaluation } from "./views/evaluation.js";
import { renderFileParts } from "./views/file_parts.js";
import { savePdf } from "./views/issue.js";
import { renderPrintStep } from "./views/labels.js";
import { renderRecordFrame } from "./views/record.js";
import { renderStatus } from "./views/status.js";
import { typesOf } from "./numbering.js";
import { signatureDialog } from "./views/signature.js";
import { renderChildFrame, renderHandover, renderNoiseList, renderSampleList, renderVisitFrame } from "./views/visit.js";

/**
 * @typedef {{main: HTMLElement, go: (hash: string) => void, refresh: () => void, toast: (text: string, kind?: "info"|"error") => void,
 *   dialog: (build: (close: () => void) => HTMLElement) => () => void, setTitle: (text: string) => void,
 *   setLang: (l: "zh"|"en") => void, logout: () => void}} Context
 */

/** Start a flow: flows at an enterprise pick one first. @param {any} flow @param {string|null} enterpriseId @param {Context} ctx */
export async function start(flow, enterpriseId, ctx) {
  if (flow.needs_enterprise && !enterpriseId) {
    ctx.go(`#/enterprises?start=${flow.id}`);
    return;
  }
  try {
    const route = await enterprises.startFlow(flow.id, enterpriseId);
    if (route) ctx.go(route);
  } catch (error) {
    ctx.toast(String(error).includes("form_missing") ? t("form_missing") : t("save_failed"), "error");
  }
}

/** @param {import("./router.js").Route} route @param {Context} ctx */
export async function enterpriseSearch(route, ctx) {
  ctx.setTitle(t("nav_enterprises"));
  const flow = route.query.get("start") ? flowById(/** @type {string} */ (route.query.get("start"))) : null;
  const all = await enterprises.searchEnterprises("");
  renderSearch(ctx.main, { query: route.query.get("q") || "", picking: flow ? t(/** @type {any} */ (flow.label)) : null,
    empty: all.total === 0 }, {
    search: enterprises.searchEnterprises,
    open: (e) => (flow ? start(flow, e.id, ctx) : ctx.go(`#/enterprise/${e.id}`)),
  });
}

/** @param {import("./router.js").Route} route @param {Context} ctx */
export async function enterprisePage(route, ctx) {
  const model = await enterprises.enterpriseModel(route.params.id);
  if (!model) return renderMessage(ctx.main, t("not_found"));
  ctx.setTitle(model.enterprise.name);
  for (const item of model.history) item.form_title = formstore.formTitle(item.form_id, lang());
  // Declared hazards are keys of the hazard-factor table (noise, heat… are not in the OEL table).
  const names = new Map([...(await visits.hazardNames()),
    ...(await formstore.referenceOptions("hazard_factors")).map((o) => /** @type {const} */ ([o.key, o]))]);
  const failed = (/** @type {any} */ error) => ctx.toast(String(error).includes("form_missing") ? t("form_missing") : t("save_failed"), "error");
  renderEnterprise(ctx.main, model, { start: (flow) => start(flow, model.enterprise.id, ctx),
    hazardName: (key) => { const n = names.get(key); return n ? (lang() === "en" ? n.en : n.zh) : key; },
    reinspect: (documentId) => enterprises.reinspect(model.enterprise.id, documentId).then((r) => r && ctx.go(r), failed),
    older: async () => {
      ctx.toast(t("history_loading"));
      try {
        const count = await enterprises.loadHistory(model.enterprise.id);
        ctx.toast(t("history_loaded", { n: count }));
        ctx.refresh();
      } catch {
        ctx.toast(t("history_offline"), "error");
      }
    },
    pdf: async (d) => {
      const pdf = await enterprises.pdfOf(d.id).catch(failed);
      if (pdf) savePdf(pdf.bytes, `${d.number}.pdf`);
      else ctx.toast(t("pdf_offline"), "error");
      ctx.refresh();
    } });
}

/**
 * What a step of the visit shows, loaded before anything is drawn.
 * @param {import("./router.js").Route} route @param {any} model @param {string} step @param {Context} ctx
 * @returns {Promise<(el: HTMLElement) => void>}
 */
async function prepareStep(route, model, step, ctx) {
  const id = model.visit.id;
  if (route.name === "visit_child") {
    const childKind = route.params.kind;
    const list = childKind === "sample" ? model.samples : model.noise;
    const index = list.findIndex((/** @type {any} */ item) => item.id === route.params.child);
    const at = (/** @type {number} */ i) => (list[i] ? `#/visit/${id}/${childKind}/${list[i].id}` : null);
    const drawForm = await prepareForm(route.params.child, ctx);
    return (el) => drawForm(renderChildFrame(el, {
      title: childKind === "sample" ? `${t("sample")} ${list[index]?.code || ""}` : `${t("noise_result")} ${list[index]?.post || ""}`,
      back: `#/visit/${id}/${step}`, prev: at(index - 1), next: at(index + 1), editable: model.editable,
    }, { remove: async () => {
      await records.deleteRecord(route.params.child);
      ctx.go(`#/visit/${id}/${step}`);
    } }));
  }
  if (step === "header") return prepareForm(id, ctx);
  if (step === "samples") {
    return (el) => renderSampleList(el, model, { add: async (kind) => {
      const child = await visits.addSample(id, kind);
      if (child) ctx.go(`#/visit/${id}/sample/${child}`);
    } });
  }
  if (step === "noise") {
    return (el) => renderNoiseList(el, model, { add: async () => {
      const child = await visits.addNoise(id);
      if (child) ctx.go(`#/visit/${id}/noise/${child}`);
    } });
  }
  if (step === "print") {
    const drawIssue = await prepareIssue(id, ctx);
    return (el) => drawIssue(renderPrintStep(el, { visitId: id, samples: model.samples.length, online: visits.online() }, {
      pdf: async (layout) => {
        try {
          savePdf(await visits.labelsPdf(id, layout), `labels-${model.visit.data.task_no || id}.pdf`);
        } catch (error) {
          ctx.toast(`${t("labels_pdf_failed")}：${/** @type {any} */ (error).message || error}`, "error");
        }
      },
    }));
  }
  if (step === "handover") return prepareHandover(model, ctx);
  if (step === "evaluation") {
    const data = await visits.evaluationModel(id);
    const draw = (/** @type {HTMLElement} */ el, /** @type {any} */ current) => renderEvaluation(el, current, {
      refresh: async () => draw(el, await visits.evaluationModel(id)),
    });
    return (el) => draw(el, data);
  }
  return prepareSubmit(id, ctx);
}

/** @param {import("./router.js").Route} route @param {Context} ctx */
export async function visit(route, ctx) {
  const model = await visits.visitModel(route.params.id);
  if (!model) return renderMessage(ctx.main, t("not_found"));
  const step = route.name === "visit_child" ? (route.params.kind === "sample" ? "samples" : "noise") : route.params.step;
  const draw = await prepareStep(route, model, step, ctx);
  ctx.setTitle(t("sampling_title"));
  draw(renderVisitFrame(ctx.main, { ...model, lifecycle: visits.lifecycle(model.visit) }, step));
}

/** The sampler's signature for a visit's handover, kept while the step is redrawn (a sync ending redraws it). */
const handoverSignatures = new Map();

/**
 * 送检: the sampler signs (uploaded at once: this step is online), then hands the samples over.
 * @param {any} model @param {Context} ctx @returns {Promise<(el: HTMLElement) => void>}
 */
async function prepareHandover(model, ctx) {
  const data = await visits.handoverModel(model);
  const id = model.visit.id;
  // The server's reason as the field reads it (the office's strings are not loaded on a tablet).
  const failed = (/** @type {any} */ error) => ctx.toast(error?.status === 0 ? t("handover_offline")
    : [error?.message || String(error), error?.details?.[0] ? messageOf(error.details[0]) : null].filter(Boolean).join("："), "error");
  return (el) => renderHandover(el, { ...data, signed: handoverSignatures.has(id) }, {
    sign: () => new Promise((resolve) => {
      let drawnOne = false;
      ctx.dialog((close) => signatureDialog(() => { close(); if (!drawnOne) resolve(false); }, t("handover_sign"), (drawn) => {
        drawnOne = true;
        visits.uploadSignature(drawn).then((sha) => { handoverSignatures.set(id, sha); resolve(true); },
          (error) => { failed(error); resolve(false); });
      }));
    }),
    // The step was redrawn while the signature uploaded (a sync ended): draw it again from the kept signature.
    redraw: () => ctx.refresh(),
    handOver: async (conditions) => {
      try {
        await visits.handOver(id, conditions, handoverSignatures.get(id) || null);
        handoverSignatures.delete(id);
        ctx.toast(t("handover_done"));
        ctx.refresh();
      } catch (error) {
        failed(error);
      }
    },
    pdf: async (handover) => {
      try {
        savePdf(await visits.handoverPdf(handover.id), `${t("handover_list")}-${model.visit.data.task_no || ""}.pdf`);
      } catch (error) {
        failed(error);
      }
    },
  });
}

/** @param {import("./router.js").Route} route @param {Context} ctx */
export async function record(route, ctx) {
  const model = await loadForm(route.params.id);
  if (!model || "missing" in model) return renderMessage(ctx.main, t(model ? "form_missing" : "not_found"));
  const flow = flowOfEntity(model.record.entity);
  ctx.setTitle(flow?.id === "followup" ? t("followup_title") : t("assistance_title"));
  const enterprisesById = new Map(model.enterprise ? [[model.enterprise.id, model.enterprise]] : []);
  const text = summarise(model.record, enterprisesById);
  const drawForm = await prepareForm(model.record.id, ctx);
  // A register's file (a patient's, its employers) is kept up to date, not handed in: no submit section.
  const register = REGISTER_ROOTS.includes(model.root?.entity);
  const formTitle = formstore.formTitle(model.record.form_id, lang());
  if (register) ctx.setTitle(model.root?.entity === "patient" ? t("patient_file_title") : formTitle);
  const drawSubmit = register ? null : await prepareSubmit(model.record.id, ctx, true);
  const issues = typesOf(model.record.entity).length > 0;
  const drawIssue = issues ? await prepareIssue(model.record.id, ctx) : null;
  // A ledger's file (三同时, 放射诊疗, 职业健康检查机构…) is named by its form; a part of it (a device, a 督导, a
  // checklist item) by its kind.
  const isPart = register && model.record.id !== model.root?.id;
  const part = isPart ? entityLabel(model.def, model.record.entity, lang()) : "";
  const title = register && model.root?.entity !== "patient" ? part || formTitle : text.title || formTitle;
  const frame = renderRecordFrame(ctx.main, { title,
    subtitle: text.subtitle, state: reviewState(model.record), unsynced: model.record.dirty === 1,
    comment: model.record.server?.review_status === "returned" ? model.record.server.review_comment : null,
    editable: model.editable, documents: issues, register });
  drawForm(frame.form);
  if (drawSubmit) drawSubmit(frame.submit);
  if (drawIssue) drawIssue(frame.documents);
  // A ledger's file keeps its parts as child records (a 督导 and its checklist items): listed and added here, offline.
  const parts = register ? await partsModel(model.record, model.root, model.editable) : null;
  if (parts) {
    const { head, parts: list } = renderFileParts(parts, { open: (id) => ctx.go(`#/record/${id}`),
      add: async (entity) => ctx.go(await addPart(model.record.id, entity)) });
    if (head) frame.form.before(head);
    frame.form.after(list);
  }
}


/** @param {import("./router.js").Route} route @param {Context} ctx */
export async function conflictList(route, ctx) {
  ctx.setTitle(t("conflict_title"));
  renderConflicts(ctx.main, await conflicts.conflictsModel());
}

/** @param {import("./router.js").Route} route @param {Context} ctx */
export async function syncPage(route, ctx) {
  ctx.setTitle(t("sync_title"));
  renderStatus(ctx.main, await status.statusModel(), {
    sync: () => sync.syncNow("button"),
    persist: async () => { await status.requestPersist(); ctx.refresh(); },
    exportData: status.exportUnsynced, setLang: ctx.setLang, logout: ctx.logout,
    resend: async (recordId) => {
      await status.resend(recordId);
      sync.syncNow("button");
      ctx.refresh();
    },
    open: async (recordId) => {
      const target = await loadForm(recordId);
      if (target && !("missing" in target)) {
        const root = target.root || target.record;
        const flow = flowOfEntity(root.entity);
        ctx.go(flow?.screen === "visit" ? `#/visit/${root.id}/submit` : routeOf(root));
      }
    },
  });
}
