// @ts-check
/**
 * The submit step: what is still missing (each linking to its field), the submit button, and the state.
 * @module views/submit
 */
import { label, t } from "../i18n.js";
import { button, h, replace } from "./dom.js";
import { stateBadge } from "./common.js";
import { messageOf } from "./form.js";

/**
 * @param {HTMLElement} root @param {{items: any[], state: string, editable: boolean, collapsed?: boolean}} check
 * @param {{submit: () => void}} handlers
 */
export function renderSubmit(root, check, handlers) {
  const local = check.items.filter((i) => !i.server);
  const server = check.items.filter((i) => i.server);
  const item = (/** @type {any} */ i) => h("a", { class: "list-item problem", href: i.route, "data-problem-field": i.field || "" },
    h("div", { class: "list-main" },
      h("div", { class: "list-title" }, [label(i.entity_spec), i.record_label, i.field_spec ? label(i.field_spec) : null]
        .filter(Boolean).join(" · ")),
      h("div", { class: "warn" }, messageOf(i))),
    h("span", { class: "btn small" }, t("go_to_field")));
  const problemList = h("div", { class: "list", "data-testid": "local-problems", hidden: Boolean(check.collapsed) }, local.map(item));
  replace(root, h("div", { class: "submit", "data-testid": "submit-step" },
    h("div", { class: "row" }, stateBadge(check.state)),
    check.state === "submitting" ? h("p", null, t("submitted_wait")) : null,
    ["submitted", "resubmitted"].includes(check.state) ? h("p", null, t("submit_done")) : null,
    server.length || check.state === "submit_rejected"
      ? h("div", { class: "form-banner", "data-testid": "server-problems" }, t("server_incomplete")) : null,
    server.length ? h("div", { class: "list" }, server.map(item)) : null,
    local.length ? h("p", { class: "warn" }, t("submit_problems", { n: local.length })) : check.editable ? h("p", null, t("submit_ready")) : null,
    local.length ? problemList : null,
    local.length && check.collapsed ? button(t("show_problems"), () => { problemList.hidden = false; }, { class: "btn small" }) : null,
    check.editable ? h("div", { class: "actions" }, button(check.state === "returned" ? t("resubmit") : t("submit"), handlers.submit,
      { class: "btn primary big", "data-testid": "submit-button" })) : null));
}
