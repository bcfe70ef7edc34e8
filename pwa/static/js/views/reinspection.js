// @ts-check
/**
 * The re-inspection (复查) of an earlier notice: its steps, and each rectification item of the notice with
 * what it required by when, above the inspector's result for it.
 * @module views/reinspection
 */
import { t } from "../i18n.js";
import { dateZh } from "../notice.js";
import { h, replace } from "./dom.js";
import { stateBadge } from "./common.js";

const STEPS = ["info", "items", "issue"];

/**
 * @param {HTMLElement} root @param {any} model  controllers/reinspection reinspectionModel @param {string} step
 * @returns {HTMLElement} where the step goes
 */
export function renderReinspectionFrame(root, model, step) {
  const content = h("div", { class: "step-content" });
  const d = model.root.data;
  replace(root, h("div", { class: "reinspection" },
    h("div", { class: "record-head" },
      h("div", null, h("div", { class: "record-title" }, `${t("reinspection_of")} ${d.notice_number || ""}`),
        h("div", { class: "muted" }, [model.enterprise?.name, d.reinspection_date].filter(Boolean).join(" · "))),
      h("div", { class: "list-side" }, stateBadge(model.state),
        model.unsynced ? h("span", { class: "badge-state unsynced" }, t("unsynced")) : null)),
    !model.editable ? h("div", { class: "form-banner info" }, t("inspection_locked")) : null,
    h("nav", { class: "steps" }, STEPS.map((key, i) => h("a", { class: ["step", key === step && "active"],
      href: `#/reinspection/${model.root.id}/${key}`, "data-step": key }, h("span", { class: "step-no" }, String(i + 1)),
    t(/** @type {any} */ (`reinspection_step_${key}`))))), content));
  return content;
}

/** An item's deadline line, overdue ones marked. @param {any} target */
export function deadlineBadge(target) {
  if (target.status === "closed") return h("span", { class: "badge-state state-approved", "data-status": "closed" },
    t("rect_closed_on", { date: dateZh(target.closed_on) }));
  const text = target.deadline ? t("deadline_on", { date: dateZh(target.deadline) }) : t("deadline_now");
  const prefix = target.status === "overdue" ? `${t("rect_overdue")} · `
    : target.status === "reinspecting" ? `${t("rect_reinspecting")} · ` : "";
  return h("span", { class: ["badge-state", target.status === "overdue" && "warn"], "data-status": target.status },
    prefix + text);
}

/**
 * Each item of the notice above the place its result form goes.
 * @param {HTMLElement} root @param {any} model @returns {{id: string, form: HTMLElement}[]}
 */
export function renderReinspectionItems(root, model) {
  /** @type {{id: string, form: HTMLElement}[]} */
  const slots = [];
  const cards = model.items.map((/** @type {any} */ entry, /** @type {number} */ i) => {
    const form = h("div", { class: "rein-form" });
    slots.push({ id: entry.record.id, form });
    const target = entry.target;
    return h("section", { class: "card rein-item", "data-rectification": target?.id || "" },
      h("div", { class: "row" }, h("h3", { class: "grow" }, `${i + 1}. ${target?.fact || t("rect_unknown")}`),
        target ? deadlineBadge(target) : null),
      target?.requirement ? h("p", { class: "muted" }, `${t("requirement")}：${target.requirement}`) : null, form);
  });
  replace(root, h("div", { class: "rein-items" }, cards.length ? cards : h("p", { class: "empty" }, t("rect_none_open"))));
  return slots;
}
