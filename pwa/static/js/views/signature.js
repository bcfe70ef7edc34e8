// @ts-check
/**
 * The signature pad (signature_pad, vendored): a wide white box the escort signs in with a finger or a
 * stylus. The result is a PNG stored and uploaded as an attachment of kind `signature`.
 * @module views/signature
 */
import { t } from "../i18n.js";
import { h } from "./dom.js";

/**
 * Build the dialog body; `onDone` receives the PNG and its pixel size.
 * @param {() => void} close
 * @param {string} title
 * @param {(drawn: {blob: Blob, width: number, height: number}) => void} onDone
 */
export function signatureDialog(close, title, onDone) {
  const canvas = /** @type {HTMLCanvasElement} */ (h("canvas", { class: "signature-canvas", "data-testid": "signature-canvas" }));
  /** @type {any} */
  let pad = null;
  const done = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "btn primary", disabled: true,
    "data-testid": "signature-done", onclick: () => {
      if (!pad || pad.isEmpty()) return;
      canvas.toBlob((blob) => {
        if (blob) onDone({ blob, width: canvas.width, height: canvas.height });
        close();
      }, "image/png");
    } }, t("done")));
  const body = h("div", { class: "signature-dialog" }, h("h2", null, title), h("p", { class: "muted" }, t("signature_hint")), canvas,
    h("div", { class: "actions" },
      h("button", { type: "button", class: "btn", onclick: () => { pad?.clear(); done.disabled = true; } }, t("clear")),
      h("button", { type: "button", class: "btn", onclick: close }, t("cancel")), done));
  // Loaded on first use: the pad is not needed to start the app.
  import("../../vendor/signature_pad.mjs").then(({ default: SignaturePad }) => {
    requestAnimationFrame(() => {
      const ratio = Math.max(window.devicePixelRatio || 1, 1);
      const width = canvas.offsetWidth || 600;
      const height = canvas.offsetHeight || 260;
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d")).scale(ratio, ratio);
      pad = new SignaturePad(canvas, { backgroundColor: "rgb(255,255,255)", penColor: "#000", minWidth: 1, maxWidth: 3.5 });
      pad.addEventListener("endStroke", () => { done.disabled = pad.isEmpty(); });
      canvas.dataset.ready = "1"; // the pad takes strokes from here on
    });
  });
  return body;
}
