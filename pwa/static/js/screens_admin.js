// @ts-check
/**
 * Wiring of the administration screens: users, devices, the enterprise registry, reference data and form
 * versions. Loaded when an admin opens one of them.
 * @module screens_admin
 */
import * as admin from "./controllers/admin.js";
import * as referenceData from "./controllers/reference.js";
import * as registry from "./controllers/registry.js";
import { addStrings, t } from "./i18n.js";
import { EN as REFERENCE_EN, ZH as REFERENCE_ZH } from "./i18n_reference.js";
import { enter, load } from "./screens_office.js";
import { importSection } from "./screens_import.js";
import { renderEnterprises, renderForms } from "./views/admin_data.js";
import { changeDialog, editDialog, historyDialog, renderReference, verifyDialog } from "./views/admin_reference.js";
import { renderDevices, renderUsers, resetDialog, revokeDialog, rolesDialog } from "./views/admin_users.js";
import { errorText, renderTabbed } from "./views/office.js";

const SECTIONS = ["users", "devices", "enterprises", "reference", "forms"];

addStrings(REFERENCE_ZH, REFERENCE_EN);

/**
 * Run an action; the server's message when it fails (shown where the user is), null when it worked.
 * @param {import("./screens.js").Context} ctx @param {() => Promise<any>} work @param {string} done  toast on success
 */
async function act(ctx, work, done) {
  try {
    await work();
    ctx.toast(done);
    ctx.refresh();
    return null;
  } catch (error) {
    return errorText(error);
  }
}

/** @param {import("./router.js").Route} route @param {import("./screens.js").Context} ctx */
export async function adminScreen(route, ctx) {
  const section = SECTIONS.includes(route.params.section) ? route.params.section : "users";
  if (!(await enter(ctx, /** @type {any} */ (`admin_${section}`), "admin"))) return;
  const body = renderTabbed(ctx.main, SECTIONS.map((key) => ({ key, href: `#/admin/${key}`, label: t(/** @type {any} */ (`admin_${key}`)) })), section);
  const inner = { ...ctx, main: body };
  if (section === "users") await users(inner);
  else if (section === "devices") await devices(inner);
  else if (section === "enterprises") await enterprises(route, inner);
  else if (section === "reference") await reference(route, inner);
  else await forms(route, inner);
}

/** @param {import("./screens.js").Context} ctx */
async function users(ctx) {
  const model = await load(ctx, admin.usersModel);
  if (!model) return;
  renderUsers(ctx.main, model, {
    create: (values, roles) => act(ctx, () => admin.createUser(values, roles), t("user_created")),
    roles: (user) => ctx.dialog((close) => rolesDialog(close, user, model.roles,
      (changes) => act(ctx, () => admin.updateUser(user.id, changes), t("saved")))),
    resetPassword: (user) => ctx.dialog((close) => resetDialog(close, user, async () => {
      try {
        return { password: await admin.resetPassword(user.id) };
      } catch (error) {
        return { error: errorText(error) };
      }
    }, ctx.refresh)),
    unlock: async (user) => {
      const error = await act(ctx, () => admin.unlockUser(user.id), t("user_unlocked"));
      if (error) ctx.toast(error, "error");
    },
    setActive: async (user, active) => {
      const error = await act(ctx, () => admin.updateUser(user.id, { active }), t("saved"));
      if (error) ctx.toast(error, "error");
    },
  });
}

/** @param {import("./screens.js").Context} ctx */
async function devices(ctx) {
  const model = await load(ctx, admin.devicesModel);
  if (!model) return;
  renderDevices(ctx.main, model, {
    revoke: (device) => ctx.dialog((close) => revokeDialog(close, device,
      (reason) => act(ctx, () => admin.revokeDevice(device.id, reason), t("device_revoked_done")))),
  });
}

/** @param {import("./router.js").Route} route @param {import("./screens.js").Context} ctx */
async function enterprises(route, ctx) {
  const q = route.query.get("q") || "";
  const page = Math.max(1, Number(route.query.get("page")) || 1);
  const list = await load(ctx, () => registry.enterprisesModel(q, page));
  if (!list) return;
  renderEnterprises(ctx.main, { list, q, importCard: importSection(ctx) }, {
    search: (text, to) => ctx.go(`#/admin/enterprises?${new URLSearchParams({ q: text, page: String(to) })}`),
  });
}

/**
 * Run an action whose dialog shows the server's refusal under the fields it names: the error, or null when it worked.
 * @param {import("./screens.js").Context} ctx @param {() => Promise<any>} work @param {(result: any) => string} done  toast on success
 */
async function actOn(ctx, work, done) {
  try {
    const result = await work();
    ctx.toast(done(result));
    ctx.refresh();
    return null;
  } catch (error) {
    return /** @type {any} */ (error)?.status === 0 ? { message: errorText(error) } : error;
  }
}

/** The strings of the reference screen (i18n_reference.js). @param {string} key @param {Record<string, any>} [params] */
const rt = (key, params) => t(/** @type {any} */ (key), params);

/** @param {import("./router.js").Route} route @param {import("./screens.js").Context} ctx */
async function reference(route, ctx) {
  const table = route.query.get("table");
  const model = await load(ctx, () => referenceData.referenceModel(table));
  if (!model) return;
  const chosen = /** @type {string} */ (table);
  // The filter lives in the route: an edit redraws the screen and the rows stay filtered.
  renderReference(ctx.main, { ...model, filter: route.query.get("q") || "" }, {
    filter: (text) => ctx.go(`#/admin/reference?${new URLSearchParams({ table: table || "", q: text })}`),
    edit: (row) => ctx.dialog((close) => editDialog(close, row, model.today, (entered, reason, effectiveOn) => {
      const changes = referenceData.changesOf(row.editable, entered);
      return Object.keys(changes).length
        ? actOn(ctx, () => referenceData.proposeChange(chosen, row.row_key, changes, reason, effectiveOn), () => rt("ref_change_saved"))
        : Promise.resolve({ message: t("nothing_changed") });
    })),
    change: (change) => ctx.dialog((close) => changeDialog(close, change, {
      verify: (reason) => actOn(ctx, () => referenceData.verifyChange(change.id, reason),
        (done) => rt("ref_change_verified", { date: done.in_force_from })),
      withdraw: (reason) => actOn(ctx, () => referenceData.withdrawChange(change.id, reason), () => rt("ref_change_withdrawn")),
    })),
    verify: (row) => ctx.dialog((close) => verifyDialog(close, row,
      (reason) => actOn(ctx, () => referenceData.verifyRow(chosen, row.row_key, reason), () => t("verified_done")))),
    history: async (row) => {
      try {
        const history = await referenceData.rowHistory(chosen, row.row_key);
        ctx.dialog((close) => historyDialog(close, row, history));
      } catch (error) {
        ctx.toast(errorText(error), "error");
      }
    },
  });
}

/** @param {import("./router.js").Route} route @param {import("./screens.js").Context} ctx */
async function forms(route, ctx) {
  const model = await load(ctx, () => registry.formsModel(route.query.get("form"), Number(route.query.get("version")) || null));
  if (model) renderForms(ctx.main, model);
}
