// @ts-check
/**
 * The patients' register on the tablet: the files by follow-up state (each state a filter), and a patient's file —
 * who, the diagnosis and current stage, when the next follow-up is due, the stage changes, employers and
 * follow-ups — with the file's own form below.
 * @module views/patients
 */
import { t } from "../i18n.js";
import { button, h, replace } from "./dom.js";
import { card, empty } from "./common.js";

const STATE_CLASS = { overdue: "warn", due: "state-returned", followed: "state-approved", closed: "" };
const STAGES = { stage_1: "stage_1", stage_2: "stage_2", stage_3: "stage_3" };

/** @param {string} state */
function stateTag(state) {
  return h("span", { class: `badge-state ${/** @type {any} */ (STATE_CLASS)[state] || ""}`, "data-state": state },
    t(/** @type {any} */ (`patient_state_${state}`)));
}

/** @param {string|null} stage */
const stageText = (stage) => (stage && stage in STAGES ? t(/** @type {any} */ (`patient_${stage}`)) : "—");

/** @param {any} line @param {(id: string) => void} open */
function patientRow(line, open) {
  const when = line.state === "closed" ? t(/** @type {any} */ (`patient_status_${line.status}`))
    : line.due_on ? t("patient_due_on", { date: line.due_on }) : t("patient_due_unknown");
  return h("button", { type: "button", class: "list-item", "data-patient": line.id, "data-state": line.state,
    onclick: () => open(line.id) },
  h("div", { class: "list-main" },
    h("div", { class: "list-title" }, `${line.patient_name || t("patient_unnamed")} · ${line.case_no || "—"}`),
    h("div", { class: "list-sub" }, [stageText(line.stage), when,
      line.last_followup ? t("patient_last_followup", { date: line.last_followup }) : t("patient_never_followed")].join(" · "))),
  h("div", { class: "list-side" }, stateTag(line.state), line.unsynced ? h("span", { class: "badge-state" }, t("unsynced")) : null));
}

/**
 * @param {HTMLElement} root @param {any} model  controllers/patients registerModel (+ `starting`: a follow-up is being started)
 * @param {{filter: (state: string, query: string) => void, open: (id: string) => void, create: () => void}} handlers
 */
export function renderRegister(root, model, handlers) {
  const input = /** @type {HTMLInputElement} */ (h("input", { type: "search", class: "input search-input", value: model.query,
    placeholder: t("patient_search"), "aria-label": t("patient_search"), "data-testid": "patient-search" }));
  input.addEventListener("change", () => handlers.filter(model.state, input.value));
  const chip = (/** @type {string} */ state, /** @type {number} */ n) => h("button", { type: "button", class: "seg",
    "aria-pressed": String(model.state === state), "data-filter": state, onclick: () => handlers.filter(state, input.value) },
  state ? t(/** @type {any} */ (`patient_state_${state}`)) : t("all"), " ", h("b", { "data-count": state || "all" }, String(n)));
  replace(root, h("div", { class: "register patients" },
    model.starting ? h("div", { class: "form-banner info" }, t("patient_pick_for_followup")) : null,
    h("div", { class: "row" }, h("p", { class: "muted grow", "data-testid": "patient-cycle" },
      t("patient_cycle", { months: model.periodMonths })),
    button(t("patient_new"), handlers.create, { class: "btn", "data-testid": "patient-new" })),
    h("div", { class: "segmented", "data-testid": "patient-summary" }, chip("", model.total),
      ["overdue", "due", "followed", "closed"].map((s) => chip(s, model.summary[s] || 0))),
    input,
    h("div", { class: "list", "data-testid": "patient-list" },
      model.lines.length ? model.lines.map((/** @type {any} */ l) => patientRow(l, handlers.open))
        : empty(model.total ? t("patient_none_match") : t("patient_none")))));
}

/**
 * @param {HTMLElement} root @param {any} model  controllers/patients patientModel
 * @param {{followup: () => void, addEmployer: () => void, open: (route: string) => void}} handlers
 * @returns {{form: HTMLElement}}  where the file's form is drawn
 */
export function renderPatient(root, model, handlers) {
  const d = model.patient.data;
  const form = h("div", { class: "card span-all", "data-testid": "patient-form" });
  const due = model.state === "closed" ? t(/** @type {any} */ (`patient_status_${d.status}`))
    : model.due_on ? t("patient_due_on", { date: model.due_on }) : t("patient_due_unknown");
  replace(root, h("div", { class: "patient-file grid" },
    card(`${d.patient_name || t("patient_unnamed")} · ${d.case_no || "—"}`, [
      h("p", { "data-testid": "patient-stage" }, `${t("patient_stage_now")}：${stageText(d.stage || null)}`),
      h("p", { "data-testid": "patient-due" }, stateTag(model.state), " ", due),
      h("p", { class: "muted" }, model.last_followup ? t("patient_last_followup", { date: model.last_followup }) : t("patient_never_followed")),
      h("div", { class: "actions" },
        model.state === "closed" ? null : button(t("patient_start_followup"), handlers.followup,
          { class: "btn primary", "data-testid": "patient-start-followup" }))],
    { "data-testid": "patient-summary-card" }),
    card(t("patient_stage_history"), [model.stages.length ? h("ul", { class: "stage-history", "data-testid": "patient-stages" },
      model.stages.map((/** @type {any} */ s) => h("li", { "data-stage-change": s.id },
        t("patient_stage_change", { date: s.data.change_date || "—", from: stageText(s.data.stage_from || null),
          to: stageText(s.data.stage_to || null), by: s.data.confirmed_by_name || "—" }))))
      : empty(t("patient_no_stage_change"))]),
    card(t("patient_followups"), [model.followups.length ? h("div", { class: "list", "data-testid": "patient-followups" },
      model.followups.map((/** @type {any} */ f) => h("a", { class: "list-item", href: `#/record/${f.id}`, "data-followup": f.id },
        h("div", { class: "list-main" }, h("div", { class: "list-title" }, f.data.followup_date || "—"),
          h("div", { class: "list-sub" }, [f.data.followup_staff, f.data.vital_status ? t(/** @type {any} */ (`patient_vital_${f.data.vital_status}`)) : null]
            .filter(Boolean).join(" · "))))))
      : empty(t("patient_no_followup"))]),
    card(t("patient_employers"), [
      model.employers.length ? h("div", { class: "list" }, model.employers.map((/** @type {any} */ e) =>
        h("a", { class: "list-item", href: `#/record/${e.id}`, "data-employer": e.id },
          h("div", { class: "list-main" }, h("div", { class: "list-title" }, e.data.employer_name || t("patient_employer_unnamed")),
            h("div", { class: "list-sub" }, [e.data.job_type, e.data.dust_exposure_years != null ? t("patient_years", { n: e.data.dust_exposure_years }) : null]
              .filter(Boolean).join(" · "))))))
        : empty(t("patient_no_employer")),
      h("div", { class: "actions" }, button(t("patient_add_employer"), handlers.addEmployer, { class: "btn small", "data-testid": "patient-add-employer" }))]),
    form));
  return { form };
}
