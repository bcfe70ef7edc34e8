// @ts-check
/**
 * The dashboard: the period (this month, quarter, year, the last twelve months, or dates) and who it covers; the
 * work plans' figures as big numbers, each beside the same period last year (去年同期) with the change; charts where
 * a comparison is the point (exceedance by hazard and industry, coverage against the target, rectification states,
 * assistance rates first visit → latest); the same figures as tables per district and per team (grouped by
 * district); and the report to print or hand on (PDF, XLSX).
 * @module views/dashboard
 */
import { number, t } from "../i18n.js";
import { button, h, replace } from "./dom.js";
import { barChart, pairedChart, stackedChart } from "./charts.js";
import { classificationSection } from "./dashboard_classification.js";
import { catalogueSection } from "./dashboard_catalogue.js";
import { ledgerSections } from "./dashboard_ledgers.js";
import { errorBanner, formValues, inputField, selectField, table } from "./office.js";

/** @param {number|null|undefined} value */
const pct = (value) => (value == null ? "—" : `${number(value, 1)}%`);

/** A figure by its path in the API's answer ("enforcement.rectification.overdue"). @param {any} figures @param {string} path */
function valueAt(figures, path) {
  let value = figures;
  for (const part of path.split(".")) value = value == null ? undefined : value[part];
  return typeof value === "number" ? value : null;
}

/**
 * The change against last year as people read it: counts by how many (and by how much in %), rates in percentage
 * points, medians in days; "—" when either side is missing.
 * @param {"count"|"pct"|"days"} kind @param {number|null} now @param {number|null} before
 */
export function changeText(kind, now, before) {
  if (now == null || before == null) return "—";
  const diff = now - before;
  const signed = (/** @type {string} */ text) => (diff > 0 ? `+${text}` : diff < 0 ? text : `±${text.replace("-", "")}`);
  if (kind === "pct") return t("change_points", { n: signed(number(diff, 1)) });
  if (kind === "days") return t("change_days", { n: signed(number(diff)) });
  return before ? t("change_relative", { n: signed(String(diff)), pct: signed(number((diff / before) * 100, 1)) }) : signed(String(diff));
}

/** @param {"count"|"pct"|"days"} kind @param {number|null} value */
const shown = (kind, value) => (kind === "pct" ? pct(value) : value == null ? "—" : number(value));

/**
 * A big figure beside last year's; `data-kpi` names it as the API does (tests and people compare the two).
 * @param {any} k  the figures (with `previous`) @param {string} key @param {"count"|"pct"|"days"} kind @param {string} title
 * @param {string|null} [sub] @param {boolean|null} [good]
 */
function tile(k, key, kind, title, sub = null, good = null) {
  const value = valueAt(k, key);
  const before = k.previous ? valueAt(k.previous, key) : null;
  return h("div", { class: ["kpi", good === false && "kpi-bad", good === true && "kpi-good"], "data-kpi": key },
    h("div", { class: "kpi-title" }, title), h("div", { class: "kpi-value", "data-value": value ?? "" }, shown(kind, value)),
    sub ? h("div", { class: "kpi-sub" }, sub) : null,
    k.previous ? h("div", { class: "kpi-yoy", "data-testid": "kpi-yoy", "data-previous": before ?? "" },
      h("span", null, t("yoy_value", { value: shown(kind, before) })),
      h("span", { class: "kpi-change", "data-testid": "kpi-change" }, changeText(kind, value, before))) : null);
}

/**
 * 初次申报用人单位数 (the supervision side's registry; absent for a CDC): first declarations of the period beside last
 * year's, and the employers declared by the period's end against the base year's end with the work plan's target.
 * @param {any} k
 */
function declarationTile(k) {
  const d = k.declarations;
  const change = d.declared_growth_pct == null ? "—" : `${d.declared_growth_pct > 0 ? "+" : ""}${number(d.declared_growth_pct, 1)}%`;
  const sub = [t("kpi_declarations_growth", { declared: d.declared_by_end, base: d.base_year, change, target: d.growth_target_pct }),
    t("kpi_declarations_share", { pct: pct(d.declared_pct), declared: d.declared, total: d.registry_enterprises, overdue: d.overdue })];
  return tile(k, "declarations.first_declarations", "count", t("kpi_first_declarations"), sub.join(" · "), d.growth_meets_target);
}

/** @param {any} model @param {{filter: (filters: Record<string, string>) => void, report: (format: "pdf"|"xlsx"|"summary_docx"|"summary_pdf") => Promise<void>}} handlers */
function filterBar(model, handlers) {
  const f = model.filters;
  const form = h("form", { class: "filters", "data-testid": "dashboard-filters" },
    inputField(t("filter_from"), "date_from", f.date_from, { type: "date", required: true }),
    inputField(t("filter_to"), "date_to", f.date_to, { type: "date", required: true }),
    selectField(t("district"), "region_id", [{ value: "", label: t("all") }, ...model.districts.map((/** @type {any} */ r) =>
      ({ value: String(r.id), label: r.name }))], f.region_id),
    selectField(t("filter_team"), "team_id", [{ value: "", label: t("all") }, ...model.teams.map((/** @type {any} */ team) =>
      ({ value: String(team.id), label: team.name }))], f.team_id));
  form.addEventListener("change", () => handlers.filter({ ...formValues(form), preset: "" }));
  form.addEventListener("submit", (event) => event.preventDefault());
  // One download at a time per button: a district's year takes a few seconds to lay out.
  const reportButton = (/** @type {"pdf"|"xlsx"|"summary_docx"|"summary_pdf"} */ format) => {
    const el = button(t(format.startsWith("summary") ? /** @type {any} */ (format) : format === "pdf" ? "report_pdf" : "report_xlsx"), async () => {
      el.toggleAttribute("disabled", true);
      try {
        await handlers.report(format);
      } finally {
        el.toggleAttribute("disabled", false);
      }
    }, { class: "btn", "data-testid": `report-${format}` });
    return el;
  };
  return h("section", { class: "card" },
    h("div", { class: "row dashboard-bar" },
      h("div", { class: "segmented office-toggle grow", "data-testid": "period-presets" }, ["month", "quarter", "year", "last12"].map((p) =>
        h("button", { type: "button", class: "seg", "aria-pressed": String(f.preset === p), "data-preset": p,
          onclick: () => handlers.filter({ ...f, preset: p }) }, t(/** @type {any} */ (`preset_${p}`))))),
      model.kpis ? h("div", { class: "actions report-actions" },
        reportButton("pdf"), reportButton("xlsx"), reportButton("summary_docx"), reportButton("summary_pdf")) : null),
    form);
}

/** The columns of the district and team tables: [path, title key, kind]. */
const COLUMNS = /** @type {const} */ ([["sampling.visits", "kpi_visits", "count"], ["sampling.enterprises_monitored", "kpi_monitored", "count"],
  ["sampling.samples", "kpi_samples", "count"], ["sampling.exceedance_pct", "kpi_exceedance", "pct"],
  ["enforcement.inspections", "kpi_inspections", "count"], ["enforcement.coverage_pct", "kpi_coverage", "pct"],
  ["enforcement.rectification.overdue", "rect_state_overdue", "count"], ["followup.followups", "kpi_followups", "count"]]);

/**
 * One row's figures, each with last year's beneath it.
 * @param {any} row @param {any} before  the same row last year, or null @param {boolean} coverage
 */
function figureCells(row, before, coverage) {
  return COLUMNS.filter(([path]) => coverage || path !== "enforcement.coverage_pct").map(([path, , kind]) => {
    const value = valueAt(row, path);
    const last = before ? valueAt(before, path) : kind === "count" ? 0 : null;
    return h("td", null, shown(kind, value), h("small", { class: "cell-yoy" }, t("yoy_short", { value: shown(kind, last) })));
  });
}

/** @param {boolean} coverage */
const headersOf = (coverage) => [t("name"), ...COLUMNS.filter(([path]) => coverage || path !== "enforcement.coverage_pct")
  .map(([, key]) => t(key))];

/** Per district: the figures side by side, with last year's. @param {any} k */
function districtTable(k) {
  const before = new Map((k.previous?.districts || []).map((/** @type {any} */ d) => [d.region_id, d]));
  return h("div", { class: "table-wrap", "data-testid": "district-table" }, h("table", { class: "data-table" },
    h("thead", null, h("tr", null, headersOf(true).map((text) => h("th", { scope: "col" }, text)))),
    h("tbody", null, k.districts.map((/** @type {any} */ d) => h("tr", { "data-region": d.region_id },
      h("th", { scope: "row" }, d.name), figureCells(d, before.get(d.region_id) || null, true))))));
}

/**
 * Per team, under its district when more than one district is shown (two districts may each have a 采样一组).
 * @param {any} k
 */
function teamTable(k) {
  const key = (/** @type {any} */ team) => `${team.region_id}:${team.team_id}`;
  const before = new Map((k.previous?.teams || []).map((/** @type {any} */ team) => [key(team), team]));
  const districts = [...new Set(k.teams.map((/** @type {any} */ team) => team.district || ""))];
  const grouped = districts.length > 1;
  const width = headersOf(false).length;
  return h("div", { class: "table-wrap", "data-testid": "team-table" }, h("table", { class: "data-table" },
    h("thead", null, h("tr", null, headersOf(false).map((text) => h("th", { scope: "col" }, text)))),
    districts.map((district) => h("tbody", { "data-district": district },
      grouped ? h("tr", { class: "group-row" }, h("th", { scope: "colgroup", colspan: width }, district || "—")) : null,
      k.teams.filter((/** @type {any} */ team) => (team.district || "") === district).map((/** @type {any} */ team) =>
        h("tr", { "data-team": team.team_id ?? "" }, h("th", { scope: "row", class: grouped ? "in-group" : null }, team.name),
          figureCells(team, before.get(key(team)) || null, false)))))));
}

/**
 * @param {HTMLElement} root @param {any} model  controllers/dashboard dashboardModel
 * @param {{filter: (filters: Record<string, string>) => void, report: (format: "pdf"|"xlsx"|"summary_docx"|"summary_pdf") => Promise<void>}} handlers
 */
export function renderDashboard(root, model, handlers) {
  if (!model.kpis) {
    replace(root, h("div", { class: "office dashboard" }, filterBar(model, handlers), errorBanner(model.error)));
    return;
  }
  const k = model.kpis;
  const s = k.sampling;
  const e = k.enforcement;
  const rect = e.rectification;
  const entryTarget = k.targets.entry_within_month?.target_pct ?? 100;
  const hazardRows = s.by_hazard.map((/** @type {any} */ r) => ({ key: r.key, label: r.key === "noise" ? t("noise_result") : model.hazards.get(r.key) || r.key,
    value: r.exceedance_pct, note: `${r.nonconform}/${r.evaluated}`, warn: r.nonconform > 0 }));
  const industryRows = s.by_industry.map((/** @type {any} */ r) => ({ key: r.key, label: r.key, value: r.exceedance_pct,
    note: `${r.nonconform}/${r.evaluated}`, warn: r.nonconform > 0 }));
  const rates = ["declaration_rate", "periodic_testing_rate", "health_exam_rate", "training_rate"].map((key) => ({ key,
    label: model.rateTitles.get(key) || k.assistance.latest?.[key]?.title_zh || key,
    first: k.assistance.baseline?.[key]?.value_pct ?? null, second: k.assistance.latest?.[key]?.value_pct ?? null }));
  const last = k.previous?.period;
  replace(root, h("div", { class: "office dashboard", "data-from": k.period.from, "data-to": k.period.to },
    filterBar(model, handlers),
    h("p", { class: "muted", "data-testid": "dashboard-period" }, t("period_of", { from: k.period.from, to: k.period.to }),
      last ? h("span", { "data-testid": "dashboard-previous" }, ` · ${t("yoy_period", { from: last.from, to: last.to })}`) : null),
    h("section", { class: "kpis", "data-testid": "kpi-tiles" },
      tile(k, "sampling.enterprises_monitored", "count", t("kpi_monitored"), t("kpi_visits_n", { n: s.visits })),
      tile(k, "sampling.samples", "count", t("kpi_samples"), t("kpi_blanks_n", { n: s.blanks })),
      tile(k, "sampling.exceedance_pct", "pct", t("kpi_exceedance"),
        t("kpi_posts", { bad: s.posts_nonconform, n: s.posts_evaluated }), s.posts_nonconform ? false : null),
      tile(k, "sampling.entry_days_median", "days", t("kpi_entry_days"),
        t("kpi_within_month", { pct: pct(s.entered_within_month_pct), target: entryTarget }),
        s.entered_within_month_pct == null ? null : s.entered_within_month_pct >= entryTarget),
      tile(k, "sampling.lab_days_median", "days", t("kpi_lab_days"),
        t("kpi_entry_overdue", { entered: s.entered ?? 0, late: s.entry_overdue ?? 0 }), s.entry_overdue ? false : null),
      tile(k, "enforcement.coverage_pct", "pct", t("kpi_coverage"),
        t("kpi_coverage_sub", { n: e.enterprises_inspected, total: e.registry_enterprises, target: e.coverage_target_pct }),
        e.coverage_meets_target),
      tile(k, "enforcement.inspections", "count", t("kpi_inspections")),
      tile(k, "enforcement.rectification.overdue", "count", t("rect_state_overdue"),
        t("kpi_rect_sub", { open: rect.open + rect.due_soon, closed: rect.closed }), rect.overdue ? false : null),
      tile(k, "followup.followups", "count", t("kpi_followups"), t("kpi_patients_n", { n: k.followup.patients })),
      // 随访率 over the patients' register (the CDC's work; absent for an agency that follows nobody up).
      k.followup.rate ? tile(k, "followup.rate.rate_pct", "pct", t("kpi_followup_rate"),
        k.followup.rate.due ? t("kpi_followup_rate_sub", { followed: k.followup.rate.followed, due: k.followup.rate.due,
          target: k.followup.rate.target_pct ?? "—" }) : t("kpi_followup_rate_none"), k.followup.rate.meets_target) : null,
      tile(k, "assistance.enterprises", "count", t("kpi_assisted")),
      k.declarations ? declarationTile(k) : null),
    classificationSection(k),
    ...ledgerSections(k),
    catalogueSection(k),
    h("section", { class: "card charts" },
      h("h2", null, t("charts_title")),
      h("div", { class: "chart-grid" },
        hazardRows.length ? barChart({ chart: "exceedance-hazard", title: t("chart_hazard"), unit: "%", decimals: 1, max: 100, rows: hazardRows })
          : h("p", { class: "empty" }, t("chart_no_samples")),
        industryRows.length ? barChart({ chart: "exceedance-industry", title: t("chart_industry"), unit: "%", decimals: 1, max: 100, rows: industryRows }) : null,
        barChart({ chart: "coverage", title: t("chart_coverage", { target: e.coverage_target_pct }), unit: "%", decimals: 1, max: 100,
          target: e.coverage_target_pct, rows: [{ key: "all", label: t("all"), value: e.coverage_pct },
            ...k.districts.map((/** @type {any} */ d) => ({ key: String(d.region_id), label: d.name, value: d.enforcement.coverage_pct,
              warn: d.enforcement.coverage_meets_target === false }))] }),
        stackedChart({ chart: "rectification", title: t("chart_rectification"), parts: ["closed", "reinspecting", "open", "due_soon", "overdue"].map((key) =>
          ({ key, label: t(/** @type {any} */ (`rect_state_${key}`)), value: rect[key] })) }),
        k.assistance.enterprises ? pairedChart({ chart: "assistance", title: t("chart_assistance"), target: 100,
          legend: [t("first_visit"), t("latest_visit")], rows: rates }) : null)),
    h("section", { class: "card" }, h("h2", null, t("by_district")), districtTable(k)),
    h("section", { class: "card" }, h("h2", null, t("by_team")), teamTable(k)),
    h("section", { class: "card" }, h("h2", null, t("chart_hazard")),
      table([t("hazard"), t("kpi_posts_evaluated"), t("nonconform"), t("kpi_exceedance")],
        hazardRows.map((/** @type {any} */ r, /** @type {number} */ i) => [r.label, s.by_hazard[i].evaluated, s.by_hazard[i].nonconform, pct(r.value)]),
        { "data-testid": "hazard-table" })),
    k.assistance.enterprises ? h("section", { class: "card" }, h("h2", null, t("chart_assistance")),
      table([t("rate"), t("first_visit"), t("latest_visit"), t("target")], rates.map((r) => [r.label, pct(r.first), pct(r.second), "100%"]),
        { "data-testid": "assistance-table" })) : null));
}
