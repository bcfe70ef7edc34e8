// @ts-check
/**
 * Building DOM without a framework: `h("button", {class: "big", onclick}, "保存")`. Text is always set as
 * text, never parsed as HTML, so nothing a user typed can become markup.
 * @module views/dom
 */

/**
 * @param {string} tag
 * @param {Record<string, any>|null} [attrs]  `class`, `data-*`, `aria-*`, `on<event>` handlers, properties
 * @param {...any} children  strings, nodes, arrays, null/false (skipped)
 * @returns {HTMLElement}
 */
export function h(tag, attrs = null, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = Array.isArray(value) ? value.filter(Boolean).join(" ") : value;
    else if (key === "style" && typeof value === "object") Object.assign(el.style, value);
    else if (key in el && !key.includes("-") && typeof value !== "string") /** @type {any} */ (el)[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

/** @param {Node} parent @param {any[]} children */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace a node's children. @param {Element} el @param {...any} children */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A button big enough for a gloved finger. @param {string} label @param {() => void} onclick @param {Record<string, any>} [attrs] */
export function button(label, onclick, attrs = {}) {
  return h("button", { type: "button", class: "btn", ...attrs, onclick }, label);
}

/** @type {Set<string>} object URLs of the screen shown */
const urls = new Set();
/** An object URL for stored bytes, released when the page changes. @param {ArrayBuffer|null} bytes @param {string} mime */
export function blobUrl(bytes, mime) {
  if (!bytes) return null;
  const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
  urls.add(url);
  return url;
}

/** Hand over the object URLs made so far; the returned function frees them (once the next screen is up). */
export function takeUrls() {
  const old = [...urls];
  urls.clear();
  return () => old.forEach((url) => URL.revokeObjectURL(url));
}
