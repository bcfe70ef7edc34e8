// @ts-check
/**
 * Storage on the tablet: ask the browser to keep it (an evicted IndexedDB would lose unsynced records)
 * and say how much is used. No DOM.
 * @module storage
 */

/** @returns {Promise<boolean|null>} null when the browser cannot tell */
export async function persisted() {
  return navigator.storage && navigator.storage.persisted ? navigator.storage.persisted() : null;
}

/** Ask for persistent storage (granted silently to installed apps in Chromium). @returns {Promise<boolean|null>} */
export async function requestPersist() {
  return navigator.storage && navigator.storage.persist ? navigator.storage.persist() : null;
}

/** @returns {Promise<{usage: number, quota: number}|null>} */
export async function estimate() {
  if (!navigator.storage || !navigator.storage.estimate) return null;
  const { usage = 0, quota = 0 } = await navigator.storage.estimate();
  return { usage, quota };
}
