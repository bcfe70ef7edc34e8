// @ts-check
/**
 * The login screen and the re-login dialog of an expired session.
 * @module views/login
 */
import { lang, t } from "../i18n.js";
import { h, replace } from "./dom.js";

/**
 * @param {{username?: string, fixedUser?: boolean}} model
 * @param {{submit: (username: string, password: string) => Promise<string|null>}} handlers  resolves to an error text or null
 */
function loginForm(model, handlers) {
  const username = /** @type {HTMLInputElement} */ (h("input", { class: "input", name: "username", autocomplete: "username",
    autocapitalize: "none", value: model.username || "", readonly: Boolean(model.fixedUser), "aria-label": t("username") }));
  const password = /** @type {HTMLInputElement} */ (h("input", { class: "input", name: "password", type: "password",
    autocomplete: "current-password", "aria-label": t("password") }));
  const message = h("div", { class: "form-banner", role: "alert", hidden: true });
  const submit = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", class: "btn primary wide" }, t("login")));
  const form = h("form", { class: "login-form", onsubmit: async (/** @type {Event} */ event) => {
    event.preventDefault();
    submit.disabled = true;
    const error = await handlers.submit(username.value, password.value);
    submit.disabled = false;
    message.hidden = !error;
    replace(message, error || "");
    if (error) password.select();
  } },
  message,
  h("label", { class: "field" }, h("div", { class: "field-label" }, t("username")), username),
  h("label", { class: "field" }, h("div", { class: "field-label" }, t("password")), password),
  submit);
  return form;
}

/**
 * @param {HTMLElement} root
 * @param {{username?: string}} model
 * @param {{submit: (username: string, password: string) => Promise<string|null>, setLang: (l: "zh"|"en") => void}} handlers
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
 * @param {{submit: (username: string, password: string) => Promise<string|null>}} handlers
 */
export function reloginDialog(close, model, handlers) {
  return h("div", { class: "relogin", "data-testid": "relogin" },
    h("h2", null, t("relogin")), h("p", null, t("session_expired")),
    loginForm({ username: model.username, fixedUser: true }, { submit: async (u, p) => {
      const error = await handlers.submit(u, p);
      if (!error) close();
      return error;
    } }),
    h("button", { type: "button", class: "btn", onclick: close }, t("later")));
}
