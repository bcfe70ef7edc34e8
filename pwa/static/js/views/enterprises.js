// @ts-check
/**
 * Enterprise search (offline) and the enterprise page with its history.
 * @module views/enterprises
 */
import { t } from "../i18n.js";
import { dateZh } from "../notice.js";
import { button, h, replace } from "./dom.js";
import { card, empty, kindOf, recordRow } from "./common.js";
import { documentRow } from "./issue.js";
import { deadlineBadge } from "./reinspection.js";

const SIZES = { micro: "size_micro", small: "size_small", medium: "size_medium", large: "size_large" };

/** @param {any} e */
function enterpriseRow(e, /** @type {(e: any) => void} */ open) {
  return h("button", { type: "button", class: "list-item", "data-enterprise": e.id, onclick: () => open(e) },
    h("div", { class: "list-main" },
      h("div", { class: "list-title" }, e.name),
      h("div", { class: "list-sub" }, [e.credit_code, e.industry_name, e.address].filter(Boolean).join(" · "))),
    e.hazard_class ? h("div", { class: "list-side" }, h("span", { class: "badge-state" }, e.hazard_class)) : null);
}

/**
 * @param {HTMLElement} root
 * @param {{query: string, picking: string|null, empty: boolean}} model  `picking`: the flow being started
 * @param {{search: (q: string) => Promise<{total: number, items: any[]}>, open: (e: any) => void}} handlers
 */
export function renderSearch(root, model, handlers) {
  const input = /** @type {HTMLInputElement} */ (h("input", { type: "search", class: "input search-input", value: model.query,
    placeholder: t("search_placeholder"), "aria-label": t("search"), "data-testid": "enterprise-search", enterkeyhint: "search" }));
  const count = h("div", { class: "muted", "data-testid": "search-count" });
  const list = h("div", { class: "list", "data-testid": "search-results" });
  let seq = 0;
  const run = async () => {
    const mine = ++seq;
    const result = await handlers.search(input.value);
    if (mine !== seq) return; // a newer keystroke already asked
    replace(count, t("search_results", { n: result.total }));
    replace(list, result.items.length ? result.items.map((e) => enterpriseRow(e, handlers.open))
      : empty(model.empty ? t("enterprises_none") : t("search_empty")));
  };
  input.addEventListener("input", run);
  replace(root, h("div", { class: "search-page" },
    model.picking ? h("div", { class: "form-banner info" }, `${t("choose_enterprise")} · ${model.picking}`) : null,
    input, count, list));
  run();
  // A keyboard is there to type at once; on a touch tablet the on-screen keyboard would hide the list.
  if (!matchMedia("(pointer: coarse)").matches) setTimeout(() => input.focus(), 0);
}

/**
 * A notice's rectification items, with the re-inspection button while some are open.
 * @param {any} group @param {boolean} inspector @param {(documentId: string) => void} reinspect
 */
function rectificationGroup(group, inspector, reinspect) {
  return h("div", { class: "rect-group", "data-notice": group.document_id },
    h("div", { class: "row" }, h("h3", { class: "grow" }, t("rect_of_notice", { number: group.document_number || "" })),
      inspector && group.open ? button(t("start_reinspection"), () => reinspect(group.document_id),
        { class: "btn primary", "data-testid": "start-reinspection" }) : null),
    h("div", { class: "list" }, group.items.map((/** @type {any} */ item) => h("div", { class: ["list-item", item.status === "overdue" && "attention"],
      "data-rectification": item.id, "data-status": item.status },
    h("div", { class: "list-main" }, h("div", { class: "list-title" }, `${item.number || ""}. ${item.fact}`),
      item.requirement ? h("div", { class: "list-sub" }, item.requirement) : null),
    h("div", { class: "list-side" }, deadlineBadge(item))))));
}

const DECLARATION_BADGES = { undeclared: "state-returned", declared: "state-approved", overdue: "warn" };

/**
 * 申报状态 with its dates: the first declaration, the latest (or its update) and the next one due.
 * @param {{status: "undeclared"|"declared"|"overdue", first: string|null, latest: string|null, due: string|null}} d
 */
function declarationRows(d) {
  const kv = (/** @type {string} */ name, /** @type {any} */ value, /** @type {string} */ testid) =>
    h("div", { class: "kv", "data-testid": testid }, h("dt", null, name), h("dd", null, value));
  const due = d.due ? (d.status === "overdue" ? t("decl_due_passed", { date: dateZh(d.due) }) : dateZh(d.due)) : t("decl_due_none");
  return [
    kv(t("decl_status"), h("span", { class: ["badge-state", DECLARATION_BADGES[d.status]], "data-status": d.status },
      t(/** @type {any} */ (`decl_status_${d.status}`))), "declaration-status"),
    d.first ? kv(t("decl_first"), dateZh(d.first), "declaration-first") : null,
    d.latest ? kv(t("decl_latest"), dateZh(d.latest), "declaration-latest") : null,
    d.latest ? kv(t("decl_next_due"), due, "declaration-due") : null,
  ];
}

/** @param {any} a */
function assignmentRow(a) {
  return h("div", { class: "list-item", "data-assignment": a.id }, h("div", { class: "list-main" },
    h("div", { class: "list-title" }, a.title),
    h("div", { class: "list-sub" }, [a.due_date ? t("due_on", { date: dateZh(a.due_date) }) : null, a.names.join("、")]
      .filter(Boolean).join(" · "))),
  a.mine ? h("span", { class: "badge-state state-submitted" }, t("assigned_to_me")) : null);
}

/**
 * @param {HTMLElement} root @param {any} model
 * @param {{start: (flow: any) => void, hazardName: (key: string) => string, reinspect: (documentId: string) => void,
 *   pdf: (d: any) => void, older: () => void}} handlers  `older`: fetch the enterprise's older records
 */
export function renderEnterprise(root, model, handlers) {
  const e = model.enterprise;
  const row = (/** @type {string} */ name, /** @type {any} */ value) => value == null || value === "" ? null
    : h("div", { class: "kv" }, h("dt", null, name), h("dd", null, value));
  const hazards = (e.declared_hazards || []).map((/** @type {string} */ k) => h("span", { class: "tag" }, handlers.hazardName(k)));
  replace(root, h("div", { class: "enterprise grid" },
    card(e.name, [
      h("dl", { class: "kvs" },
        row(t("credit_code"), e.credit_code), row(t("address"), e.address),
        row(t("industry"), [e.industry_code, e.industry_name].filter(Boolean).join(" ")),
        row(t("size"), e.size ? t(/** @type {any} */ (SIZES)[e.size] || "size_small") : null),
        row(t("hazard_class"), e.hazard_class), ...declarationRows(model.declaration), row(t("contact"), [e.contact_name, e.contact_phone].filter(Boolean).join(" ")),
        row(t("workers"), e.workers_total != null ? `${e.workers_total} / ${e.workers_exposed ?? "—"}` : null)),
      hazards.length ? h("div", { class: "kv" }, h("dt", null, t("declared_hazards")), h("dd", { class: "tags" }, hazards)) : null,
      h("div", { class: "actions" }, model.flows.map((/** @type {any} */ flow) =>
        button(t(flow.label), () => handlers.start(flow), { class: "btn primary big", "data-flow": flow.id }))),
    ], { class: "card span-all", "data-testid": "enterprise-card" }),
    model.assignments.length ? card(t("assignments"), [h("div", { class: "list" }, model.assignments.map(assignmentRow))],
      { "data-testid": "enterprise-assignments" }) : null,
    card(t("rectifications"), [model.rectifications.length ? model.rectifications.map((/** @type {any} */ g) =>
      rectificationGroup(g, model.inspector, handlers.reinspect)) : empty(t("rect_none"))],
    { class: "card span-all", "data-testid": "enterprise-rectifications" }),
    card(t("documents"), [model.documents.length ? h("div", { class: "list" }, model.documents.map((/** @type {any} */ d) =>
      documentRow(d, handlers.pdf))) : empty(t("documents_none"))], { "data-testid": "enterprise-documents" }),
    card(t("history"), [model.history.length ? h("div", { class: "list" }, model.history.map((/** @type {any} */ item) =>
      recordRow(item, item.route, kindOf(item.entity)))) : empty(),
    h("div", { class: "actions" }, button(t("history_older"), handlers.older, { class: "btn", "data-testid": "history-older" })),
    h("p", { class: "muted" }, t("history_older_hint"))],
    { "data-testid": "enterprise-history" })));
}
