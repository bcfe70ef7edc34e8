// @ts-check
/**
 * 分类监督执法, online in the office: the register of classes and reassessment dates, an enterprise's assessment
 * (the inputs the scheme asks for → the class the server grades, its next reassessment, the history), the import of
 * assessments from a district's spreadsheet (preview, then confirm), and each district's 双随机 ratio per class.
 * No DOM.
 * @module controllers/classification
 */
import * as api from "../api.js";
import * as session from "../session.js";
import { pickers } from "./office.js";

export const SCHEME = "class_pilot_2023";
export const STATUSES = ["overdue", "never", "due_soon", "current", "no_period"];
/** A district's whole spreadsheet takes the server a while to grade row by row. */
const TIMEOUT = 180_000;

/** Who may assess and set ratios: the supervision agency's supervisors (the server refuses the others anyway). */
export const canAssess = () => session.hasRole("supervisor") && session.user()?.agency_kind === "supervision";

/**
 * The register (filtered by status), the districts and the ratios of the chosen district.
 * @param {{status: string|null, region_id: string|null}} filters
 */
export async function registerModel(filters) {
  const query = new URLSearchParams();
  if (filters.status) query.set("status", filters.status);
  const [register, options] = await Promise.all([api.get(`/api/classification/register?${query}`), pickers()]);
  const districts = options.regions.filter((/** @type {any} */ r) => r.level === "district");
  const regionId = filters.region_id || (districts[0] ? String(districts[0].id) : null);
  const ratios = regionId ? await api.get(`/api/draw-ratios?${new URLSearchParams({ region_id: regionId, scheme: SCHEME })}`) : null;
  return { register, districts, regionId, ratios, status: filters.status, canAssess: canAssess() };
}

/** The hash of the register with its filters. @param {{status?: string|null, region_id?: string|null}} filters */
export function registerHash(filters) {
  const query = new URLSearchParams();
  if (filters.status) query.set("status", filters.status);
  if (filters.region_id) query.set("region_id", filters.region_id);
  const text = query.toString();
  return `#/classification${text ? `?${text}` : ""}`;
}

/** An enterprise's class file: current class, next reassessment, history, the inputs and suggestions. @param {string} id */
export async function fileModel(id) {
  const file = await api.get(`/api/classification/enterprises/${encodeURIComponent(id)}`);
  return { file, canAssess: canAssess() };
}

/**
 * Assess from the form's values; the server grades and answers the class file.
 * @param {string} id @param {Record<string, string>} values
 */
export function assess(id, values) {
  const number = (/** @type {string} */ text) => (text === "" || text == null ? null : Number(text));
  return api.post(`/api/classification/enterprises/${encodeURIComponent(id)}/assessments`, {
    scheme: values.scheme || SCHEME, hazard_nature: values.hazard_nature || null,
    exposure_conformity: values.exposure_conformity || null, exposed_headcount: number(values.exposed_headcount),
    management_score: number(values.management_score), assessed_on: values.assessed_on || null, note: values.note || null });
}

/**
 * Set a district's ratio for one class; answers the district's ratios with their history.
 * @param {string} regionId @param {string} label @param {string} pct @param {string} reason
 */
export function setRatio(regionId, label, pct, reason) {
  return api.request("PUT", "/api/draw-ratios", { json: { region_id: Number(regionId), scheme: SCHEME, label,
    ratio_pct: pct === "" ? null : Number(pct), reason } });
}

/** @param {File} file */
function form(file) {
  const body = new FormData();
  body.append("file", file);
  return body;
}

/** What importing the file would do; a bad row rejects with every problem by row and column. @param {File} file */
export const previewImport = (file) => api.request("POST", "/api/classification/import/preview", { body: form(file), timeout: TIMEOUT });

/** Import the previewed file (409 when the file or a class changed since). @param {File} file @param {string} digest */
export const applyImport = (file, digest) => api.request("POST", `/api/classification/import?${new URLSearchParams({ digest })}`,
  { body: form(file), timeout: TIMEOUT });
