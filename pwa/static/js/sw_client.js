// @ts-check
/**
 * Registering the service worker and noticing a new version. A new version never reloads the page on its
 * own — a sampler may be halfway through a form: the app shows a prompt, and only when the user accepts
 * does the waiting worker take over and the page reload. No DOM.
 * @module sw_client
 */
import { emit } from "./events.js";

/** @type {ServiceWorkerRegistration|null} */
let registration = null;
let accepted = false;

/** Register /sw.js at the root scope and watch for a waiting new version. */
export async function register() {
  if (!("serviceWorker" in navigator)) return;
  registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
  const reg = registration;
  if (reg.waiting && navigator.serviceWorker.controller) emit("update-ready", {});
  reg.addEventListener("updatefound", () => {
    const worker = reg.installing;
    worker?.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) emit("update-ready", {});
    });
  });
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (accepted) location.reload();
  });
}

/** Ask the server whether sw.js changed (on open, after a sync, every half hour). */
export function checkForUpdate() {
  registration?.update().catch(() => {
    // offline: the next check will do
  });
}

/** The user accepted the new version: let it take over; the page reloads when it has. */
export function acceptUpdate() {
  accepted = true;
  const waiting = registration?.waiting;
  if (waiting) waiting.postMessage({ type: "SKIP_WAITING" });
  else location.reload();
}
