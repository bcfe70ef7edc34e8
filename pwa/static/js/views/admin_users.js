// @ts-check
/**
 * Administration of people and devices: users with their agency, team, roles and account state (create with the
 * password meter, change roles, unlock, reset the password, deactivate), and devices with their owner, last contact
 * and revocation.
 * @module views/admin_users
 */
import { dateTime, t } from "../i18n.js";
import { button, h, replace } from "./dom.js";
import { passwordMeter, unmetText } from "./account.js";
import { empty } from "./common.js";
import { formValues, inputField, selectField } from "./office.js";

/** Role chips that toggle; `chosen()` reads them. @param {string[]} roles @param {string[]} selected */
function roleChips(roles, selected) {
  const chips = roles.map((role) => h("button", { type: "button", class: "chip", "data-role": role, "aria-pressed": String(selected.includes(role)),
    onclick: (/** @type {Event} */ event) => {
      const chip = /** @type {HTMLElement} */ (event.currentTarget);
      chip.setAttribute("aria-pressed", String(chip.getAttribute("aria-pressed") !== "true"));
    } }, t(/** @type {any} */ (`role_${role}`))));
  return { el: h("div", { class: "chips", role: "group", "aria-label": t("roles") }, chips),
    chosen: () => chips.filter((c) => c.getAttribute("aria-pressed") === "true").map((c) => /** @type {string} */ (c.dataset.role)) };
}

/**
 * The dialog that changes a user's roles (and the certificate number an inspector needs).
 * @param {() => void} close @param {any} user @param {string[]} roles
 * @param {(changes: Record<string, any>) => Promise<string|null>} save  resolves to an error text or null
 */
export function rolesDialog(close, user, roles, save) {
  const chips = roleChips(roles, user.roles);
  const cert = /** @type {HTMLInputElement} */ (h("input", { class: "input", name: "enforcement_cert_no", value: user.enforcement_cert_no || "" }));
  const message = h("div", { class: "field-msg", role: "alert" });
  return h("div", { "data-testid": "roles-dialog" }, h("h2", null, t("roles_of", { name: user.display_name })), chips.el,
    h("label", { class: "field" }, h("div", { class: "field-label" }, t("cert_no")), cert), message,
    h("div", { class: "actions" },
      button(t("save"), async () => {
        const error = await save({ roles: chips.chosen(), enforcement_cert_no: cert.value.trim() || null });
        if (error) replace(message, error);
        else close();
      }, { class: "btn primary", "data-testid": "roles-save" }),
      button(t("cancel"), close)));
}

/**
 * @param {HTMLElement} root @param {any} model  controllers/admin usersModel
 * @param {{create: (values: Record<string, string>, roles: string[]) => Promise<string|null>, roles: (user: any) => void,
 *   unlock: (user: any) => void, resetPassword: (user: any) => void, setActive: (user: any, active: boolean) => void}} handlers
 */
export function renderUsers(root, model, handlers) {
  const chips = roleChips(model.roles, []);
  const message = h("div", { class: "field-msg", role: "alert" });
  const username = inputField(t("username"), "username", "", { required: true, autocomplete: "off", autocapitalize: "none" });
  const usernameInput = /** @type {HTMLInputElement} */ (username.querySelector("input"));
  const meter = passwordMeter(model.assess, () => usernameInput.value.trim());
  const password = /** @type {HTMLInputElement} */ (h("input", { class: "input", name: "password", type: "password", required: true,
    autocomplete: "new-password", oninput: () => meter.update(password.value) }));
  usernameInput.addEventListener("input", () => meter.update(password.value));
  const form = h("form", { class: "filters", "data-testid": "user-form" },
    username,
    inputField(t("display_name"), "display_name", "", { required: true }),
    h("div", { class: "field wide new-password", "data-field": "password" },
      h("label", null, h("div", { class: "field-label" }, t("password")), password), meter.el,
      h("div", { class: "field-hint" }, t("user_password_note"))),
    selectField(t("filter_agency"), "agency_id", model.agencies.map((/** @type {any} */ a) => ({ value: String(a.id), label: a.name })), ""),
    selectField(t("filter_team"), "team_id", [{ value: "", label: t("none") }, ...model.teams.map((/** @type {any} */ team) =>
      ({ value: String(team.id), label: `${team.name} · ${model.agencies.find((/** @type {any} */ a) => a.id === team.agency_id)?.name || ""}` }))], ""),
    inputField(t("cert_no"), "enforcement_cert_no", ""), inputField(t("phone"), "phone", "", { type: "tel" }),
    h("div", { class: "field wide" }, h("div", { class: "field-label" }, t("roles")), chips.el), message,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn primary", "data-testid": "user-create" }, t("user_create"))));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const unmet = meter.update(password.value).unmet;
    if (unmet.length) return replace(message, unmetText(unmet));
    replace(message, (await handlers.create(formValues(form), chips.chosen())) || "");
  });
  replace(root, h("div", { class: "office users" },
    h("details", { class: "card" }, h("summary", { class: "btn", "data-testid": "users-new" }, t("user_new")), form),
    h("section", { class: "card" }, h("h2", null, t("users_n", { n: model.users.length })),
      h("div", { class: "list", "data-testid": "users" }, model.users.map((/** @type {any} */ u) =>
        h("div", { class: "list-item", "data-user": u.username },
          h("div", { class: "list-main" },
            h("div", { class: "list-title" }, u.display_name, h("span", { class: "muted" }, ` ${u.username}`)),
            h("div", { class: "list-sub" }, [u.agency_name, model.teams.find((/** @type {any} */ team) => team.id === u.team_id)?.name,
              u.enforcement_cert_no ? `${t("cert_no")} ${u.enforcement_cert_no}` : null].filter(Boolean).join(" · ")),
            h("div", null, u.roles.map((/** @type {string} */ r) => h("span", { class: "tag", "data-role": r }, t(/** @type {any} */ (`role_${r}`)))))),
          h("div", { class: "list-side" },
            u.locked ? h("span", { class: "badge-state warn", "data-testid": "user-locked" }, t("account_locked")) : null,
            u.active ? null : h("span", { class: "badge-state warn" }, t("account_inactive")),
            u.must_change_password ? h("span", { class: "badge-state", "data-testid": "user-must-change" }, t("must_change_badge")) : null,
            u.totp_enabled ? h("span", { class: "badge-state", "data-testid": "user-totp" }, t("totp_enabled_badge")) : null,
            button(t("roles"), () => handlers.roles(u), { class: "btn small", "data-testid": "user-roles" }),
            u.locked ? button(t("unlock"), () => handlers.unlock(u), { class: "btn small", "data-testid": "user-unlock" }) : null,
            u.id === model.me ? null : button(t("reset_password"), () => handlers.resetPassword(u), { class: "btn small",
              "data-testid": "user-reset-password" }),
            u.id === model.me ? null : button(u.active ? t("deactivate") : t("activate"), () => handlers.setActive(u, !u.active),
              { class: ["btn small", u.active && "danger"], "data-testid": "user-active" }))))))));
}

/**
 * The dialog that resets a user's password: what it does, then the temporary password, shown once.
 * @param {() => void} close @param {any} user
 * @param {() => Promise<{password?: string, error?: string}>} reset @param {() => void} closed  after the password was read
 */
export function resetDialog(close, user, reset, closed) {
  const message = h("div", { class: "field-msg", role: "alert" });
  const body = h("div", { "data-testid": "reset-dialog" }, h("h2", null, t("reset_title", { name: user.display_name })),
    h("p", null, t("reset_note", { name: user.display_name })), message,
    h("div", { class: "actions" },
      button(t("reset_confirm"), async () => {
        const outcome = await reset();
        if (outcome.error || !outcome.password) return replace(message, outcome.error || "");
        replace(body, h("h2", null, t("temp_password_title", { name: user.display_name, username: user.username })),
          h("div", { class: "form-banner attention", role: "alert" }, t("temp_password_note")),
          h("p", { class: "temp-password" }, h("code", { "data-testid": "temp-password" }, outcome.password)),
          h("div", { class: "actions" }, button(t("done"), () => {
            close();
            closed();
          }, { class: "btn primary", "data-testid": "temp-password-done" })));
      }, { class: "btn danger", "data-testid": "reset-confirm" }),
      button(t("cancel"), close)));
  return body;
}

/**
 * The dialog that revokes a device, with the reason kept on record.
 * @param {() => void} close @param {any} device @param {(reason: string) => Promise<string|null>} revoke
 */
export function revokeDialog(close, device, revoke) {
  const reason = /** @type {HTMLInputElement} */ (h("input", { class: "input", name: "reason", maxlength: 255, placeholder: t("revoke_reason_hint") }));
  const message = h("div", { class: "field-msg", role: "alert" });
  return h("div", { "data-testid": "revoke-dialog" }, h("h2", null, t("revoke_title", { name: device.name || device.id.slice(0, 8) })),
    h("p", null, t("revoke_note", { user: device.display_name })),
    h("label", { class: "field" }, h("div", { class: "field-label" }, t("revoke_reason")), reason), message,
    h("div", { class: "actions" },
      button(t("revoke"), async () => {
        const error = await revoke(reason.value.trim());
        if (error) replace(message, error);
        else close();
      }, { class: "btn danger", "data-testid": "revoke-confirm" }),
      button(t("cancel"), close)));
}

/**
 * @param {HTMLElement} root @param {{devices: any[], mine: string}} model
 * @param {{revoke: (device: any) => void}} handlers
 */
export function renderDevices(root, model, handlers) {
  replace(root, h("div", { class: "office devices" }, h("section", { class: "card" },
    h("h2", null, t("devices_n", { n: model.devices.length })), h("p", { class: "muted" }, t("devices_note")),
    model.devices.length ? h("div", { class: "list", "data-testid": "devices" }, model.devices.map((d) =>
      h("div", { class: "list-item", "data-device": d.id, "data-revoked": String(Boolean(d.revoked_at)) },
        h("div", { class: "list-main" },
          h("div", { class: "list-title" }, d.name || t("device"), h("span", { class: "muted" }, ` ${String(d.id).slice(0, 8)}`)),
          h("div", { class: "list-sub" }, [`${d.display_name} (${d.username})`, `${t("registered_at")} ${dateTime(d.registered_at)}`,
            `${t("last_seen")} ${dateTime(d.last_seen_at)}`, `${t("last_seq")} ${d.last_client_seq}`].join(" · ")),
          d.revoked_at ? h("div", { class: "warn" }, t("revoked_on", { time: dateTime(d.revoked_at) }), d.revoked_reason ? `：${d.revoked_reason}` : "") : null),
        h("div", { class: "list-side" },
          d.id === model.mine ? h("span", { class: "badge-state" }, t("this_device")) : null,
          d.revoked_at ? h("span", { class: "badge-state warn", "data-testid": "device-revoked" }, t("device_is_revoked"))
            : d.id === model.mine ? null : button(t("revoke"), () => handlers.revoke(d), { class: "btn small danger", "data-testid": "device-revoke" })))))
      : empty())));
}
