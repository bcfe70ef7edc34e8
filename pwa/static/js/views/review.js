// @ts-check
/**
 * The review queue: filters by kind, agency, team, enterprise, date and status; one row per record with its
 * enterprise, date, author and team, its status, an open conflict and the comment it was returned with.
 * @module views/review
 */
import { dateTime, t } from "../i18n.js";
import { button, h, replace } from "./dom.js";
import { empty, kindOf, stateBadge } from "./common.js";
import { lifecycleBadge } from "./lifecycle.js";
import { formValues, inputField, pager, selectField } from "./office.js";

/**
 * @param {HTMLElement} root
 * @param {{list: any, filters: Record<string, any>, agencies: any[], teams: any[], enterprises: {id: string, name: string}[],
 *   kinds: string[], statuses: string[]}} model
 * @param {{filter: (filters: Record<string, any>) => void}} handlers
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
    inputField(t("filter_to"), "created_to", f.created_to, { type: "date" }));
  const apply = () => {
    const values = formValues(form);
    const enterprise = model.enterprises.find((e) => e.name === values.enterprise);
    delete values.enterprise;
    handlers.filter({ ...values, enterprise_id: enterprise ? enterprise.id : "", page: 1 });
  };
  form.addEventListener("change", apply);
  form.addEventListener("submit", (event) => { event.preventDefault(); apply(); });
  const list = model.list;
  replace(root, h("div", { class: "office review-queue" },
    h("section", { class: "card" }, form),
    h("section", { class: "card" },
      h("div", { class: "row" }, h("h2", { class: "grow" }, t("queue_title")),
        h("span", { class: "muted", "data-testid": "queue-total" }, t("queue_total", { n: list.total }))),
      list.items.length ? h("div", { class: "list", "data-testid": "queue" }, list.items.map(queueRow)) : empty(t("queue_empty")),
      pager(list, (page) => handlers.filter({ ...f, page })))));
}

/** @param {any} item */
function queueRow(item) {
  return h("a", { class: "list-item", href: `#/review/record/${item.id}`, "data-record": item.id, "data-status": item.review_status || "" },
    h("div", { class: "list-main" },
      h("div", { class: "list-title" }, h("span", { class: "kind" }, kindOf(item.entity) || item.entity),
        item.enterprise_name || item.record_date || "—"),
      h("div", { class: "list-sub" }, [item.enterprise_name ? item.record_date : null, item.author, item.team,
        `${t("received_at")} ${dateTime(item.created_at)}`].filter(Boolean).join(" · ")),
      item.review_comment ? h("div", { class: "comment" }, `${t("review_comment")}：${item.review_comment}`) : null),
    h("div", { class: "list-side" }, stateBadge(item.review_status || "draft"), lifecycleBadge(item.monitoring_state),
      item.conflict_open ? h("span", { class: "badge-state warn" }, t("has_conflict")) : null,
      item.locked ? h("span", { class: "badge-state" }, t("locked")) : null));
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
