// @ts-check
/**
 * The patients' register screens, offline on the follow-up worker's tablet: the register and a patient's file.
 * Wiring only (controllers/patients.js holds the rules, views/patients.js draws).
 * @module screens_patients
 */
import * as patients from "./controllers/patients.js";
import { t } from "./i18n.js";
import { prepareForm } from "./screen_forms.js";
import { renderMessage } from "./views/common.js";
import { renderPatient, renderRegister } from "./views/patients.js";

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
