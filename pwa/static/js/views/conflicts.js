// @ts-check
/**
 * Open conflicts: both values side by side, which one the server kept, and that a supervisor decides.
 * @module views/conflicts
 */
import { t } from "../i18n.js";
import { h, replace } from "./dom.js";
import { empty } from "./common.js";

/** @param {HTMLElement} root @param {{items: any[]}} model */
export function renderConflicts(root, model) {
  const value = (/** @type {any} */ v) => v == null ? h("i", { class: "muted" }, t("empty_value")) : v;
  replace(root, h("div", { class: "conflicts" },
    h("p", { class: "muted" }, t("conflict_wait")),
    model.items.length ? h("div", { class: "list" }, model.items.map((c) => h("div", { class: "conflict card", "data-conflict": c.id,
      "data-field": c.field || "" },
    h("div", { class: "row" }, h("h3", { class: "grow" }, c.record_label, c.field_label ? ` · ${c.field_label}` : ""),
      c.route ? h("a", { class: "btn small", href: c.route }, t("open")) : null),
    h("div", { class: "conflict-values" },
      h("div", { class: "conflict-value server", "data-testid": "conflict-server" }, h("small", null, t("conflict_server")),
        h("b", null, value(c.server_value))),
      h("div", { class: "conflict-value client", "data-testid": "conflict-client" },
        h("small", null, c.mine ? t("conflict_mine") : t("conflict_other")), h("b", null, value(c.client_value)))))))
      : empty()));
}
