// @ts-check
/**
 * A single-record flow (assistance visit, pneumoconiosis follow-up): header, the supervisor's comment
 * when returned, the form, and the submit section below it.
 * @module views/record
 */
import { t } from "../i18n.js";
import { h, replace } from "./dom.js";
import { stateBadge } from "./common.js";

/**
 * @param {HTMLElement} root
 * @param {{title: string, subtitle: string, state: string, unsynced: boolean, comment: string|null, editable: boolean,
 *   documents?: boolean, register?: boolean}} model  `documents`: the record issues documents (an assistance visit's
 *   反馈单); `register`: a register's file, kept up to date and never handed in (no review state, no submit section)
 * @returns {{form: HTMLElement, submit: HTMLElement, documents: HTMLElement}}
 */
export function renderRecordFrame(root, model) {
  const form = h("div", { class: "record-form" });
  const submit = h("div", { class: "card" });
  const documents = h("div", { class: "card", "data-testid": "record-documents" });
  replace(root, h("div", { class: "record" },
    h("div", { class: "record-head" },
      h("div", null, h("div", { class: "record-title" }, model.title), h("div", { class: "muted" }, model.subtitle)),
      h("div", { class: "list-side" }, model.register ? null : stateBadge(model.state),
        model.unsynced ? h("span", { class: "badge-state unsynced" }, t("unsynced")) : null)),
    model.comment ? h("div", { class: "form-banner attention", "data-testid": "review-comment" },
      h("b", null, t("returned_by_supervisor")), h("div", null, `${t("review_comment")}：${model.comment}`)) : null,
    !model.editable ? h("div", { class: "form-banner info" }, t("read_only")) : null,
    form, model.documents ? [h("h2", null, t("documents")), documents] : null,
    model.register ? null : [h("h2", null, t("submit_title")), submit]));
  return { form, submit, documents };
}
