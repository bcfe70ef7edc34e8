// @ts-check
/**
 * The only module that calls fetch. It adds the access token, refreshes it once when it has expired
 * (one refresh at a time: refresh tokens rotate, and a second use of an old one ends the login), turns
 * every failure into an ApiError, and keeps "online" as what it really is in a factory: whether the last
 * request reached the server — navigator.onLine says nothing about a dead 4G cell.
 * @module api
 */

export class ApiError extends Error {
  /**
   * @param {number} status  0 when the server was not reached
   * @param {string} code  the envelope's code, or NETWORK / TIMEOUT / SESSION_EXPIRED
   * @param {string} message
   * @param {any[]} [details]
   * @param {number|null} [retryAfter]  seconds, from Retry-After
   */
  constructor(status, code, message, details = [], retryAfter = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }

  /** Worth retrying later without the user doing anything. */
  get transient() {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

/**
 * @typedef {{access_token: string, refresh_token: string, device_id: string, expires_in?: number}} Tokens
 * @typedef {{getTokens: () => Tokens|null, saveTokens: (t: any) => Promise<void>, onSessionExpired: () => void,
 *   onReachability: (online: boolean) => void, onAccountStep: (code: string) => void}} Hooks
 */

/**
 * The 403 codes by which the server holds every call (but /api/auth/*) until the person has changed an initial
 * password or set up a second factor, and the step each one asks for.
 * @type {Readonly<Record<string, "password"|"totp">>}
 */
export const ACCOUNT_STEPS = Object.freeze({ PASSWORD_CHANGE_REQUIRED: "password", TOTP_ENROLMENT_REQUIRED: "totp" });

/** @param {ApiError} error */
export const accountStepOf = (error) => (error.status === 403 && Object.hasOwn(ACCOUNT_STEPS, error.code) ? ACCOUNT_STEPS[error.code] : null);

/** @type {Hooks} */
let hooks = { getTokens: () => null, saveTokens: async () => {}, onSessionExpired: () => {}, onReachability: () => {},
  onAccountStep: () => {} };
/** @type {Promise<void>|null} */
let refreshing = null;
let reachable = false;

/** Wire the session's token storage and the listeners. @param {Partial<Hooks>} given */
export function configure(given) {
  hooks = { ...hooks, ...given };
}

/** Whether the last request reached the server. */
export const isOnline = () => reachable;

/** @param {boolean} value */
function setReachable(value) {
  if (value !== reachable) {
    reachable = value;
    hooks.onReachability(value);
  }
}

/**
 * One HTTP request to the server.
 * @param {string} method
 * @param {string} path
 * @param {{json?: any, body?: BodyInit, headers?: Record<string, string>, auth?: boolean|"refresh",
 *   timeout?: number, binary?: boolean, file?: boolean}} [options]
 * @returns {Promise<any>}  parsed JSON (or an ArrayBuffer with `binary`, or {bytes, filename, mime} with `file`: a
 *   download the server names)
 */
export async function request(method, path, options = {}) {
  try {
    return await attempt(method, path, options);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401 || options.auth === false || options.auth === "refresh") throw error;
    if (error.code === "TOKEN_EXPIRED") {
      await refreshTokens();
      try {
        return await attempt(method, path, options);
      } catch (again) {
        if (!(again instanceof ApiError) || again.status !== 401) throw again;
      }
    }
    // A revoked or unreadable token: only a new login helps (nothing local is touched).
    hooks.onSessionExpired();
    throw new ApiError(401, "SESSION_EXPIRED", "登录已过期，请重新登录");
  }
}

/** @param {string} method @param {string} path @param {any} options */
async function attempt(method, path, options) {
  const headers = { ...(options.headers || {}) };
  const tokens = hooks.getTokens();
  if (options.auth !== false) {
    const token = options.auth === "refresh" ? tokens?.refresh_token : tokens?.access_token;
    if (!token) throw new ApiError(401, "SESSION_EXPIRED", "请重新登录");
    headers.Authorization = `Bearer ${token}`;
  }
  let body = options.body;
  if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.json);
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeout || 30000);
  /** @type {Response} */
  let response;
  try {
    response = await fetch(path, { method, headers, body, signal: controller.signal, cache: "no-store" });
  } catch (error) {
    setReachable(false);
    const timedOut = controller.signal.aborted;
    throw new ApiError(0, timedOut ? "TIMEOUT" : "NETWORK", timedOut ? "服务器无响应" : "无法连接服务器");
  } finally {
    clearTimeout(timer);
  }
  setReachable(response.status < 500);
  if (response.ok) {
    if (options.file) {
      return { bytes: await response.arrayBuffer(), filename: fileNameOf(response.headers.get("Content-Disposition")),
        mime: response.headers.get("Content-Type") || "application/octet-stream" };
    }
    if (options.binary) return response.arrayBuffer();
    return response.status === 204 ? null : response.json();
  }
  const error = await errorOf(response);
  if (accountStepOf(error)) hooks.onAccountStep(error.code); // whichever call met it, the screen of that step opens
  throw error;
}

/**
 * The file name a download is given (Content-Disposition): the UTF-8 one (RFC 6266 `filename*`, how Chinese names
 * travel) before the plain one; "" when there is none.
 * @param {string|null} header
 */
export function fileNameOf(header) {
  if (!header) return "";
  const encoded = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (encoded) {
    try {
      return decodeURIComponent(encoded[1].trim());
    } catch {
      // a malformed name: the plain one below
    }
  }
  const plain = /filename\s*=\s*(?:"([^"]*)"|([^;]+))/i.exec(header);
  return plain ? (plain[1] ?? plain[2] ?? "").trim() : "";
}

/** @param {Response} response */
async function errorOf(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const error = body && body.error ? body.error : {};
  const retry = Number(response.headers.get("Retry-After"));
  return new ApiError(response.status, error.code || `HTTP_${response.status}`, error.message || response.statusText,
    error.details || [], Number.isFinite(retry) && retry > 0 ? retry : null);
}

/** Exchange the refresh token for a new pair, once for all waiting callers. */
export function refreshTokens() {
  if (!refreshing) {
    refreshing = (async () => {
      try {
        const tokens = await attempt("POST", "/api/auth/refresh", { auth: "refresh" });
        await hooks.saveTokens(tokens);
      } catch (error) {
        if (error instanceof ApiError && (error.status === 401 || error.status === 422)) {
          hooks.onSessionExpired();
          throw new ApiError(401, "SESSION_EXPIRED", "登录已过期，请重新登录");
        }
        throw error;
      } finally {
        refreshing = null;
      }
    })();
  }
  return refreshing;
}

/** @param {string} path @param {any} [options] */
export const get = (path, options) => request("GET", path, options);
/** @param {string} path @param {any} json @param {any} [options] */
export const post = (path, json, options = {}) => request("POST", path, { ...options, json });
