// @ts-check
/**
 * What every office screen does first: bring its strings and styles (never loaded on a field tablet's start-up),
 * set its title and check the roles — the server refuses field roles anyway; this says so instead of a blank
 * screen. Wiring only.
 * @module screens_office
 */
import { addStrings, t } from "./i18n.js";
import { EN, ZH } from "./i18n_office.js";
import * as session from "./session.js";
import { renderMessage } from "./views/common.js";
import { loadStyles, renderError } from "./views/office.js";

addStrings(ZH, EN);

/**
 * Open an office screen: false when the user's roles do not open it (a message is shown instead).
 * @param {import("./screens.js").Context} ctx @param {import("./i18n.js").Key} title @param {...string} roles  default: supervisors and admins
 */
export async function enter(ctx, title, ...roles) {
  await loadStyles();
  ctx.setTitle(t(title));
  if (session.hasRole(...(roles.length ? roles : ["supervisor", "admin"]))) return true;
  renderMessage(ctx.main, t("office_only"));
  return false;
}

/**
 * A screen's model from the server; a failure is shown with the server's message and gives null.
 * @template T @param {import("./screens.js").Context} ctx @param {() => Promise<T>} work @returns {Promise<T|null>}
 */
export async function load(ctx, work) {
  try {
    return await work();
  } catch (error) {
    renderError(ctx.main, error);
    return null;
  }
}
