// @ts-check
/**
 * Administration of data: the enterprise registry (import with the per-row report, search), reference data (rows
 * with their verification flag; edit with a reason, verify, history) and the published form versions.
 * @module views/admin_data
 */
import { dateTime, t } from "../i18n.js";
import { button, h, replace } from "./dom.js";
import { empty } from "./common.js";
import { messageOf } from "./form.js";
import { errorBanner, infoBanner, pager, table, tr } from "./office.js";

/** The file's columns by the names the registry's strings give them (the server names the field). */
const IMPORT_COLUMNS = /** @type {Record<string, string>} */ ({ credit_code: "credit_code", name: "name", region: "district",
  size: "size", industry_code: "industry", industry_name: "industry", address: "address", contact_name: "contact" });

/**
 * The import's outcome: the rows created or updated, or every row's problems (then nothing was imported).
 * @param {{report?: any, error?: any}|null} outcome
 */
function importOutcome(outcome) {
  if (!outcome) return null;
  if (outcome.error) {
    const details = outcome.error.details || [];
    return h("div", { "data-testid": "import-report", "data-outcome": "error" }, errorBanner(outcome.error, false),
      details.length ? table([t("row"), t("field"), t("problem")], details.map((/** @type {any} */ d) =>
        [d.row ?? "—", d.field ? tr(IMPORT_COLUMNS[d.field] || d.field, d.field) : "—", messageOf(d)])) : null);
  }
  const rows = outcome.report.rows;
  return h("div", { "data-testid": "import-report", "data-outcome": "imported" },
    infoBanner(t("import_done", { n: outcome.report.imported })),
    table([t("row"), t("credit_code"), t("name"), t("import_status")], rows.map((/** @type {any} */ r) =>
      [r.row, r.credit_code, r.name, tr(`import_${r.status}`, r.status)])));
}

/**
 * @param {HTMLElement} root @param {{list: any, q: string, outcome: any}} model
 * @param {{upload: (file: File) => void, search: (q: string, page: number) => void}} handlers
 */
export function renderEnterprises(root, model, handlers) {
  const file = /** @type {HTMLInputElement} */ (h("input", { class: "input", type: "file", name: "file", accept: ".xlsx,.csv",
    "data-testid": "import-file" }));
  const query = /** @type {HTMLInputElement} */ (h("input", { class: "input grow", type: "search", name: "q", value: model.q,
    placeholder: t("search_placeholder") }));
  const list = model.list;
  replace(root, h("div", { class: "office registry" },
    h("section", { class: "card" }, h("h2", null, t("import_title")), h("p", { class: "muted" }, t("import_note")),
      h("div", { class: "row" }, file, button(t("import_start"), () => file.files?.[0] && handlers.upload(file.files[0]),
        { class: "btn primary", "data-testid": "import-start" })),
      importOutcome(model.outcome)),
    h("section", { class: "card" }, h("h2", null, t("registry_n", { n: list.total })),
      h("form", { class: "row", onsubmit: (/** @type {Event} */ e) => { e.preventDefault(); handlers.search(query.value.trim(), 1); } },
        query, h("button", { type: "submit", class: "btn" }, t("search"))),
      list.items.length ? h("div", { class: "list", "data-testid": "registry" }, list.items.map((/** @type {any} */ e) =>
        h("div", { class: "list-item", "data-enterprise": e.id }, h("div", { class: "list-main" },
          h("div", { class: "list-title" }, e.name, e.hazard_class ? h("span", { class: "tag" }, e.hazard_class) : null),
          h("div", { class: "list-sub" }, [e.credit_code, e.region_name, e.industry_name].filter(Boolean).join(" · ")))))) : empty(),
      pager(list, (page) => handlers.search(model.q, page)))));
}

/**
 * The dialog that edits a row's values; the reason is kept with the change and the row needs verifying again.
 * @param {() => void} close @param {any} row
 * @param {(entered: Record<string, string>, reason: string) => Promise<string|null>} save
 */
export function editDialog(close, row, save) {
  const inputs = row.editable.map((/** @type {any} */ f) => h("label", { class: "field" }, h("div", { class: "field-label" }, f.key),
    h("input", { class: "input", name: f.key, value: f.value ?? "", type: f.number ? "number" : "text", step: "any" })));
  const reason = /** @type {HTMLInputElement} */ (h("input", { class: "input", name: "reason", required: true }));
  const message = h("div", { class: "field-msg", role: "alert" });
  const body = h("div", { "data-testid": "edit-dialog" }, h("h2", null, `${row.key} · ${row.name}`), h("p", { class: "muted" }, t("edit_note")),
    h("div", { class: "form-section" }, inputs),
    h("label", { class: "field" }, h("div", { class: "field-label" }, t("reason")), reason), message,
    h("div", { class: "actions" }, button(t("save"), async () => {
      /** @type {Record<string, string>} */
      const entered = {};
      for (const el of /** @type {NodeListOf<HTMLInputElement>} */ (body.querySelectorAll(".form-section input"))) entered[el.name] = el.value.trim();
      const error = reason.value.trim() ? await save(entered, reason.value.trim()) : t("reason_required");
      if (error) replace(message, error);
      else close();
    }, { class: "btn primary", "data-testid": "edit-save" }), button(t("cancel"), close)));
  return body;
}

/**
 * A reason asked for before verifying (the second pair of eyes says what it checked against).
 * @param {() => void} close @param {any} row @param {(reason: string) => Promise<string|null>} verify
 */
export function verifyDialog(close, row, verify) {
  const reason = /** @type {HTMLInputElement} */ (h("input", { class: "input", name: "reason", placeholder: t("verify_hint") }));
  const message = h("div", { class: "field-msg", role: "alert" });
  return h("div", { "data-testid": "verify-dialog" }, h("h2", null, `${t("verify")} · ${row.key} ${row.name}`), h("p", null, row.value, " ", row.source),
    h("label", { class: "field" }, h("div", { class: "field-label" }, t("reason")), reason), message,
    h("div", { class: "actions" }, button(t("verify"), async () => {
      const error = reason.value.trim() ? await verify(reason.value.trim()) : t("reason_required");
      if (error) replace(message, error);
      else close();
    }, { class: "btn primary", "data-testid": "verify-save" }), button(t("cancel"), close)));
}

/** @param {() => void} close @param {any[]} entries */
export function historyDialog(close, entries) {
  return h("div", { "data-testid": "history-dialog" }, h("h2", null, t("history_title")),
    entries.length ? h("ol", { class: "history" }, entries.map((e) => h("li", { class: "history-item" },
      h("div", { class: "list-title" }, `${dateTime(e.at)} · ${tr(`ref_${e.action}`, e.action)} · #${e.user_id}`),
      e.reason ? h("div", { class: "list-sub" }, `${t("reason")}：${e.reason}`) : null))) : empty(),
    h("div", { class: "actions" }, button(t("done"), close, { class: "btn primary" })));
}

/**
 * @param {HTMLElement} root @param {any} model  controllers/registry referenceModel, plus `filter`
 * @param {{edit: (row: any) => void, verify: (row: any) => void, history: (row: any) => void, filter: (text: string) => void}} handlers
 */
export function renderReference(root, model, handlers) {
  const text = (model.filter || "").toLowerCase();
  const rows = model.rows.filter((/** @type {any} */ r) => !text || `${r.key} ${r.name}`.toLowerCase().includes(text));
  const search = /** @type {HTMLInputElement} */ (h("input", { class: "input", type: "search", value: model.filter || "", placeholder: t("ref_filter"),
    "aria-label": t("ref_filter") }));
  search.addEventListener("change", () => handlers.filter(search.value.trim()));
  replace(root, h("div", { class: "office reference" },
    h("section", { class: "card" }, h("h2", null, t("ref_tables")), h("div", { class: "chips", "data-testid": "ref-tables" },
      model.tables.map((/** @type {any} */ table) => h("a", { class: ["chip", table.name === model.table && "active"], href: `#/admin/reference?table=${table.name}`,
        "data-table": table.name, "aria-current": table.name === model.table ? "page" : null },
      `${table.title_zh || table.name} (${table.rows}${table.unverified ? ` · ${t("unverified_n", { n: table.unverified })}` : ""})`)))),
    model.table ? h("section", { class: "card" }, h("h2", null, model.tables.find((/** @type {any} */ x) => x.name === model.table)?.title_zh || model.table),
      search,
      h("div", { class: "list", "data-testid": "ref-rows" }, rows.map((/** @type {any} */ r) => h("div", { class: "list-item", "data-row": r.row_key,
        "data-verified": String(r.verified) },
      h("div", { class: "list-main" }, h("div", { class: "list-title" }, r.name || r.key, r.name ? h("span", { class: "muted" }, ` ${r.key}`) : null),
        h("div", { class: "list-sub" }, [r.value, r.source, r.effective, tr(`confidence_${r.confidence}`, r.confidence)].filter(Boolean).join(" · "))),
      h("div", { class: "list-side" },
        h("span", { class: ["badge-state", r.verified ? "state-approved" : "warn"], "data-testid": "ref-verified" },
          r.verified ? t("verified") : t("unverified")),
        button(t("edit"), () => handlers.edit(r), { class: "btn small", "data-testid": "ref-edit" }),
        r.verified ? null : button(t("verify"), () => handlers.verify(r), { class: "btn small", "data-testid": "ref-verify" }),
        button(t("history"), () => handlers.history(r), { class: "btn small" })))))) : h("p", { class: "muted" }, t("ref_pick"))));
}

/** @param {any} f  a published form version */
function formRow(f) {
  return h("a", { class: "list-item", href: `#/admin/forms?form=${f.form_id}&version=${f.version}`, "data-form": `${f.form_id}/${f.version}` },
    h("div", { class: "list-main" }, h("div", { class: "list-title" }, f.title, ` v${f.version}`),
      h("div", { class: "list-sub" }, f.form_id, " · ", h("code", { class: "mono" }, f.hash.slice(0, 12)))),
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
