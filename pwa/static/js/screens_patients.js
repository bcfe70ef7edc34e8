// @ts-check
/**
 * The patients' register screens, offline on the follow-up worker's tablet: the register and a patient's file.
 * Wiring only (controllers/patients.js holds the rules, views/patients.js draws).
 * @module screens_patients
 */
import * as patients from "./controllers/patients.js";
import { t } from "./i18n.js";
import * as session from "./session.js";
import { prepareForm } from "./screen_forms.js";
import { renderMessage } from "./views/common.js";
import { importCard, renderPatient, renderRegister } from "./views/patients.js";

/** The sheet being imported, kept with its preview (the import sends the same bytes with the preview's digest). */
let importing = { file: /** @type {File|null} */ (null), state: /** @type {any} */ ({ phase: "idle" }) };

/** @typedef {import("./screens.js").Context} Context */

/** @param {import("./router.js").Route} route @param {Context} ctx */
export async function patientRegister(route, ctx) {
  ctx.setTitle(t("patient_register_title"));
  const state = route.query.get("state") || "";
  const starting = route.query.get("start") === "followup";
  const model = await patients.registerModel(state, route.query.get("q") || "");
  renderRegister(ctx.main, { ...model, starting }, {
    filter: (next, query) => {
      const params = new URLSearchParams();
      if (next) params.set("state", next);
      if (query.trim()) params.set("q", query.trim());
      if (starting) params.set("start", "followup");
      ctx.go(`#/patients${params.size ? `?${params}` : ""}`);
    },
    open: async (id) => {
      const next = starting ? await patients.startFollowup(id) : `#/patient/${id}`;
      if (next) ctx.go(next);
    },
    create: async () => ctx.go(await patients.newPatient()),
  });
  // Supervisors bring in the register kept in a sheet until now (online: the server checks every row).
  if (session.hasRole("supervisor", "admin")) ctx.main.append(importSection(ctx));
}

/** The import card, redrawn in place as its state moves. @param {Context} ctx */
function importSection(ctx) {
  /** @type {HTMLElement|null} */
  let shown = null;
  /** @param {any} state */
  function show(state) {
    importing.state = state;
    const next = importCard(state, handlers);
    shown?.replaceWith(next);
    shown = next;
  }
  const handlers = {
    /** @param {File} file */
    preview: async (file) => {
      show({ phase: "checking" });
      try {
        const preview = await patients.previewImport(file);
        importing.file = file;
        show({ phase: "preview", preview });
      } catch (error) {
        show(refusal(error));
      }
    },
    confirm: async () => {
      const { file, state } = importing;
      if (!file || state.phase !== "preview") return;
      try {
        const report = await patients.applyImport(file, state.preview.digest);
        importing = { file: null, state: { phase: "done", report } };
        ctx.refresh(); // the register below shows the new and changed files once the next sync brings them
      } catch (error) {
        show(refusal(error));
      }
    },
  };
  shown = importCard(importing.state, handlers);
  return shown;
}

/** A refused preview or import, in words: every problem with its row and column. @param {any} error */
function refusal(error) {
  return { phase: "refused", message: error?.status === 0 ? t("patient_import_offline") : error?.message || String(error),
    problems: Array.isArray(error?.details) ? error.details : [] };
}

/** @param {import("./router.js").Route} route @param {Context} ctx */
export async function patientFile(route, ctx) {
  const model = await patients.patientModel(route.params.id);
  if (!model) return renderMessage(ctx.main, t("not_found"));
  ctx.setTitle(t("patient_file_title"));
  const drawForm = await prepareForm(model.patient.id, ctx);
  const frame = renderPatient(ctx.main, model, {
    followup: async () => {
      const next = await patients.startFollowup(model.patient.id);
      if (next) ctx.go(next);
    },
    addEmployer: async () => {
      const next = await patients.addEmployer(model.patient.id);
      if (next) ctx.go(next);
    },
    open: (next) => ctx.go(next),
  });
  drawForm(frame.form);
}
