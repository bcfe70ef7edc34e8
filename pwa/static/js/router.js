// @ts-check
/**
 * Hash routes (`#/visit/<id>/samples`): the server serves one shell page and the service worker answers
 * it offline, so every screen is a hash of that page.
 * @module router
 */

/**
 * @typedef {{name: string, params: Record<string, string>, query: URLSearchParams}} Route
 */

const PATTERNS = [
  ["login", /^\/login$/],
  ["home", /^\/(?:home)?$/],
  ["enterprises", /^\/enterprises$/],
  ["enterprise", /^\/enterprise\/(?<id>[^/]+)$/],
  ["visit_child", /^\/visit\/(?<id>[^/]+)\/(?<kind>sample|noise)\/(?<child>[^/]+)$/],
  ["visit", /^\/visit\/(?<id>[^/]+)\/(?<step>header|samples|noise|evaluation|print|submit|handover)$/],
  ["visit_labels", /^\/visit\/(?<id>[^/]+)\/labels$/],
  ["inspection_finding", /^\/inspection\/(?<id>[^/]+)\/finding\/(?<child>[^/]+)$/],
  ["inspection", /^\/inspection\/(?<id>[^/]+)\/(?<step>info|checklist|findings|notice|sign|issue)$/],
  ["reinspection", /^\/reinspection\/(?<id>[^/]+)\/(?<step>info|items|issue)$/],
  ["record", /^\/record\/(?<id>[^/]+)$/],
  ["literacy", /^\/literacy\/(?<id>[^/]+)$/],
  ["literacy_worker", /^\/literacy\/(?<id>[^/]+)\/worker\/(?<worker>[^/]+)$/],
  ["conflicts", /^\/conflicts$/],
  ["patients", /^\/patients$/],
  ["patient", /^\/patient\/(?<id>[^/]+)$/],
  ["ledgers", /^\/ledgers$/],
  ["ledger", /^\/ledger\/(?<kind>[a-z_]+)$/],
  ["campaign", /^\/campaign\/(?<id>[^/]+)$/],
  ["sync", /^\/sync$/],
  ["account_password", /^\/account\/password$/],
  // The office (supervisors and admins).
  ["review", /^\/review$/],
  ["review_record", /^\/review\/record\/(?<id>[^/]+)$/],
  ["review_conflicts", /^\/review\/conflicts$/],
  ["rectifications", /^\/rectifications$/],
  ["dashboard", /^\/dashboard$/],
  ["exports", /^\/exports$/],
  ["draws", /^\/draws$/],
  ["classification", /^\/classification$/],
  ["classification_file", /^\/classification\/(?<id>[^/]+)$/],
  ["numbers", /^\/numbers$/],
  // The monitoring chain after the site: the laboratory (and supervisors) online.
  ["lab", /^\/lab$/],
  ["lab_visit", /^\/lab\/(?<id>[^/]+)$/],
  ["admin", /^\/admin\/(?<section>users|devices|enterprises|reference|forms)$/],
];

/** @param {string} hash @returns {Route} */
export function parse(hash) {
  const raw = hash.replace(/^#/, "") || "/home";
  const [path, search = ""] = raw.split("?");
  for (const [name, pattern] of PATTERNS) {
    const match = /** @type {RegExp} */ (pattern).exec(path);
    if (match) return { name: /** @type {string} */ (name), params: { ...(match.groups || {}) }, query: new URLSearchParams(search) };
  }
  return { name: "home", params: {}, query: new URLSearchParams() };
}

/** @param {(route: Route) => void} handler */
export function listen(handler) {
  window.addEventListener("hashchange", () => handler(parse(location.hash)));
}

export const current = () => parse(location.hash);

/** @param {string} hash */
export function go(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = hash;
}
