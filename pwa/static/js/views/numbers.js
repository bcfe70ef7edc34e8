// @ts-check
/**
 * 编号登记簿: a year picker, then one card per document type — its title, the summary line (allocated, and how many
 * of them were issued, voided, returned, reserved, on voided documents, with whether they add up) and every
 * number in order with its state and what explains it (who issued it and when, or why and by whom it was voided
 * or returned, or who holds it reserved), issuance offline marked.
 * @module views/numbers
 */
import { lang, t } from "../i18n.js";
import { button, h, replace } from "./dom.js";
import { empty } from "./common.js";
import { errorBanner, formValues, inputField, tr } from "./office.js";

/** Badge colours by state: issued green, returned amber, reserved blue, voided red. */
const BADGE = { issued: "state-issued", returned: "state-returned", reserved: "state-submitted", voided: "warn", document_voided: "warn" };

/** The server's Chinese words (state_zh, title_zh); in English, this screen's translation of them. @param {string} zh @param {string} key */
const words = (zh, key) => (lang() === "en" ? tr(key, zh) : zh || tr(key, ""));

/** What explains a number's state. @param {any} e  one entry of the register */
function detail(e) {
  if (e.state === "document_voided") {
    return `${t("register_issued", { name: e.issued_by || "—", date: e.issued_on || "—" })}；${
      t("register_voided", { reason: e.reason || "—", name: e.voided_by || "—" })}`;
  }
  if (e.state === "issued") return t("register_issued", { name: e.issued_by || "—", date: e.issued_on || "—" });
  if (e.state === "voided" || e.state === "returned") {
    return t(e.state === "voided" ? "register_voided" : "register_returned", { reason: e.reason || "—", name: e.voided_by || "—" });
  }
  return e.reserved_by ? t("register_reserved", { name: e.reserved_by }) : t("register_reserved_unknown");
}

/** @param {any} e */
function entryRow(e) {
  return h("tr", { "data-number": e.number, "data-state": e.state },
    h("th", { scope: "row", class: "mono" }, e.number),
    h("td", null, h("span", { class: ["badge-state", /** @type {any} */ (BADGE)[e.state]], "data-testid": "register-state" },
      words(e.state_zh, `number_state_${e.state}`))),
    h("td", { "data-testid": "register-detail" }, detail(e)),
    h("td", null, e.offline ? h("span", { class: "tag", "data-testid": "register-offline" }, t("register_offline")) : null));
}

/** @param {any} s  controllers/numbers seriesModel @param {string} year */
function seriesCard(s, year) {
  const n = Object.fromEntries(s.counts.map((/** @type {{state: string, n: number}} */ c) => [c.state, c.n]));
  return h("section", { class: "card", "data-testid": "register-series", "data-doc-type": s.doc_type },
    h("h2", null, t("register_series_title", { title: words(s.title_zh, `doc_${s.doc_type}`), year })),
    h("p", { "data-testid": "register-summary", "data-allocated": String(s.allocated), "data-total": String(s.total) },
      t("register_summary", { allocated: s.allocated, ...n })),
    h("p", { class: s.balanced ? "muted" : "warn", "data-testid": "register-balance", "data-balanced": String(s.balanced) },
      s.balanced ? t("register_balanced", { total: s.total }) : t("register_unbalanced", { total: s.total, allocated: s.allocated })),
    h("div", { class: "table-wrap" }, h("table", { class: "data-table", "data-testid": "register-entries" },
      h("thead", null, h("tr", null, [t("register_number"), t("register_state"), t("register_detail"), t("register_offline")]
        .map((text) => h("th", { scope: "col" }, text)))),
      h("tbody", null, s.entries.map(entryRow)))));
}

/** The server's refusal of a year, its field named as people read it. @param {any} error */
function yearError(error) {
  const details = Array.isArray(error?.details) ? error.details.map((/** @type {any} */ d) =>
    (d.field === "year" ? { ...d, field: t("register_year") } : d)) : [];
  return errorBanner({ status: error?.status, code: error?.code, message: error?.message, details });
}

/**
 * @param {HTMLElement} root
 * @param {{year: string, series: any[], error: any}} model  controllers/numbers registerModel
 * @param {{year: (year: string) => void}} handlers
 */
export function renderNumbers(root, model, handlers) {
  const shown = /^\d{4}$/.test(model.year) ? Number(model.year) : null;
  const form = h("form", { class: "filters", "data-testid": "register-year" },
    inputField(t("register_year"), "year", model.year, { inputmode: "numeric", autocomplete: "off", "data-testid": "register-year-input" }),
    h("div", { class: "actions" },
      h("button", { type: "submit", class: "btn primary", "data-testid": "register-show" }, t("register_show")),
      shown ? button(t("register_prev"), () => handlers.year(String(shown - 1)), { "data-testid": "register-prev" }) : null,
      shown ? button(t("register_next"), () => handlers.year(String(shown + 1)), { "data-testid": "register-next" }) : null));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    handlers.year(formValues(form).year || "");
  });
  replace(root, h("div", { class: "office numbers", "data-testid": "number-register", "data-year": model.year },
    h("section", { class: "card" }, form, model.error ? yearError(model.error) : null, h("p", { class: "muted" }, t("register_note"))),
    model.error ? null : model.series.length ? model.series.map((s) => seriesCard(s, model.year))
      : h("section", { class: "card" }, empty(t("register_none", { year: model.year })))));
}
