// @ts-check
/**
 * A record's form drawn from its definition: sections, fields, required marks, computed values that
 * update while typing, and messages at the fields (the device's own checks and the server's answers).
 * @module views/form
 */
import { entitySpec } from "../forms/index.js";
import { label, lang, t } from "../i18n.js";
import { messageOf } from "./common.js";
import { h, replace } from "./dom.js";
import { parseNumber, widget } from "./fields.js";

/**
 * @typedef {{states: Record<string, {visible: boolean, required: boolean}>, computed: Record<string, any>,
 *   errors: any[], problems?: any[], complete?: any[], warnings?: import("../plausibility.js").Warning[],
 *   shown?: Record<string, any>}} FormState  `shown`: values written by the app (a confirmation in the notes)
 * @typedef {{def: any, entity: string, data: Record<string, any>, editable: boolean, state: FormState,
 *   options: Record<string, any[]>, attachments: Record<string, any[]>, enterpriseLabel?: string,
 *   registerLabels?: Record<string, string>,
 *   sections?: string[], fields?: string[]}} FormModel  `fields`: draw only these (a step of a longer form)
 * @typedef {{change: (field: string, value: any) => Promise<FormState>, photo: (field: string, file: File) => void,
 *   signature: (field: string) => void, remove: (id: string) => void, typing?: (field: string, value: any) => void,
 *   confirm?: (key: string) => Promise<FormState>}} FormActions
 *   `typing`: the text of a field as it is typed (kept if the page goes away); `confirm`: an unlikely reading confirmed
 */

export { messageOf }; // also read from here by the screens that draw forms

/** Fields that need the whole row: long texts (a law citation), lists of choices, photos and signatures. @param {any} field */
function isWide(field) {
  return Boolean(field.multiline) || (field.type === "text" && (field.max_length || 0) >= 200) || ["reference", "multi_select", "photos", "signature"].includes(field.type) ||
    (field.type === "select" && field.choices.length > 3);
}

/**
 * Draw the form into `container`; returns `apply` to refresh states, values and messages in place
 * (the inputs keep focus while the user types).
 * @param {HTMLElement} container @param {FormModel} model @param {FormActions} actions
 */
export function renderForm(container, model, actions) {
  const spec = entitySpec(model.def, model.entity);
  /** @type {Map<string, {wrap: HTMLElement, widget: any, msg: HTMLElement, req: HTMLElement, section: HTMLElement}>} */
  const fields = new Map();
  const banner = h("div", { class: "form-banner", role: "alert", hidden: true });
  // The name kept with a chosen officer is written by the choice and shown in it, not typed in a box of its own.
  const named = new Set(spec.sections.flatMap((/** @type {any} */ s) => s.fields)
    .filter((/** @type {any} */ f) => f.type === "officer" && f.name_field).map((/** @type {any} */ f) => f.name_field));
  const drawn = (/** @type {any} */ field) => (!model.fields || model.fields.includes(field.id)) && !named.has(field.id);
  const elsewhere = new Set(spec.sections.flatMap((/** @type {any} */ s) => s.fields).filter((/** @type {any} */ f) => !drawn(f))
    .map((/** @type {any} */ f) => f.id));
  const sections = spec.sections.filter((/** @type {any} */ s) => (!model.sections || model.sections.includes(s.id)) &&
    s.fields.some(drawn))
    .map((/** @type {any} */ section) => {
      const el = h("section", { class: "form-section", "data-section": section.id }, h("h3", null, label(section)));
      for (const field of section.fields.filter(drawn)) {
        const req = h("span", { class: "req", hidden: true, title: t("required") }, "*");
        const msg = h("div", { class: "field-msg", role: "alert" });
        const control = widget(field, model.data[field.id], {
          editable: model.editable, options: (field.type === "officer" ? model.options.officers : model.options[field.table]) || [],
          shownAs: field.name_field ? model.data[field.name_field] : null,
          attachments: model.attachments[field.id] || [], enterpriseLabel: model.enterpriseLabel,
          registerLabels: model.registerLabels,
          onChange: async (value) => apply(await actions.change(field.id, value)),
          onPhoto: (file) => actions.photo(field.id, file), onSignature: () => actions.signature(field.id),
          onRemove: (id) => actions.remove(id),
        });
        const hint = label(field, "hint");
        const wrap = h("div", { class: ["field", `type-${field.type}`, isWide(field) && "wide"], "data-field": field.id },
          h("div", { class: "field-label" }, label(field), req, field.unit && field.type !== "number" && field.type !== "computed"
            ? h("span", { class: "unit" }, ` ${field.unit}`) : null),
          control.el, hint ? h("div", { class: "field-hint" }, hint) : null, msg);
        fields.set(field.id, { wrap, widget: control, msg, req, section: el });
        el.append(wrap);
      }
      return el;
    });
  replace(container, banner, sections);
  // The text of the field being typed, so that it is kept if the page goes away before the field is left.
  const specs = new Map(spec.sections.flatMap((/** @type {any} */ s) => s.fields).map((/** @type {any} */ f) => [f.id, f]));
  container.addEventListener("input", (event) => {
    const target = /** @type {HTMLInputElement} */ (event.target);
    const id = /** @type {HTMLElement|null} */ (target.closest?.("[data-field]"))?.dataset.field;
    const field = id ? specs.get(id) : null;
    if (!field || !actions.typing || !["text", "number"].includes(field.type)) return;
    actions.typing(field.id, field.type === "number" ? parseNumber(target.value)
      : target.value.trim() === "" ? null : target.value);
  });

  /** @param {FormState} state */
  function apply(state) {
    /** @type {Map<string, string[]>} */
    const byField = new Map();
    const general = [];
    for (const item of [...(state.errors || []), ...(state.complete || []), ...(state.problems || [])]) {
      if (item.field && fields.has(item.field)) {
        const list = byField.get(item.field) || [];
        const text = messageOf(item);
        if (!list.includes(text)) list.push(text);
        byField.set(item.field, list);
      } else if (!elsewhere.has(item.field)) {
        general.push(messageOf(item)); // a field drawn on another step says it there
      }
    }
    const warnings = new Map((state.warnings || []).map((w) => [w.field, w]));
    for (const [id, entry] of fields) {
      const st = state.states[id] || { visible: true, required: false };
      entry.wrap.hidden = !st.visible;
      entry.req.hidden = !st.required;
      if (id in state.computed) entry.widget.set(state.computed[id]);
      if (state.shown && id in state.shown) entry.widget.set(state.shown[id]);
      const messages = byField.get(id) || [];
      entry.wrap.classList.toggle("has-error", messages.length > 0);
      const warning = messages.length ? null : warnings.get(id);
      entry.wrap.classList.toggle("has-warning", Boolean(warning && !warning.confirmed));
      replace(entry.msg, messages.map((m) => h("div", null, m)), warning ? warningLine(warning) : null);
    }
    for (const section of sections) {
      section.hidden = ![...section.querySelectorAll(".field")].some((f) => !(/** @type {HTMLElement} */ (f)).hidden);
    }
    banner.hidden = general.length === 0;
    replace(banner, [...new Set(general)].map((m) => h("div", null, m)));
  }

  /** An unlikely reading: its message and a button to confirm it, or that it was confirmed. @param {any} warning */
  function warningLine(warning) {
    const text = lang() === "en" ? warning.message_en : warning.message_zh;
    if (warning.confirmed) return h("div", { class: "field-warning confirmed" }, `${text} · ${t("reading_confirmed")}`);
    return h("div", { class: "field-warning", role: "alert" }, text, model.editable && actions.confirm
      ? h("button", { type: "button", class: "btn small", "data-confirm": warning.key,
        onclick: async () => apply(await /** @type {any} */ (actions.confirm)(warning.key)) }, t("confirm_reading")) : null);
  }

  apply(model.state);
  return { apply, focus: (/** @type {string} */ id) => fields.get(id)?.wrap.scrollIntoView({ block: "center" }) };
}
