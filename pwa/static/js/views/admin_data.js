// @ts-check
/**
 * Administration of data: the enterprise registry (search; its import card is views/admin_import.js) and the published
 * form versions (reference data: views/admin_reference.js).
 * @module views/admin_data
 */
import { t } from "../i18n.js";
import { h, replace } from "./dom.js";
import { empty } from "./common.js";
import { pager, table } from "./office.js";

/**
 * @param {HTMLElement} root @param {{list: any, q: string, importCard: HTMLElement}} model  the import card: views/admin_import.js
 * @param {{search: (q: string, page: number) => void}} handlers
 */
export function renderEnterprises(root, model, handlers) {
  const query = /** @type {HTMLInputElement} */ (h("input", { class: "input grow", type: "search", name: "q", value: model.q,
    placeholder: t("search_placeholder") }));
  const list = model.list;
  replace(root, h("div", { class: "office registry" }, model.importCard,
    h("section", { class: "card" }, h("h2", null, t("registry_n", { n: list.total })),
      h("form", { class: "row", onsubmit: (/** @type {Event} */ e) => { e.preventDefault(); handlers.search(query.value.trim(), 1); } },
        query, h("button", { type: "submit", class: "btn" }, t("search"))),
      list.items.length ? h("div", { class: "list", "data-testid": "registry" }, list.items.map((/** @type {any} */ e) =>
        h("div", { class: "list-item", "data-enterprise": e.id }, h("div", { class: "list-main" },
          h("div", { class: "list-title" }, e.name, e.hazard_class ? h("span", { class: "tag" }, e.hazard_class) : null),
          h("div", { class: "list-sub" }, [e.credit_code, e.region_name, e.industry_name].filter(Boolean).join(" · ")))))) : empty(),
      pager(list, (page) => handlers.search(model.q, page)))));
}

/** @param {any} f  a published form version */
function formRow(f) {
  return h("a", { class: "list-item", href: `#/admin/forms?form=${f.form_id}&version=${f.version}`, "data-form": `${f.form_id}/${f.version}` },
    h("div", { class: "list-main" }, h("div", { class: "list-title" }, f.title, ` v${f.version}`),
      h("div", { class: "list-sub" }, t("form_hash"), " ", h("code", { class: "mono" }, f.hash.slice(0, 12)))),
    h("div", { class: "list-side" }, f.current ? h("span", { class: "badge-state state-approved" }, t("form_current"))
      : h("span", { class: "badge-state" }, t("form_older"))));
}

/** @param {any} o  one version's outline */
function formOutline(o) {
  return h("section", { class: "card", "data-testid": "form-outline" }, h("h2", null, `${o.title} v${o.version}`),
    o.entities.map((/** @type {any} */ e) => h("div", { class: "answer-section" }, h("h3", null, `${e.label} (${e.entity})`),
      table([t("field"), t("field_type"), t("section")], e.fields.map((/** @type {any} */ f) =>
        [`${f.label}${f.required ? " *" : ""}`, f.type, f.section])))));
}

/** @param {HTMLElement} root @param {any} model  controllers/registry formsModel */
export function renderForms(root, model) {
  replace(root, h("div", { class: "office forms-admin" },
    h("section", { class: "card" }, h("h2", null, t("forms_title")), h("p", { class: "muted" }, t("forms_note")),
      h("div", { class: "list", "data-testid": "form-versions" }, model.forms.map(formRow))),
    model.outline ? formOutline(model.outline) : null));
}
