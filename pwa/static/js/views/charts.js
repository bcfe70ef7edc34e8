// @ts-check
/**
 * The dashboard's charts, drawn as small inline SVG bars inside ordinary rows: labels stay text (they wrap on a
 * phone and a screen reader reads them), the bar scales with the row. No chart library: a few bar shapes are
 * all the work plans' figures need, and nothing is added to what a field tablet downloads.
 * @module views/charts
 */
import { number } from "../i18n.js";
import { h } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";

/** @param {string} tag @param {Record<string, string|number>} attrs @param {...Element} children */
function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  el.append(...children);
  return el;
}

/** @param {number|null|undefined} value */
const clampPct = (value) => Math.max(0, Math.min(100, Number(value) || 0));

/**
 * One bar of 0–100 units, optionally several stacked bars (baseline / latest) and a target line.
 * @param {{value: number|null, kind: string}[]} bars @param {number|null} [target]  in the same 0–100 scale
 */
function barSvg(bars, target) {
  const height = 10 * bars.length;
  const shapes = bars.map((bar, i) => svg("rect", { x: 0, y: i * 10 + 1, width: clampPct(bar.value), height: 8,
    class: `bar ${bar.kind}` }));
  const line = target != null ? [svg("line", { x1: clampPct(target), x2: clampPct(target), y1: 0, y2: height, class: "target" })] : [];
  return svg("svg", { viewBox: `0 0 100 ${height}`, preserveAspectRatio: "none", class: "bar-svg", "aria-hidden": "true" },
    svg("rect", { x: 0, y: 0, width: 100, height, class: "track" }), ...shapes, ...line);
}

/**
 * Horizontal bars, one row per item, on a 0–max scale (100 for percentages).
 * @param {{title: string, unit?: string, decimals?: number, max?: number, target?: number|null, rows: {key: string, label: string,
 *   value: number|null, note?: string, warn?: boolean}[], chart: string}} spec
 */
export function barChart(spec) {
  const text = (/** @type {number|null} */ v) => (v == null ? "—" : `${number(v, spec.decimals)}${spec.unit || ""}`);
  const max = spec.max || Math.max(1, ...spec.rows.map((r) => Number(r.value) || 0));
  const scale = (/** @type {number|null|undefined} */ v) => (v == null ? null : (Number(v) / max) * 100);
  return h("figure", { class: "chart", "data-chart": spec.chart, role: "img",
    "aria-label": `${spec.title}: ${spec.rows.map((r) => `${r.label} ${text(r.value)}`).join("，")}` },
  h("figcaption", null, spec.title),
  spec.rows.map((r) => h("div", { class: ["chart-row", r.warn && "warn-row"], "data-key": r.key },
    h("span", { class: "chart-label" }, r.label),
    barSvg([{ value: scale(r.value), kind: r.warn ? "bad" : "main" }], spec.target != null ? scale(spec.target) : null),
    h("span", { class: "chart-value" }, text(r.value),
      r.note ? h("small", null, ` ${r.note}`) : null))));
}

/**
 * Two bars per row (e.g. the first visit and the latest) on a 0–100 % scale with the target line.
 * @param {{title: string, chart: string, legend: [string, string], target?: number|null,
 *   rows: {key: string, label: string, first: number|null, second: number|null}[]}} spec
 */
export function pairedChart(spec) {
  const pct = (/** @type {number|null} */ v) => (v == null ? "—" : `${number(v, 1)}%`);
  return h("figure", { class: "chart", "data-chart": spec.chart, role: "img",
    "aria-label": `${spec.title}: ${spec.rows.map((r) => `${r.label} ${pct(r.first)} → ${pct(r.second)}`).join("，")}` },
  h("figcaption", null, spec.title, " ", legend([[spec.legend[0], "first"], [spec.legend[1], "second"]])),
  spec.rows.map((r) => h("div", { class: "chart-row", "data-key": r.key },
    h("span", { class: "chart-label" }, r.label),
    barSvg([{ value: r.first, kind: "first" }, { value: r.second, kind: "second" }], spec.target ?? null),
    h("span", { class: "chart-value" }, `${pct(r.first)} → ${pct(r.second)}`))));
}

/**
 * One bar split into parts that add up (rectification items by state), with a legend carrying the counts.
 * @param {{title: string, chart: string, parts: {key: string, label: string, value: number}[]}} spec
 */
export function stackedChart(spec) {
  const total = spec.parts.reduce((sum, p) => sum + p.value, 0);
  let x = 0;
  const shapes = spec.parts.map((p) => {
    const width = total ? (p.value / total) * 100 : 0;
    const rect = svg("rect", { x, y: 0, width, height: 10, class: `bar part-${p.key}` });
    x += width;
    return rect;
  });
  return h("figure", { class: "chart", "data-chart": spec.chart, role: "img",
    "aria-label": `${spec.title}: ${spec.parts.map((p) => `${p.label} ${p.value}`).join("，")}` },
  h("figcaption", null, spec.title),
  svg("svg", { viewBox: "0 0 100 10", preserveAspectRatio: "none", class: "stack-svg", "aria-hidden": "true" },
    svg("rect", { x: 0, y: 0, width: 100, height: 10, class: "track" }), ...shapes),
  legend(spec.parts.map((p) => [`${p.label} ${p.value}`, `part-${p.key}`])));
}

/** @param {[string, string][]} items  text and the swatch's class */
function legend(items) {
  return h("span", { class: "legend" }, items.map(([text, kind]) => h("span", { class: "legend-item" },
    h("span", { class: `swatch ${kind}`, "aria-hidden": "true" }), text)));
}
