// @ts-check
/**
 * Wiring of the registry import on the administration's registry screen: preview a file, confirm, import. The
 * state outlives a redraw of the screen (a search, a page, a sync that brought changes), so the preview being
 * read and the outcome of the import stay where they were; the outcome stays until the person closes it.
 * @module screens_import
 */
import * as imports from "./controllers/imports.js";
import { importCard, renderImport } from "./views/admin_import.js";

/** @typedef {import("./views/admin_import.js").ImportState} ImportState */

/** The file previewed, kept with its preview: the import sends the same bytes with the preview's digest. @type {File|null} */
let previewed = null;
/** @type {ImportState} */
let state = { phase: "idle" };
/** The card on screen: an answer that arrives after a redraw is drawn into the new one. @type {HTMLElement|null} */
let shown = null;
/** @type {import("./screens.js").Context|null} */
let screen = null;

/** @param {ImportState} next */
function show(next) {
  state = next;
  if (shown) renderImport(shown, state, handlers);
}

const handlers = {
  /** @param {File} file */
  preview: async (file) => {
    show({ phase: "checking" });
    try {
      const preview = await imports.preview(file);
      previewed = file;
      show({ phase: "preview", preview, name: file.name });
    } catch (error) {
      show({ phase: "refused", error });
    }
  },
  confirm: async () => {
    if (state.phase !== "preview" || !previewed) return;
    const { preview, name } = state;
    show({ phase: "applying", preview, name });
    try {
      state = { phase: "done", report: await imports.apply(previewed, preview.digest) };
      previewed = null;
      screen?.refresh(); // the registry below has the new enterprises and names
    } catch (error) {
      show({ phase: "refused", error }); // e.g. the file was changed since its preview: preview it again
    }
  },
  cancel: () => {
    previewed = null;
    show({ phase: "idle" });
  },
};

/**
 * The import card, drawn from the current state.
 * @param {import("./screens.js").Context} ctx @returns {HTMLElement}
 */
export function importSection(ctx) {
  screen = ctx;
  shown = importCard();
  renderImport(shown, state, handlers);
  return shown;
}
