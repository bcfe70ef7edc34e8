// @ts-check
/**
 * The registers kept as ledgers: the list of ledgers, and one ledger — its files by state (each state a filter with
 * its count), a search, the files most urgent first with the ledger's columns (values already in words), a page at a
 * time; offline, the last page read with when it was read.
 * @module views/ledgers
 */
import { t } from "../i18n.js";
import { button, h, replace } from "./dom.js";
import { empty } from "./common.js";

/** The first state of a ledger is its most urgent (逾期…), the second the one to watch. @param {number} index */
const STATE_CLASS = (index) => (index === 0 ? "warn" : index === 1 ? "state-returned" : "");

/** @param {HTMLElement} root @param {{list: any[], offline: boolean}} model */
export function renderLedgerList(root, model) {
  replace(root, h("div", { class: "register ledgers", "data-testid": "ledgers" },
    model.offline ? h("div", { class: "form-banner info" }, t("ledger_offline_list")) : null,
    model.list.length ? h("div", { class: "list" }, model.list.map((l) => h("a", { class: "list-item", href: `#/ledger/${l.kind}`,
      "data-kind": l.kind }, h("div", { class: "list-main" }, h("div", { class: "list-title" }, l.title_zh)))))
      : empty(t("ledger_none"))));
}

/**
 * @param {HTMLElement} root @param {any} model  controllers/ledgers ledgerModel
 * @param {{filter: (next: {state?: string, q?: string, page?: number}) => void, open: (route: string) => void,
 *   create: () => void}} handlers
 * @returns {{importSlot: HTMLElement}}  where the import card goes (supervisors)
 */
export function renderLedger(root, model, handlers) {
  const { filters } = model;
  const input = /** @type {HTMLInputElement} */ (h("input", { type: "search", class: "input search-input", value: filters.q || "",
    placeholder: t("ledger_search"), "aria-label": t("ledger_search"), "data-testid": "ledger-search" }));
  input.addEventListener("change", () => handlers.filter({ state: filters.state, q: input.value.trim() }));
  const chip = (/** @type {string} */ state, /** @type {string} */ label, /** @type {number} */ n) => h("button", {
    type: "button", class: "seg", "aria-pressed": String((filters.state || "") === state), "data-testid": "ledger-state",
    "data-state": state || "all", onclick: () => handlers.filter({ state, q: input.value.trim() }) },
  label, " ", h("b", { "data-count": state || "all" }, String(n)));
  const index = new Map(model.states.map((/** @type {any} */ s, /** @type {number} */ i) => [s.key, i]));
  const row = (/** @type {any} */ line) => h("button", { type: "button", class: "list-item", "data-testid": "ledger-row",
    "data-file": line.id, "data-state": line.state, onclick: () => handlers.open(line.route || `#/record/${line.id}`) },
  h("div", { class: "list-main" },
    h("div", { class: "list-title" }, String(line[model.columns[0]?.key] ?? "—")),
    h("div", { class: "list-sub" }, model.columns.slice(1).map((/** @type {any} */ c) => line[c.key] == null || line[c.key] === ""
      ? null : h("span", { class: "ledger-cell", "data-column": c.key }, `${c.label_zh}：${line[c.key]}`))
      .filter(Boolean).flatMap((/** @type {any} */ el, /** @type {number} */ i) => (i ? [" · ", el] : [el])))),
  h("div", { class: "list-side" }, h("span", { class: `badge-state ${STATE_CLASS(index.get(line.state) ?? 9)}`,
    "data-state": line.state }, line.state_zh)));
  const pages = Math.max(1, Math.ceil(model.total / model.per_page));
  const importSlot = h("div", { class: "ledger-import-slot" });
  replace(root, h("div", { class: "register ledger", "data-testid": "ledger", "data-kind": model.kind },
    model.offline ? h("div", { class: "form-banner info", "data-testid": "ledger-offline" },
      t("ledger_offline", { when: (model.kept_at || "").slice(0, 16).replace("T", " ") })) : null,
    h("div", { class: "row" }, h("p", { class: "muted grow" }, t("ledger_total", { n: model.all })),
      button(t("ledger_new"), handlers.create, { class: "btn", "data-testid": "ledger-new" })),
    h("div", { class: "segmented", "data-testid": "ledger-summary" }, chip("", t("all"), model.all),
      model.states.map((/** @type {any} */ s) => chip(s.key, s.label_zh, s.count))),
    input,
    h("div", { class: "list", "data-testid": "ledger-list" }, model.items.length ? model.items.map(row)
      : empty(model.all ? t("ledger_none_match") : t("ledger_empty"))),
    pages > 1 ? h("div", { class: "row pager", "data-testid": "ledger-pager" },
      button(t("page_previous"), () => handlers.filter({ ...filters, page: model.page - 1 }), { class: "btn small", disabled: model.page <= 1 }),
      h("span", { class: "muted" }, t("ledger_page", { page: model.page, pages })),
      button(t("page_next"), () => handlers.filter({ ...filters, page: model.page + 1 }), { class: "btn small", disabled: model.page >= pages }))
      : null,
    importSlot));
  return { importSlot };
}
