// @ts-check
/**
 * The frame around every screen: title, navigation, the always-visible sync state (online, last sync,
 * changes and photos waiting, errors, the sync button), the "new version" prompt, toasts and the
 * re-login dialog of an expired session.
 * @module views/shell
 */
import { dateTime, t, time } from "../i18n.js";
import { h, replace } from "./dom.js";

/**
 * @param {HTMLElement} root
 * @param {import("../flows.js").NavEntry[]} entries  navigation: key, hash, label, folded under "more" on a narrow
 *   screen (flows.js navFor)
 * @param {{sync: () => void}} handlers
 */
export function renderShell(root, entries, handlers) {
  const title = h("h1", { class: "title", id: "screen-title" });
  const dot = h("span", { class: "dot", "aria-hidden": "true" });
  const state = h("span", { class: "sync-state", "data-testid": "sync-state" });
  const detail = h("span", { class: "sync-detail", "data-testid": "sync-detail" });
  const syncButton = h("button", { type: "button", class: "btn primary sync-btn", "data-testid": "sync-button",
    onclick: () => handlers.sync() }, t("sync_now"));
  const bar = h("div", { class: "syncbar", "data-testid": "sync-bar", role: "status" }, dot, h("div", { class: "sync-text" },
    state, detail), syncButton);
  const navItems = entries.map(([key, href, text, folded]) => h("a", { class: ["nav-item", folded && "folded"], href, "data-nav": key },
    h("span", null, t(/** @type {any} */ (text))), h("span", { class: "badge", hidden: true })));
  // Where the navigation is a bar along the bottom, the screens used less often fold under "more" (only shown there).
  const moreLabel = h("span", null, t("nav_more"));
  const more = entries.some((entry) => entry[3]) ? h("button", { type: "button", class: "nav-item nav-more",
    "data-testid": "nav-more", "aria-expanded": "false", onclick: () => unfold(!nav.classList.contains("open")) }, moreLabel) : null;
  const nav = h("nav", { class: ["nav", entries.length > 7 && "crowded"], "aria-label": t("nav_menu") }, navItems, more);
  const unfold = (/** @type {boolean} */ open) => {
    nav.classList.toggle("open", open);
    if (!more) return;
    more.setAttribute("aria-expanded", String(open));
    replace(moreLabel, t(open ? "nav_less" : "nav_more"));
  };
  const main = h("main", { class: "screen", id: "screen", tabindex: "-1" });
  const update = h("div", { class: "update-banner", role: "alert", hidden: true, "data-testid": "update-banner" });
  const toastEl = h("div", { class: "toast", role: "status", hidden: true });
  const modal = h("div", { class: "modal-backdrop", hidden: true });
  replace(root, h("div", { class: "shell" },
    h("header", { class: "topbar" }, h("div", { class: "brand" }, t("app_name")), title, bar), nav, main, update, toastEl, modal));

  /** @type {ReturnType<typeof setTimeout>|undefined} */
  let toastTimer;
  return {
    main,
    /** A detached element the next screen is drawn into; shown by `present` once it is complete. */
    stage() {
      return h("div", { class: "screen-body" });
    },
    /** @param {HTMLElement} el */
    present(el) {
      main.replaceChildren(el);
    },
    /** @param {string} text */
    setTitle(text) {
      replace(title, text);
      document.title = `${text} · ${t("app_name")}`;
    },
    /** The entry of the screen shown; a screen without one of its own belongs under home. @param {string} key */
    setActive(key) {
      const shown = navItems.some((item) => item.dataset.nav === key) ? key : "home";
      for (const item of navItems) item.classList.toggle("active", item.dataset.nav === shown);
      more?.classList.toggle("active", navItems.some((item) => item.dataset.nav === shown && item.classList.contains("folded")));
      unfold(false);
    },
    /** @param {import("../sync.js").SyncStatus} s */
    setStatus(s) {
      const busy = !["idle", "login", "revoked"].includes(s.phase);
      bar.dataset.online = String(s.online);
      bar.dataset.phase = s.phase;
      bar.classList.toggle("error", Boolean(s.last_error) || s.revoked);
      const phaseText = s.revoked ? t("phase_revoked") : s.phase === "login" ? t("phase_login")
        : s.phase === "photos" && s.progress ? t("phase_photos", { done: s.progress.done, total: s.progress.total })
          : busy ? t(/** @type {any} */ (`phase_${s.phase}`)) : (s.online ? t("online") : t("offline"));
      replace(state, phaseText);
      const parts = [s.last_sync_at ? t("last_sync", { time: dateTime(s.last_sync_at) }) : t("never_synced"),
        h("b", { "data-testid": "sync-waiting" }, t("waiting_changes", { n: s.counts.waiting })),
        h("b", { "data-testid": "sync-photos" }, t("waiting_photos", { n: s.counts.photos }))];
      if (s.counts.rejected) parts.push(h("b", { class: "warn" }, t("rejected_n", { n: s.counts.rejected })));
      if (s.last_error && !s.revoked) {
        parts.push(h("span", { class: "warn", "data-testid": "sync-error" }, `${t("sync_error")}: ${s.last_error.message}` +
          (s.next_retry_at ? ` (${t("next_retry", { time: time(s.next_retry_at) })})` : "")));
      }
      replace(detail, parts.map((p, i) => [i ? " · " : "", p]));
      syncButton.toggleAttribute("disabled", busy || s.revoked);
      replace(syncButton, busy ? t("syncing") : t("sync_now"));
      const badges = { conflicts: s.counts.conflicts, sync: s.counts.waiting + s.counts.photos + s.counts.rejected };
      for (const item of navItems) {
        const badge = /** @type {HTMLElement} */ (item.querySelector(".badge"));
        const n = /** @type {any} */ (badges)[item.dataset.nav || ""] || 0;
        badge.hidden = !n;
        replace(badge, String(n));
      }
    },
    /** @param {() => void} onAccept */
    showUpdate(onAccept) {
      replace(update, h("span", null, t("update_ready"), " ", h("small", null, t("update_note"))),
        h("button", { type: "button", class: "btn primary", "data-testid": "update-accept", onclick: onAccept }, t("update_now")),
        h("button", { type: "button", class: "btn", onclick: () => { update.hidden = true; } }, t("later")));
      update.hidden = false;
    },
    /** @param {string} text @param {"info"|"error"} [kind] */
    toast(text, kind = "info") {
      replace(toastEl, text);
      toastEl.className = `toast ${kind}`;
      toastEl.hidden = false;
      clearTimeout(toastTimer);
      toastTimer = setTimeout(() => { toastEl.hidden = true; }, kind === "error" ? 6000 : 2500);
    },
    /**
     * Show a dialog over the screen; `build` receives a close function.
     * @param {(close: () => void) => HTMLElement} build
     */
    dialog(build) {
      const close = () => { modal.hidden = true; modal.replaceChildren(); };
      replace(modal, h("div", { class: "modal", role: "dialog", "aria-modal": "true" }, build(close)));
      modal.hidden = false;
      return close;
    },
  };
}
