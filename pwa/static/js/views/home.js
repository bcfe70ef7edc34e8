// @ts-check
/**
 * Home: what the field worker has to do today.
 * @module views/home
 */
import { t } from "../i18n.js";
import { routeOf } from "../flows.js";
import { button, h, replace } from "./dom.js";
import { card, empty, kindOf, recordRow } from "./common.js";

/**
 * A 双随机 assignment: the enterprise, the draw, the due date and the colleague; one tap starts the inspection.
 * @param {any} a @param {(a: any) => void} inspect
 */
function assignmentRow(a, inspect) {
  return h("div", { class: "list-item assignment", "data-assignment": a.id, "data-enterprise": a.enterprise_id },
    h("a", { class: "list-main", href: `#/enterprise/${a.enterprise_id}` },
      h("div", { class: "list-title" }, a.enterprise_name, a.hazard_class ? h("span", { class: "tag" }, a.hazard_class) : null),
      h("div", { class: "list-sub" }, [a.title, a.due_date ? t("due_on", { date: a.due_date }) : null,
        a.partner ? t("with_partner", { name: a.partner.name }) : null].filter(Boolean).join(" · "))),
    h("div", { class: "list-side" }, a.inspected ? h("span", { class: "badge-state state-approved" }, t("assignment_started")) : null,
      button(t("start_inspection"), () => inspect(a), { class: "btn small primary", "data-testid": "assignment-start" })));
}

/**
 * @param {HTMLElement} root @param {any} model
 * @param {{start: (flow: any) => void, inspect: (assignment: any) => void}} handlers
 */
export function renderHome(root, model, handlers) {
  const rows = (/** @type {any[]} */ items) => items.length
    ? h("div", { class: "list" }, items.map((item) => recordRow(item, routeOf(item), kindOf(item.entity)))) : empty();
  const actions = model.flows.map((/** @type {any} */ flow) =>
    button(t(flow.label), () => handlers.start(flow), { class: "btn primary big", "data-flow": flow.id }));
  replace(root, h("div", { class: "home grid" },
    h("section", { class: "card span-all greet" }, h("h2", null, t("greeting", { name: model.user.display_name })),
      actions.length ? h("div", { class: "actions" }, actions) : h("p", { class: "muted" }, t("no_field_flows"))),
    model.assignments.length ? card(t("assignments_mine", { n: model.assignments.length }), [h("div", { class: "list" },
      model.assignments.map((/** @type {any} */ a) => assignmentRow(a, handlers.inspect)))],
    { class: "card span-all", "data-testid": "home-assignments" }) : null,
    model.returned.length ? card(t("returned"), [rows(model.returned)], { class: "card attention", "data-testid": "home-returned" }) : null,
    card(t("drafts"), [rows(model.drafts)], { "data-testid": "home-drafts" }),
    model.conflicts || model.rejections ? card("", [
      model.conflicts ? h("a", { class: "list-item attention", href: "#/conflicts" }, t("open_conflicts"), h("b", null, String(model.conflicts))) : null,
      model.rejections ? h("a", { class: "list-item attention", href: "#/sync" }, t("rejected_changes"), h("b", null, String(model.rejections))) : null,
    ]) : null,
    card(t("recent_enterprises"), [model.recent.length ? h("div", { class: "list" }, model.recent.map((/** @type {any} */ e) =>
      h("a", { class: "list-item", href: `#/enterprise/${e.id}` }, h("div", { class: "list-main" },
        h("div", { class: "list-title" }, e.name), h("div", { class: "list-sub" }, e.address || ""))))) : empty()]),
    model.submitted.length ? card(t("submitted"), [rows(model.submitted)]) : null));
}
