// @ts-check
/**
 * The registry import card: choose a file, read the server's preview (new enterprises, registered ones with each
 * changed field's old and new value, rows without change, or every problem by row and column), confirm, and see
 * what was imported. All values come from the server already in words.
 * @module views/admin_import
 */
import { t } from "../i18n.js";
import { button, h, replace } from "./dom.js";
import { messageOf } from "./form.js";
import { errorBanner, infoBanner, table } from "./office.js";

/**
 * What the card shows: nothing yet; a file being checked; its preview; the import under way; its outcome; or a
 * refusal (a bad row, a file changed since its preview).
 * @typedef {{phase: "idle"} | {phase: "checking"} | {phase: "preview"|"applying", preview: any, name: string}
 *   | {phase: "done", report: any} | {phase: "refused", error: any}} ImportState
 */

const STATE_CLASS = { new: "state-approved", update: "state-submitted", unchanged: "" };

/** @param {string|null|undefined} value */
const shown = (value) => (value == null || value === "" ? t("empty_value") : value);

/** @param {any} row */
function statusBadge(row) {
  return h("span", { class: ["badge-state", /** @type {any} */ (STATE_CLASS)[row.status]], "data-status": row.status },
    t(/** @type {any} */ (`import_${row.status}`)));
}

/** One registered enterprise and the fields the file changes. @param {any} row */
function updateBlock(row) {
  return h("div", { class: "answer-section", "data-testid": "import-update", "data-row": row.row, "data-credit-code": row.credit_code },
    h("h3", null, t("import_row", { row: row.row, name: row.name }), " ", h("span", { class: "muted" }, row.credit_code)),
    table([t("field"), t("import_old"), t("import_new_value")], row.changes.map((/** @type {any} */ c) =>
      [c.label, shown(c.old), shown(c.new)]), { "data-testid": "import-diff" }));
}

/** @param {any[]} rows */
function rowTable(rows) {
  return table([t("row"), t("credit_code"), t("enterprise"), t("district"), t("import_status")],
    rows.map((r) => [r.row, r.credit_code, r.name, r.region_name, statusBadge(r)]));
}

/**
 * @param {any} preview @param {string} name  the file's name @param {boolean} busy
 * @param {{confirm: () => void, cancel: () => void}} handlers
 */
function previewView(preview, name, busy, handlers) {
  const rows = /** @type {any[]} */ (preview.rows);
  const fresh = rows.filter((r) => r.status === "new");
  const updates = rows.filter((r) => r.status === "update");
  const same = rows.filter((r) => r.status === "unchanged");
  const nothing = !fresh.length && !updates.length;
  return h("div", { "data-testid": "import-report", "data-outcome": "preview" },
    infoBanner(`${name}：${t("import_summary", preview.counts)}`),
    nothing ? h("p", null, t("import_nothing")) : h("p", { class: "muted" }, t("import_check_note")),
    fresh.length ? h("div", { "data-testid": "import-new" }, h("h3", null, `${t("import_new")}（${fresh.length}）`), rowTable(fresh)) : null,
    updates.length ? h("div", null, h("h3", null, `${t("import_update")}（${updates.length}）`), updates.map(updateBlock)) : null,
    same.length ? h("details", { "data-testid": "import-unchanged" }, h("summary", null, t("import_unchanged_n", { n: same.length })),
      rowTable(same)) : null,
    h("div", { class: "actions" },
      nothing ? null : button(busy ? t("import_applying") : t("import_confirm"), handlers.confirm,
        { class: "btn primary", "data-testid": "import-confirm", disabled: busy }),
      button(t("cancel"), handlers.cancel, { disabled: busy, "data-testid": "import-cancel" })));
}

/** Every problem of the file by row and column (nothing was imported), or the reason the import was refused. @param {any} error */
function refusedView(error) {
  const all = /** @type {any[]} */ (error.details || []);
  const placed = all.filter((d) => d.row != null || d.column);
  const general = all.filter((d) => !placed.includes(d)); // about the file as a whole: its reason, never its field key
  return h("div", { "data-testid": "import-report", "data-outcome": "error" }, errorBanner(error, false),
    general.length ? h("ul", { class: "error-details" }, general.map((d) => h("li", null, messageOf(d)))) : null,
    placed.length ? table([t("row"), t("import_column"), t("problem")], placed.map((d) => [d.row ?? "—", d.column || "—", messageOf(d)])) : null);
}

/** @param {any} report @param {() => void} close */
function doneView(report, close) {
  const written = report.rows.filter((/** @type {any} */ r) => r.status !== "unchanged");
  return h("div", { "data-testid": "import-report", "data-outcome": "imported" },
    infoBanner(t("import_done", report.counts)),
    table([t("row"), t("enterprise"), t("import_status"), ""], written.map((/** @type {any} */ r) =>
      [r.row, r.name, statusBadge(r), h("a", { href: `#/enterprise/${r.enterprise_id}`, "data-enterprise": r.enterprise_id }, t("import_open"))])),
    h("div", { class: "actions" }, button(t("done"), close, { "data-testid": "import-close" })));
}

/**
 * Draw the card into `root`.
 * @param {HTMLElement} root @param {ImportState} state
 * @param {{preview: (file: File) => void, confirm: () => void, cancel: () => void}} handlers
 */
export function renderImport(root, state, handlers) {
  const file = /** @type {HTMLInputElement} */ (h("input", { class: "input", type: "file", name: "file", accept: ".xlsx,.csv",
    "data-testid": "import-file" }));
  const busy = state.phase === "checking" || state.phase === "applying";
  return replace(root, h("h2", null, t("import_title")), h("p", { class: "muted" }, t("import_note")),
    h("div", { class: "row" }, file, button(state.phase === "checking" ? t("import_checking") : t("import_start"),
      () => file.files?.[0] && handlers.preview(file.files[0]), { class: "btn", "data-testid": "import-start", disabled: busy })),
    state.phase === "preview" || state.phase === "applying" ? previewView(state.preview, state.name, state.phase === "applying", handlers)
      : state.phase === "refused" ? refusedView(state.error)
        : state.phase === "done" ? doneView(state.report, handlers.cancel) : null);
}

/** The card's own element (the registry screen places it above the search). */
export const importCard = () => h("section", { class: "card", "data-testid": "import-card" });
