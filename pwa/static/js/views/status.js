// @ts-check
/**
 * Sync and storage: the sync state in full, rejected changes with the server's messages, persistent
 * storage, usage, the emergency export, the account (changing the password), language and logout.
 * @module views/status
 */
import { dateTime, lang, size, t } from "../i18n.js";
import { button, h, replace } from "./dom.js";
import { card, empty } from "./common.js";
import { messageOf } from "./form.js";

/**
 * @param {HTMLElement} root @param {any} model
 * @param {{sync: () => void, persist: () => void, exportData: () => Promise<{filename: string, text: string}>,
 *   setLang: (l: "zh"|"en") => void, logout: () => void, open: (recordId: string) => void,
 *   resend: (recordId: string) => void}} handlers
 */
export function renderStatus(root, model, handlers) {
  const s = model.status;
  const kv = (/** @type {string} */ k, /** @type {any} */ v, /** @type {string} */ testid = "") =>
    h("div", { class: "kv" }, h("dt", null, k), h("dd", { "data-testid": testid || null }, v));
  const persisted = model.persisted === true ? t("persist_granted") : model.persisted === false ? t("persist_denied") : t("persist_unknown");
  const save = async () => {
    const file = await handlers.exportData();
    const link = h("a", { href: URL.createObjectURL(new Blob([file.text], { type: "application/json" })), download: file.filename });
    document.body.append(link);
    link.click();
    link.remove();
  };
  replace(root, h("div", { class: "status grid" },
    card(t("sync_state"), [h("dl", { class: "kvs" },
      kv(t("connection"), s.online ? t("online") : t("offline"), "status-online"),
      kv(t("last_sync", { time: "" }).trim(), s.last_sync_at ? dateTime(s.last_sync_at) : t("never_synced"), "status-last-sync"),
      kv(t("waiting_changes", { n: "" }).trim(), String(s.counts.waiting), "status-waiting"),
      kv(t("waiting_photos", { n: "" }).trim(), `${s.counts.photos} (${size(s.counts.photo_bytes)})`, "status-photos"),
      kv(t("errors"), s.revoked ? t("device_revoked") : s.last_error ? s.last_error.message : t("none"), "status-error"),
      kv(t("device"), model.deviceName)),
    h("div", { class: "actions" }, button(t("sync_now"), handlers.sync, { class: "btn primary big" }))]),
    card(t("rejected_changes"), [model.rejections.length ? h("div", { class: "list" }, model.rejections.map((/** @type {any} */ r) =>
      h("div", { class: "list-item problem", "data-rejection": r.mutation_id },
        h("div", { class: "list-main" }, h("div", { class: "list-title" }, `${r.entity} · ${r.op} · ${r.error.code || ""}`),
          h("div", { class: "warn" }, messageOf(r.error)),
          (r.error.details || []).slice(0, 6).map((/** @type {any} */ d) => h("div", { class: "list-sub" }, `${d.field || ""}：${messageOf(d)}`)),
          h("div", { class: "muted" }, t("rejected_note"))),
        h("div", { class: "list-side" }, button(t("open"), () => handlers.open(r.record_id), { class: "btn small" }),
          button(t("resend"), () => handlers.resend(r.record_id), { class: "btn small" }))))) : empty()],
    { "data-testid": "status-rejections" }),
    card(t("storage"), [h("p", { "data-testid": "status-persisted" }, persisted),
      model.estimate ? h("p", { "data-testid": "status-usage" }, t("usage", { used: size(model.estimate.usage), quota: size(model.estimate.quota) })) : null,
      model.persisted !== true ? button(t("persist_request"), handlers.persist, { class: "btn" }) : null]),
    card(t("export_title"), [h("p", null, t("export_note")),
      button(t("export_button"), save, { class: "btn big", "data-testid": "export-button" })]),
    card(t("account_security"), [model.user ? h("p", { "data-testid": "status-user" },
      t("signed_in_as", { name: model.user.display_name, username: model.user.username })) : null,
    h("p", { class: "muted" }, t("account_note")),
    h("div", { class: "actions" }, h("a", { class: "btn", href: "#/account/password", "data-testid": "change-password" }, t("pw_change_title")))]),
    card(t("language"), [h("div", { class: "segmented" },
      h("button", { type: "button", class: "seg", "aria-pressed": String(lang() === "zh"), onclick: () => handlers.setLang("zh") }, "中文"),
      h("button", { type: "button", class: "seg", "aria-pressed": String(lang() === "en"), onclick: () => handlers.setLang("en") }, "English")),
    h("div", { class: "actions" }, button(t("logout"), handlers.logout, { class: "btn danger" }))])));
}
