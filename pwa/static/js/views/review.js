// @ts-check
/**
 * The review queue: filters by kind, agency, team, enterprise, date and status; columns that sort (received, record
 * date, subject, kind, state) and a page size; one row per record with what it is about (the enterprise, the patient
 * of a follow-up, the task of a sampling visit), date, author and team, its status, an open conflict and the comment
 * it was returned with; rows to tick and approve at once, and what came of it.
 * @module views/review
 */
import { dateTime, lang, t } from "../i18n.js";
import { button, h, replace } from "./dom.js";
import { empty, kindOf, stateBadge } from "./common.js";
import { lifecycleBadge } from "./lifecycle.js";
import { formValues, inputField, pager, selectField, tr } from "./office.js";

/**
 * @typedef {{approved: {id: string, name: string|null, review_status: string}[],
 *   refused: {id: string, name: string|null, code: string, message: string, reason: string}[]}} Outcome
 */

/**
 * @param {HTMLElement} root
 * @param {{list: any, filters: Record<string, any>, agencies: any[], teams: any[], enterprises: {id: string, name: string}[],
 *   kinds: string[], statuses: string[], sorts: string[], pageSizes: number[], approvable: string[], canApprove: boolean,
 *   outcome: Outcome|null, ticked: string[]}} model
 * @param {{filter: (filters: Record<string, any>) => void, sort: (column: string) => void, tick: (ids: string[]) => void,
 *   approve: (ids: string[]) => Promise<void>, dismiss: () => void}} handlers
 */
export function renderQueue(root, model, handlers) {
  const f = model.filters;
  const all = { value: "", label: t("all") };
  const enterpriseName = model.enterprises.find((e) => e.id === f.enterprise_id)?.name || "";
  const form = h("form", { class: "filters", "data-testid": "queue-filters" },
    selectField(t("filter_status"), "status", [all, ...model.statuses.map((s) => ({ value: s, label: t(/** @type {any} */ (`state_${s}`)) }))], f.status),
    selectField(t("filter_kind"), "entity", [all, ...model.kinds.map((k) => ({ value: k, label: kindOf(k) || k }))], f.entity),
    selectField(t("filter_agency"), "agency_id", [all, ...model.agencies.map((a) => ({ value: String(a.id), label: a.name }))], f.agency_id),
    selectField(t("filter_team"), "team_id", [all, ...model.teams.map((team) => ({ value: String(team.id),
      label: `${team.name} · ${model.agencies.find((a) => a.id === team.agency_id)?.name || ""}` }))], f.team_id),
    inputField(t("enterprise"), "enterprise", enterpriseName, { list: "queue-enterprises", type: "search",
      placeholder: t("enterprise_pick"), autocomplete: "off" }),
    h("datalist", { id: "queue-enterprises" }, model.enterprises.map((e) => h("option", { value: e.name }))),
    inputField(t("filter_from"), "created_from", f.created_from, { type: "date" }),
    inputField(t("filter_to"), "created_to", f.created_to, { type: "date" }),
    selectField(t("queue_per_page"), "per_page", model.pageSizes.map((n) => ({ value: String(n), label: t("queue_per_page_n", { n }) })),
      String(f.per_page), { "data-testid": "queue-per-page" }));
  const apply = () => {
    const values = formValues(form);
    const enterprise = model.enterprises.find((e) => e.name === values.enterprise);
    delete values.enterprise;
    handlers.filter({ ...values, sort: f.sort, order: f.order, enterprise_id: enterprise ? enterprise.id : "", page: 1 });
  };
  form.addEventListener("change", apply);
  form.addEventListener("submit", (event) => { event.preventDefault(); apply(); });
  const list = model.list;
  const ticked = new Set(model.ticked);
  const rows = list.items.map((/** @type {any} */ item) => queueRow(item, model.canApprove && model.approvable.includes(item.review_status),
    ticked.has(item.id)));
  const picks = () => /** @type {HTMLInputElement[]} */ ([...root.querySelectorAll("input[data-pick]")]);
  const chosen = () => picks().filter((box) => box.checked).map((box) => /** @type {string} */ (box.dataset.pick));
  const count = h("span", { class: "muted", "data-testid": "queue-selected" });
  const bulk = button(t("bulk_approve"), async () => {
    const ids = chosen();
    if (!ids.length) return;
    bulk.toggleAttribute("disabled", true);
    try {
      await handlers.approve(ids);
    } finally {
      bulk.toggleAttribute("disabled", !chosen().length);
    }
  }, { class: "btn primary", "data-testid": "bulk-approve", disabled: true });
  const everything = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", class: "pick-box", "data-testid": "select-page" }));
  const selectable = rows.some((/** @type {HTMLElement} */ row) => row.querySelector("input[data-pick]"));
  const refresh = (remember = true) => {
    const n = chosen().length;
    if (remember) handlers.tick(chosen());
    replace(count, n ? t("queue_selected_n", { n }) : "");
    bulk.toggleAttribute("disabled", !n);
    everything.checked = n > 0 && n === picks().length;
    everything.indeterminate = n > 0 && n < picks().length;
  };
  everything.addEventListener("change", () => {
    for (const box of picks()) box.checked = everything.checked;
    refresh();
  });
  const table = h("div", { class: ["queue-table", !selectable && "no-pick"] },
    h("div", { class: "queue-head", role: "row" },
      h("div", { class: "pick" }),
      h("div", { class: "queue-cols", "data-testid": "queue-sort" }, model.sorts.map((column) => sortButton(column, f, handlers.sort)))),
    h("div", { class: "list", "data-testid": "queue", onchange: () => refresh() }, rows));
  replace(root, h("div", { class: "office review-queue" },
    h("section", { class: "card" }, form),
    model.outcome ? outcomePanel(model.outcome, list.items, handlers.dismiss) : null,
    h("section", { class: "card" },
      h("div", { class: "row" }, h("h2", { class: "grow" }, t("queue_title")),
        h("span", { class: "muted", "data-testid": "queue-total" }, t(list.total_more ? "queue_total_more" : "queue_total", { n: list.total }))),
      selectable ? h("div", { class: "row bulk-bar" }, h("label", { class: "select-page" }, everything, t("queue_select_page")),
        bulk, count) : null,
      list.items.length ? table : empty(t("queue_empty")),
      pager(list, (page) => handlers.filter({ ...f, page })))));
  refresh(false); // rows ticked before the screen was drawn again
}

/** A column's header: sorts by it, or turns the order round when it already does. @param {string} column
 * @param {Record<string, any>} f @param {(column: string) => void} sort */
function sortButton(column, f, sort) {
  const active = f.sort === column;
  const order = active ? f.order : null;
  return h("button", { type: "button", class: ["sort", `col-${column}`, active && "active"], "data-sort": column,
    "aria-sort": order === "asc" ? "ascending" : order === "desc" ? "descending" : "none",
    title: active ? t(order === "asc" ? "sort_asc" : "sort_desc") : null, onclick: () => sort(column) },
  t(/** @type {any} */ (`queue_sort_${column}`)), h("span", { class: "sort-arrow", "aria-hidden": "true" }, order === "asc" ? "↑" : order === "desc" ? "↓" : ""));
}

/** What a record is about, as a reviewer knows it: the enterprise, the patient of a follow-up, the task of a visit. @param {any} item */
export function subjectOf(item) {
  const parts = [item.enterprise_name, item.entity === "followup" ? item.patient_name : null,
    item.task_no ? t("queue_task", { no: item.task_no }) : null].filter(Boolean);
  return parts.join(" · ");
}

/** @param {any} item @param {boolean} pickable @param {boolean} checked */
function queueRow(item, pickable, checked) {
  const subject = subjectOf(item);
  return h("div", { class: "queue-row", "data-record": item.id, "data-status": item.review_status || "" },
    h("label", { class: "pick" }, pickable ? h("input", { type: "checkbox", class: "pick-box", "data-pick": item.id, checked,
      "aria-label": t("queue_select_row", { name: subject || kindOf(item.entity) }) }) : null),
    h("a", { class: "list-item queue-link", href: `#/review/record/${item.id}` },
      h("div", { class: "col-kind" }, h("span", { class: "kind" }, kindOf(item.entity) || item.entity)),
      h("div", { class: "col-subject list-main" },
        h("div", { class: "list-title", "data-testid": "queue-subject" }, subject || "—"),
        h("div", { class: "list-sub" }, [item.author, item.team].filter(Boolean).join(" · ")),
        item.review_comment ? h("div", { class: "comment" }, `${t("review_comment")}：${item.review_comment}`) : null),
      h("div", { class: "col-record_date" }, h("span", { class: "col-name" }, t("queue_sort_record_date")),
        h("span", { "data-testid": "queue-record-date" }, item.record_date || "—")),
      h("div", { class: "col-received" }, h("span", { class: "col-name" }, t("queue_sort_received")), dateTime(item.created_at)),
      h("div", { class: "col-state list-side" }, stateBadge(item.review_status || "draft"), lifecycleBadge(item.monitoring_state),
        item.conflict_open ? h("span", { class: "badge-state warn" }, t("has_conflict")) : null,
        item.locked ? h("span", { class: "badge-state" }, t("locked")) : null)));
}

/**
 * What came of a bulk approval: how many were approved, each by name, and each refused one by name with the reason.
 * @param {Outcome} outcome @param {any[]} items  the page shown (names in the reader's language) @param {() => void} dismiss
 */
function outcomePanel(outcome, items, dismiss) {
  const byId = new Map(items.map((item) => [item.id, item]));
  const nameOf = (/** @type {{id: string, name: string|null}} */ line) =>
    (byId.has(line.id) ? subjectOf(byId.get(line.id)) : "") || line.name || t("bulk_unknown_record");
  // The server's reason is in Chinese; a reader of English gets it by its code.
  const why = (/** @type {any} */ line) => (lang() === "en" ? tr(`bulk_why_${String(line.code).toLowerCase()}`, line.reason || line.message)
    : line.reason || line.message);
  return h("section", { class: ["card bulk-outcome", outcome.refused.length && "attention"], role: "status", "data-testid": "bulk-outcome" },
    h("h2", null, t("bulk_title")),
    h("p", { "data-testid": "bulk-approved-count" }, t("bulk_approved_n", { n: outcome.approved.length })),
    outcome.approved.length ? h("ul", { class: "bulk-lines" }, outcome.approved.map((line) =>
      h("li", { "data-approved": line.id }, h("span", { class: "grow" }, nameOf(line)), stateBadge(line.review_status || "approved")))) : null,
    outcome.refused.length ? [h("h3", null, t("bulk_refused_n", { n: outcome.refused.length })),
      h("ul", { class: "bulk-lines refused" }, outcome.refused.map((line) => h("li", { "data-refused": line.id },
        h("b", null, nameOf(line)), h("span", { class: "bulk-reason" }, why(line)))))] : null,
    h("div", { class: "actions" }, button(t("bulk_dismiss"), dismiss, { class: "btn small", "data-testid": "bulk-dismiss" })));
}

/**
 * The decision panel: approve, or return with a comment (required: the field worker must know what to fix).
 * @param {{canReview: boolean, status: string}} model
 * @param {{approve: () => Promise<void>, giveBack: (comment: string) => Promise<void>}} handlers
 */
export function reviewPanel(model, handlers) {
  if (!model.canReview) return null;
  const comment = /** @type {HTMLTextAreaElement} */ (h("textarea", { class: "input", name: "comment", rows: 3,
    "data-testid": "review-comment-input", placeholder: t("return_placeholder"), maxlength: 2000 }));
  const message = h("div", { class: "field-msg", role: "alert" });
  const busy = (/** @type {() => Promise<void>} */ work) => async () => {
    for (const b of panel.querySelectorAll("button")) b.toggleAttribute("disabled", true);
    try {
      await work();
    } finally {
      for (const b of panel.querySelectorAll("button")) b.toggleAttribute("disabled", false);
    }
  };
  const panel = h("section", { class: "card review-panel", "data-testid": "review-panel" },
    h("h2", null, t("review_decision")),
    h("label", { class: "field" }, h("div", { class: "field-label" }, t("return_comment")), comment, message),
    h("div", { class: "actions" },
      button(t("approve"), busy(handlers.approve), { class: "btn primary big", "data-testid": "approve" }),
      button(t("return_record"), busy(async () => {
        if (!comment.value.trim()) {
          replace(message, t("return_needs_comment"));
          comment.focus();
          return;
        }
        await handlers.giveBack(comment.value.trim());
      }), { class: "btn danger big", "data-testid": "return" })),
    h("p", { class: "muted" }, t("approve_note")));
  return panel;
}
