// @ts-check
/**
 * 职业健康素养监测 at one enterprise visit: the survey with its workers (each worker's questionnaire is a child record
 * of the survey, literacy_respondent) and the fast entry of one worker, one question a screen. Every answer is saved as
 * a local change through records.js, like any form's field, so a reload or a closed tablet resumes where it was left.
 * No DOM.
 * @module controllers/literacy
 */
import * as db from "../db.js";
import * as formstore from "../formstore.js";
import { entitySpec } from "../forms/index.js";
import { TABLE, questionnaireOf, rates, scoreRespondent } from "../literacy.js";
import * as records from "../records.js";
import { isEditable, reviewState } from "../replica.js";

const RESPONDENT = "literacy_respondent";
/** The section of the respondent's form that describes the worker; every other section holds questions. */
const HEADER = "respondent";

/**
 * @typedef {{id: string, type: string, label_zh: string, label_en: string, section_zh: string, section_en: string,
 *   choices: {value: string, label_zh: string, label_en: string}[]}} QuestionSpec
 */

/** The respondent's form: the header fields by id and the questions in order. @param {any} def */
export function formParts(def) {
  const spec = entitySpec(def, RESPONDENT);
  /** @type {Record<string, any>} */
  const header = {};
  /** @type {QuestionSpec[]} */
  const questions = [];
  for (const section of spec.sections) {
    for (const field of section.fields) {
      if (section.id === HEADER) header[field.id] = field;
      else questions.push({ ...field, section_zh: section.label_zh, section_en: section.label_en });
    }
  }
  return { header, questions };
}

/** @param {any} value */
const answered = (value) => (Array.isArray(value) ? value.length > 0 : typeof value === "string" && value.trim() !== "");

/** Whether an age is one the form accepts (whole years within its range). @param {any} field @param {any} value */
export function validAge(field, value) {
  return typeof value === "number" && Number.isInteger(value) && value >= (field?.min ?? 0) && value <= (field?.max ?? 200);
}

/** The header is done when sex and a valid age are given. @param {Record<string, any>} header @param {Record<string, any>} data */
export const headerDone = (header, data) => answered(data.sex) && validAge(header.age, data.age);

/**
 * Where a worker's entry resumes: 0 the header, 1…n the first question not answered, n + 1 the summary.
 * @param {Record<string, any>} header @param {QuestionSpec[]} questions @param {Record<string, any>} data
 */
export function resumeAt(header, questions, data) {
  if (!headerDone(header, data)) return 0;
  const next = questions.findIndex((q) => !answered(data[q.id]));
  return next === -1 ? questions.length + 1 : next + 1;
}

/** The questionnaire's scoring on the survey's date, or null before the reference table reached the tablet. @param {string} day */
async function questionnaire(day) {
  return questionnaireOf((await formstore.rowsOf(TABLE)).map((row) => row.data), day);
}

/** @param {any} record @param {any} survey */
const live = (record, survey) => !record.deleted_local && record.entity === RESPONDENT && record.parent_id === survey.id;

/**
 * The survey with its workers in questionnaire order: each one's number, sex, age, post, how far they got and (once
 * finished, with the scoring on the tablet) the score; the rates of the finished ones. Null when not on this tablet.
 * @param {string} surveyId
 */
export async function surveyModel(surveyId) {
  const survey = await db.getRecord(surveyId);
  if (!survey || survey.deleted_local || survey.entity !== "literacy_survey") return null;
  const def = formstore.definition(survey.form_id, survey.form_version);
  if (!def) return { missing: true };
  const { header, questions } = formParts(def);
  const q = await questionnaire(survey.data.survey_date || "");
  const children = (await db.recordsBy("parent_id", surveyId)).filter((r) => live(r, survey))
    .sort((a, b) => (a.data.respondent_no ?? 0) - (b.data.respondent_no ?? 0) || a.created_local.localeCompare(b.created_local));
  const workers = children.map((r) => {
    const done = questions.filter((question) => answered(r.data[question.id])).length;
    const finished = done === questions.length && headerDone(header, r.data);
    return { id: r.id, no: r.data.respondent_no ?? null, sex: r.data.sex ?? null, age: r.data.age ?? null,
      post: r.data.post || "", answered: done, finished, score: finished && q ? scoreRespondent(q, r.data) : null };
  });
  const scores = workers.flatMap((w) => (w.score ? [w.score] : []));
  const enterprise = survey.enterprise_id ? await db.getEnterprise(survey.enterprise_id) : null;
  return { survey, enterprise, workers, total: questions.length, header, scored: Boolean(q), rates: rates(scores),
    finished: workers.filter((w) => w.finished).length, editable: isEditable(survey), state: reviewState(survey) };
}

/**
 * One worker's entry: the survey, the worker's data, the form's header fields and questions, where to resume and
 * the scoring (null before it reached the tablet). Null when the worker is not (or no longer) on this tablet.
 * @param {string} surveyId @param {string} workerId
 */
export async function workerModel(surveyId, workerId) {
  const [survey, worker] = [await db.getRecord(surveyId), await db.getRecord(workerId)];
  if (!survey || !worker || !live(worker, survey)) return null;
  const def = formstore.definition(worker.form_id, worker.form_version);
  if (!def) return { missing: true };
  const { header, questions } = formParts(def);
  const siblings = (await db.recordsBy("parent_id", surveyId)).filter((r) => live(r, survey));
  const finished = siblings.filter((r) => resumeAt(header, questions, r.data) > questions.length).length;
  return { survey, worker, data: { ...worker.data }, header, questions, at: resumeAt(header, questions, worker.data),
    questionnaire: await questionnaire(survey.data.survey_date || ""), finished, editable: isEditable(survey) };
}

/**
 * Start the next worker's questionnaire: a child record numbered after the highest number of the survey. Returns its
 * id. @param {string} surveyId
 */
export async function addWorker(surveyId) {
  const survey = await db.getRecord(surveyId);
  if (!survey) throw new Error("not_found");
  const numbers = (await db.recordsBy("parent_id", surveyId)).filter((r) => live(r, survey))
    .map((r) => Number(r.data.respondent_no) || 0);
  const worker = await records.createChild(survey, RESPONDENT, { respondent_no: Math.max(0, ...numbers) + 1 });
  return worker.id;
}

/** Save answers of a worker (each tap, at once). @param {string} workerId @param {Record<string, any>} fields */
export const save = (workerId, fields) => records.saveFields(workerId, fields);

/** Delete a worker's questionnaire (a worker who left before answering). @param {string} workerId */
export const remove = (workerId) => records.deleteRecord(workerId);
