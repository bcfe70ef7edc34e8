// @ts-check
/**
 * Wiring of the laboratory's screens (online, office layout): the work list and one visit — receiving a handover,
 * entering results (a blank above its detection limit is confirmed, then sent again), the supervisor's entry into
 * the national system. Loaded when a laboratory user, a supervisor or an admin opens one of them.
 * @module screens_lab
 */
import * as lab from "./controllers/lab.js";
import { t } from "./i18n.js";
import { enter, load } from "./screens_office.js";
import { h } from "./views/dom.js";
import { cameraDialog, renderLabList, renderLabVisit } from "./views/lab.js";
import { errorText, saveFile } from "./views/office.js";
import { signatureDialog } from "./views/signature.js";

const ROLES = ["laboratory", "supervisor", "admin"];

/** @param {import("./router.js").Route} route @param {import("./screens.js").Context} ctx */
export async function labList(route, ctx) {
  if (!(await enter(ctx, "lab_title", ...ROLES))) return;
  const filters = lab.listFilters(route.query);
  const model = await load(ctx, () => lab.listModel(filters));
  if (!model) return;
  const tabs = lab.TABS.map((key) => ({ key, href: lab.listHash({ tab: key, page: 1 }) }));
  renderLabList(ctx.main, { ...model, tabs }, { page: (page) => ctx.go(lab.listHash({ ...filters, page })) });
}

/**
 * Yes or no from a dialog over the screen.
 * @param {import("./screens.js").Context} ctx @param {string} text @param {string} yes @returns {Promise<boolean>}
 */
function ask(ctx, text, yes) {
  return new Promise((resolve) => {
    ctx.dialog((close) => h("div", { "data-testid": "confirm-dialog" }, h("p", null, text), h("div", { class: "actions" },
      h("button", { type: "button", class: "btn", "data-testid": "confirm-no", onclick: () => { close(); resolve(false); } }, t("cancel")),
      h("button", { type: "button", class: "btn primary", "data-testid": "confirm-yes", onclick: () => { close(); resolve(true); } }, yes))));
  });
}

/** @param {import("./router.js").Route} route @param {import("./screens.js").Context} ctx */
export async function labVisit(route, ctx) {
  if (!(await enter(ctx, "lab_visit_title", ...ROLES))) return;
  const id = route.params.id;
  const model = await load(ctx, () => lab.visitModel(id));
  if (!model) return;
  ctx.setTitle([model.visit.task_no, model.visit.enterprise_name].filter(Boolean).join(" · ") || t("lab_visit_title"));
  /** @type {string|null} */
  let signature = null;
  /** @param {any} sample @param {string} kind @param {Record<string, string|boolean>} raw @param {boolean} confirmed @returns {Promise<any>} */
  const save = async (sample, kind, raw, confirmed) => {
    try {
      const saved = await lab.saveResult(sample.sample_id, kind, raw, confirmed);
      lab.visitModel(id).then(view.update, () => {}); // the count, the state and the QC follow
      return { saved };
    } catch (error) {
      const blank = confirmed ? null : lab.blankToConfirm(error);
      if (blank && await ask(ctx, t("lab_confirm_blank", { message: blank }), t("lab_confirm"))) return save(sample, kind, raw, true);
      if (/** @type {any} */ (error)?.status === 0) ctx.toast(errorText(error), "error");
      return { error };
    }
  };
  const view = renderLabVisit(ctx.main, model, {
    codeOf: lab.codeOf,
    receive: async (handover, codes, damaged) => {
      try {
        const done = await lab.receive(handover.id, codes, damaged, signature);
        ctx.toast(t("lab_receive_done", { missing: done.receipt.missing?.length ?? 0, extra: done.receipt.extra?.length ?? 0 }));
        ctx.refresh();
      } catch (error) {
        ctx.toast(errorText(error), "error");
      }
    },
    sign: () => new Promise((resolve) => {
      let drawnOne = false;
      ctx.dialog((close) => signatureDialog(() => { close(); if (!drawnOne) resolve(false); }, t("lab_receive_sign"), (drawn) => {
        drawnOne = true;
        lab.uploadSignature(drawn).then((sha) => { signature = sha; resolve(true); },
          (error) => { ctx.toast(errorText(error), "error"); resolve(false); });
      }));
    }),
    camera: (onCode) => { ctx.dialog((close) => cameraDialog(close, onCode)); },
    pdf: async (handover) => {
      try {
        saveFile(await lab.handoverPdf(handover.id), `${t("handover_list")}-${model.visit.task_no || ""}.pdf`, "application/pdf");
      } catch (error) {
        ctx.toast(errorText(error), "error");
      }
    },
    save: (sample, kind, raw) => save(sample, kind, raw, false),
    issueReport: async (amends) => {
      try {
        const document = await lab.issueReport(id, amends);
        ctx.toast(t("lab_report_done", { number: document.number }));
        ctx.refresh();
      } catch (error) {
        ctx.toast(errorText(error), "error");
      }
    },
    reportPdf: async (report) => {
      try {
        saveFile(await lab.documentPdf(report.id), `${t("lab_report_title")}-${report.number}.pdf`, "application/pdf");
      } catch (error) {
        ctx.toast(errorText(error), "error");
      }
    },
    national: async (day) => {
      try {
        await lab.recordNationalEntry(id, day);
        ctx.toast(t("lab_national_done"));
        ctx.refresh();
      } catch (error) {
        ctx.toast(errorText(error), "error");
      }
    },
  });
}
