// @ts-check
/**
 * Sample labels: the print step of a sampling visit (the server's PDF labels while online, the tablet's own
 * preview at any time) and the printable sheet of labels with their QR codes.
 * @module views/labels
 */
import { t } from "../i18n.js";
import { dateZh } from "../notice.js";
import { button, h, replace } from "./dom.js";

/**
 * The print step of a sampling visit: the labels, and a place for the documents; returns that place.
 * @param {HTMLElement} root @param {{visitId: string, samples: number, online: boolean}} model
 * @param {{pdf: (layout: string) => void}} handlers
 */
export function renderPrintStep(root, model, handlers) {
  const documents = h("section", { class: "card", "data-testid": "visit-documents" });
  replace(root, h("div", { class: "print-step" }, labelActions(model, handlers), h("h2", null, t("documents")), documents));
  return documents;
}

/** @param {{visitId: string, samples: number, online: boolean}} model @param {{pdf: (layout: string) => void}} handlers */
function labelActions(model, handlers) {
  return h("section", { class: "card", "data-testid": "labels-card" }, h("h2", null, t("labels_title")),
    h("p", { class: "muted" }, t("labels_note", { n: model.samples })),
    h("div", { class: "actions" },
      button(t("labels_pdf_thermal"), () => handlers.pdf("thermal_50x30"), { class: "btn primary big", disabled: !model.online || !model.samples,
        "data-testid": "labels-pdf-thermal" }),
      button(t("labels_pdf_a4"), () => handlers.pdf("a4_sheet"), { class: "btn big", disabled: !model.online || !model.samples,
        "data-testid": "labels-pdf-a4" }),
      h("a", { class: "btn big", href: `#/visit/${model.visitId}/labels`, "data-testid": "labels-preview" }, t("labels_preview"))),
    model.online ? null : h("p", { class: "muted" }, t("labels_offline")));
}

/**
 * The sheet of labels drawn on the tablet, ready for window.print().
 * @param {HTMLElement} root @param {{back: string, labels: any[]}} model
 */
export function renderLabelSheet(root, model) {
  replace(root, h("div", { class: "label-page" },
    h("div", { class: "row no-print" }, h("a", { class: "btn", href: model.back }, `← ${t("back_to_list")}`),
      h("span", { class: "grow muted" }, t("labels_count", { n: model.labels.length })),
      button(t("print_labels"), () => window.print(), { class: "btn primary", "data-testid": "print-labels" })),
    h("div", { class: "label-sheet", "data-testid": "label-sheet" }, model.labels.map((label) => h("div", { class: "label",
      "data-sample": label.sample_code },
    h("img", { class: "qr", src: label.qr, alt: t("label_qr"), "data-payload": label.payload }),
    h("div", { class: "facts" }, h("div", { class: "hazard" }, label.hazard_zh), h("div", null, label.sample_type_zh),
      h("div", null, dateZh(label.sampling_date))),
    h("div", { class: "code" }, label.sample_code),
    h("div", { class: "enterprise" }, label.enterprise_name))))));
}
