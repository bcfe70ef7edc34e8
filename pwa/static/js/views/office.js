// @ts-check
/**
 * Pieces the office screens (review, dashboards, exports, draws, administration) share: their style sheet,
 * the server's error envelope as a banner, filter fields, read-only tables, tabs and a pager.
 * @module views/office
 */
import { t } from "../i18n.js";
import { button, h } from "./dom.js";
import { messageOf } from "./form.js";

/** @type {Promise<void>|null} */
let styles = null;

/** A string by a key made from data (an operation, a state), or the data itself when there is none for it. @param {string} key @param {string} fallback */
export function tr(key, fallback) {
  const text = t(/** @type {any} */ (key));
  return text === key ? fallback : text;
}

/** The office style sheet, added once and awaited so no screen is shown unstyled (a field tablet never loads it). */
export function loadStyles() {
  if (!styles) {
    styles = new Promise((resolve) => {
      const link = /** @type {HTMLLinkElement} */ (h("link", { rel: "stylesheet", href: "/static/css/office.css" }));
      link.addEventListener("load", () => resolve());
      link.addEventListener("error", () => resolve()); // unstyled beats blank
      document.head.append(link);
    });
  }
  return styles;
}

/**
 * The server's error envelope as people read it: the message, then each detail with its field or row.
 * @param {any} error  an ApiError (code, message, details) or anything thrown
 * @param {boolean} [withDetails]  false when the screen lists the details itself (an import's rows)
 */
export function errorBanner(error, withDetails = true) {
  const details = withDetails && Array.isArray(error?.details) ? error.details : [];
  const text = error?.status === 0 ? t("office_offline") : error?.message || String(error);
  return h("div", { class: "form-banner", role: "alert", "data-testid": "office-error", "data-code": error?.code || "" },
    h("div", null, text),
    details.length ? h("ul", { class: "error-details" }, details.slice(0, 50).map((/** @type {any} */ d) => h("li", null,
      d.row != null ? `${t("row_n", { n: d.row })} · ` : "", d.field ? `${d.field}：` : "", messageOf(d)))) : null);
}

/** A banner that says something went well. @param {string} text */
export function infoBanner(text) {
  return h("div", { class: "form-banner info", role: "status", "data-testid": "office-message" }, text);
}

/**
 * A labelled select of a filter or form.
 * @param {string} text @param {string} name @param {{value: string, label: string}[]} options
 * @param {string|null|undefined} value @param {Record<string, any>} [attrs]
 */
export function selectField(text, name, options, value, attrs = {}) {
  return h("label", { class: "field" }, h("div", { class: "field-label" }, text),
    h("select", { class: "input", name, ...attrs }, options.map((o) =>
      h("option", { value: o.value, selected: String(value ?? "") === o.value }, o.label))));
}

/**
 * A labelled input.
 * @param {string} text @param {string} name @param {string|null|undefined} value @param {Record<string, any>} [attrs]
 */
export function inputField(text, name, value, attrs = {}) {
  return h("label", { class: "field" }, h("div", { class: "field-label" }, text),
    h("input", { class: "input", name, value: value ?? "", ...attrs }));
}

/** The values of a form's named controls. @param {HTMLElement} form @returns {Record<string, string>} */
export function formValues(form) {
  /** @type {Record<string, string>} */
  const values = {};
  for (const el of /** @type {NodeListOf<HTMLInputElement>} */ (form.querySelectorAll("input[name], select[name], textarea[name]"))) {
    if (el.type === "checkbox") continue;
    values[el.name] = el.value.trim();
  }
  return values;
}

/**
 * A read-only table that scrolls sideways on a phone instead of widening the page.
 * @param {string[]} headers @param {any[][]} rows @param {Record<string, any>} [attrs]
 */
export function table(headers, rows, attrs = {}) {
  return h("div", { class: "table-wrap", ...attrs }, h("table", { class: "data-table" },
    h("thead", null, h("tr", null, headers.map((text) => h("th", { scope: "col" }, text)))),
    h("tbody", null, rows.map((cells) => h("tr", null, cells.map((cell, i) => (i === 0 ? h("th", { scope: "row" }, cell ?? "—")
      : h("td", null, cell ?? "—"))))))));
}

/**
 * Tabs between the screens of one area (administration), as links.
 * @param {{key: string, href: string, label: string}[]} items @param {string} active
 */
export function tabs(items, active) {
  return h("nav", { class: "steps office-tabs" }, items.map((item) => h("a", { class: ["step", item.key === active && "active"],
    href: item.href, "data-tab": item.key, "aria-current": item.key === active ? "page" : null }, item.label)));
}

/**
 * Previous / next page of a list.
 * @param {{page: number, per_page: number, total: number}} list @param {(page: number) => void} go
 */
export function pager(list, go) {
  const pages = Math.max(1, Math.ceil(list.total / list.per_page));
  if (pages <= 1) return null;
  return h("div", { class: "actions pager" },
    button(t("previous"), () => go(list.page - 1), { class: "btn small", disabled: list.page <= 1, "data-testid": "page-prev" }),
    h("span", { class: "muted" }, t("page_of", { page: list.page, pages })),
    button(t("next"), () => go(list.page + 1), { class: "btn small", disabled: list.page >= pages, "data-testid": "page-next" }));
}

/** A key / value line of a record's facts. @param {string} label @param {any} value @param {string} [testid] */
export function fact(label, value, testid) {
  return h("div", { class: "kv" }, h("dt", null, label), h("dd", { "data-testid": testid || null }, value ?? "—"));
}

/**
 * Hand bytes from the server to the browser as a file (downloads, or the PDF viewer).
 * @param {ArrayBuffer} bytes @param {string} filename @param {string} mime
 */
export function saveFile(bytes, filename, mime) {
  const link = h("a", { href: URL.createObjectURL(new Blob([bytes], { type: mime })), download: filename });
  document.body.append(link);
  link.click();
  link.remove();
}

/** A screen that could not load (offline, refused): the server's message in place of the screen. @param {HTMLElement} root @param {any} error */
export function renderError(root, error) {
  root.replaceChildren(h("div", { class: "office" }, errorBanner(error)));
}

/** The server's message in one line, for a toast after an action failed. @param {any} error */
export function errorText(error) {
  if (error?.status === 0) return t("office_offline");
  const first = Array.isArray(error?.details) && error.details.length ? error.details[0] : null;
  return [error?.message || String(error), first ? `${first.field ? `${first.field}：` : ""}${messageOf(first)}` : null]
    .filter(Boolean).join(" — ");
}

/**
 * A screen of an area with tabs: the tabs on top, the returned element below for the screen itself.
 * @param {HTMLElement} root @param {{key: string, href: string, label: string}[]} items @param {string} active
 */
export function renderTabbed(root, items, active) {
  const body = h("div", { class: "tab-body" });
  root.replaceChildren(tabs(items, active), body);
  return body;
}
