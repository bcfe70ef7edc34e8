// @ts-check
/**
 * Exports: what to export (kind, format, period, district), then each job with its progress and, once the
 * server has written it, the download.
 * @module views/exports
 */
import { dateTime, t } from "../i18n.js";
import { button, h, replace } from "./dom.js";
import { empty } from "./common.js";
import { formValues, inputField, selectField } from "./office.js";

/** @param {any} job @param {(job: any) => void} download */
function jobRow(job, download) {
  const done = job.status === "done";
  return h("div", { class: "list-item export-job", "data-job": job.id, "data-status": job.status },
    h("div", { class: "list-main" },
      h("div", { class: "list-title" }, t(/** @type {any} */ (`export_${job.kind}`)), ` · ${String(job.format).toUpperCase()}`),
      h("div", { class: "list-sub" }, [dateTime(job.created_at), t(/** @type {any} */ (`export_status_${job.status}`)),
        job.rows_total != null ? t("export_rows", { done: job.rows_done, total: job.rows_total }) : null].filter(Boolean).join(" · ")),
      h("progress", { max: 100, value: job.progress_pct ?? 0, "aria-label": t("export_progress"), "data-testid": "export-progress" }),
      job.status === "failed" ? h("div", { class: "warn" }, t("export_failed"), job.error ? ` (${job.error})` : "") : null),
    h("div", { class: "list-side" }, h("span", { class: "muted" }, `${job.progress_pct ?? 0}%`),
      done ? button(t("download"), () => download(job), { class: "btn primary small", "data-testid": "export-download" }) : null));
}

/**
 * @param {HTMLElement} root @param {{jobs: any[], districts: any[], kinds: string[]}} model
 * @param {{start: (request: Record<string, string>) => void, download: (job: any) => void}} handlers
 * @returns {{update: (job: any) => void}}  redraws one job's row as its progress comes in
 */
export function renderExports(root, model, handlers) {
  const form = h("form", { class: "filters", "data-testid": "export-form" },
    selectField(t("export_kind"), "kind", model.kinds.map((k) => ({ value: k, label: t(/** @type {any} */ (`export_${k}`)) })), "samples"),
    selectField(t("export_format"), "format", [{ value: "xlsx", label: "Excel (XLSX)" }, { value: "csv", label: "CSV" }], "xlsx"),
    inputField(t("filter_from"), "date_from", "", { type: "date" }),
    inputField(t("filter_to"), "date_to", "", { type: "date" }),
    selectField(t("district"), "region_id", [{ value: "", label: t("all") }, ...model.districts.map((r) => ({ value: String(r.id), label: r.name }))], ""),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn primary big", "data-testid": "export-start" }, t("export_start"))));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    handlers.start(formValues(form));
  });
  const list = h("div", { class: "list", "data-testid": "export-jobs" }, model.jobs.map((job) => jobRow(job, handlers.download)));
  replace(root, h("div", { class: "office exports" },
    h("section", { class: "card" }, h("h2", null, t("export_new")), h("p", { class: "muted" }, t("export_note_office")), form),
    h("section", { class: "card" }, h("h2", null, t("export_jobs")), list, model.jobs.length ? null : empty(t("export_none")))));
  return {
    update(job) {
      const row = jobRow(job, handlers.download);
      const old = list.querySelector(`[data-job="${job.id}"]`);
      if (old) old.replaceWith(row);
      else list.prepend(row);
      list.nextElementSibling?.remove();
    },
  };
}
