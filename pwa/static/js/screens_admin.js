// @ts-check
/**
 * Wiring of the administration screens: users, devices, the enterprise registry, reference data and form
 * versions. Loaded when an admin opens one of them.
 * @module screens_admin
 */
import * as admin from "./controllers/admin.js";
import * as registry from "./controllers/registry.js";
import { t } from "./i18n.js";
import { enter, load } from "./screens_office.js";
import { editDialog, historyDialog, renderEnterprises, renderForms, renderReference, verifyDialog } from "./views/admin_data.js";
import { renderDevices, renderUsers, resetDialog, revokeDialog, rolesDialog } from "./views/admin_users.js";
import { errorText, renderTabbed } from "./views/office.js";

const SECTIONS = ["users", "devices", "enterprises", "reference", "forms"];

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

/** The last import's outcome, kept while the registry below it is searched. @type {any} */
let lastImport = null;

/** @param {import("./router.js").Route} route @param {import("./screens.js").Context} ctx */
async function enterprises(route, ctx) {
  const q = route.query.get("q") || "";
  const page = Math.max(1, Number(route.query.get("page")) || 1);
  const list = await load(ctx, () => registry.enterprisesModel(q, page));
  if (!list) return;
  const outcome = lastImport;
  lastImport = null; // shown once, right after the upload
  renderEnterprises(ctx.main, { list, q, outcome }, {
    search: (text, to) => ctx.go(`#/admin/enterprises?${new URLSearchParams({ q: text, page: String(to) })}`),
    upload: async (file) => {
      try {
        lastImport = { report: await registry.importFile(file) };
      } catch (error) {
        lastImport = { error };
      }
      ctx.refresh();
    },
  });
}

/** @param {import("./router.js").Route} route @param {import("./screens.js").Context} ctx */
async function reference(route, ctx) {
  const table = route.query.get("table");
  const model = await load(ctx, () => registry.referenceModel(table));
  if (!model) return;
  // The filter lives in the route: an edit redraws the screen and the rows stay filtered.
  renderReference(ctx.main, { ...model, filter: route.query.get("q") || "" }, {
    filter: (text) => ctx.go(`#/admin/reference?${new URLSearchParams({ table: table || "", q: text })}`),
    edit: (row) => ctx.dialog((close) => editDialog(close, row, (entered, reason) => {
      const changes = registry.changesOf(row.editable, entered);
      return Object.keys(changes).length ? act(ctx, () => registry.editRow(/** @type {string} */ (table), row.row_key, changes, reason), t("saved"))
        : Promise.resolve(t("nothing_changed"));
    })),
    verify: (row) => ctx.dialog((close) => verifyDialog(close, row,
      (reason) => act(ctx, () => registry.verifyRow(/** @type {string} */ (table), row.row_key, reason), t("verified_done")))),
    history: async (row) => {
      try {
        const entries = await registry.rowHistory(/** @type {string} */ (table), row.row_key);
        ctx.dialog((close) => historyDialog(close, entries));
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
