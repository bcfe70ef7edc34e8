// @ts-check
/**
 * Wiring only: open the database, restore the session, draw the shell, route hashes to screens, start
 * the sync engine and connect its events to the views. Works from a cold start with no network.
 * @module app
 */
import * as db from "./db.js";
import { on } from "./events.js";
import { flowById, isOffice, navFor } from "./flows.js";
import * as formstore from "./formstore.js";
import { addStrings, lang, setLang, t } from "./i18n.js";
import * as router from "./router.js";
import { homeModel } from "./controllers/home.js";
import * as search from "./search.js";
import * as session from "./session.js";
import * as storage from "./storage.js";
import * as swClient from "./sw_client.js";
import * as sync from "./sync.js";
import { messageDialog } from "./views/common.js";
import { takeUrls } from "./views/dom.js";
import { reloginDialog, renderLogin } from "./views/login.js";
import { renderHome } from "./views/home.js";
import { renderShell } from "./views/shell.js";

const root = /** @type {HTMLElement} */ (document.getElementById("app"));
/** @type {ReturnType<typeof renderShell>|null} */
let shell = null;
let showing = 0;

/** Route → [navigation entry, screen, module]. Home is wired here (it is what start-up draws); the other screens
 * load with screens.js (and screens_enforcement.js, which it imports), fetched once the home screen is up, or
 * with the module named third (LATER). */
const SCREENS = {
  home: ["home", null], enterprises: ["enterprises", "enterpriseSearch"], enterprise: ["enterprises", "enterprisePage"],
  visit: ["home", "visit"], visit_child: ["home", "visit"], record: ["home", "record"], conflicts: ["conflicts", "conflictList"],
  sync: ["sync", "syncPage"], visit_labels: ["home", "visitLabels"], inspection: ["home", "inspection"],
  inspection_finding: ["home", "inspectionFinding"], reinspection: ["enterprises", "reinspection"],
  review: ["review", "reviewQueue", "review"], review_record: ["review", "reviewRecord", "review"],
  review_conflicts: ["office_conflicts", "conflictResolution", "review"], rectifications: ["rectifications", "rectifications", "review"],
  dashboard: ["dashboard", "dashboardScreen", "reports"], exports: ["exports", "exportsScreen", "reports"],
  draws: ["draws", "drawsScreen", "reports"],
  classification: ["classification", "classificationScreen", "classification"],
  classification_file: ["classification", "classFileScreen", "classification"],
  numbers: ["numbers", "numbersScreen", "reports"], admin: ["admin", "adminScreen", "admin"],
  // The laboratory's own navigation has no "lab" entry: its list is its home, which the shell highlights instead.
  patients: ["patients", "patientRegister", "patients"], patient: ["patients", "patientFile", "patients"],
  ledgers: ["ledgers", "ledgerList", "ledgers"], ledger: ["ledgers", "ledgerScreen", "ledgers"],
  campaign: ["ledgers", "campaignScreen", "ledgers"],
  literacy: ["home", "literacySurvey", "literacy"], literacy_worker: ["home", "literacyWorker", "literacy"],
  account_password: ["sync", "accountPassword", "account"], lab: ["lab", "labList", "lab"], lab_visit: ["lab", "labVisit", "lab"],
};

/** Screens loaded when one is opened, never at a field start-up: the office's (supervisors and admins) and the account's. */
const LATER = {
  review: () => import("./screens_review.js"), reports: () => import("./screens_reports.js"), admin: () => import("./screens_admin.js"),
  account: () => import("./screens_account.js"), classification: () => import("./screens_classification.js"), lab: () => import("./screens_lab.js"),
  patients: () => import("./screens_patients.js"), ledgers: () => import("./screens_ledgers.js"),
  literacy: () => import("./screens_literacy.js"),
};

/** @param {import("./router.js").Route} route @param {import("./screens.js").Context} ctx */
async function homeScreen(route, ctx) {
  // The laboratory works online from its list of handed-over samples.
  if (session.hasRole("laboratory") && !session.hasRole("supervisor", "admin")) return (await LATER.lab()).labList(route, ctx);
  ctx.setTitle(t("home_title"));
  const model = await homeModel();
  if (!model) return;
  const drawField = (/** @type {HTMLElement} */ el) => renderHome(el, model, {
    start: async (flow) => (await import("./screens.js")).start(flow, null, ctx),
    inspect: async (a) => {
      const flow = flowById("inspection");
      if (flow) (await import("./screens.js")).start(flow, a.enterprise_id, ctx);
    },
  });
  // Supervisors and admins start from the office; field work they also do is drawn below it.
  if (session.hasRole("supervisor", "admin")) await (await LATER.review()).officeHome(ctx, model.flows.length ? drawField : null);
  else drawField(ctx.main);
}

/** @param {import("./router.js").Route} route @param {boolean} [keepScroll] */
async function show(route, keepScroll = false) {
  if (!shell || route.name === "login") return;
  const current = shell;
  const mine = ++showing;
  performance.mark("screen-start"); // the screen timings bench/bench_pwa.py reads
  const [nav, name, later] = /** @type {any} */ (SCREENS)[route.name] || SCREENS.home;
  const screens = later ? await /** @type {any} */ (LATER)[later]() : name ? await import("./screens.js") : null;
  const screen = screens ? /** @type {any} */ (screens)[name] : homeScreen;
  const scroll = keepScroll ? window.scrollY : 0;
  await db.idle();
  // Drawn off-screen and shown when complete: no half-drawn screen, and a slower earlier screen can never
  // replace a newer one.
  const stage = current.stage();
  const release = takeUrls();
  await screen(route, {
    main: stage, go: router.go, refresh: () => show(router.current(), true), toast: current.toast,
    dialog: current.dialog, setTitle: (/** @type {string} */ text) => { if (mine === showing) current.setTitle(text); },
    setLang: changeLang, logout,
  });
  if (mine !== showing) return;
  performance.mark("screen-drawn");
  current.setActive(nav);
  current.present(stage);
  release();
  window.scrollTo(0, scroll);
  performance.mark("screen-shown");
  document.documentElement.dataset.screen = route.name;
  document.documentElement.dataset.route = location.hash;
  if (route.name === "home" && !document.documentElement.dataset.ready) {
    performance.mark("home-interactive");
    document.documentElement.dataset.ready = "home";
    // Off the start-up path: the other screens, and the search index over the local enterprises, are
    // ready before the first tap.
    setTimeout(() => {
      import("./screens.js");
      search.load();
    }, 0);
  }
}

/** @param {"zh"|"en"} value */
function changeLang(value) {
  setLang(value);
  location.reload(); // every label is drawn again in the new language; nothing unsynced is in the page
}

async function logout() {
  const counts = await db.counts();
  if ((counts.waiting || counts.photos) && !confirm(`${t("waiting_changes", { n: counts.waiting })} · ${t("waiting_photos", { n: counts.photos })}`)) return;
  await session.logout();
  location.hash = "#/login";
  location.reload();
}

/**
 * @param {string} username @param {string} password @param {string} code  the second factor, when asked for
 * @returns {Promise<import("./views/login.js").LoginOutcome>}
 */
async function tryLogin(username, password, code) {
  try {
    await session.login(username, password, code);
    storage.requestPersist(); // asked right after the first login, while the user is at the tablet
    return null;
  } catch (error) {
    if (error instanceof session.LoginBlocked) return { message: t("login_blocked", { owner: error.owner }) };
    const known = /** @type {any} */ (error);
    if (known && known.status === 0) return { message: t("login_offline") };
    if (known && known.code === "TOTP_REQUIRED") {
      return { message: known.message, needsCode: true, detail: (known.details || []).find((/** @type {any} */ d) => d.field === "totp_code") };
    }
    return { message: `${t("login_failed")}：${known && known.message ? known.message : error}` };
  }
}

function showLogin() {
  document.documentElement.dataset.screen = "login";
  renderLogin(root, { username: "" }, {
    submit: async (username, password, code) => {
      const outcome = await tryLogin(username, password, code);
      if (!outcome) {
        location.hash = "#/home";
        await enter();
      }
      return outcome;
    },
    setLang: changeLang,
  });
}

let started = false;
let engineStarted = false;
/** @type {string|null} the step whose page is shown */
let stepShown = null;

/** After a login: the step the server wants done first (a new password, the second factor), or the app. */
async function enter() {
  if (session.pendingStep()) await showStep();
  else await startApp();
}

/** The page of the step the server wants done before anything else; nothing of the app is reachable behind it. */
async function showStep() {
  const step = session.pendingStep();
  if (!step) return;
  showing += 1; // a screen still loading is not shown over it
  shell = null;
  stepShown = step;
  document.documentElement.dataset.screen = `step_${step}`;
  const screens = await LATER.account();
  await screens.accountStep(root, step, { done: afterStep, logout, setLang: changeLang });
}

async function afterStep() {
  stepShown = null;
  if (session.pendingStep()) return showStep();
  location.hash = "#/home";
  await startApp();
}

/** The password dialog of an expired session; the engine goes on once it is accepted. */
function showRelogin() {
  shell?.dialog((close) => reloginDialog(close, { username: session.user()?.username || "" }, {
    submit: async (u, p, c) => {
      const outcome = await tryLogin(u, p, c);
      if (!outcome) {
        if (session.pendingStep()) showStep();
        else sync.resume();
      }
      return outcome;
    },
  }));
}

/** The office's strings before the shell is drawn: its navigation names office screens (a field tablet never loads them). */
async function officeStrings() {
  if (!isOffice(session.user()?.roles || [])) return;
  const strings = await import("./i18n_office.js");
  addStrings(strings.ZH, strings.EN);
}

async function startApp() {
  await officeStrings();
  shell = renderShell(root, navFor(session.user()?.roles || [], session.user()?.agency_kind || ""), { sync: () => (session.current()?.expired ? showRelogin() : sync.syncNow("button")) });
  const current = shell;
  if (!started) {
    started = true;
    on("sync-status", (s) => {
      shell?.setStatus(s);
      if (s.phase === "idle" || s.phase === "login" || s.phase === "revoked") refreshIfStale();
    });
    on("session-expired", showRelogin);
    on("device-revoked", () => shell?.dialog((close) => messageDialog(close, t("device_revoked"))));
    on("update-ready", () => shell?.showUpdate(swClient.acceptUpdate));
    on("account-step", () => { if (!stepShown) showStep(); }); // a 403 of any call: the server wants that step first
    on("replica-changed", markStale);
    on("sync-done", () => swClient.checkForUpdate());
    router.listen((route) => show(route));
    window.addEventListener("online", () => sync.syncNow("reconnect"));
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") sync.syncNow("visible");
    });
    setInterval(() => swClient.checkForUpdate(), 30 * 60_000);
  }
  current.setStatus(sync.getStatus());
  if (router.current().name === "login") location.hash = "#/home";
  await show(router.current());
  if (!engineStarted) {
    engineStarted = true;
    await sync.start();
  }
  if (session.current()?.expired) showRelogin();
  sync.syncNow("open");
}

let stale = false;

/** A sync changed local data: the screen is redrawn when the run ends (one redraw per run). */
function markStale(/** @type {any} */ detail) {
  if (detail && detail.source === "pull") search.invalidate(); // rebuilt at the next search
  stale = true;
  document.documentElement.dataset.stale = "1";
}

/** Redraw after a sync run — never under someone typing or over an open dialog (then at the next run). */
async function refreshIfStale() {
  if (!stale) return;
  const active = document.activeElement;
  const typing = active && ["INPUT", "TEXTAREA", "SELECT"].includes(active.tagName);
  const dialogOpen = document.querySelector(".modal-backdrop:not([hidden])");
  stale = false;
  if (!typing && !dialogOpen) await show(router.current(), true);
  document.documentElement.dataset.stale = stale ? "1" : "0";
}

async function boot() {
  // Marks for the start-up budget (bench/bench_pwa.py reads them).
  performance.mark("boot-modules");
  setLang(lang());
  await db.openDb();
  performance.mark("boot-db");
  await session.restore();
  await formstore.loadForms();
  performance.mark("boot-data");
  swClient.register().catch((error) => console.warn("service worker not registered", error));
  if (session.current()) await enter();
  else showLogin();
}

boot().catch((error) => {
  console.error(error);
  root.textContent = `${t("app_name")}: ${error}`;
});

