// @ts-check
/**
 * The dashboard's sections of the registers kept as ledgers (三同时, 放射诊疗, 专项治理: the API's `ledgers`, those
 * the user reads): each figure a count or a rate with its target and last year's value beside it; "无数据" when
 * there is nothing to divide by, never 0 %.
 * @module views/dashboard_ledgers
 */
import { number, t } from "../i18n.js";
import { h } from "./dom.js";

/** @param {any} tile */
const shown = (tile) => (tile?.value == null ? t("ledger_no_data") : tile.unit === "pct" ? `${number(tile.value, 1)}%` : number(tile.value));

/** @param {any} k  the dashboard's figures (with `previous`) */
export function ledgerSections(k) {
  const before = new Map((k.previous?.ledgers || []).flatMap((/** @type {any} */ g) =>
    g.tiles.map((/** @type {any} */ tile) => [`${g.kind}.${tile.key}`, tile])));
  return (k.ledgers || []).map((/** @type {any} */ group) => h("section", { class: "card", "data-testid": "ledger-figures",
    "data-kind": group.kind }, h("h2", null, group.title_zh),
  h("div", { class: "kpis" }, group.tiles.map((/** @type {any} */ tile) => {
    const last = before.get(`${group.kind}.${tile.key}`);
    const sub = [tile.target_pct != null ? t("ledger_target", { pct: tile.target_pct }) : null, tile.detail_zh].filter(Boolean).join(" · ");
    return h("div", { class: ["kpi", tile.meets_target === false && "kpi-bad", tile.meets_target === true && "kpi-good"],
      "data-kpi": `ledgers.${group.kind}.${tile.key}`, "data-testid": "ledger-tile", "data-key": tile.key },
    h("div", { class: "kpi-title" }, tile.label_zh), h("div", { class: "kpi-value", "data-value": tile.value ?? "" }, shown(tile)),
    sub ? h("div", { class: "kpi-sub" }, sub) : null,
    k.previous ? h("div", { class: "kpi-yoy", "data-testid": "kpi-yoy" }, t("yoy_value", { value: last ? shown(last) : "—" })) : null);
  }))));
}
