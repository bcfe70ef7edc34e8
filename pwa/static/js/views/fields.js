// @ts-check
/**
 * One input per field type, sized for gloves: segmented buttons instead of tiny radios, numeric keyboards
 * for numbers, a "now" button beside times, a camera button for photos. Each widget reports a parsed value
 * through `onChange`; it never saves anything itself.
 * @module views/fields
 */
import { readNumber } from "../forms/values.js";
import { label, lang, number, t } from "../i18n.js";
import { blobUrl, h, replace } from "./dom.js";

/**
 * @typedef {{editable: boolean, onChange: (value: any) => void, options?: {key: string, zh: string, en: string, detail: string}[],
 *   attachments?: any[], onPhoto?: (file: File) => void, onSignature?: () => void, onRemove?: (id: string) => void,
 *   enterpriseLabel?: string, registerLabels?: Record<string, string>, shownAs?: string|null}} WidgetContext
 *   `shownAs`: the name kept with a chosen person; `registerLabels`: per register field, the record it names
 * @typedef {{el: HTMLElement, set: (value: any) => void}} Widget
 */

/** Text a person typed → the value stored (blank = not answered). @param {string} text */
function textValue(text) {
  return text.trim() === "" ? null : text;
}

/** The value of a number typed in a field: forms/values.js readNumber, the rule the server checks by. */
export const parseNumber = readNumber;

/** Wall-clock parts of a stored date-time, read as written (its own offset), not converted. @param {any} value */
export function splitDatetime(value) {
  const match = typeof value === "string" ? /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(value) : null;
  return match ? { date: match[1], time: match[2], offset: match[3] } : { date: "", time: "", offset: "" };
}

/** Local date and time → ISO date-time with this tablet's UTC offset on that day. @param {string} date @param {string} time */
export function joinDatetime(date, time) {
  const local = new Date(`${date}T${time}:00`);
  const minutes = -local.getTimezoneOffset();
  const pad = (/** @type {number} */ n) => String(Math.abs(n)).padStart(2, "0");
  return `${date}T${time}:00${minutes >= 0 ? "+" : "-"}${pad(Math.trunc(minutes / 60))}:${pad(minutes % 60)}`;
}

function nowParts() {
  const now = new Date();
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return { date: `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`,
    time: `${pad(now.getHours())}:${pad(now.getMinutes())}` };
}

/**
 * The widget of one field.
 * @param {any} field  the field's definition @param {any} value @param {WidgetContext} ctx @returns {Widget}
 */
export function widget(field, value, ctx) {
  const make = WIDGETS[field.type] || textWidget;
  return make(field, value, ctx);
}

/** @type {Record<string, (field: any, value: any, ctx: WidgetContext) => Widget>} */
const WIDGETS = {
  text: textWidget,
  number(field, value, ctx) {
    const input = /** @type {HTMLInputElement} */ (h("input", { type: "text", inputmode: "decimal", autocomplete: "off",
      class: "input num", disabled: !ctx.editable, value: value ?? "", "aria-label": label(field) }));
    input.addEventListener("change", () => ctx.onChange(parseNumber(input.value)));
    const el = h("div", { class: "num-row" }, input, field.unit ? h("span", { class: "unit" }, field.unit) : null);
    return { el, set: (v) => { if (document.activeElement !== input) input.value = v ?? ""; } };
  },
  date(field, value, ctx) {
    const input = /** @type {HTMLInputElement} */ (h("input", { type: "date", class: "input", disabled: !ctx.editable, value: value || "" }));
    input.addEventListener("change", () => ctx.onChange(input.value || null));
    const today = ctx.editable ? h("button", { type: "button", class: "btn small", onclick: () => {
      input.value = nowParts().date;
      ctx.onChange(input.value);
    } }, t("now")) : null;
    return { el: h("div", { class: "row" }, input, today), set: (v) => { input.value = v || ""; } };
  },
  time(field, value, ctx) {
    const input = /** @type {HTMLInputElement} */ (h("input", { type: "time", class: "input", disabled: !ctx.editable, value: value || "" }));
    input.addEventListener("change", () => ctx.onChange(input.value || null));
    return { el: input, set: (v) => { input.value = v || ""; } };
  },
  datetime: datetimeWidget,
  select: selectWidget,
  multi_select: multiWidget,
  boolean(field, value, ctx) {
    return segmented([{ value: true, text: t("yes") }, { value: false, text: t("no") }], value, ctx);
  },
  reference: referenceWidget,
  officer: officerWidget,
  enterprise(field, value, ctx) {
    const el = h("div", { class: "readonly-value" }, ctx.enterpriseLabel || (value ? t("enterprise_not_on_device") : "—"));
    return { el, set: () => {} };
  },
  register(field, value, ctx) {
    const el = h("div", { class: "readonly-value", "data-register": field.register },
      (ctx.registerLabels || {})[field.id] || (value ? t("register_not_on_device") : t("register_unlinked")));
    return { el, set: () => {} };
  },
  computed(field) {
    const out = h("output", { class: "computed" }, "—");
    return { el: out, set: (v) => replace(out, v == null ? "—" : `${number(v, field.decimals)}${field.unit ? ` ${field.unit}` : ""}`) };
  },
  photos: photosWidget,
  signature: signatureWidget,
  geo_point(field, value) {
    return { el: h("div", { class: "readonly-value" }, value ? `${value.lat}, ${value.lng}` : "—"), set: () => {} };
  },
};

/** @param {any} field @param {any} value @param {WidgetContext} ctx @returns {Widget} */
function textWidget(field, value, ctx) {
  // No maxlength: a long paste is kept whole and the counter says how much is over, never cut without a word.
  const input = /** @type {HTMLInputElement} */ (h(field.multiline ? "textarea" : "input", { class: "input", type: "text",
    disabled: !ctx.editable, value: value ?? "", rows: field.multiline ? 3 : null, "aria-label": label(field) }));
  if (field.multiline) input.value = value ?? "";
  const counter = field.max_length && ctx.editable ? h("div", { class: "char-count", "aria-live": "polite" }) : null;
  const count = () => {
    if (!counter) return;
    const n = [...input.value].length;
    const over = n - field.max_length;
    counter.classList.toggle("over", over > 0);
    counter.hidden = n === 0;
    replace(counter, over > 0 ? t("chars_over", { n, max: field.max_length, over }) : t("chars_typed", { n, max: field.max_length }));
  };
  count();
  /** @type {ReturnType<typeof setTimeout>|undefined} */
  let pending;
  // Saved while typing too: a tablet that dies mid-sentence keeps what was written.
  input.addEventListener("input", () => {
    count();
    clearTimeout(pending);
    pending = setTimeout(() => ctx.onChange(textValue(input.value)), 1200);
  });
  input.addEventListener("change", () => {
    clearTimeout(pending);
    ctx.onChange(textValue(input.value));
  });
  const el = counter ? h("div", { class: "text-field" }, input, counter) : input;
  return { el, set: (v) => { if (document.activeElement !== input) { input.value = v ?? ""; count(); } } };
}

/** @param {any} field @param {any} value @param {WidgetContext} ctx @returns {Widget} */
function datetimeWidget(field, value, ctx) {
  const parts = splitDatetime(value);
  const date = /** @type {HTMLInputElement} */ (h("input", { type: "date", class: "input", disabled: !ctx.editable, value: parts.date }));
  const time = /** @type {HTMLInputElement} */ (h("input", { type: "time", class: "input", disabled: !ctx.editable, value: parts.time }));
  const send = () => {
    if (date.value && time.value) ctx.onChange(joinDatetime(date.value, time.value));
    else if (!date.value && !time.value) ctx.onChange(null);
  };
  date.addEventListener("change", send);
  time.addEventListener("change", send);
  const now = ctx.editable ? h("button", { type: "button", class: "btn small", onclick: () => {
    const current = nowParts();
    if (!date.value) date.value = current.date;
    time.value = current.time;
    send();
  } }, t("now")) : null;
  return { el: h("div", { class: "row datetime" }, date, time, now), set: (v) => {
    const p = splitDatetime(v);
    date.value = p.date;
    time.value = p.time;
  } };
}

/**
 * Big buttons for a few choices. @param {{value: any, text: string}[]} choices @param {any} value @param {WidgetContext} ctx
 * @returns {Widget}
 */
function segmented(choices, value, ctx) {
  const buttons = choices.map((choice) => h("button", { type: "button", class: "seg", disabled: !ctx.editable,
    "aria-pressed": String(choice.value === value), "data-value": String(choice.value),
    onclick: () => {
      mark(choice.value);
      ctx.onChange(choice.value);
    } }, choice.text));
  const mark = (/** @type {any} */ v) => buttons.forEach((b, i) => b.setAttribute("aria-pressed", String(choices[i].value === v)));
  return { el: h("div", { class: "segmented", role: "group" }, buttons), set: mark };
}

/** @param {any} field @param {any} value @param {WidgetContext} ctx @returns {Widget} */
function selectWidget(field, value, ctx) {
  const choices = field.choices.map((/** @type {any} */ c) => ({ value: c.value, text: label(c) }));
  if (choices.length <= 5) return segmented(choices, value, ctx);
  const select = /** @type {HTMLSelectElement} */ (h("select", { class: "input", disabled: !ctx.editable },
    h("option", { value: "" }, t("select_placeholder")),
    choices.map((/** @type {any} */ c) => h("option", { value: c.value, selected: c.value === value }, c.text))));
  select.addEventListener("change", () => ctx.onChange(select.value || null));
  return { el: select, set: (v) => { select.value = v ?? ""; } };
}

/** @param {any} field @param {any} value @param {WidgetContext} ctx @returns {Widget} */
function multiWidget(field, value, ctx) {
  const options = field.choices.map((/** @type {any} */ c) => ({ key: c.value, text: label(c) }));
  return chips(options, Array.isArray(value) ? value : [], ctx);
}

/**
 * Toggle chips for a multiple choice. @param {{key: string, text: string}[]} options @param {string[]} value
 * @param {WidgetContext} ctx @returns {Widget}
 */
function chips(options, value, ctx) {
  let selected = new Set(value);
  const buttons = options.map((option) => h("button", { type: "button", class: "chip", disabled: !ctx.editable,
    "data-value": option.key, "aria-pressed": String(selected.has(option.key)), onclick: () => {
      if (selected.has(option.key)) selected.delete(option.key);
      else selected.add(option.key);
      mark();
      ctx.onChange(selected.size ? options.map((o) => o.key).filter((k) => selected.has(k)) : null);
    } }, option.text));
  const mark = () => buttons.forEach((b, i) => b.setAttribute("aria-pressed", String(selected.has(options[i].key))));
  return { el: h("div", { class: "chips" }, buttons), set: (v) => { selected = new Set(Array.isArray(v) ? v : []); mark(); } };
}

/** A searchable list for reference tables (hazard factors, method standards). @param {any} field @param {any} value @param {WidgetContext} ctx @returns {Widget} */
function referenceWidget(field, value, ctx) {
  const options = (ctx.options || []).map((o) => ({ key: o.key, text: lang() === "en" ? o.en : o.zh, detail: o.detail }));
  if (field.multiple && options.length <= 24) return chips(options, Array.isArray(value) ? value : [], ctx);
  const chosen = h("div", { class: "ref-chosen" });
  const list = h("div", { class: "ref-list", role: "listbox" });
  const query = /** @type {HTMLInputElement} */ (h("input", { type: "search", class: "input", placeholder: t("search"),
    disabled: !ctx.editable, "aria-label": `${label(field)} ${t("search")}` }));
  let current = field.multiple ? (Array.isArray(value) ? [...value] : []) : value;
  const textOf = (/** @type {string} */ key) => options.find((o) => o.key === key)?.text || key;
  const showChosen = () => {
    const keys = field.multiple ? current : current ? [current] : [];
    replace(chosen, keys.length ? keys.map((/** @type {string} */ k) => h("span", { class: "tag" }, textOf(k))) : h("span", { class: "muted" }, "—"));
  };
  const showList = () => {
    const words = query.value.trim().toLowerCase();
    const hits = words ? options.filter((o) => `${o.text} ${o.key} ${o.detail}`.toLowerCase().includes(words)) : [];
    replace(list, hits.slice(0, 8).map((o) => h("button", { type: "button", class: "ref-option", role: "option",
      "data-value": o.key, onclick: () => {
        current = field.multiple ? [...new Set([...current, o.key])] : o.key;
        query.value = "";
        showChosen();
        showList();
        ctx.onChange(current);
      } }, o.text, o.detail ? h("small", null, ` ${o.detail}`) : null)));
  };
  query.addEventListener("input", showList);
  showChosen();
  return { el: h("div", { class: "ref" }, chosen, ctx.editable ? query : null, list),
    set: (v) => { current = v; showChosen(); } };
}

/**
 * A person of the agency's roster, chosen by name with the 执法证号 beside it (never an id typed in). Someone
 * chosen earlier who is no longer on the roster stays shown by name, marked, until another is chosen.
 * @param {any} field @param {any} value @param {WidgetContext} ctx @returns {Widget}
 */
function officerWidget(field, value, ctx) {
  const options = ctx.options || [];
  const gone = value && !options.some((o) => o.key === value)
    ? h("option", { value, disabled: true }, t("officer_off_roster", { name: ctx.shownAs || t("officer_unnamed") })) : null;
  const select = /** @type {HTMLSelectElement} */ (h("select", { class: "input", disabled: !ctx.editable,
    "aria-label": label(field) },
  h("option", { value: "" }, options.length ? t("officer_placeholder") : t("officer_roster_empty")),
  options.map((o) => h("option", { value: o.key }, t("officer_option", { name: lang() === "en" ? o.en : o.zh, cert: o.detail }))),
  gone));
  select.value = value ?? "";
  select.addEventListener("change", () => ctx.onChange(select.value || null));
  return { el: select, set: (v) => { select.value = v ?? ""; } };
}

/** @param {any} field @param {any} value @param {WidgetContext} ctx @returns {Widget} */
function photosWidget(field, value, ctx) {
  const grid = h("div", { class: "thumbs" });
  const count = h("span", { class: "muted" });
  const input = /** @type {HTMLInputElement} */ (h("input", { type: "file", accept: "image/*", capture: "environment",
    class: "visually-hidden", multiple: false }));
  input.addEventListener("change", () => {
    const file = input.files && input.files[0];
    if (file && ctx.onPhoto) ctx.onPhoto(file);
    input.value = "";
  });
  const camera = ctx.editable ? h("label", { class: "btn camera" }, input, t("take_photo")) : null;
  const show = (/** @type {any[]} */ items) => {
    replace(count, t("photos_n", { n: items.length }) + (field.max_count ? ` / ${field.max_count}` : ""));
    replace(grid, items.map((item) => thumb(item, ctx)));
  };
  show(ctx.attachments || []);
  return { el: h("div", { class: "photos" }, h("div", { class: "row" }, camera, count), grid), set: () => {} };
}

/** @param {any} item @param {WidgetContext} ctx */
function thumb(item, ctx) {
  const url = blobUrl(item.thumb, item.thumb_mime || "image/jpeg");
  return h("figure", { class: "thumb", "data-attachment": item.id },
    url ? h("img", { src: url, alt: "" }) : h("div", { class: "thumb-placeholder" }, "✓"),
    h("figcaption", null, item.uploaded ? t("photo_uploaded") : t("photo_waiting")),
    ctx.editable && ctx.onRemove ? h("button", { type: "button", class: "thumb-remove", "aria-label": t("delete"),
      onclick: () => ctx.onRemove?.(item.id) }, "×") : null);
}

/** @param {any} field @param {any} value @param {WidgetContext} ctx @returns {Widget} */
function signatureWidget(field, value, ctx) {
  const items = ctx.attachments || [];
  const el = h("div", { class: "signature-field" },
    items.length ? thumb(items[items.length - 1], { ...ctx, onRemove: undefined }) : null,
    ctx.editable ? h("button", { type: "button", class: "btn", onclick: () => ctx.onSignature?.() },
      items.length ? t("resign") : t("sign")) : null);
  return { el, set: () => {} };
}
