// @ts-check
/**
 * The exposure evaluation of a visit: per hazard and post 符合 / 不符合 / 不判定 with the limits used, the
 * groups still waiting for the laboratory, and noise verdicts.
 * @module views/evaluation
 */
import { lang, number, t } from "../i18n.js";
import { button, h, replace } from "./dom.js";
import { messageOf } from "./form.js";

/** @type {Record<string, string>} noise rows name their limits by kind */
const LIMIT_KINDS = { noise_limit: "limit_noise", calibration_drift: "limit_calibration", impulse_peak: "limit_impulse" };
/** @type {Record<string, string>} dust fractions by their Chinese names */
const FRACTIONS = { total: "fraction_total", respirable: "fraction_respirable" };
const MODE_TEXT = { device: "eval_device", stored: "eval_stored", online: "eval_online", stale: "eval_stale", offline: "eval_offline", invalid: "eval_failed" };

/** @param {string|null|undefined} result */
function verdict(result) {
  if (!result) return h("span", { class: "verdict pending", "data-verdict": "pending" }, t("pending_lab"));
  const key = result === "conform" ? "conform" : result === "nonconform" ? "nonconform" : "undetermined";
  return h("span", { class: `verdict ${key}`, "data-verdict": key }, t(key));
}

/** "mg/m3" as printed in the standards. @param {string} unit */
const unitText = (unit) => String(unit || "").replace("m3", "m³");

/** The limit with its standard and the version of the reference row it was judged with. @param {any} limit */
function limitText(limit) {
  const version = limit.version_from ? t("limit_version_from", { n: limit.version, date: limit.version_from })
    : t("limit_version", { n: limit.version ?? 1 });
  const inForce = limit.effective_from || limit.effective_to
    ? t("limit_in_force", { from: limit.effective_from || "—", to: limit.effective_to || t("limit_open_end") }) : null;
  const source = [limit.source_standard, limit.amendment, inForce, version].filter(Boolean).join(" ");
  const kind = LIMIT_KINDS[limit.limit_type] ? t(/** @type {any} */ (LIMIT_KINDS[limit.limit_type])) : limit.limit_type;
  return `${kind} ${number(limit.value)} ${unitText(limit.unit)}${source ? ` (${source})` : ""}`;
}

/** @param {any} group @param {Map<string, any>} names */
function groupRow(group, names) {
  const name = names.get(group.hazard_key);
  const ev = group.evaluation;
  const measured = ev ? [ev.c_twa != null ? `C_TWA ${number(ev.c_twa, 3)}` : null, ev.c_ste != null ? `C_STE ${number(ev.c_ste, 3)}` : null,
    ev.c_me != null ? `C_ME ${number(ev.c_me, 3)}` : null].filter(Boolean).join(" · ") + (ev.unit ? ` ${unitText(ev.unit)}` : "") : "";
  return h("div", { class: "eval-row", "data-hazard": group.hazard_key },
    h("div", { class: "eval-main" },
      h("div", { class: "list-title" }, name ? (lang() === "en" ? name.en : name.zh) : group.hazard_key,
        FRACTIONS[group.fraction] ? ` (${t(/** @type {any} */ (FRACTIONS[group.fraction]))})` : ""),
      group.reclassified_from?.length ? h("div", { class: "warn", "data-testid": "reclassified" }, t("reclassified_silica", {
        picked: group.reclassified_from.map((/** @type {string} */ key) => {
          const picked = names.get(key);
          return picked ? (lang() === "en" ? picked.en : picked.zh) : t("other_dust");
        }).join("、") })) : null,
      h("div", { class: "list-sub" }, [group.workshop, group.post, `${group.sample_ids.length} ${t("sample")}`].filter(Boolean).join(" · ")),
      measured ? h("div", null, `${t("measured")}：${measured}`) : null,
      ev && ev.limits_used?.length ? h("div", { class: "limits" }, `${t("limit_used")}：`, ev.limits_used.map(limitText).join("；")) : null,
      ev ? h("div", { class: "reason" }, lang() === "en" ? ev.reason_en : ev.reason_zh) : null,
      ev && ev.grade ? h("div", { class: "muted" }, `${t("grade")}：${ev.grade} ${lang() === "en" ? ev.grade_label_en || "" : ev.grade_label_zh || ""}`) : null,
      group.below_lod_rule_zh ? h("div", { class: "muted" }, lang() === "en" ? t("below_lod_rule") : group.below_lod_rule_zh) : null,
      group.status === "invalid" ? h("div", { class: "warn" }, group.problem?.message_zh || t("eval_failed")) : null),
    h("div", { class: "eval-verdict" }, group.status === "evaluated" ? verdict(ev.result) : group.status === "invalid"
      ? h("span", { class: "verdict undetermined" }, t("eval_failed")) : verdict(null)));
}

/** @param {any} entry */
function noiseRow(entry) {
  const ev = entry.evaluation;
  const periods = (entry.periods || []).length > 1 ? entry.periods.map((/** @type {any} */ p) =>
    t("noise_period", { hours: number(p.hours), level: number(p.laeq_db, 1) })).join(" + ") : "";
  return h("div", { class: "eval-row", "data-noise": entry.measurement_id, "data-post": entry.post || "" },
    h("div", { class: "eval-main" }, h("div", { class: "list-title" }, `${t("noise_result")} · ${entry.post || ""}`),
      periods ? h("div", { class: "list-sub", "data-testid": "noise-periods" }, `${t("noise_periods")}：${periods}`) : null,
      ev ? h("div", null, [ev.lex_8h != null ? `L_EX,8h ${number(ev.lex_8h, 1)} dB(A)` : null,
        ev.lex_w != null ? `L_EX,W ${number(ev.lex_w, 1)} dB(A)` : null].filter(Boolean).join(" · ")) : null,
      ev && ev.limits_used?.length ? h("div", { class: "limits" }, `${t("limit_used")}：`, ev.limits_used.map(limitText).join("；")) : null,
      ev ? h("div", { class: "reason" }, lang() === "en" ? ev.reason_en : ev.reason_zh) : null),
    h("div", { class: "eval-verdict" }, ev ? verdict(ev.result) : entry.status === "invalid"
      ? h("span", { class: "verdict undetermined" }, t("eval_failed")) : verdict(null)));
}

/** Σ C/OEL of substances acting on the same organ at one post. @param {any} entry */
function mixtureRow(entry) {
  return h("div", { class: "eval-row", "data-mixture": entry.group_key },
    h("div", { class: "eval-main" }, h("div", { class: "list-title" }, `${t("mixture")} · ${entry.post || ""}`),
      h("div", { class: "list-sub" }, lang() === "en" ? entry.reason_en : entry.label_zh),
      h("div", null, `ΣC/OEL ${number(entry.index, 2)}`)),
    h("div", { class: "eval-verdict" }, verdict(entry.result)));
}

/** The limits used that are not yet verified, said once for the whole evaluation with the rows concerned.
 * @param {any} ev @param {Map<string, any>} names */
function unverifiedNote(ev, names) {
  const rows = new Map();
  for (const entry of [...(ev?.groups || []), ...(ev?.noise || [])]) {
    for (const limit of entry.evaluation?.limits_used || []) {
      if (limit.verified) continue;
      const name = names.get(entry.hazard_key);
      const who = entry.hazard_key ? (name ? (lang() === "en" ? name.en : name.zh) : "") : t("noise_result");
      rows.set(`${entry.hazard_key || "noise"}|${limit.limit_type}|${limit.value}`, `${who} ${limitText(limit)}`.trim());
    }
  }
  return rows.size ? h("div", { class: "form-banner attention", "data-testid": "unverified-limits" },
    t("unverified_limits", { n: rows.size }), h("ul", null, [...rows.values()].map((text) => h("li", null, text)))) : null;
}

/**
 * @param {HTMLElement} root @param {any} data  controllers/visit evaluationModel
 * @param {{refresh: () => void}} handlers
 */
export function renderEvaluation(root, data, handlers) {
  const ev = data.evaluation;
  const summary = ev?.summary;
  const samples = data.model.samples.filter((/** @type {any} */ s) => !s.blank);
  replace(root, h("div", { class: "evaluation", "data-testid": "evaluation", "data-mode": data.mode },
    h("div", { class: ["form-banner", data.mode === "stored" || data.mode === "online" || data.mode === "device" ? "info" : ""] },
      t(/** @type {any} */ (MODE_TEXT)[data.mode] || "eval_offline"), " ", button(t("refresh"), handlers.refresh, { class: "btn small" })),
    data.details?.length ? h("div", { class: "form-banner" }, data.details.map((/** @type {any} */ d) => h("div", null,
      `${d.field || ""} ${messageOf(d)}`))) : null,
    unverifiedNote(ev, data.names),
    summary ? h("div", { class: "eval-summary", "data-testid": "eval-summary" },
      h("span", { class: "verdict conform" }, `${t("conform")} ${summary.conform}`),
      h("span", { class: "verdict nonconform" }, `${t("nonconform")} ${summary.nonconform}`),
      h("span", { class: "verdict undetermined" }, `${t("undetermined")} ${summary.undetermined}`),
      summary.pending ? h("span", { class: "verdict pending" }, t("lab_pending_n", { n: summary.pending })) : null) : null,
    ev ? h("div", { class: "list" }, (ev.groups || []).map((/** @type {any} */ g) => groupRow(g, data.names)),
      (ev.noise || []).map(noiseRow), (ev.mixtures || []).map(mixtureRow)) : null,
    !ev ? h("div", { class: "list" }, samples.map((/** @type {any} */ s) => h("div", { class: "eval-row" },
      h("div", { class: "eval-main" }, h("div", { class: "list-title" }, s.code),
        h("div", { class: "list-sub" }, `V=${number(s.volume, 1)} L · V₀=${number(s.standard_volume, 1)} L`)),
      h("div", { class: "eval-verdict" }, verdict(null))))) : null));
}
