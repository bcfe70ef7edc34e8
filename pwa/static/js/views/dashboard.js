// @ts-check
/**
 * The dashboard: the period and who it covers; the work plans' figures as big numbers; charts where a
 * comparison is the point (exceedance by hazard and industry, coverage against the target, rectification states,
 * assistance rates first visit → latest); and the same figures as tables per district and team.
 * @module views/dashboard
 */
import { number, t } from "../i18n.js";
import { h, replace } from "./dom.js";
import { barChart, pairedChart, stackedChart } from "./charts.js";
import { errorBanner, formValues, inputField, selectField, table } from "./office.js";

/** @param {number|null|undefined} value */
const pct = (value) => (value == null ? "—" : `${number(value, 1)}%`);

/**
 * A big figure; `data-kpi` names it as the API does (tests and people compare the two).
 * @param {string} key @param {string} title @param {any} value @param {string|null} [sub] @param {boolean|null} [good]
 */
function tile(key, title, value, sub = null, good = null) {
  return h("div", { class: ["kpi", good === false && "kpi-bad", good === true && "kpi-good"], "data-kpi": key },
    h("div", { class: "kpi-title" }, title), h("div", { class: "kpi-value", "data-value": value ?? "" }, value ?? "—"),
    sub ? h("div", { class: "kpi-sub" }, sub) : null);
}

/** @param {any} model @param {(filters: Record<string, string>) => void} filter */
function filterBar(model, filter) {
  const f = model.filters;
  const form = h("form", { class: "filters", "data-testid": "dashboard-filters" },
    inputField(t("filter_from"), "date_from", f.date_from, { type: "date", required: true }),
    inputField(t("filter_to"), "date_to", f.date_to, { type: "date", required: true }),
    selectField(t("district"), "region_id", [{ value: "", label: t("all") }, ...model.districts.map((/** @type {any} */ r) =>
      ({ value: String(r.id), label: r.name }))], f.region_id),
    selectField(t("filter_team"), "team_id", [{ value: "", label: t("all") }, ...model.teams.map((/** @type {any} */ team) =>
      ({ value: String(team.id), label: team.name }))], f.team_id));
  form.addEventListener("change", () => filter({ ...formValues(form), preset: "" }));
  form.addEventListener("submit", (event) => event.preventDefault());
  return h("section", { class: "card" },
    h("div", { class: "segmented office-toggle", "data-testid": "period-presets" }, ["month", "quarter", "year", "last12"].map((p) =>
      h("button", { type: "button", class: "seg", "aria-pressed": String(f.preset === p), "data-preset": p,
        onclick: () => filter({ ...f, preset: p }) }, t(/** @type {any} */ (`preset_${p}`))))),
    form);
}

/** Per district or team: the figures side by side. @param {any[]} rows @param {boolean} coverage */
function breakdown(rows, coverage) {
  const headers = [t("name"), t("kpi_visits"), t("kpi_monitored"), t("kpi_samples"), t("kpi_exceedance"), t("kpi_inspections"),
    ...(coverage ? [t("kpi_coverage")] : []), t("rect_state_overdue"), t("kpi_followups")];
  return table(headers, rows.map((r) => [r.name, r.sampling.visits, r.sampling.enterprises_monitored, r.sampling.samples,
    pct(r.sampling.exceedance_pct), r.enforcement.inspections, ...(coverage ? [pct(r.enforcement.coverage_pct)] : []),
    r.enforcement.rectification.overdue, r.followup.followups]));
}

/**
 * @param {HTMLElement} root @param {any} model  controllers/dashboard dashboardModel
 * @param {{filter: (filters: Record<string, string>) => void}} handlers
 */
export function renderDashboard(root, model, handlers) {
  if (!model.kpis) {
    replace(root, h("div", { class: "office dashboard" }, filterBar(model, handlers.filter), errorBanner(model.error)));
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
  replace(root, h("div", { class: "office dashboard", "data-from": k.period.from, "data-to": k.period.to },
    filterBar(model, handlers.filter),
    h("p", { class: "muted", "data-testid": "dashboard-period" }, t("period_of", { from: k.period.from, to: k.period.to })),
    h("section", { class: "kpis", "data-testid": "kpi-tiles" },
      tile("sampling.enterprises_monitored", t("kpi_monitored"), s.enterprises_monitored, t("kpi_visits_n", { n: s.visits })),
      tile("sampling.samples", t("kpi_samples"), s.samples, t("kpi_blanks_n", { n: s.blanks })),
      tile("sampling.exceedance_pct", t("kpi_exceedance"), pct(s.exceedance_pct),
        t("kpi_posts", { bad: s.posts_nonconform, n: s.posts_evaluated }), s.posts_nonconform ? false : null),
      tile("sampling.entry_days_median", t("kpi_entry_days"), s.entry_days_median == null ? null : number(s.entry_days_median),
        t("kpi_within_month", { pct: pct(s.entered_within_month_pct), target: entryTarget }),
        s.entered_within_month_pct == null ? null : s.entered_within_month_pct >= entryTarget),
      tile("sampling.lab_days_median", t("kpi_lab_days"), s.lab_days_median == null ? null : number(s.lab_days_median),
        t("kpi_entry_overdue", { entered: s.entered ?? 0, late: s.entry_overdue ?? 0 }), s.entry_overdue ? false : null),
      tile("enforcement.coverage_pct", t("kpi_coverage"), pct(e.coverage_pct),
        t("kpi_coverage_sub", { n: e.enterprises_inspected, total: e.registry_enterprises, target: e.coverage_target_pct }),
        e.coverage_meets_target),
      tile("enforcement.inspections", t("kpi_inspections"), e.inspections),
      tile("enforcement.rectification.overdue", t("rect_state_overdue"), rect.overdue,
        t("kpi_rect_sub", { open: rect.open + rect.due_soon, closed: rect.closed }), rect.overdue ? false : null),
      tile("followup.followups", t("kpi_followups"), k.followup.followups, t("kpi_patients_n", { n: k.followup.patients })),
      tile("assistance.enterprises", t("kpi_assisted"), k.assistance.enterprises)),
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
    h("section", { class: "card" }, h("h2", null, t("by_district")), breakdown(k.districts, true)),
    h("section", { class: "card" }, h("h2", null, t("by_team")), breakdown(k.teams, false)),
    h("section", { class: "card" }, h("h2", null, t("chart_hazard")),
      table([t("hazard"), t("kpi_posts_evaluated"), t("nonconform"), t("kpi_exceedance")],
        hazardRows.map((/** @type {any} */ r, /** @type {number} */ i) => [r.label, s.by_hazard[i].evaluated, s.by_hazard[i].nonconform, pct(r.value)]),
        { "data-testid": "hazard-table" })),
    k.assistance.enterprises ? h("section", { class: "card" }, h("h2", null, t("chart_assistance")),
      table([t("rate"), t("first_visit"), t("latest_visit"), t("target")], rates.map((r) => [r.label, pct(r.first), pct(r.second), "100%"]),
        { "data-testid": "assistance-table" })) : null));
}
