// @ts-check
/**
 * The dashboard's catalogue section: every figure the work plans report (the API's `catalogue`, defined once in the
 * reference table kpi_catalogue), grouped by area of work, this period beside the same period last year, with its
 * target and the plan's wording. A figure the system does not collect says 未采集, never 0.
 * @module views/dashboard_catalogue
 */
import { t } from "../i18n.js";
import { h } from "./dom.js";

/** @param {any} k  the dashboard's figures */
export function catalogueSection(k) {
  const figures = k.catalogue || [];
  if (!figures.length) return null;
  /** @type {Map<string, any[]>} */
  const sections = new Map();
  for (const figure of figures) {
    if (!sections.has(figure.section_zh)) sections.set(figure.section_zh, []);
    sections.get(figure.section_zh)?.push(figure);
  }
  const head = h("thead", null, h("tr", null, [t("catalogue_figure"), t("catalogue_this"), t("catalogue_last"),
    t("catalogue_change"), t("catalogue_target"), t("catalogue_plan")].map((title) => h("th", { scope: "col" }, title))));
  return h("section", { class: "card", "data-testid": "kpi-catalogue" },
    h("h2", null, t("catalogue_title")), h("p", { class: "muted" }, t("catalogue_hint")),
    h("div", { class: "table-wrap" }, h("table", { class: "data-table catalogue" }, head,
      [...sections.entries()].map(([section, rows]) => h("tbody", { "data-section": section },
        h("tr", { class: "group-row" }, h("th", { scope: "colgroup", colspan: 6 }, section)),
        rows.map((/** @type {any} */ f) => h("tr", { "data-figure": f.key, "data-status": f.status,
          class: [f.status !== "ok" && "muted", f.meets_target === false && "kpi-bad"] },
        h("th", { scope: "row" }, f.title_zh + (f.as_of === "today" ? t("catalogue_today") : "")),
        h("td", { class: "n", "data-value": f.value ?? "" }, f.text),
        h("td", { class: "n" }, k.previous ? f.previous_text : "—"),
        h("td", { class: "n" }, k.previous ? f.change : "—"),
        h("td", { class: "n" }, f.target_pct != null ? `≥${f.target_pct}%` : "—"),
        h("td", { class: "muted plan" }, f.seed_zh || ""))))))));
}
