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
import { renderPatient, renderRegister } from "./views/patients.js";
import { importFlow } from "./screens_register_import.js";

/** The sheet being imported, kept with its preview (the import sends the same bytes with the preview's digest). */
const importing = { file: /** @type {File|null} */ (null), state: /** @type {any} */ ({ phase: "idle" }) };

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

/** The import card of the patients' files (supervisors). @param {Context} ctx */
function importSection(ctx) {
  return importFlow(importing, {
    preview: patients.previewImport,
    apply: patients.applyImport,
    words: { title: t("patient_import_title"), note: t("patient_import_note"), done: t("patient_import_reach"),
      prefix: "patient-import" },
    done: () => ctx.refresh(), // the register below shows the new and changed files once the next sync brings them
  });
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
