// @ts-check
/**
 * A 专项治理 campaign: its period and target, the enterprises by state (未确认治理, 治理中, 行政治理效果待确认,
 * 已完成) with whether they reach zero by the deadline (归零), the six rates against their targets, each enterprise
 * with the evidence that moved it and, for a supervisor, its confirmation; enrolment by industry code or by name.
 * @module views/campaigns
 */
import { number, t } from "../i18n.js";
import { button, h, replace } from "./dom.js";
import { card, empty } from "./common.js";
import { errorBanner } from "./office.js";

const STATE_CLASS = { unconfirmed: "warn", treating: "state-returned", awaiting_confirmation: "state-submitted", completed: "state-approved" };

/** @param {number|null} value */
const pct = (value) => (value == null ? t("ledger_no_data") : `${number(value, 1)}%`);

/**
 * @param {HTMLElement} root @param {any} c  the campaign (GET /api/campaigns/<id>)
 * @param {{enrolByIndustry: () => void, find: (query: string) => Promise<any[]>, enrol: (ids: string[]) => void,
 *   confirm: (enrolmentId: string) => void, open: (route: string) => void, inspect: ((enterpriseId: string) => void)|null,
 *   listCard: () => HTMLElement}} handlers
 * @param {{error?: any, notice?: string}} [flash]
 */
export function renderCampaign(root, c, handlers, flash = {}) {
  const zero = c.zeroed ? t("campaign_zeroed") : c.deadline_passed ? t("campaign_overdue", { n: c.open })
    : t("campaign_to_zero", { n: c.open, deadline: c.deadline || "—" });
  const states = h("div", { class: "kpis", "data-testid": "campaign-states" }, c.states.map((/** @type {any} */ s) =>
    h("div", { class: ["kpi", s.key !== "completed" && s.count && c.deadline_passed && "kpi-bad"], "data-state": s.key },
      h("div", { class: "kpi-title" }, s.label_zh), h("div", { class: "kpi-value", "data-value": s.count }, String(s.count)))));
  const rates = h("table", { class: "table", "data-testid": "campaign-rates" },
    h("thead", null, h("tr", null, h("th", null, t("campaign_rate")), h("th", null, t("campaign_rate_value")),
      h("th", null, t("campaign_rate_basis")), h("th", null, t("target")))),
    h("tbody", null, c.rates.map((/** @type {any} */ r) => h("tr", { "data-rate": r.key, class: r.meets_target === false ? "warn" : "" },
      h("td", null, r.title_zh), h("td", { "data-value": r.value_pct ?? "" }, pct(r.value_pct)),
      h("td", null, r.problem || (r.denominator ? `${r.numerator} / ${r.denominator}` : t("ledger_no_data"))),
      h("td", null, r.target_pct != null ? `≥ ${r.target_pct}%` : "—")))));
  const row = (/** @type {any} */ e) => h("div", { class: "list-item", "data-testid": "campaign-enterprise", "data-state": e.state,
    "data-enterprise": e.enterprise_id },
  h("div", { class: "list-main" },
    h("div", { class: "list-title" }, e.enterprise_name),
    h("div", { class: "list-sub" }, e.evidence_zh.length ? e.evidence_zh.join("；") : t("campaign_no_evidence")),
    e.confirmed_on ? h("div", { class: "list-sub" }, t("campaign_confirmed", { date: e.confirmed_on, name: e.confirmed_by_name || "" })) : null),
  h("div", { class: "list-side" },
    h("span", { class: `badge-state ${/** @type {any} */ (STATE_CLASS)[e.state] || ""}`, "data-state": e.state }, e.state_zh),
    e.can_confirm ? button(t("campaign_confirm"), () => handlers.confirm(e.id), { class: "btn small primary", "data-testid": "campaign-confirm" }) : null,
    handlers.inspect && e.state !== "completed" ? button(t("campaign_inspect"), () => handlers.inspect?.(e.enterprise_id),
      { class: "btn small", "data-testid": "campaign-inspect" }) : null,
    button(t("campaign_open_file"), () => handlers.open(`#/record/${e.id}`), { class: "btn small" })));
  replace(root, h("div", { class: "register campaign", "data-testid": "campaign" },
    flash.error ? errorBanner(flash.error) : null,
    flash.notice ? h("div", { class: "form-banner info", "data-testid": "campaign-notice" }, flash.notice) : null,
    card(`${c.campaign_name || "—"}${c.campaign_code ? `（${c.campaign_code}）` : ""}`, [
      h("p", { class: "muted" }, [c.industry_zh, t("campaign_period", { from: c.start_date || "—", to: c.deadline || "—" }),
        c.target_count != null ? t("campaign_target", { n: c.target_count, enrolled: c.enrolled }) : t("campaign_enrolled", { n: c.enrolled })]
        .filter(Boolean).join(" · ")),
      h("p", { "data-testid": "campaign-zero", class: c.zeroed ? "good" : c.deadline_passed ? "warn" : "" }, zero),
      states, button(t("campaign_open_file"), () => handlers.open(`#/record/${c.id}`), { class: "btn small" })]),
    card(t("campaign_rates_title"), [rates]),
    card(t("campaign_enterprises"), [c.enterprises.length ? h("div", { class: "list", "data-testid": "campaign-enterprises" }, c.enterprises.map(row))
      : empty(t("campaign_none_enrolled"))]),
    c.can_manage ? enrolCard(c, handlers) : null));
}

/** Enrolment: by the campaign's industry codes, or enterprises found by name. @param {any} c @param {any} handlers */
function enrolCard(c, handlers) {
  const enrolled = new Set(c.enterprises.map((/** @type {any} */ e) => e.enterprise_id));
  const results = h("div", { class: "list", "data-testid": "campaign-candidates" });
  const input = /** @type {HTMLInputElement} */ (h("input", { type: "search", class: "input", placeholder: t("campaign_find"),
    "aria-label": t("campaign_find"), "data-testid": "campaign-find" }));
  input.addEventListener("input", async () => {
    const found = await handlers.find(input.value);
    replace(results, ...found.map((/** @type {any} */ e) => h("div", { class: "list-item", "data-candidate": e.id },
      h("div", { class: "list-main" }, h("div", { class: "list-title" }, e.name), h("div", { class: "list-sub" }, e.industry_name || "")),
      h("div", { class: "list-side" }, enrolled.has(e.id) ? null
        : button(t("campaign_enrol_one"), () => handlers.enrol([e.id]), { class: "btn small", "data-testid": "campaign-enrol-one" })))));
  });
  return card(t("campaign_enrol_title"), [
    h("p", { class: "muted" }, c.industry_codes ? t("campaign_enrol_codes", { codes: c.industry_codes }) : t("campaign_enrol_no_codes")),
    c.industry_codes ? button(t("campaign_enrol_industry"), handlers.enrolByIndustry, { class: "btn", "data-testid": "campaign-enrol-industry" }) : null,
    input, results, handlers.listCard()]);
}
