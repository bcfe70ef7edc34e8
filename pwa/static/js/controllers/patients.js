// @ts-check
/**
 * The pneumoconiosis patients' register on the tablet, offline: the files with who is due or overdue a follow-up
 * (patient_rules.js, the server's rule), a patient's file with its stage changes, employers and follow-ups, a
 * follow-up started from the file with what the file knows, and a stage change confirmed into the file. No DOM.
 * @module controllers/patients
 */
import * as api from "../api.js";
import { today } from "../clock.js";
import * as db from "../db.js";
import * as formstore from "../formstore.js";
import { DEFAULT_PERIOD_MONTHS, STATES, dueState } from "../patient_rules.js";
import * as records from "../records.js";
import * as session from "../session.js";

export const REGISTER_FORM = "pneumoconiosis_patient";
export const FOLLOWUP_FORM = "pneumoconiosis_followup";
/** What a follow-up copies from the file it starts from (identity, diagnosis, exposure). */
export const FROM_FILE = ["case_no", "patient_name", "sex", "id_number", "birth_date", "household_address",
  "current_address", "phone", "contact_name", "contact_phone", "township", "diagnosis_institution", "diagnosis_date",
  "diagnosis_certificate_no", "pneumoconiosis_type", "pneumoconiosis_type_other", "stage", "first_report_date",
  "employer_name", "employer_credit_code", "employer_status", "industry_code", "job_type", "dust_exposure_years",
  "exposure_start_year", "exposure_end_year", "still_exposed"];

/** The follow-up cycle in months (reference data kpi_targets, row followup_rate). */
export async function periodMonths() {
  const row = (await formstore.rowsOf("kpi_targets")).find((r) => (r.key || r.data?.key) === "followup_rate");
  const data = row?.data || row || {};
  return Number(data.period_months) || DEFAULT_PERIOD_MONTHS;
}

/** Live records of the tablet by kind. @param {string} entity */
async function live(entity) {
  return (await db.recordsBy("entity", entity)).filter((r) => !r.parent_id && !r.server?.deleted && !r.deleted_local);
}

/** The last follow-up date of each case number, before or on `until`. @param {any[]} followups @param {string} until */
function lastByCase(followups, until) {
  /** @type {Map<string, string>} */
  const last = new Map();
  for (const f of followups) {
    const day = f.data.followup_date;
    const key = f.data.case_no;
    if (!key || typeof day !== "string" || day > until) continue;
    if (!last.has(key) || /** @type {string} */ (last.get(key)) < day) last.set(key, day);
  }
  return last;
}

/**
 * The register as the worker sees it: every file with its state today, most urgent first; filtered by state and by
 * part of a name or case number.
 * @param {string} [state] @param {string} [query]
 */
export async function registerModel(state = "", query = "") {
  const [patients, followups, period] = await Promise.all([live("patient"), live("followup"), periodMonths()]);
  const day = today();
  const last = lastByCase(followups, day);
  const lines = patients.map((p) => {
    const [current, due] = dueState(p.data, last.get(p.data.case_no) || null, day, period);
    return { id: p.id, case_no: p.data.case_no || "", patient_name: p.data.patient_name || "", stage: p.data.stage || null,
      status: p.data.status || null, last_followup: last.get(p.data.case_no) || null, due_on: due, state: current,
      unsynced: p.dirty === 1 };
  }).sort((a, b) => STATES.indexOf(a.state) - STATES.indexOf(b.state) || (a.due_on || "").localeCompare(b.due_on || "")
    || a.case_no.localeCompare(b.case_no));
  /** @type {Record<string, number>} */
  const summary = Object.fromEntries(STATES.map((s) => [s, lines.filter((l) => l.state === s).length]));
  const q = query.trim();
  const shown = lines.filter((l) => (!state || l.state === state) && (!q || l.patient_name.includes(q) || l.case_no.includes(q)));
  return { state, query: q, summary, total: lines.length, lines: shown, periodMonths: period };
}

/** A patient's file: the record, its state, stage changes (newest first), employers and follow-ups. @param {string} id */
export async function patientModel(id) {
  const patient = await db.getRecord(id);
  if (!patient || patient.entity !== "patient" || patient.deleted_local) return null;
  const children = (await db.recordsBy("root_id", id)).filter((r) => r.id !== id && !r.server?.deleted && !r.deleted_local);
  const followups = (await live("followup")).filter((f) => f.data.patient_id === id
    || (f.data.case_no && f.data.case_no === patient.data.case_no))
    .sort((a, b) => (b.data.followup_date || "").localeCompare(a.data.followup_date || ""));
  const period = await periodMonths();
  const last = lastByCase(followups, today()).get(patient.data.case_no) || null;
  const [state, due] = dueState(patient.data, last, today(), period);
  return { patient, state, due_on: due, last_followup: last, periodMonths: period,
    stages: children.filter((c) => c.entity === "stage_change")
      .sort((a, b) => (b.data.change_date || "").localeCompare(a.data.change_date || "")),
    employers: children.filter((c) => c.entity === "patient_employer"), followups };
}

/** Open a new file (today, alive); returns its route. */
export async function newPatient() {
  const record = await records.createRoot(REGISTER_FORM, "patient", { registered_on: today(), status: "alive" });
  return `#/patient/${record.id}`;
}

/** Add an employer of the exposure history to a file; returns the route of its form. @param {string} patientId */
export async function addEmployer(patientId) {
  const patient = await db.getRecord(patientId);
  if (!patient) return null;
  const record = await records.createChild(patient, "patient_employer", {});
  return `#/record/${record.id}`;
}

/**
 * Start a follow-up from the file: linked to it, with its identity, diagnosis and exposure, today, by this worker.
 * Returns the follow-up's route. @param {string} patientId
 */
export async function startFollowup(patientId) {
  const patient = await db.getRecord(patientId);
  if (!patient || patient.entity !== "patient") return null;
  const data = /** @type {Record<string, any>} */ ({ patient_id: patient.id, followup_date: today(),
    followup_staff: session.user()?.display_name || null });
  for (const field of FROM_FILE) if (patient.data[field] != null && patient.data[field] !== "") data[field] = patient.data[field];
  const record = await records.createRoot(FOLLOWUP_FORM, "followup", data);
  return `#/record/${record.id}`;
}

/**
 * A stage change the worker confirmed at a follow-up goes into the file: a stage change event (from, to, the day,
 * who confirmed, which follow-up) and the file's current stage. Nothing when the follow-up names no file on the
 * tablet or the file already has this change. @param {any} followup  the follow-up record
 */
export async function recordStageChange(followup) {
  const data = followup.data || {};
  const patient = data.patient_id ? await db.getRecord(data.patient_id) : null;
  if (!patient || !data.stage_progression_to || data.stage_progression_to === patient.data.stage) return null;
  const existing = (await db.recordsBy("root_id", patient.id))
    .find((r) => r.entity === "stage_change" && r.data.followup_id === followup.id && !r.deleted_local);
  if (existing) return existing;
  const change = await records.createChild(patient, "stage_change", {
    change_date: data.stage_progression_date || data.followup_date || today(), stage_from: patient.data.stage || null,
    stage_to: data.stage_progression_to, source: "followup", followup_id: followup.id,
    confirmed_by_name: session.user()?.display_name || data.followup_staff || "—" });
  await records.saveFields(patient.id, { stage: data.stage_progression_to });
  return change;
}

/**
 * What a follow-up typed by case number gets from the file of that number on this tablet: its fields the follow-up
 * has not answered yet, and the link to the file. Null when no file has that number.
 * @param {any} caseNo @param {Record<string, any>} data  the follow-up's data
 */
export async function fromFileByCase(caseNo, data) {
  const wanted = typeof caseNo === "string" ? caseNo.trim() : "";
  if (!wanted) return null;
  const file = (await live("patient")).find((p) => (p.data.case_no || "").trim() === wanted);
  if (!file) return null;
  /** @type {Record<string, any>} */
  const filled = { patient_id: file.id };
  for (const field of FROM_FILE) {
    const empty = data[field] == null || data[field] === "";
    if (empty && file.data[field] != null && file.data[field] !== "") filled[field] = file.data[field];
  }
  return filled;
}


/** A district's sheet of patients takes the server a while to check (every row, every case number). */
const IMPORT_TIMEOUT = 180_000;

/** @param {File} file */
function upload(file) {
  const body = new FormData();
  body.append("file", file);
  return body;
}

/**
 * What importing a sheet of patients' files would do, row by row (new, changes field by field, unchanged); a bad
 * row rejects with every problem by row and column (ApiError details). Nothing is written. @param {File} file
 */
export const previewImport = (file) => api.request("POST", "/api/patients/import/preview",
  { body: upload(file), timeout: IMPORT_TIMEOUT });

/** Import the previewed sheet with its digest (409 when it or the register changed since). @param {File} file @param {string} digest */
export const applyImport = (file, digest) => api.request("POST", `/api/patients/import?${new URLSearchParams({ digest })}`,
  { body: upload(file), timeout: IMPORT_TIMEOUT });
