// @ts-check
/**
 * The dashboard's 分类监督执法 section: the share of the registry with a current class assessment and the 双随机
 * drawn enterprises inspected, each against its target (the API's `classification`, absent for the CDC).
 * @module views/dashboard_classification
 */
import { number, t } from "../i18n.js";
import { h } from "./dom.js";

/** @param {number|null|undefined} value */
const pct = (value) => (value == null ? "—" : `${number(value, 1)}%`);

/**
 * A figure with its target: good or bad is shown only when there is something to judge.
 * @param {string} key @param {string} title @param {number|null} value @param {string} sub @param {boolean|null} good
 */
function figure(key, title, value, sub, good) {
  return h("div", { class: ["kpi", good === false && "kpi-bad", good === true && "kpi-good"], "data-kpi": key },
    h("div", { class: "kpi-title" }, title), h("div", { class: "kpi-value", "data-value": value ?? "" }, pct(value)),
    h("div", { class: "kpi-sub" }, sub));
}

/** @param {any} k  the dashboard's figures */
export function classificationSection(k) {
  const c = k.classification;
  if (!c) return null;
  return h("section", { class: "card", "data-testid": "kpi-classification" }, h("h2", null, t("kpi_class_title")),
    h("div", { class: "kpis" },
      figure("classification.current_pct", t("kpi_class_current"), c.current_pct, t("kpi_class_current_sub", {
        n: c.assessed_current, total: c.registry_enterprises, overdue: c.overdue, never: c.never, target: c.current_target_pct }),
      c.current_meets_target),
      figure("classification.drawn_inspected_pct", t("kpi_class_draws"), c.drawn_inspected_pct, `${t("kpi_class_draws_sub", {
        draws: c.draws, drawn: c.drawn, inspected: c.drawn_inspected, target: c.drawn_inspected_target_pct })} · ${t("kpi_class_coverage", {
        pct: pct(c.drawn_coverage_pct) })}`, c.drawn_inspected_meets_target)));
}
