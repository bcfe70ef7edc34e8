// @ts-check
/**
 * 分类监督执法 screens: the register of classes and reassessment dates with the district's draw ratios and the
 * import of assessments; an enterprise's class file (current class, next reassessment, the assessment form, history).
 * @module views/classification
 */
import { dateTime, t } from "../i18n.js";
import { button, h, replace } from "./dom.js";
import { card, empty } from "./common.js";
import { formValues, inputField, selectField, table } from "./office.js";

/** @param {string|null|undefined} label */
const classText = (label) => (label ? t("cls_class_label", { label }) : t("cls_none"));
/** @param {string} status */
const statusBadge = (status) => h("span", { class: ["badge-state", status === "overdue" ? "warn" : status === "current" && "state-approved"],
  "data-status": status }, t(/** @type {any} */ (`cls_status_${status}`)));

/**
 * @param {any} ratios  the district's ratio table
 * @param {{saveRatio: (label: string, pct: string, reason: string) => void, district: (id: string) => void}} handlers
 * @param {any[]} districts @param {boolean} canEdit
 */
function ratioCard(ratios, handlers, districts, canEdit) {
  const reason = h("input", { class: "input", name: "reason", placeholder: t("cls_ratio_reason"), maxlength: 500, "data-testid": "ratio-reason" });
  const picker = selectField(t("cls_ratios_district"), "region_id", districts.map((r) => ({ value: String(r.id), label: r.name })), String(ratios.region_id));
  picker.querySelector("select")?.addEventListener("change", (event) => handlers.district(/** @type {HTMLSelectElement} */ (event.target).value));
  // One wrapping block per class (not a table): the input and its button stay usable on a phone.
  const rows = ratios.items.map((/** @type {any} */ row) => {
    const name = row.label === "未分类" ? t("cls_unclassified") : classText(row.label);
    const input = h("input", { class: "input", type: "number", min: 0, max: 100, step: 1, value: String(row.ratio_pct),
      disabled: !canEdit, "data-ratio": row.label });
    const source = row.source === "district"
      ? t("cls_ratio_source_district", { name: row.updated_by_name, time: dateTime(row.updated_at), reason: row.reason })
      : `${t("cls_ratio_source_policy")} · ${t("cls_ratio_default", { pct: row.default_pct })}`;
    return h("div", { class: "filters", "data-ratio-row": row.label },
      h("label", { class: "field" }, h("div", { class: "field-label" }, `${name} · ${t("cls_ratio")}`), input),
      h("div", null, row.meaning_zh ? h("div", null, row.meaning_zh) : null, h("small", { class: "muted" }, source)),
      canEdit ? h("div", { class: "actions" }, button(t("cls_ratio_save"), () => handlers.saveRatio(row.label, /** @type {HTMLInputElement} */ (input).value,
        /** @type {HTMLInputElement} */ (reason).value), { class: "btn", "data-save-ratio": row.label })) : null);
  });
  return card(t("cls_ratios"), [picker, h("p", { class: "muted" }, t("cls_ratio_rule")),
    canEdit ? h("label", { class: "field" }, h("div", { class: "field-label" }, t("cls_ratio_reason")), reason) : null,
    h("div", { "data-testid": "ratio-table" }, rows),
    ratios.history.length ? h("details", null, h("summary", null, t("cls_ratio_history")),
      h("ul", { "data-testid": "ratio-history" }, ratios.history.map((/** @type {any} */ c) => h("li", null, t("cls_ratio_change", {
        time: dateTime(c.at), name: c.user_name, label: c.label, before: c.before, after: c.after, reason: c.reason }))))) : null],
  { "data-testid": "ratio-card" });
}

/**
 * @param {any} preview  the server's preview, or null @param {{preview: (file: File) => void, apply: (file: File, digest: string) => void}} handlers
 */
function importCard(preview, handlers) {
  const input = /** @type {HTMLInputElement} */ (h("input", { type: "file", accept: ".xlsx,.csv", "data-testid": "class-import-file" }));
  const file = () => input.files?.[0] || null;
  return card(t("cls_import"), [h("p", { class: "muted" }, t("cls_import_note")), input,
    h("div", { class: "actions" }, button(t("cls_import_preview"), () => { const f = file(); if (f) handlers.preview(f); }, { class: "btn", "data-testid": "class-import-preview" })),
    preview ? h("div", { "data-testid": "class-import-report" },
      h("p", null, t("cls_import_counts", preview.counts)),
      table([t("cls_import_row"), t("cls_enterprise"), t("cls_class"), t("cls_status"), t("cls_import_change")], preview.rows.map((/** @type {any} */ r) => [
        String(r.row), r.name, classText(r.label), r.status_zh,
        r.changes.map((/** @type {any} */ c) => `${c.label}：${c.old ?? "—"} → ${c.new ?? "—"}`).join("；") || "—"])),
      button(t("cls_import_apply"), () => { const f = file(); if (f) handlers.apply(f, preview.digest); }, { class: "btn primary", "data-testid": "class-import-apply" })) : null]);
}

/**
 * @param {HTMLElement} root
 * @param {{register: any, districts: any[], regionId: string|null, ratios: any, status: string|null, canAssess: boolean, preview: any}} model
 * @param {{status: (s: string|null) => void, district: (id: string) => void, saveRatio: (label: string, pct: string, reason: string) => void,
 *   preview: (file: File) => void, apply: (file: File, digest: string) => void}} handlers
 */
export function renderRegister(root, model, handlers) {
  const filters = h("nav", { class: "steps office-tabs" }, [null, "overdue", "never", "due_soon", "current"].map((s) =>
    h("a", { class: ["step", model.status === s && "active"], href: "#", "data-filter": s || "all",
      onclick: (/** @type {Event} */ e) => { e.preventDefault(); handlers.status(s); } }, s ? t(/** @type {any} */ (`cls_status_${s}`)) : t("cls_filter_all"))));
  const items = model.register.items;
  replace(root, h("div", { class: "office classification" },
    h("section", { class: "card" }, h("h2", null, t("cls_register")), h("p", { class: "muted" }, t("cls_counts", model.register.counts)), filters,
      items.length ? table([t("cls_enterprise"), t("cls_class"), t("cls_assessed_on"), t("cls_next_due"), t("cls_status")], items.map((/** @type {any} */ e) => [
        h("a", { href: `#/classification/${e.id}`, "data-enterprise": e.id }, e.name), classText(e.label), e.assessed_on,
        e.next_due || (e.label ? t("cls_due_never") : null), statusBadge(e.status)]), { "data-testid": "class-register" }) : empty()),
    model.ratios ? ratioCard(model.ratios, handlers, model.districts, model.canAssess) : null,
    model.canAssess ? importCard(model.preview, handlers) : null));
}

/** @param {any} a  one assessment */
function inputsText(a) {
  if (!a.hazard_nature) return a.source;
  return t("cls_inputs_text", { nature: a.hazard_nature, conformity: a.exposure_conformity, n: a.exposed_headcount, score: a.management_score });
}

/**
 * @param {any} file  the server's class file
 * @param {(values: Record<string, string>) => void} submit
 */
function assessForm(file, submit) {
  const s = file.suggested || {};
  const form = h("form", { class: "filters", "data-testid": "class-form" },
    selectField(t("cls_scheme"), "scheme", file.schemes.map((/** @type {any} */ x) => ({ value: x.key, label: x.title_zh })), file.schemes[0]?.key),
    selectField(t("cls_hazard_nature"), "hazard_nature", [{ value: "", label: "—" }, { value: "general", label: t("cls_nature_general") },
      { value: "severe", label: t("cls_nature_severe") }], s.hazard_nature || ""),
    selectField(t("cls_conformity"), "exposure_conformity", [{ value: "", label: "—" }, { value: "conform", label: t("cls_conform") },
      { value: "nonconform", label: t("cls_nonconform") }], ""),
    inputField(t("cls_headcount"), "exposed_headcount", s.exposed_headcount != null ? String(s.exposed_headcount) : "", { type: "number", min: 0, step: 1, inputmode: "numeric" }),
    inputField(t("cls_score"), "management_score", "", { type: "number", min: 0, max: 100, step: "0.5", inputmode: "decimal" }),
    inputField(t("cls_date"), "assessed_on", file.today, { type: "date", max: file.today }),
    inputField(t("cls_remark"), "note", "", { maxlength: 500 }),
    s.severe_hazards?.length ? h("p", { class: "muted" }, t("cls_suggest_severe", { names: s.severe_hazards.join("、") })) : null,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn primary big", "data-testid": "class-submit" }, t("cls_submit"))));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit(formValues(form));
  });
  return form;
}

/**
 * @param {HTMLElement} root @param {{file: any, canAssess: boolean}} model
 * @param {{assess: (values: Record<string, string>) => void}} handlers
 */
export function renderClassFile(root, model, handlers) {
  const f = model.file;
  const c = f.current;
  replace(root, h("div", { class: "office classification" },
    h("a", { class: "btn link", href: "#/classification" }, t("cls_back")),
    h("section", { class: "card", "data-testid": "class-current" },
      h("h2", null, `${f.enterprise.name}`), h("p", { class: "muted mono" }, f.enterprise.credit_code),
      h("dl", { class: "kvs" },
        h("div", { class: "kv" }, h("dt", null, t("cls_current")), h("dd", null, h("b", { "data-testid": "class-label" }, classText(c?.label)))),
        c?.risk_grade ? h("div", { class: "kv" }, h("dt", null, t("cls_inputs")), h("dd", null,
          t("cls_grades", { risk: c.risk_grade, management: c.management_grade }), c.matrix_verified ? null : h("small", { class: "muted" }, ` · ${t("cls_unverified")}`))) : null,
        h("div", { class: "kv" }, h("dt", null, t("cls_assessed_on")), h("dd", { "data-testid": "class-assessed-on" }, c?.assessed_on || "—")),
        h("div", { class: "kv" }, h("dt", null, t("cls_next_due")), h("dd", { "data-testid": "class-next-due" }, c ? c.next_due || t("cls_due_never") : "—")),
        h("div", { class: "kv" }, h("dt", null, t("cls_status")), h("dd", null, statusBadge(f.status))))),
    model.canAssess ? h("section", { class: "card" }, h("h2", null, t("cls_assess_title")), h("p", { class: "muted" }, t("cls_note")),
      assessForm(f, handlers.assess)) : null,
    h("section", { class: "card" }, h("h2", null, t("cls_history")), f.history.length
      ? table([t("cls_assessed_on"), t("cls_class"), t("cls_inputs"), t("cls_next_due"), t("cls_by")], f.history.map((/** @type {any} */ a) => [
        a.assessed_on, classText(a.label), inputsText(a), a.next_due || t("cls_due_never"), a.assessed_by_name || a.source]), { "data-testid": "class-history" })
      : empty(t("cls_no_history")))));
}
