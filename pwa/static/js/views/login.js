// @ts-check
/**
 * The login screen and the re-login dialog of an expired session; both ask for the second factor's code when the
 * server wants it.
 * @module views/login
 */
import { lang, t } from "../i18n.js";
import { messageOf } from "./common.js";
import { button, h, replace } from "./dom.js";

/**
 * What a login attempt came to: null when it worked, otherwise the text to show and whether the account asks
 * for its second factor (then `detail` is the server's detail for the code field).
 * @typedef {{message: string, needsCode?: boolean, detail?: any}|null} LoginOutcome
 * @typedef {(username: string, password: string, code: string) => Promise<LoginOutcome>} Submit
 */

/**
 * @param {{username?: string, fixedUser?: boolean}} model
 * @param {{submit: Submit}} handlers
 */
function loginForm(model, handlers) {
  const username = /** @type {HTMLInputElement} */ (h("input", { class: "input", name: "username", autocomplete: "username",
    autocapitalize: "none", value: model.username || "", readonly: Boolean(model.fixedUser), "aria-label": t("username") }));
  const password = /** @type {HTMLInputElement} */ (h("input", { class: "input", name: "password", type: "password",
    autocomplete: "current-password", "aria-label": t("password") }));
  const message = h("div", { class: "form-banner", role: "alert", hidden: true });
  const code = totpField();
  const submit = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", class: "btn primary wide" }, t("login")));
  const form = h("form", { class: "login-form", onsubmit: async (/** @type {Event} */ event) => {
    event.preventDefault();
    submit.disabled = true;
    const outcome = await handlers.submit(username.value, password.value, code.el.hidden ? "" : code.input.value);
    submit.disabled = false;
    message.hidden = !outcome;
    replace(message, outcome ? outcome.message : "");
    if (outcome?.needsCode) {
      code.show(outcome.detail ? messageOf(outcome.detail) : "", outcome.detail?.code === "invalid");
      code.input.select();
    } else if (outcome) password.select();
  } },
  message,
  h("label", { class: "field" }, h("div", { class: "field-label" }, t("username")), username),
  h("label", { class: "field" }, h("div", { class: "field-label" }, t("password")), password),
  code.el,
  submit);
  return form;
}

/** The second factor's field, shown when the server asks for it: 6 digits from the app, or a recovery code. */
function totpField() {
  const input = /** @type {HTMLInputElement} */ (h("input", { class: "input code-input", name: "totp_code", inputmode: "numeric",
    autocomplete: "one-time-code", autocapitalize: "none", spellcheck: "false", maxlength: 32, "aria-label": t("totp_code") }));
  const message = h("div", { class: "field-msg", role: "alert", "data-testid": "totp-code-error" });
  const recovery = button(t("totp_use_recovery"), () => {
    input.inputMode = "text"; // recovery codes have letters
    recovery.hidden = true;
    input.focus();
  }, { class: "btn link small" });
  const el = h("div", { class: "field", "data-field": "totp_code", hidden: true },
    h("label", null, h("div", { class: "field-label" }, t("totp_code")), input), message,
    h("div", { class: "field-hint" }, t("totp_recovery_hint")), recovery);
  /** Show the field with the server's word about the code. @param {string} text @param {boolean} wrong  a code was refused */
  const show = (text, wrong) => {
    el.hidden = false;
    el.classList.toggle("has-error", wrong);
    message.classList.toggle("field-msg", wrong);
    message.classList.toggle("field-hint", !wrong);
    replace(message, text);
  };
  return { el, input, show };
}

/**
 * @param {HTMLElement} root
 * @param {{username?: string}} model
 * @param {{submit: Submit, setLang: (l: "zh"|"en") => void}} handlers
 */
export function renderLogin(root, model, handlers) {
  const other = lang() === "zh" ? "en" : "zh";
  replace(root, h("div", { class: "login-page" },
    h("div", { class: "login-card" },
      h("img", { src: "/static/icons/icon-192.png", alt: "", width: 72, height: 72 }),
      h("h1", null, t("app_name")),
      loginForm(model, handlers),
      h("p", { class: "muted" }, t("login_first_online")),
      h("button", { type: "button", class: "btn link", onclick: () => handlers.setLang(other) },
        other === "en" ? "English" : "中文"))));
}

/**
 * The dialog an expired session opens over the current screen (nothing local is touched).
 * @param {() => void} close @param {{username: string}} model
 * @param {{submit: Submit}} handlers
 */
export function reloginDialog(close, model, handlers) {
  return h("div", { class: "relogin", "data-testid": "relogin" },
    h("h2", null, t("relogin")), h("p", null, t("session_expired")),
    loginForm({ username: model.username, fixedUser: true }, { submit: async (u, p, c) => {
      const outcome = await handlers.submit(u, p, c);
      if (!outcome) close();
      return outcome;
    } }),
    h("button", { type: "button", class: "btn", onclick: close }, t("later")));
}
