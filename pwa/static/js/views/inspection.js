// @ts-check
/**
 * The inspection's frame (steps) and its checklist and findings: results with big buttons, grouped under
 * the national headings; a note and photos where an item does not conform.
 * @module views/inspection
 */
import { lang, t } from "../i18n.js";
import { deadlineOf, dateZh } from "../notice.js";
import { button, h, replace } from "./dom.js";
import { empty, stateBadge } from "./common.js";
import { widget } from "./fields.js";

export const STEPS = ["info", "checklist", "findings", "notice", "sign", "issue"];
const RESULTS = ["conform", "nonconform", "corrected_on_site", "not_applicable"];

/** @param {any} item @param {string} base */
const text = (item, base) => (lang() === "en" ? item[`${base}_en`] || item[`${base}_zh`] : item[`${base}_zh`]);

/**
 * Header and steps; returns the element the step's content goes into.
 * @param {HTMLElement} root @param {any} model  controllers/inspection inspectionModel @param {string} step
 */
export function renderInspectionFrame(root, model, step) {
  const counts = { checklist: `${model.progress.answered}/${model.progress.total}`, findings: String(model.findings.length) };
  const tabs = STEPS.map((key, i) => h("a", { class: ["step", key === step && "active"], href: `#/inspection/${model.root.id}/${key}`,
    "data-step": key, "aria-current": key === step ? "step" : null }, h("span", { class: "step-no" }, String(i + 1)),
  t(/** @type {any} */ (`inspection_step_${key}`)), key in counts ? h("small", null, ` ${/** @type {any} */ (counts)[key]}`) : null));
  const content = h("div", { class: "step-content" });
  const d = model.root.data;
  replace(root, h("div", { class: "inspection" },
    h("div", { class: "record-head" },
      h("div", null, h("div", { class: "record-title" }, model.enterprise?.name || t("unknown_enterprise")),
        h("div", { class: "muted" }, [d.inspection_date, d.officer_1_name, d.officer_2_name].filter(Boolean).join(" · "))),
      h("div", { class: "list-side" }, stateBadge(model.state),
        model.unsynced ? h("span", { class: "badge-state unsynced" }, t("unsynced")) : null)),
    !model.editable ? h("div", { class: "form-banner info" }, t("inspection_locked")) : null,
    h("nav", { class: "steps" }, tabs), content));
  return content;
}

/**
 * The checklist: one row per applicable item with its law articles and the four results.
 * @param {HTMLElement} root @param {any} model
 * @param {{result: (item: any, value: string) => void, note: (resultId: string, text: string|null) => void,
 *   photo: (resultId: string, file: File) => void, remove: (id: string) => void, photoField: any,
 *   thumbs: (resultId: string) => any[]}} handlers
 */
export function renderChecklist(root, model, handlers) {
  let number = 0;
  const labels = { choices: RESULTS.map((choice) => t(/** @type {any} */ (`result_${choice}`))), obligation: t("law_obligation"),
    penalty: t("law_penalty") };
  const groups = model.groups.map((/** @type {any} */ group, /** @type {number} */ gi) => h("section", { class: "ck-group",
    "data-group": group.key }, h("h3", null, `${gi + 1}. ${text(group, "title")}`),
  group.items.map((/** @type {any} */ item) => itemRow(item, ++number, model.results.get(item.key), model.editable, handlers,
    labels))));
  const nonconform = [...model.results.values()].filter((r) => r.data.result === "nonconform").length;
  replace(root, h("div", { class: "checklist", "data-testid": "checklist" },
    h("div", { class: "ck-summary", "data-testid": "checklist-progress" },
      t("checklist_progress", { done: model.progress.answered, total: model.progress.total, bad: nonconform })),
    model.unknown ? h("div", { class: "form-banner" }, t("checklist_unknown", { tokens: model.unknown.join("、") })) : null,
    model.campaign ? h("div", { class: "card ck-campaign", "data-testid": "checklist-campaign" },
      h("h3", null, t("checklist_campaign", { name: model.campaign.name, title: model.campaign.title_zh })),
      h("ul", null, model.campaign.points_zh.map((/** @type {string} */ point) => h("li", null, point)))) : null,
    groups.length ? groups : empty(t("checklist_empty"))));
}

/**
 * @param {any} item @param {number} number @param {any} result @param {boolean} editable @param {any} handlers
 * @param {{choices: string[], obligation: string, penalty: string}} labels
 */
function itemRow(item, number, result, editable, handlers, labels) {
  const value = result?.data.result || null;
  const buttons = RESULTS.map((choice, i) => h("button", { type: "button", class: `seg ck-${choice}`, disabled: !editable,
    "data-value": choice, "aria-pressed": String(choice === value), onclick: () => {
      buttons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.value === choice)));
      handlers.result(item, choice);
    } }, labels.choices[i]));
  const law = [item.violated_citation ? `${labels.obligation}：${item.violated_citation}` : null,
    item.penalty_citation ? `${labels.penalty}：${item.penalty_citation}` : null].filter(Boolean).join("　");
  return h("div", { class: ["ck-item", value && `is-${value}`], "data-item": item.key, "data-result": value || "" },
    h("div", { class: "ck-head" }, h("span", { class: "ck-no" }, String(number)),
      h("div", { class: "grow" }, h("div", { class: "ck-title" }, text(item, "title"),
        item.campaign_focus ? h("span", { class: "badge-state state-returned ck-focus", "data-testid": "ck-focus" }, t("checklist_focus")) : null),
      law ? h("div", { class: "ck-law" }, law) : null)),
    h("div", { class: "segmented ck-buttons", role: "group" }, buttons),
    result && (value === "nonconform" || value === "corrected_on_site") ? details(result, editable, handlers) : null);
}

/** The note and photos of a result that needs them. @param {any} result @param {boolean} editable @param {any} handlers */
function details(result, editable, handlers) {
  const note = /** @type {HTMLTextAreaElement} */ (h("textarea", { class: "input", rows: 2, disabled: !editable,
    placeholder: t("note_placeholder"), "aria-label": t("note"), "data-testid": "ck-note" }));
  note.value = result.data.note || "";
  /** @type {ReturnType<typeof setTimeout>|undefined} */
  let timer;
  const send = () => handlers.note(result.id, note.value.trim() ? note.value : null);
  note.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(send, 1200); });
  note.addEventListener("change", () => { clearTimeout(timer); send(); });
  const photos = widget(handlers.photoField, null, { editable, onChange: () => {}, attachments: handlers.thumbs(result.id),
    onPhoto: (file) => handlers.photo(result.id, file), onRemove: (id) => handlers.remove(id) });
  const missing = !String(result.data.note || "").trim();
  return h("div", { class: "ck-detail", "data-field": `note-${result.data.item_key}` },
    h("div", { class: "field-label" }, t("note"), h("span", { class: "req" }, "*")), note,
    missing ? h("div", { class: "field-msg" }, t("note_required")) : null, photos.el);
}

/**
 * The findings: each with its item, fact and deadline; a finding without a photo is marked.
 * @param {HTMLElement} root @param {any} model @param {{add: () => void}} handlers
 */
export function renderFindings(root, model, handlers) {
  const rows = model.findings.map((/** @type {any} */ f, /** @type {number} */ i) => {
    const deadline = deadlineOf(f.record.data, model.root.data.inspection_date);
    return h("a", { class: "list-item", href: `#/inspection/${model.root.id}/finding/${f.record.id}`, "data-finding": f.record.id,
      "data-item": f.record.data.item_key || "" },
    h("div", { class: "list-main" },
      h("div", { class: "list-title" }, `${i + 1}. `, f.item ? text(f.item, "title") : t("finding_no_item")),
      h("div", { class: "list-sub" }, f.record.data.fact || t("finding_no_fact")),
      h("div", { class: "list-sub" }, deadline ? t("deadline_on", { date: dateZh(deadline) }) : t("deadline_now"))),
    h("div", { class: "list-side" },
      f.photos ? h("span", { class: "badge-state" }, t("photos_n", { n: f.photos })) : h("span", { class: "badge-state warn" }, t("photo_missing")),
      f.problems ? h("span", { class: "badge-state warn" }, "!") : null,
      f.record.dirty ? h("span", { class: "badge-state unsynced" }, t("unsynced")) : null));
  });
  replace(root, h("div", { class: "findings" },
    h("p", { class: "muted" }, t("findings_hint")),
    rows.length ? h("div", { class: "list" }, rows) : empty(t("findings_none")),
    model.editable ? h("div", { class: "actions sticky" },
      button(t("add_finding"), handlers.add, { class: "btn big", "data-testid": "add-finding" })) : null));
}
