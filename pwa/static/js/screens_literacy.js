// @ts-check
/**
 * 职业健康素养监测 screens, offline on the assistant's tablet: the survey (its form, its workers with their scores,
 * the submit section) and the fast entry of one worker's questionnaire. Wiring only: controllers/literacy.js holds
 * the model and actions, views/literacy.js draws.
 * @module screens_literacy
 */
import * as literacy from "./controllers/literacy.js";
import { t } from "./i18n.js";
import { scoreRespondent } from "./literacy.js";
import { reviewState } from "./replica.js";
import { prepareForm, prepareSubmit } from "./screen_forms.js";
import { renderMessage } from "./views/common.js";
import { loadStyles, renderWorker, renderWorkers } from "./views/literacy.js";
import { renderRecordFrame } from "./views/record.js";

/** @typedef {import("./screens.js").Context} Context */

/** Start the next worker and open their questionnaire. @param {string} surveyId @param {Context} ctx */
async function nextWorker(surveyId, ctx) {
  try {
    ctx.go(`#/literacy/${surveyId}/worker/${await literacy.addWorker(surveyId)}`);
  } catch (error) {
    console.error(error);
    ctx.toast(t("save_failed"), "error");
  }
}

/** The survey: its form (enterprise, date, surveyors, interventions), its workers, the submit section. @param {import("./router.js").Route} route @param {Context} ctx */
export async function literacySurvey(route, ctx) {
  const id = route.params.id;
  const model = await literacy.surveyModel(id);
  if (!model || "missing" in model) return renderMessage(ctx.main, t(model ? "form_missing" : "not_found"));
  ctx.setTitle(t("literacy_title"));
  const [drawForm, drawSubmit] = [await prepareForm(id, ctx), await prepareSubmit(id, ctx, true), await loadStyles()];
  const survey = model.survey;
  const frame = renderRecordFrame(ctx.main, { title: model.enterprise?.name || t("literacy_title"),
    subtitle: survey.data.survey_date || "", state: reviewState(survey), unsynced: survey.dirty === 1,
    comment: survey.server?.review_status === "returned" ? survey.server.review_comment : null, editable: model.editable });
  drawForm(frame.form);
  renderWorkers(frame.form, model, { add: () => nextWorker(id, ctx) });
  drawSubmit(frame.submit);
}

/** One worker's questionnaire, resumed where it was left. @param {import("./router.js").Route} route @param {Context} ctx */
export async function literacyWorker(route, ctx) {
  await showWorker(route.params.id, route.params.worker, ctx);
}

/**
 * Draw a worker's questionnaire. “下一位” draws the next worker in place and replaces the address (no route change,
 * no history entry per worker: back leads to the survey), so the next worker's first screen follows the tap at once.
 * @param {string} id  the survey @param {string} worker @param {Context} ctx
 */
async function showWorker(id, worker, ctx) {
  const [model] = [await literacy.workerModel(id, worker), await loadStyles()];
  if (!model || "missing" in model) return renderMessage(ctx.main, t(model ? "form_missing" : "not_found"));
  ctx.setTitle(t("literacy_entry_title"));
  const failed = (/** @type {any} */ error) => {
    console.error(error);
    ctx.toast(t("save_failed"), "error");
  };
  renderWorker(ctx.main, model, {
    // Saved at once, not awaited: the next question is drawn while the tablet writes (records.js keeps the order).
    save: (fields) => { literacy.save(worker, fields).catch(failed); },
    next: async () => {
      try {
        const next = await literacy.addWorker(id);
        history.replaceState(null, "", `#/literacy/${id}/worker/${next}`);
        await showWorker(id, next, ctx);
        document.documentElement.dataset.route = location.hash;  // shown, as app.js marks a drawn route
      } catch (error) {
        failed(error);
      }
    },
    survey: () => ctx.go(`#/literacy/${id}`),
    remove: async () => {
      if (!confirm(t("confirm_delete"))) return;
      await literacy.remove(worker).catch(failed);
      ctx.go(`#/literacy/${id}`);
    },
    score: (data) => (model.questionnaire ? scoreRespondent(model.questionnaire, data) : null),
    validAge: (value) => literacy.validAge(model.header.age, value),
  });
}
