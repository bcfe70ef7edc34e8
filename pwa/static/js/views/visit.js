// @ts-check
/**
 * The sampling visit's frame (header strip and steps) and its sample and noise lists.
 * @module views/visit
 */
import { lang, number, t, time } from "../i18n.js";
import { button, h, replace } from "./dom.js";
import { empty, stateBadge } from "./common.js";
import { messageOf } from "./form.js";

const STEPS = ["header", "samples", "noise", "evaluation", "print", "submit"];

/**
 * Draw the frame; returns the element the step's content goes into.
 * @param {HTMLElement} root @param {any} model  controllers/visit visitModel @param {string} step
 */
export function renderVisitFrame(root, model, step) {
  const v = model.visit;
  const tabs = STEPS.map((key, i) => h("a", { class: ["step", key === step && "active"], href: `#/visit/${v.id}/${key}`,
    "data-step": key, "aria-current": key === step ? "step" : null }, h("span", { class: "step-no" }, String(i + 1)),
  t(/** @type {any} */ (`visit_steps_${key}`)),
  key === "samples" ? h("small", null, ` ${model.samples.length}`) : null,
  key === "noise" && model.noise.length ? h("small", null, ` ${model.noise.length}`) : null));
  const content = h("div", { class: "step-content" });
  replace(root, h("div", { class: "visit" },
    h("div", { class: "record-head" },
      h("div", null, h("div", { class: "record-title" }, v.data.task_no || t("sampling_title")),
        h("div", { class: "muted" }, [model.enterprise?.name || t("unknown_enterprise"), v.data.sampling_date].filter(Boolean).join(" · "))),
      h("div", { class: "list-side" }, stateBadge(model.state),
        model.unsynced ? h("span", { class: "badge-state unsynced" }, t("unsynced")) : null)),
    model.comment ? h("div", { class: "form-banner attention", "data-testid": "review-comment" },
      h("b", null, t("returned_by_supervisor")), h("div", null, `${t("review_comment")}：${model.comment}`)) : null,
    model.problems.length && model.state !== "submit_rejected" ? h("div", { class: "form-banner" }, t("server_rejected"), "：",
      model.problems.map((/** @type {any} */ p) => messageOf(p)).join("；")) : null,
    h("nav", { class: "steps" }, tabs), content));
  return content;
}

/**
 * @param {HTMLElement} root @param {any} model
 * @param {{add: (kind: "field"|"blank"|"copy") => void}} handlers
 */
export function renderSampleList(root, model, handlers) {
  const blanks = model.samples.filter((/** @type {any} */ s) => s.blank).length;
  const rows = model.samples.map((/** @type {any} */ s) => h("a", { class: ["list-item", s.blank && "blank"],
    href: `#/visit/${model.visit.id}/sample/${s.id}`, "data-sample": s.code },
  h("div", { class: "list-main" },
    h("div", { class: "list-title" }, h("span", { class: "kind" }, s.blank ? t("blank") : t("sample")), s.code,
      s.hazard ? ` · ${lang() === "en" ? s.hazard.en : s.hazard.zh}` : ""),
    h("div", { class: "list-sub" }, [s.post, s.start ? `${time(s.start)}–${time(s.end)}` : null,
      s.volume != null ? `V=${number(s.volume, 1)} L` : null,
      s.standard_volume != null ? `V₀=${number(s.standard_volume, 1)} L` : null,
      s.lab != null ? `${number(s.lab)} mg/m³` : null].filter(Boolean).join(" · "))),
  h("div", { class: "list-side" }, s.problems ? h("span", { class: "badge-state warn" }, "!") : null,
    s.unsynced ? h("span", { class: "badge-state unsynced" }, t("unsynced")) : null)));
  replace(root, h("div", { class: "samples" },
    h("div", { class: "muted" }, t("samples_n", { n: model.samples.length, b: blanks })),
    rows.length ? h("div", { class: "list" }, rows) : empty(t("no_samples")),
    model.editable ? h("div", { class: "actions sticky" },
      button(t("add_field_sample"), () => handlers.add("field"), { class: "btn primary big", "data-testid": "add-sample" }),
      model.samples.length ? button(t("copy_previous"), () => handlers.add("copy"), { class: "btn big", "data-testid": "copy-sample" }) : null,
      button(t("add_blank"), () => handlers.add("blank"), { class: "btn big", "data-testid": "add-blank" })) : null));
}

/** @param {HTMLElement} root @param {any} model @param {{add: () => void}} handlers */
export function renderNoiseList(root, model, handlers) {
  const rows = model.noise.map((/** @type {any} */ n) => h("a", { class: "list-item", href: `#/visit/${model.visit.id}/noise/${n.id}` },
    h("div", { class: "list-main" }, h("div", { class: "list-title" }, n.post), h("div", { class: "list-sub" }, n.point)),
    n.unsynced ? h("span", { class: "badge-state unsynced" }, t("unsynced")) : null));
  replace(root, h("div", null, h("div", { class: "muted" }, t("noise_n", { n: model.noise.length })),
    rows.length ? h("div", { class: "list" }, rows) : empty(t("no_noise")),
    model.editable ? h("div", { class: "actions sticky" },
      button(t("add_noise"), handlers.add, { class: "btn primary big", "data-testid": "add-noise" })) : null));
}

/**
 * The bar above a sample's or a measurement's form: back, previous, next, delete.
 * @param {HTMLElement} root
 * @param {{title: string, back: string, prev: string|null, next: string|null, editable: boolean}} model
 * @param {{remove: () => void}} handlers
 * @returns {HTMLElement} where the form goes
 */
export function renderChildFrame(root, model, handlers) {
  const formEl = h("div", { class: "child-form" });
  const link = (/** @type {string|null} */ href, /** @type {string} */ text, /** @type {string} */ testid) => href
    ? h("a", { class: "btn", href, "data-testid": testid }, text) : h("span", { class: "btn", "aria-disabled": "true" }, text);
  replace(root, h("div", { class: "child" },
    h("div", { class: "child-bar" }, link(model.back, `← ${t("back_to_list")}`, "child-back"),
      h("b", { class: "child-title" }, model.title),
      link(model.prev, t("previous"), "child-prev"), link(model.next, t("next"), "child-next"),
      model.editable ? button(t("delete"), () => { if (confirm(t("confirm_delete"))) handlers.remove(); }, { class: "btn danger" }) : null),
    formEl,
    h("div", { class: "actions" }, link(model.back, `← ${t("back_to_list")}`, "child-back-bottom"),
      link(model.next, `${t("next")} →`, "child-next-bottom"))));
  return formEl;
}

