// @ts-check
/**
 * The person's own account: the page of a step the server wants done first (a new password, the second factor),
 * the change-password form with its live strength meter, setting up the second factor (QR code, the secret to
 * type, the confirming code) and the recovery codes shown once.
 * @module views/account
 */
import { lang, t } from "../i18n.js";
import { button, h, replace } from "./dom.js";
import { messageOf } from "./common.js";

/**
 * @typedef {(password: string, username: string) => {rules: import("../passwords.js").Rule[],
 *   unmet: import("../passwords.js").Rule[], level: number}} Assess
 */

/** A rule of the policy in words. @param {import("../passwords.js").Rule} rule */
const ruleText = (rule) => t(/** @type {any} */ (`pw_rule_${rule.code}`), rule.params);

/**
 * The page of a step that comes before the rest of the app: no navigation, only the step, logging out and the language.
 * @param {HTMLElement} root @param {{step: string, title: string, intro: string}} model
 * @param {{logout: () => void, setLang: (l: "zh"|"en") => void}} handlers @returns {HTMLElement}  where the step is drawn
 */
export function renderStepPage(root, model, handlers) {
  const body = h("div", { class: "account-body" });
  const other = lang() === "zh" ? "en" : "zh";
  replace(root, h("div", { class: "login-page account-page" },
    h("div", { class: "login-card account-card", "data-testid": "account-step", "data-step": model.step },
      h("h1", null, model.title), h("p", { class: "account-intro" }, model.intro), body,
      h("div", { class: "actions account-foot" },
        button(t("logout"), handlers.logout, { class: "btn link", "data-testid": "step-logout" }),
        button(other === "en" ? "English" : "中文", () => handlers.setLang(other), { class: "btn link" })))));
  return body;
}

/**
 * A labelled password input with its own message line.
 * @param {string} label @param {string} name @param {string} autocomplete
 */
function passwordInput(label, name, autocomplete) {
  const input = /** @type {HTMLInputElement} */ (h("input", { class: "input", type: "password", name, autocomplete,
    autocapitalize: "none", spellcheck: "false", maxlength: 256 }));
  const message = h("div", { class: "field-msg", role: "alert", "data-testid": `${name}-error` });
  const el = h("label", { class: "field", "data-field": name }, h("div", { class: "field-label" }, label), input, message);
  /** Show a message at the field, or clear it (no argument). @param {string} [text] */
  const error = (text = "") => {
    el.classList.toggle("has-error", Boolean(text));
    replace(message, text);
  };
  return { el, input, error };
}

/**
 * The strength meter under a new password: a bar, its word, and every rule of the policy, met or not.
 * @param {Assess} assess @param {() => string} username
 */
export function passwordMeter(assess, username) {
  const bar = h("div", { class: "meter", "aria-hidden": "true" }, h("span"), h("span"), h("span"));
  const word = h("span", { class: "meter-word" });
  const rules = h("ul", { class: "rules", "data-testid": "password-rules" });
  const el = h("div", { class: "password-meter", "data-testid": "password-meter", "data-level": "0" },
    h("div", { class: "row" }, bar, word), rules);
  /** @param {string} password */
  const update = (password) => {
    const result = assess(password, username());
    el.dataset.level = String(result.level);
    replace(word, `${t("pw_strength")}：${t(/** @type {any} */ (`pw_level_${result.level}`))}`);
    replace(rules, result.rules.map((rule) => h("li", { "data-rule": rule.code, "data-met": String(rule.met) },
      h("span", { class: "rule-mark", "aria-hidden": "true" }, rule.met ? "✓" : "✗"), " ", ruleText(rule),
      h("span", { class: "visually-hidden" }, rule.met ? ` ${t("pw_rule_met")}` : ` ${t("pw_rule_unmet")}`))));
    return result;
  };
  update("");
  return { el, update };
}

/** The unmet rules as one message at the field. @param {import("../passwords.js").Rule[]} unmet */
export const unmetText = (unmet) => `${t("pw_rules_unmet")}${unmet.map(ruleText).join("；")}`;

/**
 * The change-password form: current password, the new one twice with the meter. The server's field errors appear
 * at their fields; anything else above the form.
 * @param {HTMLElement} el @param {{username: string, forced: boolean, assess: Assess}} model
 * @param {{submit: (current: string, next: string) => Promise<any>, cancel?: () => void}} handlers
 *   submit resolves to the server's error (an ApiError) or null
 */
export function renderPasswordForm(el, model, handlers) {
  const current = passwordInput(model.forced ? t("pw_current_initial") : t("pw_current"), "current_password", "current-password");
  const next = passwordInput(t("pw_new"), "new_password", "new-password");
  const again = passwordInput(t("pw_repeat"), "repeat_password", "new-password");
  const meter = passwordMeter(model.assess, () => model.username);
  const banner = h("div", { class: "form-banner", role: "alert", hidden: true, "data-testid": "password-error" });
  const submit = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", class: ["btn primary", !handlers.cancel && "wide"],
    "data-testid": "password-submit" }, t("pw_submit")));
  next.input.addEventListener("input", () => {
    meter.update(next.input.value);
    next.error();
  });
  again.input.addEventListener("input", () => again.error());
  const form = h("form", { class: "password-form", "data-testid": "password-form", novalidate: true,
    onsubmit: async (/** @type {Event} */ event) => {
      event.preventDefault();
      for (const field of [current, next, again]) field.error();
      banner.hidden = true;
      const unmet = meter.update(next.input.value).unmet;
      if (!current.input.value) current.error(t("required"));
      if (unmet.length) next.error(unmetText(unmet));
      if (again.input.value !== next.input.value) again.error(t("pw_mismatch"));
      if (!current.input.value || unmet.length || again.input.value !== next.input.value) return;
      submit.disabled = true;
      const error = await handlers.submit(current.input.value, next.input.value);
      submit.disabled = false;
      if (!error) return;
      const details = Array.isArray(error.details) ? error.details : [];
      const byField = { current_password: current, new_password: next };
      const placed = details.filter((/** @type {any} */ d) => d.field in byField);
      for (const field of [current, next]) {
        const mine = placed.filter((/** @type {any} */ d) => /** @type {any} */ (byField)[d.field] === field);
        if (mine.length) field.error(mine.map((/** @type {any} */ d) => messageOf(d)).join("；"));
      }
      if (!placed.length) {
        banner.hidden = false;
        replace(banner, error.status === 0 ? t("account_offline") : error.message || String(error));
      }
      (placed[0]?.field === "current_password" ? current : next).input.select();
    } },
  banner, current.el, next.el, meter.el, again.el,
  h("p", { class: "muted" }, t("pw_common_note")),
  h("div", { class: "actions" }, submit, handlers.cancel ? button(t("cancel"), handlers.cancel) : null));
  replace(el, model.forced ? form : h("section", { class: "card account-password", "data-testid": "account-password" },
    h("p", { class: "muted" }, t("account_note")), form));
}

/**
 * Setting up the second factor: the QR code of the otpauth URI, the secret to type instead, and the code that
 * confirms it; then the recovery codes.
 * @param {HTMLElement} el @param {{qr: string, secret: string, grouped: string}} model
 * @param {{confirm: (code: string) => Promise<{codes?: string[], error?: any}>, done: () => void}} handlers
 */
export function renderTotpEnrol(el, model, handlers) {
  const code = /** @type {HTMLInputElement} */ (h("input", { class: "input code-input", name: "code", inputmode: "numeric",
    autocomplete: "one-time-code", maxlength: 7, "aria-label": t("totp_code") }));
  const message = h("div", { class: "field-msg", role: "alert", "data-testid": "totp-error" });
  const submit = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", class: "btn primary", "data-testid": "totp-confirm" },
    t("totp_confirm")));
  const form = h("form", { class: "totp-confirm", novalidate: true, onsubmit: async (/** @type {Event} */ event) => {
    event.preventDefault();
    if (!/^\d{6}$/.test(code.value.replace(/\s+/g, ""))) {
      replace(message, t("totp_six_digits"));
      return;
    }
    submit.disabled = true;
    const outcome = await handlers.confirm(code.value);
    submit.disabled = false;
    if (outcome.codes) return renderRecoveryCodes(el, outcome.codes, handlers.done);
    const error = outcome.error;
    const detail = Array.isArray(error?.details) && error.details.length ? messageOf(error.details[0]) : null;
    replace(message, error?.status === 0 ? t("account_offline") : detail || error?.message || String(error));
    code.select();
  } },
  h("label", { class: "field" }, h("div", { class: "field-label" }, t("totp_step_confirm")), h("div", { class: "row" }, code, submit)),
  message);
  replace(el, h("div", { class: "totp-enrol", "data-testid": "totp-enrol" },
    h("p", null, t("totp_step_scan")),
    h("div", { class: "totp-qr" }, h("img", { src: model.qr, alt: t("totp_qr"), "data-testid": "totp-qr" })),
    h("p", { class: "muted" }, t("totp_step_type")),
    h("p", { class: "totp-secret" }, h("code", { "data-testid": "totp-secret", "data-secret": model.secret }, model.grouped)),
    form));
}

/**
 * The recovery codes, shown once: written down before going on.
 * @param {HTMLElement} el @param {string[]} codes @param {() => void} done
 */
export function renderRecoveryCodes(el, codes, done) {
  const next = /** @type {HTMLButtonElement} */ (button(t("continue"), done, { class: "btn primary wide", disabled: true,
    "data-testid": "totp-continue" }));
  const kept = button(t("recovery_ack"), () => {
    const on = kept.getAttribute("aria-pressed") !== "true";
    kept.setAttribute("aria-pressed", String(on));
    next.disabled = !on;
  }, { class: "chip", "aria-pressed": "false", "data-testid": "recovery-ack" });
  replace(el, h("div", { class: "recovery", "data-testid": "recovery" },
    h("div", { class: "form-banner info", role: "status" }, t("totp_done")),
    h("h2", null, t("recovery_title")),
    h("div", { class: "form-banner attention", role: "alert", "data-testid": "recovery-warning" }, t("recovery_warning")),
    h("ol", { class: "recovery-codes", "data-testid": "recovery-codes" }, codes.map((c) => h("li", null, h("code", null, c)))),
    h("div", { class: "actions no-print" }, button(t("recovery_print"), () => window.print(), { class: "btn" }), kept),
    h("div", { class: "actions no-print" }, next)));
  kept.focus();
}

/** A step that could not start (offline, refused): the reason and a way to try again. @param {HTMLElement} el @param {any} error @param {() => void} retry */
export function renderStepError(el, error, retry) {
  replace(el, h("div", { class: "form-banner", role: "alert", "data-testid": "step-error" },
    error?.status === 0 ? t("account_offline") : error?.message || String(error)),
  h("div", { class: "actions" }, button(t("retry"), retry, { class: "btn primary" })));
}
