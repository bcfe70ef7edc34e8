// @ts-check
/**
 * Conflicts side by side — the value both edits started from, the server's, the device's, with who, which device
 * and when — and the decision: keep one of them or enter the right value.
 * @module views/resolutions
 */
import { dateTime, t } from "../i18n.js";
import { button, h, replace } from "./dom.js";
import { empty, kindOf } from "./common.js";

/** @param {string|null|undefined} text */
const shown = (text) => (text == null ? h("i", { class: "muted" }, t("empty_value")) : text);

/**
 * One value column.
 * @param {string} kind @param {string} title @param {any} side  {text, user, device, at} @param {string|null} [deletion]
 */
function valueColumn(kind, title, side, deletion = null) {
  return h("div", { class: `conflict-value ${kind}`, "data-testid": `conflict-${kind}` }, h("small", null, title),
    h("b", null, deletion ?? shown(side?.text)),
    side?.user || side?.device ? h("small", { class: "muted" }, [side.user, side.device ? `${t("device")} ${side.device}` : null,
      side.at ? dateTime(side.at) : null].filter(Boolean).join(" · ")) : null);
}

/** The text of the two sides of a deletion conflict. @param {any} c */
function deletionTexts(c) {
  if (c.kind === "delete_edit") return [t("keep_record"), t("delete_record")];
  if (c.kind === "edit_after_delete") return [t("stay_deleted"), t("restore_record")];
  return [null, null];
}

/** The control for entering another value. @param {{type: string, choices?: {value: string, label: string}[]}} editor */
function valueInput(editor) {
  if (editor.type === "select" || editor.type === "boolean") {
    const choices = editor.type === "boolean" ? [{ value: "true", label: t("yes") }, { value: "false", label: t("no") }] : editor.choices || [];
    return h("select", { class: "input", name: "value", "aria-label": t("other_value") },
      h("option", { value: "" }, t("empty_value")), choices.map((c) => h("option", { value: c.value }, c.label)));
  }
  return h("input", { class: "input", name: "value", type: editor.type === "number" ? "number" : editor.type, step: "any",
    "aria-label": t("other_value") });
}

/**
 * @param {any} c @param {{decide: (c: any, choice: "server"|"client"|"value", text?: string) => void}} handlers
 */
function conflictCard(c, handlers) {
  const [keepText, takeText] = deletionTexts(c);
  const input = c.editor ? valueInput(c.editor) : null;
  return h("section", { class: "card conflict", "data-conflict": c.id, "data-field": c.field || "", "data-kind": c.kind },
    h("div", { class: "row" }, h("h3", { class: "grow" }, h("span", { class: "kind" }, kindOf(c.entity) || t("kind_record")),
      c.record_label, c.field_label ? ` · ${c.field_label}` : ""),
    c.root_id ? h("a", { class: "btn small", href: `#/review/record/${c.root_id}` }, t("open")) : null),
    h("div", { class: "conflict-values three" },
      c.kind === "field" ? valueColumn("base", t("conflict_base"), c.base ? c.base : { text: c.base_change_no ? t("base_unknown") : null }) : null,
      valueColumn("server", t("conflict_server"), c.server, keepText),
      valueColumn("client", t("conflict_device"), c.client, takeText)),
    c.status === "open" ? h("div", { class: "actions" },
      button(keepText || t("keep_server"), () => handlers.decide(c, "server"), { class: "btn", "data-testid": "choose-server" }),
      button(takeText || t("take_device"), () => handlers.decide(c, "client"), { class: "btn", "data-testid": "choose-client" }),
      input ? h("div", { class: "row other-value" }, input,
        button(t("save_other_value"), () => handlers.decide(c, "value", /** @type {HTMLInputElement} */ (input).value),
          { class: "btn primary", "data-testid": "choose-value" })) : null)
      : h("p", { class: "muted", "data-testid": "resolution" }, t("resolved_with", { choice: t(/** @type {any} */ (`choice_${c.resolution?.choice}`)) })));
}

/**
 * @param {HTMLElement} root @param {{status: string, items: any[]}} model
 * @param {{decide: (c: any, choice: "server"|"client"|"value", text?: string) => void, show: (status: string) => void}} handlers
 */
export function renderResolutions(root, model, handlers) {
  replace(root, h("div", { class: "office conflicts-office" },
    h("div", { class: "segmented office-toggle" }, ["open", "resolved"].map((status) => h("button", { type: "button", class: "seg",
      "aria-pressed": String(model.status === status), "data-status": status, onclick: () => handlers.show(status) },
    t(/** @type {any} */ (`conflicts_${status}`))))),
    h("p", { class: "muted" }, t("conflicts_note")),
    model.items.length ? h("div", { "data-testid": "office-conflicts" }, model.items.map((c) => conflictCard(c, handlers)))
      : empty(t("conflicts_none"))));
}
