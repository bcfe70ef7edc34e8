// @ts-check
/**
 * When the sync engine tries again after a failed run — no storage, no DOM. A failure backs off
 * exponentially with jitter (so a team's tablets do not all come back at once), capped, and never sooner
 * than the server's Retry-After; a revoked device stops; an expired session waits for the login dialog.
 * @module retry
 */
import { accountStepOf, ApiError } from "./api.js";

/** The first retry after a failure. */
export const BACKOFF_MIN_MS = 2_000;
/** The longest wait before the jitter: a tablet back in signal syncs within minutes, not hours. */
export const BACKOFF_MAX_MS = 5 * 60_000;
/** The jitter: each wait is the nominal one times 0.8 to 1.2. */
export const JITTER = 0.2;

/**
 * Capped exponential backoff with jitter, never sooner than the server's Retry-After.
 * @param {number} attempt  1 for the first failure @param {number|null} [retryAfter]  seconds
 */
export function backoff(attempt, retryAfter = null) {
  const raw = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.max(0, attempt - 1));
  const jittered = raw * (1 - JITTER + Math.random() * 2 * JITTER);
  return Math.max(jittered, (retryAfter || 0) * 1000);
}

/**
 * What a failed run leads to: "stop" — the device was revoked, nothing it sends will be accepted again;
 * "login" — the session expired or belongs to another device, or the server first wants a new password or
 * a second factor: the engine waits for the person (nothing local is touched); "retry" — anything else (no
 * signal, a timeout, a busy server, a refused request, an unexpected error) is tried again after a backoff.
 * @param {unknown} error @returns {"stop"|"login"|"retry"}
 */
export function afterFailure(error) {
  if (!(error instanceof ApiError)) return "retry";
  if (error.code === "DEVICE_REVOKED") return "stop";
  if (error.code === "SESSION_EXPIRED" || error.code === "DEVICE_MISMATCH" || error.status === 401) return "login";
  if (accountStepOf(error)) return "login";
  return "retry";
}
