// @ts-check
/**
 * Rectification tracking: the counts by state (each a filter), then per notice — its number, enterprise,
 * status and progress — every item with its deadline, state and the re-inspections that looked at it.
 * @module views/tracking
 */
import { t } from "../i18n.js";
import { h, replace } from "./dom.js";
import { empty } from "./common.js";
import { docBadge } from "./issue.js";
import { pager, tr } from "./office.js";

const STATE_CLASS = { overdue: "warn", due_soon: "state-returned", reinspecting: "state-resubmitted", open: "state-submitted",
  closed: "state-approved" };

/** @param {string} status */
function stateTag(status) {
  return h("span", { class: `badge-state ${/** @type {any} */ (STATE_CLASS)[status] || ""}`, "data-rect-status": status },
    t(/** @type {any} */ (`rect_state_${status}`)));
}

/** @param {any} r  a re-inspection of an item */
function reinspectionLine(r) {
  const text = [r.on, tr(`rein_${r.result}`, r.result), r.note].filter(Boolean).join(" · ");
  return h("li", { "data-reinspection": r.reinspection_item_id || "" },
    r.root_id ? h("a", { href: `#/review/record/${r.root_id}` }, `${t("reinspection_of")} ${text}`) : `${t("reinspection_of")} ${text}`);
}

/** @param {any} item */
function itemRow(item) {
  return h("div", { class: "list-item rect-item", "data-item": item.id, "data-rect-status": item.status },
    h("div", { class: "list-main" },
      h("div", { class: "list-title" }, item.fact || "—"),
      item.requirement ? h("div", { class: "list-sub" }, `${t("requirement")}：${item.requirement}`) : null,
      h("div", { class: "list-sub" }, [item.deadline ? t("deadline_on", { date: item.deadline }) : null,
        item.closed_on ? t("rect_closed_on", { date: item.closed_on }) : null].filter(Boolean).join(" · ")),
      item.reinspections.length ? h("ul", { class: "reinspections" }, item.reinspections.map(reinspectionLine)) : null),
    h("div", { class: "list-side" }, stateTag(item.status)));
}

/** @param {any} group */
function noticeCard(group) {
  const progress = t("rect_progress", { closed: group.closed, total: group.total });
  return h("section", { class: "card rect-notice", "data-notice": group.key },
    h("div", { class: "row" }, h("h3", { class: "grow" }, group.number || t("rect_no_number"), " · ", group.enterprise || t("no_enterprise")),
      group.document ? docBadge(group.document.status) : null,
      h("span", { class: ["badge-state", group.closed === group.total && "state-approved"], "data-testid": "notice-progress" },
        group.closed === group.total ? t("rect_all_closed") : progress)),
    group.overdue ? h("p", { class: "warn" }, t("rect_overdue_n", { n: group.overdue })) : null,
    h("div", { class: "list" }, group.items.map(itemRow)),
    h("div", { class: "actions" }, h("a", { class: "btn small", href: `#/review/record/${group.inspection_id}` }, t("open_inspection"))));
}

/**
 * @param {HTMLElement} root @param {any} model  controllers/tracking trackingModel
 * @param {{show: (status: string, page?: number) => void}} handlers
 */
export function renderTracking(root, model, handlers) {
  const chip = (/** @type {string} */ status, /** @type {number} */ n) => h("button", { type: "button", class: "seg",
    "aria-pressed": String(model.status === status), "data-filter": status, onclick: () => handlers.show(status) },
  status ? t(/** @type {any} */ (`rect_state_${status}`)) : t("all"), " ", h("b", { "data-count": status || "all" }, String(n)));
  replace(root, h("div", { class: "office tracking" },
    h("div", { class: "segmented office-toggle", "data-testid": "rect-summary" }, chip("", model.all),
      ["overdue", "due_soon", "reinspecting", "open", "closed"].map((s) => chip(s, model.summary[s] || 0))),
    h("p", { class: "muted", "data-testid": "rect-closed-period" },
      t("rect_closed_period", { from: model.closedPeriod.from, to: model.closedPeriod.to })),
    model.groups.length ? model.groups.map(noticeCard) : empty(t("rect_none")),
    pager(model.list, (page) => handlers.show(model.status, page))));
}
