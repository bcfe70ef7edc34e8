// @ts-check
/**
 * The person's own account, online: the password policy, changing the password (an initial or reset one must be
 * changed before anything else), and setting up the second factor (TOTP) with its recovery codes. No DOM.
 * @module controllers/account
 */
import * as api from "../api.js";
import { qrDataUrl } from "../labels.js";
import { assess, DEFAULT_POLICY, groupSecret } from "../passwords.js";
import * as session from "../session.js";

/** @type {Promise<import("../passwords.js").Policy>|null} */
let policyCache = null;

/** The server's password policy (its shipped default when the server cannot be reached: the server checks anyway). */
export function passwordPolicy() {
  if (!policyCache) {
    policyCache = api.get("/api/auth/password-policy", { auth: false, timeout: 8000 }).catch(() => {
      policyCache = null;
      return DEFAULT_POLICY;
    });
  }
  return policyCache;
}

/**
 * How a password meets the policy, for the meter.
 * @param {import("../passwords.js").Policy} policy @returns {(password: string, username: string) => ReturnType<typeof assess>}
 */
export const assessor = (policy) => (password, username) => assess(password, username, policy);

/** The change-password screen: whose password and the rules it must meet. */
export async function passwordModel() {
  return { username: session.user()?.username || "", displayName: session.user()?.display_name || "", policy: await passwordPolicy() };
}

/**
 * Change the password; the server's refusal (422 with details at `current_password` / `new_password`) is thrown.
 * @param {string} current @param {string} next
 */
export async function changePassword(current, next) {
  await api.post("/api/auth/password", { current_password: current, new_password: next });
  await session.stepDone("password");
}

/**
 * Start the second factor: the secret, its QR code for an authenticator app, and the secret grouped for typing;
 * null when it was already set up (from another device meanwhile): the step is done.
 */
export async function startTotp() {
  let enrolment;
  try {
    enrolment = await api.request("POST", "/api/auth/totp/enrol");
  } catch (error) {
    if (!(error instanceof api.ApiError && (error.details || []).some((d) => d.code === "already_enrolled"))) throw error;
    await session.stepDone("totp");
    return null;
  }
  return { secret: enrolment.secret, grouped: groupSecret(enrolment.secret), qr: qrDataUrl(enrolment.otpauth_uri, 5, 20) };
}

/**
 * Confirm the second factor with a current code; the recovery codes (shown once) come back.
 * @param {string} code @returns {Promise<string[]>}
 */
export async function confirmTotp(code) {
  const body = await api.post("/api/auth/totp/confirm", { code: code.replace(/\s+/g, "") });
  await session.stepDone("totp");
  return body.recovery_codes || [];
}
