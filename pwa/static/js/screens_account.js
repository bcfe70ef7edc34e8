// @ts-check
/**
 * Wiring of the account screens: the step the server wants done before anything else (changing an initial or
 * reset password, setting up the second factor), on a page of its own, and changing one's password later from
 * the sync and settings page. Wiring only.
 * @module screens_account
 */
import * as account from "./controllers/account.js";
import { t } from "./i18n.js";
import { renderPasswordForm, renderStepError, renderStepPage, renderTotpEnrol } from "./views/account.js";

/**
 * The page of a step; `done` once it is done (the server then lets the app through).
 * @param {HTMLElement} root @param {import("./passwords.js").Step} step
 * @param {{done: () => void, logout: () => void, setLang: (l: "zh"|"en") => void}} handlers
 */
export async function accountStep(root, step, handlers) {
  if (step === "password") {
    const model = await account.passwordModel();
    const body = renderStepPage(root, { step, title: t("pw_initial_title"), intro: t("pw_initial_intro", { name: model.displayName }) }, handlers);
    renderPasswordForm(body, { username: model.username, forced: true, assess: account.assessor(model.policy) }, {
      submit: (current, next) => account.changePassword(current, next).then(() => {
        handlers.done();
        return null;
      }, (error) => error),
    });
    return;
  }
  const body = renderStepPage(root, { step, title: t("totp_title"), intro: t("totp_intro") }, handlers);
  const start = async () => {
    try {
      const model = await account.startTotp();
      if (!model) return handlers.done(); // set up meanwhile on another device
      renderTotpEnrol(body, model, {
        confirm: (code) => account.confirmTotp(code).then((codes) => ({ codes }), (error) => ({ error })),
        done: handlers.done,
      });
    } catch (error) {
      renderStepError(body, error, start);
    }
  };
  await start();
}

/** Changing one's own password, from the sync and settings page. @param {import("./router.js").Route} route @param {import("./screens.js").Context} ctx */
export async function accountPassword(route, ctx) {
  ctx.setTitle(t("pw_change_title"));
  const model = await account.passwordModel();
  renderPasswordForm(ctx.main, { username: model.username, forced: false, assess: account.assessor(model.policy) }, {
    submit: (current, next) => account.changePassword(current, next).then(() => {
      ctx.toast(t("pw_changed"));
      ctx.go("#/sync");
      return null;
    }, (error) => error),
    cancel: () => ctx.go("#/sync"),
  });
}
