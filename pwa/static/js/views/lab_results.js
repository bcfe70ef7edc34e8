// @ts-check
/**
 * The laboratory's result of each sample — a form by result kind with Chinese labels and units, the server's
 * refusals next to their fields (what was typed stays in the field) — and the batch's quality control: blanks
 * above their detection limit, the relative deviation of parallel samples.
 * @module views/lab_results
 */
import { number, t } from "../i18n.js";
import { h, replace } from "./dom.js";
import { messageOf } from "./common.js";

/** Where a field is shown: its label key and the result kinds it belongs to (all kinds when none). */
const FIELDS = [
  ["mass_ug", "lab_mass_ug", ["mass"]], ["concentration_mg_m3", "lab_concentration", ["concentration"]],
  ["below_lod", "lab_below_lod", ["mass", "concentration"]],
  ["filter_pre_mg", "lab_filter_pre", ["weighing"]], ["filter_post_mg", "lab_filter_post", ["weighing"]],
  ["balance_id", "lab_balance", ["weighing"]], ["free_sio2_pct", "lab_sio2", ["weighing"]],
  ["lod", "lab_lod", null], ["loq", "lab_loq", null], ["method_standard", "lab_method", null], ["instrument", "lab_instrument", null],
  ["analyst", "lab_analyst", null], ["analysis_date", "lab_analysis_date", null], ["note", "lab_note", null],
];
const NUMBERS = new Set(["mass_ug", "concentration_mg_m3", "lod", "loq", "filter_pre_mg", "filter_post_mg", "free_sio2_pct"]);
const KINDS = ["mass", "concentration", "weighing"];
const UNITS = { mass: "µg", concentration: "mg/m³", weighing: "mg" };

/** A stored value as it was typed. @param {any} value */
const shown = (value) => (value == null ? "" : String(value));

/** The label of a field for a kind (the LOD's unit follows the kind). @param {string} key @param {string} kind */
const labelOf = (key, kind) => t(/** @type {any} */ (key), { unit: /** @type {any} */ (UNITS)[kind] || "" });

/** @param {string} name @param {any} value @param {any} defaults */
function control(name, value, defaults) {
  if (name === "below_lod") {
    return h("input", { type: "checkbox", name, checked: value === true, style: { width: "48px", height: "48px" } });
  }
  if (name === "note") return h("textarea", { class: "input", name, rows: 2, maxlength: 500 }, shown(value));
  if (name === "analysis_date") return h("input", { class: "input", type: "date", name, value: shown(value ?? defaults.analysis_date) });
  // Numbers in a text box: a value that is not a number stays visible, as typed, beside the server's reason.
  return h("input", { class: ["input", NUMBERS.has(name) && "num"], type: "text", name, autocomplete: "off",
    inputmode: NUMBERS.has(name) ? "decimal" : null, value: shown(value ?? (name === "analyst" ? defaults.analyst : null)) });
}

/**
 * One sample's result form.
 * @param {any} sample @param {any} model @param {import("./lab.js").LabHandlers} handlers
 */
function resultForm(sample, model, handlers) {
  const values = sample.result || {};
  const kind = /** @type {HTMLSelectElement} */ (h("select", { class: "input", name: "result_kind", "data-testid": "result-kind" },
    KINDS.map((k) => h("option", { value: k, selected: k === sample.kind }, t(/** @type {any} */ (`lab_kind_${k}`))))));
  const fields = FIELDS.map(([name, key, kinds]) => {
    const label = h("div", { class: "field-label" });
    const wrap = h("label", { class: ["field", name === "below_lod" && "row"], "data-result-field": name },
      name === "below_lod" ? null : label, control(/** @type {string} */ (name), values[/** @type {string} */ (name)], model.defaults),
      name === "below_lod" ? label : null, h("div", { class: "field-msg", "data-testid": "result-error" }));
    return { name: /** @type {string} */ (name), key: /** @type {string} */ (key), kinds: /** @type {string[]|null} */ (kinds), label, wrap };
  });
  const banner = h("div", { "data-testid": "result-banner" });
  const status = h("span", { class: sample.result ? "badge-state state-approved" : "muted", "data-testid": "result-status" },
    sample.result ? t("lab_saved", { n: sample.result_version }) : t("lab_no_result"));
  const showKind = () => {
    for (const f of fields) {
      f.wrap.hidden = Boolean(f.kinds && !f.kinds.includes(kind.value));
      replace(f.label, labelOf(f.key, kind.value));
    }
  };
  kind.addEventListener("change", showKind);
  showKind();
  const clearErrors = () => {
    replace(banner);
    for (const f of fields) {
      f.wrap.classList.remove("has-error");
      replace(/** @type {HTMLElement} */ (f.wrap.querySelector(".field-msg")));
    }
  };
  const form = h("form", { class: "result-form", "data-testid": "result-form", "data-sample": sample.sample_code },
    h("label", { class: "field" }, h("div", { class: "field-label" }, t("lab_result_kind")), kind),
    h("div", { class: "grid" }, fields.map((f) => f.wrap)), banner,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn primary", "data-testid": "result-save" }, t("lab_save")), status));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    /** @type {Record<string, string|boolean>} */
    const raw = {};
    for (const el of /** @type {NodeListOf<HTMLInputElement>} */ (form.querySelectorAll("input[name], textarea[name]"))) {
      raw[el.name] = el.type === "checkbox" ? el.checked : el.value;
    }
    const saving = /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]"));
    saving.disabled = true;
    try {
      const outcome = await handlers.save(sample, kind.value, raw);
      clearErrors();
      if (outcome?.saved) {
        status.className = "badge-state state-approved";
        replace(status, t("lab_saved", { n: outcome.saved.version }));
      } else if (outcome?.error) {
        const details = Array.isArray(outcome.error.details) ? outcome.error.details : [];
        const loose = [];
        for (const d of details) {
          const f = fields.find((x) => x.name === d.field && !x.wrap.hidden);
          if (!f) {
            loose.push(d);
            continue;
          }
          f.wrap.classList.add("has-error");
          replace(/** @type {HTMLElement} */ (f.wrap.querySelector(".field-msg")), messageOf(d));
        }
        replace(banner, h("div", { class: "form-banner", role: "alert", "data-code": outcome.error.code || "" },
          outcome.error.message || String(outcome.error), loose.map((d) => h("div", null, messageOf(d)))));
      }
    } finally {
      saving.disabled = false;
    }
  });
  return form;
}

/** A result read-only, as typed (supervisors; a locked result). @param {any} sample */
function resultText(sample) {
  const values = sample.result || {};
  const kind = values.result_kind || sample.kind;
  return h("dl", { class: "kvs", "data-testid": "result-values" },
    h("div", { class: "kv" }, h("dt", null, t("lab_result_kind")), h("dd", null, t(/** @type {any} */ (`lab_kind_${kind}`)))),
    FIELDS.filter(([name]) => values[/** @type {string} */ (name)] != null).map(([name, key]) => h("div", { class: "kv" },
      h("dt", null, labelOf(/** @type {string} */ (key), kind)),
      h("dd", null, name === "below_lod" ? t(values.below_lod ? "yes" : "no") : shown(values[/** @type {string} */ (name)])))));
}

const STAGES = { direct: "lab_direct", not_handed: "lab_not_handed", pending: "lab_pending_receipt", missing: "lab_missing", received: "" };

/** @param {any} sample @param {any} model @param {import("./lab.js").LabHandlers} handlers */
function sampleCard(sample, model, handlers) {
  const stage = /** @type {any} */ (STAGES)[sample.stage];
  return h("section", { class: ["card", sample.stage === "missing" && "attention"], "data-testid": "lab-sample",
    "data-code": sample.sample_code, "data-stage": sample.stage },
  h("div", { class: "row" }, h("h3", { class: "grow mono", style: { margin: 0 } }, sample.sample_code),
    h("span", { class: "muted" }, [sample.sample_type_zh, sample.hazard_zh, sample.collector_zh, sample.condition_zh].filter(Boolean).join(" · "))),
  stage ? h("p", { class: sample.stage === "missing" ? "warn" : "muted" }, t(stage)) : null,
  sample.damaged ? h("p", { class: "warn", "data-testid": "sample-damaged" }, t("lab_received_damaged")) : null,
  sample.locked ? h("div", { class: "form-banner info", "data-testid": "result-locked" },
    t(sample.correction ? "lab_correction_pending" : "lab_locked")) : null,
  sample.locked && sample.result ? resultText(sample) : null,
  sample.editable ? resultForm(sample.correction ? { ...sample, result: sample.correction } : sample, model, handlers)
    : !sample.locked && sample.result ? resultText(sample) : null);
}

/** Every sample of the visit with its result. @param {any} model @param {import("./lab.js").LabHandlers} handlers */
export function resultSection(model, handlers) {
  return h("div", { "data-testid": "lab-samples" }, h("h2", null, t("lab_samples_title")),
    model.samples.map((/** @type {any} */ s) => sampleCard(s, model, handlers)));
}

/** Quality control of the batch, as the server computed it. @param {any} model */
export function qcCard(model) {
  const qc = model.visit.qc || {};
  const byCode = new Map(model.samples.map((/** @type {any} */ s) => [s.sample_code, s]));
  const blanks = qc.blanks_above_lod || [];
  const parallels = qc.parallels || [];
  const unit = (/** @type {string} */ code) => /** @type {any} */ (UNITS)[byCode.get(code)?.result?.result_kind] || "";
  const flagged = [...new Set(blanks.map((/** @type {any} */ b) => byCode.get(b.sample_code)?.hazard_zh).filter(Boolean))];
  return h("section", { class: "card", "data-testid": "lab-qc" }, h("h2", null, t("lab_qc_title")),
    blanks.length ? blanks.map((/** @type {any} */ b) => h("p", { class: "warn", "data-testid": "qc-blank", "data-code": b.sample_code },
      t("lab_qc_blank", { code: b.sample_code, measured: shown(b.measured), unit: unit(b.sample_code),
        lod: b.lod == null ? t("lab_no_lod") : `${shown(b.lod)} ${unit(b.sample_code)}` })))
      : h("p", { class: "muted", "data-testid": "qc-blanks-ok" }, t("lab_qc_blanks_ok")),
    flagged.length ? h("p", { class: "warn", "data-testid": "qc-flagged" }, t("lab_qc_flagged", { names: flagged.join("、") })) : null,
    parallels.map((/** @type {any} */ p) => h("p", { "data-testid": "qc-parallel", "data-code": p.sample_code },
      !p.twin_code ? t("lab_qc_no_twin", { code: p.sample_code })
        : p.relative_deviation_pct == null ? t("lab_qc_parallel_pending", { code: p.sample_code, twin: p.twin_code })
          : t("lab_qc_parallel", { code: p.sample_code, twin: p.twin_code, pct: number(p.relative_deviation_pct, 1) }))));
}
