// @ts-check
/**
 * The field flows and who sees them: a user sees only the flows of their roles (the token's `roles`).
 * A re-inspection starts from an earlier notice (its open rectification items), not from a button.
 * @module flows
 */
import * as clock from "./clock.js";

/**
 * @typedef {{id: string, role: string, form_id: string, entity: string, label: string, needs_enterprise: boolean,
 *   available: boolean, screen: "visit"|"record"|"inspection"|"reinspection"|"literacy", listed?: boolean}} Flow
 */

/** @type {Flow[]} */
export const FLOWS = [
  { id: "sampling", role: "sampler", form_id: "sampling_record", entity: "sampling_visit", label: "new_sampling",
    needs_enterprise: true, available: true, screen: "visit" },
  { id: "assistance", role: "assistant", form_id: "assistance_visit", entity: "assistance_visit", label: "new_assistance",
    needs_enterprise: true, available: true, screen: "record" },
  // 职业健康素养监测: many workers' questionnaires at one visit, entered one question a screen (screens_literacy.js).
  { id: "literacy", role: "assistant", form_id: "literacy_survey", entity: "literacy_survey", label: "new_literacy",
    needs_enterprise: true, available: true, screen: "literacy" },
  { id: "followup", role: "followup", form_id: "pneumoconiosis_followup", entity: "followup", label: "new_followup",
    needs_enterprise: false, available: true, screen: "record" },
  { id: "inspection", role: "inspector", form_id: "enforcement_checklist", entity: "inspection", label: "new_inspection",
    needs_enterprise: true, available: true, screen: "inspection" },
  { id: "reinspection", role: "inspector", form_id: "reinspection", entity: "reinspection", label: "new_reinspection",
    needs_enterprise: true, available: true, screen: "reinspection", listed: false },
];

/** Flows of a user's roles that start from a button (admins see every flow). @param {string[]} roles */
export function flowsFor(roles) {
  return FLOWS.filter((flow) => flow.listed !== false && (roles.includes(flow.role) || roles.includes("admin")));
}

/** Supervisors and admins work in the office: review, dashboards, exports, draws, administration. @param {string[]} roles */
export const isOffice = (roles) => roles.includes("supervisor") || roles.includes("admin");

/**
 * A navigation entry: key (data-nav, the screen's entry in app.js), hash, label key, and whether it folds under
 * "more" where the navigation is a bar along the bottom (portrait tablets, phones).
 * @typedef {[string, string, string, boolean?]} NavEntry
 */

/**
 * The navigation of a user's roles: the field's, or the office's — every office screen, the ones used less often
 * folded on a narrow screen (field roles never see the office screens; the server refuses them anyway).
 * The laboratory is the CDC's work and rectification tracking the supervision agency's (a commission sees both;
 * a session from before the agency kind was sent offers both).
 * @param {string[]} roles @param {string} [agencyKind]  cdc | supervision | commission @returns {NavEntry[]}
 */
export function navFor(roles, agencyKind = "") {
  // The laboratory works online in the office layout: its home is its work list (送检, 实验室检测).
  if (roles.includes("laboratory") && !isOffice(roles)) return [["home", "#/home", "nav_lab"], ["sync", "#/sync", "nav_sync"]];
  if (!isOffice(roles)) {
    return [["home", "#/home", "nav_home"],
      ...(roles.includes("followup") ? [/** @type {NavEntry} */ (["patients", "#/patients", "nav_patients"])] : []),
      // The registers on the tablet: the supervision side's (三同时, 放射诊疗, 专项治理) for inspectors, the CDC's
      // (职业健康检查机构, 培训, 职业健康检查) for assistance staff.
      ...(roles.includes("inspector") || roles.includes("assistant")
        ? [/** @type {NavEntry} */ (["ledgers", "#/ledgers", "nav_ledgers"])] : []),
      ["enterprises", "#/enterprises", "nav_enterprises"],
      ["conflicts", "#/conflicts", "nav_conflicts"], ["sync", "#/sync", "nav_sync"]];
  }
  /** @type {NavEntry[]} */
  const entries = [["home", "#/home", "nav_home"], ["review", "#/review", "nav_review"],
    ["office_conflicts", "#/review/conflicts", "nav_conflicts"],
    ...(agencyKind === "supervision" ? [] : [/** @type {NavEntry} */ (["lab", "#/lab", "nav_lab", true])]),
    ...(agencyKind === "cdc" ? [] : [/** @type {NavEntry} */ (["rectifications", "#/rectifications", "nav_rectifications", true])]),
    // The patients' register is the CDC's (a commission oversees it too).
    ...(agencyKind === "supervision" ? [] : [/** @type {NavEntry} */ (["patients", "#/patients", "nav_patients", true])]),
    ["dashboard", "#/dashboard", "nav_dashboard"],
    ["exports", "#/exports", "nav_exports", true], ["draws", "#/draws", "nav_draws", true],
    ...(agencyKind === "cdc" ? [] : [/** @type {NavEntry} */ (["classification", "#/classification", "nav_classification", true])]),
    // Every agency keeps ledgers: the supervision agency its registers, the CDC its own (a commission reads both).
    ["ledgers", "#/ledgers", "nav_ledgers", true],
    ["numbers", "#/numbers", "nav_numbers", true]];
  if (roles.includes("admin")) entries.push(["admin", "#/admin/users", "nav_admin"]);
  entries.push(["sync", "#/sync", "nav_sync"]);
  return entries;
}

/** The root kinds of registers (DESIGN §7): files kept up to date, never handed in for review nor listed as drafts
 * (the server's permissions.REGISTER_KINDS). */
export const REGISTER_ROOTS = ["patient", "construction_project", "radiology_institution", "campaign",
  "exam_institution", "training_session", "health_exam_batch"];

/** The ledgers' files whose parts (child records: a 督导 and its checklist items, a training's enterprises) are listed
 * and added under the record screen's form (controllers/file_parts.js). */
export const FILE_PARTS_ROOTS = ["exam_institution", "training_session"];

/** @param {string} id */
export const flowById = (id) => FLOWS.find((flow) => flow.id === id) || null;

/** @param {string} entity */
export const flowOfEntity = (entity) => FLOWS.find((flow) => flow.entity === entity) || null;

/** Where a root record opens. @param {{id: string, entity: string}} record */
export function routeOf(record) {
  const screen = flowOfEntity(record.entity)?.screen;
  if (screen === "visit") return `#/visit/${record.id}/header`;
  if (screen === "inspection") return `#/inspection/${record.id}/info`;
  if (screen === "reinspection") return `#/reinspection/${record.id}/items`;
  if (screen === "literacy") return `#/literacy/${record.id}`;
  return `#/record/${record.id}`;
}

const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");

/** Today in China (business time, clock.js), YYYY-MM-DD. */
export const today = () => clock.today();

/**
 * The officers a new inspection or re-inspection names at first: the worker, and the partner given, each only
 * when on the agency's roster (when the tablet has one), as the roster names them. A person off the roster is
 * left for the inspector to choose: the server would refuse them.
 * @param {{displayName: string, userId?: number|null, partner?: {id: string, name: string}|null,
 *   roster?: {id: number, name: string}[]}} given
 */
function firstOfficers(given) {
  const roster = given.roster || [];
  /** @type {Record<string, string>} */
  const officers = {};
  const slots = [["officer_1", given.userId != null ? { id: String(given.userId), name: given.displayName } : null],
    ["officer_2", given.partner || null]];
  for (const [slot, person] of /** @type {[string, {id: string, name: string}|null][]} */ (slots)) {
    const listed = person ? roster.find((o) => String(o.id) === person.id) : null;
    if (!person || (roster.length && !listed)) continue;
    officers[`${slot}_id`] = person.id;
    officers[`${slot}_name`] = listed?.name || person.name;
  }
  return officers;
}

/**
 * What a new record starts with, so the worker types less on site: the date, the worker as first officer
 * (and the colleague of a 双随机 assignment, or of the inspection re-inspected, as second), the enterprise's
 * address as the place.
 * @param {Flow} flow
 * @param {{enterpriseId?: string|null, displayName: string, userId?: number|null, place?: string|null,
 *   partner?: {id: string, name: string}|null, roster?: {id: number, name: string}[]}} given
 */
export function initialData(flow, given) {
  const enterprise = given.enterpriseId ? { enterprise_id: given.enterpriseId } : {};
  if (flow.id === "inspection" || flow.id === "reinspection") {
    const now = clock.chinaParts();
    const officers = firstOfficers(given);
    if (flow.id === "reinspection") return { ...enterprise, reinspection_date: today(), ...officers };
    return { ...enterprise, inspection_date: today(), start_time: `${pad(now.hour)}:${pad(now.minute)}`,
      place: given.place || null, ...officers };
  }
  if (flow.id === "sampling") return { ...enterprise, sampling_date: today(), sampler_1_name: given.displayName };
  if (flow.id === "assistance") return { ...enterprise, visit_date: today(), staff_names: given.displayName };
  if (flow.id === "literacy") return { ...enterprise, survey_date: today(), surveyors: given.displayName };
  if (flow.id === "followup") return { followup_date: today(), followup_staff: given.displayName };
  return { ...enterprise };
}

