// @ts-check
/**
 * Pieces several screens share: record rows, state badges, empty states, cards.
 * @module views/common
 */
import { lang, t } from "../i18n.js";
import { h } from "./dom.js";

/** The message of a validator error or a server detail in the current language. @param {any} item */
export function messageOf(item) {
  if (lang() === "en") return item.message_en || item.message || item.message_zh;
  return item.message_zh || item.message || item.message_en;
}

/** @param {string} state */
export function stateBadge(state) {
  return h("span", { class: `badge-state state-${state}`, "data-state": state }, t(/** @type {any} */ (`state_${state}`)));
}

/** The short name of a record's kind (采样, 帮扶, 随访…). @param {string} entity */
export function kindOf(entity) {
  const key = /** @type {any} */ (`kind_${entity}`);
  const text = t(key);
  return text === key ? "" : text;
}

/**
 * A record in a list, opening its screen.
 * @param {{id: string, title: string, subtitle?: string, state: string, unsynced?: boolean, comment?: string|null}} item
 * @param {string} href @param {string} [kind]
 */
export function recordRow(item, href, kind) {
  return h("a", { class: "list-item", href, "data-record": item.id },
    h("div", { class: "list-main" },
      h("div", { class: "list-title" }, kind ? h("span", { class: "kind" }, kind) : null, item.title || "—"),
      item.subtitle ? h("div", { class: "list-sub" }, item.subtitle) : null,
      item.comment ? h("div", { class: "comment", "data-testid": "review-comment" }, `${t("review_comment")}：${item.comment}`) : null),
    h("div", { class: "list-side" }, stateBadge(item.state),
      item.unsynced ? h("span", { class: "badge-state unsynced" }, t("unsynced")) : null));
}

/** @param {string} title @param {any[]} children @param {Record<string, any>} [attrs] */
export function card(title, children, attrs = {}) {
  return h("section", { class: "card", ...attrs }, title ? h("h2", null, title) : null, children);
}

/** @param {string} [text] */
export function empty(text) {
  return h("p", { class: "empty" }, text || t("nothing_here"));
}

/** A screen that only says something (not found, no forms yet…). @param {HTMLElement} root @param {string} text */
export function renderMessage(root, text) {
  root.replaceChildren(h("div", { class: "card" }, h("p", { class: "empty", "data-testid": "screen-message" }, text)));
}

/** A dialog body with a message and a close button. @param {() => void} close @param {string} text */
export function messageDialog(close, text) {
  return h("div", null, h("p", null, text), h("div", { class: "actions" },
    h("button", { type: "button", class: "btn primary", onclick: close }, t("done"))));
}
