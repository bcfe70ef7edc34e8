// @ts-check
/**
 * A small event bus between the engine (no DOM) and the screens: the sync engine, the session and the
 * service-worker client announce changes here; app.js subscribes the views.
 * @module events
 */

/** @type {Map<string, Set<(detail: any) => void>>} */
const listeners = new Map();

/**
 * Listen to an event; returns the function that stops listening.
 * @param {string} name @param {(detail: any) => void} handler
 */
export function on(name, handler) {
  if (!listeners.has(name)) listeners.set(name, new Set());
  listeners.get(name)?.add(handler);
  return () => listeners.get(name)?.delete(handler);
}

/** @param {string} name @param {any} [detail] */
export function emit(name, detail) {
  for (const handler of [...(listeners.get(name) || [])]) {
    try {
      handler(detail);
    } catch (error) {
      console.error(`listener of ${name} failed`, error);
    }
  }
}
