// @ts-check
/**
 * What a person typed that is not (yet) a saved value of the record: an entry the checks refuse (kept as typed,
 * with its message, until it is corrected) and the text of the field being typed when the page went away. Kept
 * per record in localStorage, which is written at once, so a reload, a closed tab or a dead battery loses nothing;
 * never sent to the server (the outbox carries only values the checks accept).
 * @module entries
 */

const PREFIX = "entries:";

/** @param {string} recordId */
const keyOf = (recordId) => PREFIX + recordId;

/**
 * The entries of a record: field → the value as typed (text or number).
 * @param {string} recordId @returns {Record<string, any>}
 */
export function entriesOf(recordId) {
  try {
    const stored = JSON.parse(localStorage.getItem(keyOf(recordId)) || "{}");
    return stored && typeof stored === "object" && !Array.isArray(stored) ? stored : {};
  } catch {
    return {};
  }
}

/** @param {string} recordId @param {Record<string, any>} entries */
function store(recordId, entries) {
  if (Object.keys(entries).length) localStorage.setItem(keyOf(recordId), JSON.stringify(entries));
  else localStorage.removeItem(keyOf(recordId));
}

/**
 * Keep these fields' entries (as typed) and forget those of `saved` (now values of the record).
 * @param {string} recordId @param {Record<string, any>} kept @param {string[]} [saved]
 */
export function keepEntries(recordId, kept, saved = []) {
  const entries = entriesOf(recordId);
  for (const field of saved) delete entries[field];
  Object.assign(entries, kept);
  store(recordId, entries);
}

/** Forget every entry (another person logs in on this tablet). */
export function clearEntries() {
  for (const key of Object.keys(localStorage)) if (key.startsWith(PREFIX)) localStorage.removeItem(key);
}

/** The field being typed in, written to its record's entries if the page goes away before it is left. */
/** @type {{recordId: string, field: string, value: any}|null} */
let typing = null;

/**
 * Text being typed in a field (`undefined`: the field was left and its value handled, nothing to keep).
 * @param {string} recordId @param {string} field @param {any} value
 */
export function typingIn(recordId, field, value) {
  if (value !== undefined) typing = { recordId, field, value };
  else if (typing && typing.recordId === recordId && typing.field === field) typing = null;
}

function keepTyping() {
  if (typing) keepEntries(typing.recordId, { [typing.field]: typing.value });
  typing = null;
}

if (typeof window !== "undefined") {
  window.addEventListener("pagehide", keepTyping);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") keepTyping(); });
}
