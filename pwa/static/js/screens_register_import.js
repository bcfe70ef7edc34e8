// @ts-check
/**
 * The wiring of a register's sheet import on its screen (the patients' files, a ledger's files, a campaign's list):
 * choose a file, the server's preview row by row, confirm, the outcome — the card redrawn in place as the state
 * moves; the state outlives a redraw of the screen. One flow for every register import.
 * @module screens_register_import
 */
import { t } from "./i18n.js";
import { registerImportCard } from "./views/register_import.js";

/** @typedef {{file: File|null, state: any}} Importing */

/** A refused preview or import, in words: every problem with its row and column. @param {any} error */
export function refusal(error) {
  return { phase: "refused", message: error?.status === 0 ? t("patient_import_offline") : error?.message || String(error),
    problems: Array.isArray(error?.details) ? error.details : [] };
}

/**
 * The import card of one register.
 * @param {Importing} current  the file and state kept by the screen between redraws
 * @param {{preview: (file: File) => Promise<any>, apply: (file: File, digest: string) => Promise<any>,
 *   words: Parameters<typeof registerImportCard>[2], done: () => void}} how  `done`: after an import (redraw the screen)
 * @returns {HTMLElement}
 */
export function importFlow(current, how) {
  /** @type {HTMLElement|null} */
  let shown = null;
  /** @param {any} state */
  function show(state) {
    current.state = state;
    const next = registerImportCard(state, handlers, how.words);
    shown?.replaceWith(next);
    shown = next;
  }
  const handlers = {
    /** @param {File} file */
    preview: async (file) => {
      show({ phase: "checking" });
      try {
        const preview = await how.preview(file);
        current.file = file;
        show({ phase: "preview", preview });
      } catch (error) {
        show(refusal(error));
      }
    },
    confirm: async () => {
      const { file, state } = current;
      if (!file || state.phase !== "preview") return;
      try {
        const report = await how.apply(file, state.preview.digest);
        current.file = null;
        current.state = { phase: "done", report };
        how.done();
      } catch (error) {
        show(refusal(error));
      }
    },
  };
  shown = registerImportCard(current.state, handlers, how.words);
  return shown;
}
