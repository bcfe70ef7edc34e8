// @ts-check
// Service worker of the field app: the shell (HTML, JS, CSS, icons) is precached so the app starts in a
// factory with no signal. /api/* is never cached — records live in IndexedDB and sync through the page.
// Checked by tools/typecheck.sh with the WebWorker library (jsconfig.sw.json).
// A new VERSION makes a new cache; the new worker waits until the user accepts the update prompt.
// The office screens (supervisors, admins) are precached too, though they work online only: a module fetched
// from the network next to cached ones of an older version could not import what it expects (about 35 KB
// gzipped; they are never loaded at a field tablet's start-up).
const VERSION = "2026.12.17";
const CACHE = `shell-${VERSION}`;
const SHELL = [
  "/",
  "/manifest.webmanifest",
  "/static/css/app.css",
  "/static/css/office.css",
  "/static/icons/favicon-32.png",
  "/static/icons/icon-192.png",
  "/static/icons/icon-512.png",
  "/static/icons/icon-maskable-512.png",
  "/static/vendor/dexie.mjs",
  "/static/vendor/qrcode.mjs",
  "/static/vendor/signature_pad.mjs",
  "/static/wording/notice.json",
  "/static/js/api.js",
  "/static/js/app.js",
  "/static/js/checklist.js",
  "/static/js/clock.js",
  "/static/js/db.js",
  "/static/js/events.js",
  "/static/js/flows.js",
  "/static/js/formrules.js",
  "/static/js/formstore.js",
  "/static/js/i18n.js",
  "/static/js/i18n_enforcement.js",
  "/static/js/i18n_office.js",
  "/static/js/i18n_reference.js",
  "/static/js/issuing.js",
  "/static/js/labels.js",
  "/static/js/media.js",
  "/static/js/notice.js",
  "/static/js/numbering.js",
  "/static/js/outbox.js",
  "/static/js/passwords.js",
  "/static/js/records.js",
  "/static/js/replica.js",
  "/static/js/retry.js",
  "/static/js/router.js",
  "/static/js/screen_forms.js",
  "/static/js/screens.js",
  "/static/js/screens_account.js",
  "/static/js/screens_admin.js",
  "/static/js/screens_import.js",
  "/static/js/screens_lab.js",
  "/static/js/screens_enforcement.js",
  "/static/js/screens_office.js",
  "/static/js/screens_reports.js",
  "/static/js/screens_review.js",
  "/static/js/screens_patients.js",
  "/static/js/screens_ledgers.js",
  "/static/js/screens_register_import.js",
  "/static/js/search.js",
  "/static/js/session.js",
  "/static/js/storage.js",
  "/static/js/summaries.js",
  "/static/js/sw_client.js",
  "/static/js/sync.js",
  "/static/js/uploader.js",
  "/static/js/controllers/account.js",
  "/static/js/controllers/admin.js",
  "/static/js/controllers/conflicts.js",
  "/static/js/controllers/dashboard.js",
  "/static/js/controllers/documents.js",
  "/static/js/controllers/draws.js",
  "/static/js/controllers/enterprises.js",
  "/static/js/controllers/exports.js",
  "/static/js/controllers/form.js",
  "/static/js/controllers/home.js",
  "/static/js/controllers/inspection.js",
  "/static/js/controllers/lab.js",
  "/static/js/controllers/numbers.js",
  "/static/js/controllers/office.js",
  "/static/js/controllers/queue.js",
  "/static/js/controllers/registry.js",
  "/static/js/controllers/reference.js",
  "/static/js/controllers/imports.js",
  "/static/js/controllers/reinspection.js",
  "/static/js/controllers/resolutions.js",
  "/static/js/controllers/review.js",
  "/static/js/controllers/status.js",
  "/static/js/controllers/submit.js",
  "/static/js/controllers/tracking.js",
  "/static/js/controllers/patients.js",
  "/static/js/controllers/ledgers.js",
  "/static/js/controllers/file_parts.js",
  "/static/js/controllers/campaigns.js",
  "/static/js/controllers/registers.js",
  "/static/js/controllers/visit.js",
  "/static/js/stores/connection.js",
  "/static/js/stores/documents.js",
  "/static/js/stores/enterprises.js",
  "/static/js/stores/meta.js",
  "/static/js/stores/outbox.js",
  "/static/js/stores/photos.js",
  "/static/js/stores/pull.js",
  "/static/js/stores/push.js",
  "/static/js/stores/records.js",
  "/static/js/stores/reference.js",
  "/static/js/stores/roster.js",
  "/static/js/stores/unsynced.js",
  "/static/js/forms/canonical.js",
  "/static/js/forms/checks.js",
  "/static/js/forms/computed.js",
  "/static/js/forms/conditions.js",
  "/static/js/forms/definitions.js",
  "/static/js/forms/index.js",
  "/static/js/forms/messages.js",
  "/static/js/forms/upcasting.js",
  "/static/js/forms/validate.js",
  "/static/js/forms/values.js",
  "/static/js/views/account.js",
  "/static/js/views/admin_data.js",
  "/static/js/views/admin_reference.js",
  "/static/js/views/admin_import.js",
  "/static/js/views/admin_users.js",
  "/static/js/views/charts.js",
  "/static/js/views/common.js",
  "/static/js/views/conflicts.js",
  "/static/js/views/dashboard.js",
  "/static/js/views/dom.js",
  "/static/js/views/draws.js",
  "/static/js/views/enterprises.js",
  "/static/js/views/evaluation.js",
  "/static/js/views/exports.js",
  "/static/js/views/fields.js",
  "/static/js/views/form.js",
  "/static/js/views/home.js",
  "/static/js/views/inspection.js",
  "/static/js/views/issue.js",
  "/static/js/views/lab.js",
  "/static/js/views/lab_results.js",
  "/static/js/entries.js",
  "/static/js/plausibility.js",
  "/static/js/patient_rules.js",
  "/static/js/i18n_registers.js",
  "/static/js/i18n_classification.js",
  "/static/js/i18n_declarations.js",
  "/static/css/literacy.css",
  "/static/js/i18n_literacy.js",
  "/static/js/literacy.js",
  "/static/js/screens_literacy.js",
  "/static/js/controllers/literacy.js",
  "/static/js/views/literacy.js",
  "/static/js/controllers/classification.js",
  "/static/js/views/classification.js",
  "/static/js/screens_classification.js",
  "/static/js/views/dashboard_classification.js",
  "/static/js/views/labels.js",
  "/static/js/views/login.js",
  "/static/js/views/notice.js",
  "/static/js/views/numbers.js",
  "/static/js/views/office.js",
  "/static/js/views/office_home.js",
  "/static/js/views/record.js",
  "/static/js/views/record_view.js",
  "/static/js/views/lifecycle.js",
  "/static/js/evaluation.js",
  "/static/js/evaluation/exposure.js",
  "/static/js/evaluation/judgements.js",
  "/static/js/evaluation/noise.js",
  "/static/js/evaluation/peaks.js",
  "/static/js/views/reinspection.js",
  "/static/js/views/resolutions.js",
  "/static/js/views/review.js",
  "/static/js/views/shell.js",
  "/static/js/views/signature.js",
  "/static/js/views/status.js",
  "/static/js/views/submit.js",
  "/static/js/views/tracking.js",
  "/static/js/views/patients.js",
  "/static/js/views/ledgers.js",
  "/static/js/views/file_parts.js",
  "/static/js/views/campaigns.js",
  "/static/js/views/register_import.js",
  "/static/js/views/dashboard_ledgers.js",
  "/static/js/views/dashboard_catalogue.js",
  "/static/js/views/visit.js",
];

/** The worker's own scope (`self` is typed as any worker's). */
const worker = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));

worker.addEventListener("install", (event) => {
  // `reload` bypasses the HTTP cache: the new version must not be assembled from yesterday's files.
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: "reload" })))));
});

worker.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith("shell-") && name !== CACHE).map((name) => caches.delete(name)));
    await worker.clients.claim();
  })());
});

worker.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") worker.skipWaiting();
});

worker.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== worker.location.origin || url.pathname.startsWith("/api/")) return;
  // Pages the server renders for anyone (a draw's public page, a document's verification page) are not the shell.
  if (url.pathname.startsWith("/public/") || url.pathname.startsWith("/verify/")) return;
  if (request.mode === "navigate") {
    // The app shell for every page of the app (routes live in the hash): cache first, so a weak signal
    // never delays the start; the network only when the shell is somehow missing.
    event.respondWith(caches.match("/", { cacheName: CACHE }).then((hit) => hit || fetch(request)));
    return;
  }
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit || fetch(request)));
});
