// @ts-check
/**
 * The office home of supervisors and admins: what waits for them (records to review, open conflicts, overdue
 * rectifications, locked accounts) and the way to every office screen. Online; a figure that cannot be read
 * stays empty rather than wrong. No DOM.
 * @module controllers/office
 */
import * as api from "../api.js";
import * as session from "../session.js";

/** @type {Promise<any>|null} */
let pickerCache = null;

/** Districts, agencies and teams of the jurisdiction, for filters and forms (once per page load: they rarely change). */
export function pickers() {
  if (!pickerCache) pickerCache = api.get("/api/regions").catch((error) => { pickerCache = null; throw error; });
  return pickerCache;
}

/** @param {Promise<any>} call */
const orNull = (call) => call.catch(() => null);
/** The home waits for these: a dead connection must not hold it up for long. */
const QUICK = { timeout: 8000 };

/** The screens a user's roles open, by area, with how much waits in each. */
export async function officeModel() {
  const user = session.user();
  const admin = session.hasRole("admin");
  const [submitted, resubmitted, conflicts, rectifications, users] = await Promise.all([
    orNull(api.get("/api/records?status=submitted&per_page=1", QUICK)), orNull(api.get("/api/records?status=resubmitted&per_page=1", QUICK)),
    orNull(api.get("/api/sync/conflicts?status=open", QUICK)), orNull(api.get("/api/rectifications?per_page=1", QUICK)),
    admin ? orNull(api.get("/api/users", QUICK)) : Promise.resolve(null)]);
  const counts = {
    submitted: submitted?.total ?? null, resubmitted: resubmitted?.total ?? null,
    conflicts: conflicts ? conflicts.items.length : null, overdue: rectifications?.summary.overdue ?? null,
    due_soon: rectifications?.summary.due_soon ?? null,
    locked: users ? users.items.filter((/** @type {any} */ u) => u.locked).length : null,
  };
  const areas = [
    { key: "review", tiles: [
      { key: "review", href: "#/review?status=submitted", label: "tile_review", count: counts.submitted, hint: counts.resubmitted != null
        ? { key: "tile_review_hint", n: counts.resubmitted } : null },
      { key: "conflicts", href: "#/review/conflicts", label: "tile_conflicts", count: counts.conflicts, hint: null },
      // The monitoring chain after the site: 送检, the laboratory, the report, the national system.
      { key: "lab", href: "#/lab", label: "tile_lab", count: null, hint: { key: "tile_lab_hint", n: 0 } },
      // Rectification follow-up is the supervision agency's: a CDC reviewer (refused while online) has no tile.
      ...(rectifications === null && submitted !== null ? [] : [{ key: "rectifications", href: "#/rectifications",
        label: "tile_rectifications", count: counts.overdue,
        hint: counts.due_soon != null ? { key: "tile_rect_hint", n: counts.due_soon } : null }])] },
    { key: "reports", tiles: [
      { key: "dashboard", href: "#/dashboard", label: "tile_dashboard", count: null, hint: { key: "tile_dashboard_hint", n: 0 } },
      { key: "exports", href: "#/exports", label: "tile_exports", count: null, hint: { key: "tile_exports_hint", n: 0 } },
      { key: "draws", href: "#/draws", label: "tile_draws", count: null, hint: { key: "tile_draws_hint", n: 0 } },
      { key: "numbers", href: "#/numbers", label: "tile_numbers", count: null, hint: { key: "tile_numbers_hint", n: 0 } }] },
  ];
  if (admin) {
    areas.push({ key: "admin", tiles: [
      { key: "users", href: "#/admin/users", label: "tile_users", count: counts.locked, hint: null },
      { key: "devices", href: "#/admin/devices", label: "tile_devices", count: null, hint: { key: "tile_devices_hint", n: 0 } },
      { key: "enterprises", href: "#/admin/enterprises", label: "tile_enterprises", count: null, hint: { key: "tile_enterprises_hint", n: 0 } },
      { key: "reference", href: "#/admin/reference", label: "tile_reference", count: null, hint: { key: "tile_reference_hint", n: 0 } },
      { key: "forms", href: "#/admin/forms", label: "tile_forms", count: null, hint: { key: "tile_forms_hint", n: 0 } }] });
  }
  return { user, areas, offline: submitted === null && conflicts === null };
}
