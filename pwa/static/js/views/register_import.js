// @ts-check
/**
 * The import of a register's sheet (the patients' files, a ledger's files; supervisors, online): choose a file, read
 * the server's preview (new files, the changes to kept ones in words, rows without change, or every problem by row
 * and column), confirm. One card for every register; the register gives its title, its note and its test ids.
 * @module views/register_import
 */
import { t } from "../i18n.js";
import { button, h } from "./dom.js";
import { card } from "./common.js";

/** @typedef {{phase: string, preview?: any, report?: any, problems?: any[], message?: string}} ImportState */
/** @typedef {{preview: (file: File) => void, confirm: () => void}} ImportHandlers */

/**
 * @param {ImportState} state @param {ImportHandlers} handlers
 * @param {{title: string, note: string, done: string, prefix: string, status?: Record<string, string>,
 *   counts?: (c: {new: number, update: number, unchanged: number}) => string}} words  `done`: where the files go
 *   next; `status` and `counts`: the words of an import that is not of files (a campaign's enrolment list)
 */
export function registerImportCard(state, handlers, words) {
  const id = (/** @type {string} */ part) => `${words.prefix}${part ? `-${part}` : ""}`;
  const input = /** @type {HTMLInputElement} */ (h("input", { type: "file", accept: ".xlsx,.csv", "data-testid": id("file"),
    onchange: () => { if (input.files?.[0]) handlers.preview(input.files[0]); } }));
  const rows = (/** @type {any[]} */ list) => h("div", { class: "list", "data-testid": id("rows") }, list.map((row) =>
    h("div", { class: "list-item", "data-row": row.row, "data-status": row.status },
      h("div", { class: "list-main" }, h("div", { class: "list-title" }, t("register_import_row", { row: row.row, name: row.name || "", key: row.key || "" })),
        row.changes.length ? h("div", { class: "list-sub", "data-testid": id("diff") }, row.changes.map((/** @type {any} */ c) =>
          t("register_import_change", { label: c.label, old: c.old ?? t("register_import_blank"), new: c.new ?? t("register_import_blank") })).join("；")) : null),
      h("div", { class: "list-side" }, h("span", { class: "badge-state" },
        words.status?.[row.status] || t(/** @type {any} */ (`register_import_${row.status}`)))))));
  const body = [];
  if (state.phase === "checking") body.push(h("p", { class: "muted" }, t("register_import_checking")));
  if (state.phase === "preview" && state.preview) {
    const c = state.preview.counts;
    body.push(h("p", { "data-testid": id("counts") }, words.counts ? words.counts(c) : t("register_import_counts", { new: c.new, update: c.update, unchanged: c.unchanged })),
      rows(state.preview.rows), h("div", { class: "actions" }, button(t("register_import_confirm"), handlers.confirm,
        { class: "btn primary", "data-testid": id("confirm"), disabled: !(c.new || c.update) })));
  }
  if (state.phase === "done" && state.report) {
    const c = state.report.counts;
    body.push(h("p", { class: "form-banner info", "data-testid": id("done") },
      `${words.counts ? words.counts(c) : t("register_import_done", { new: c.new, update: c.update })}${words.done}`));
  }
  if (state.phase === "refused") {
    body.push(h("div", { class: "form-banner error", "data-testid": id("refused") }, state.message || "",
      (state.problems || []).length ? h("ul", null, (state.problems || []).slice(0, 20).map((d) => h("li", null, d.message))) : null));
  }
  return card(words.title, [h("p", { class: "muted" }, words.note), input, ...body], { "data-testid": id("") });
}
