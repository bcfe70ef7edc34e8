// @ts-check
/**
 * Who is logged in on this tablet, and on which device id. The device id is kept per user and sent at
 * every login, so a re-login after days offline keeps the device and its sequence; an expired session
 * only asks for the password again and never touches unsynced data. A login may come with steps the server
 * wants done before anything else (a new password, a second factor); they are kept with the session, so a
 * reload opens the same step again.
 * @module session
 */
import * as api from "./api.js";
import * as db from "./db.js";
import { emit } from "./events.js";
import { clearEntries } from "./entries.js";
import { stepsOf } from "./passwords.js";

/**
 * @typedef {{id: number, username: string, display_name: string, roles: string[], agency_id: number, agency_kind?: string,
 *   team_id: number|null, enforcement_cert_no: string|null}} User
 * @typedef {import("./passwords.js").Step} Step
 * @typedef {{access_token: string, refresh_token: string, device_id: string, access_expires_at: number,
 *   user: User, expired?: boolean, steps?: Step[]}} Session
 */

/** @type {Session|null} */
let session = null;

export class LoginBlocked extends Error {
  /** @param {string} owner  the user whose unsynced work is on this tablet */
  constructor(owner) {
    super(`unsynced data of ${owner}`);
    this.owner = owner;
  }
}

/** Load the stored session at start-up (works offline). */
export async function restore() {
  session = (await db.getMeta("session")) || null;
  api.configure({
    getTokens: () => session,
    saveTokens: save,
    onSessionExpired: () => {
      if (session && !session.expired) {
        session = { ...session, expired: true };
        db.setMeta("session", session);
        emit("session-expired", session.user);
      }
    },
    onAccountStep: (code) => {
      const step = api.ACCOUNT_STEPS[code];
      if (session && step && !session.steps?.includes(step)) {
        const wanted = new Set([...(session.steps || []), step]);
        session = { ...session, steps: /** @type {Step[]} */ (["password", "totp"]).filter((s) => wanted.has(s)) }; // a new password first
        db.setMeta("session", session);
        emit("account-step", step);
      }
    },
  });
  return session;
}

export const current = () => session;
export const user = () => session?.user || null;
export const deviceId = () => session?.device_id || "";
/** The step the server wants done before anything else, or null. @returns {Step|null} */
export const pendingStep = () => session?.steps?.[0] || null;
/** @param {...string} roles */
export const hasRole = (...roles) => Boolean(session?.user?.roles.some((role) => roles.includes(role)));

/** @param {any} tokens */
async function save(tokens) {
  session = {
    access_token: tokens.access_token, refresh_token: tokens.refresh_token,
    device_id: tokens.device_id || session?.device_id, user: tokens.user || session?.user,
    access_expires_at: Date.now() + (tokens.expires_in || 1800) * 1000,
    steps: "must_change_password" in tokens ? stepsOf(tokens) : session?.steps || [], // a refresh keeps them
  };
  await db.setMeta("session", session);
}

/** A step done (the password changed, the second factor confirmed). @param {Step} step */
export async function stepDone(step) {
  if (!session) return;
  session = { ...session, steps: (session.steps || []).filter((s) => s !== step) };
  await db.setMeta("session", session);
}

/**
 * Log in online. A different user on a tablet that still holds someone else's unsynced work is refused
 * (that work must reach the server under its own device first); otherwise their synced copy is dropped.
 * An account with a second factor is answered 401 TOTP_REQUIRED until the code (or a recovery code) is sent.
 * @param {string} username @param {string} password @param {string} [totpCode]
 */
export async function login(username, password, totpCode = "") {
  const name = username.trim();
  const owner = await db.getMeta("owner");
  const switching = owner && owner.username.toLowerCase() !== name.toLowerCase();
  if (switching) {
    const counts = await db.counts();
    if (counts.dirty || counts.waiting || counts.photos) throw new LoginBlocked(owner.username);
  }
  const devices = (await db.getMeta("devices")) || {};
  const body = await api.request("POST", "/api/auth/login", { auth: false, json: {
    username: name, password, device_id: devices[deviceKey(name)] || null, device_name: deviceName(),
    ...(totpCode.trim() ? { totp_code: totpCode.trim() } : {}) } });
  if (switching || (owner && owner.id !== body.user.id)) {
    await db.clearReplica();
    clearEntries();
  }
  devices[deviceKey(body.user.username)] = body.device_id;
  await db.setMeta("devices", devices);
  await db.setMeta("owner", { id: body.user.id, username: body.user.username });
  await save(body);
  emit("session", session);
  return session;
}

/** @param {string} username */
function deviceKey(username) {
  return username.toLowerCase();
}

/** What this tablet is called in the office's device list. */
export function deviceName() {
  const ua = navigator.userAgent;
  const kind = /Android/.test(ua) ? "Android" : /iPad|iPhone/.test(ua) ? "iPad" : /Windows/.test(ua) ? "Windows" : "Linux";
  return `现场平板 (${kind})`;
}

/** Log out: ends the login on the server when reachable; local data stays for the next login. */
export async function logout() {
  if (session && !session.expired) {
    try {
      await api.post("/api/auth/logout", { refresh_token: session.refresh_token }, { timeout: 5000 });
    } catch {
      // Offline logout still ends the session on this tablet; the refresh token expires on its own.
    }
  }
  session = null;
  await db.setMeta("session", null);
  emit("session", null);
}
