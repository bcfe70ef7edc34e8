// @ts-check
/**
 * The parts of a ledger's file under its form (controllers/file_parts): the way back to the record it belongs to,
 * and per kind of part its list and an "add" button (a 督导, a card count, a checklist item, an enterprise trained).
 * @module views/file_parts
 */
import { t } from "../i18n.js";
import { button, h } from "./dom.js";
import { empty } from "./common.js";

/** @param {any} item @param {(id: string) => void} open */
function partRow(item, open) {
  return h("button", { type: "button", class: "list-item", "data-testid": "part", "data-record": item.id,
    onclick: () => open(item.id) },
  h("div", { class: "list-main" }, h("div", { class: "list-title" }, item.title || t("part_untitled"))),
  item.unsynced ? h("div", { class: "list-side" }, h("span", { class: "badge-state unsynced" }, t("unsynced"))) : null);
}

/**
 * @param {any} model  controllers/file_parts partsModel
 * @param {{add: (entity: string) => void, open: (id: string) => void}} handlers
 * @returns {{head: HTMLElement|null, parts: HTMLElement}}  the way back (above the form), the parts (below it)
 */
export function renderFileParts(model, handlers) {
  const up = model.parent;
  const back = up ? h("button", { type: "button", class: "btn small", "data-testid": "part-parent", "data-record": up.id,
    onclick: () => handlers.open(up.id) }, t("part_back", { kind: up.kind, title: up.title || t("part_untitled") })) : null;
  const groups = model.groups.map((/** @type {any} */ group) => h("section", { class: "card", "data-testid": "file-parts",
    "data-entity": group.entity },
  h("div", { class: "row" }, h("h2", { class: "grow" }, t("part_count", { kind: group.kind, n: group.items.length })),
    model.editable ? button(t("part_add", { kind: group.kind }), () => handlers.add(group.entity),
      { class: "btn", "data-testid": "part-add", "data-entity": group.entity }) : null),
  group.items.length ? h("div", { class: "list" }, group.items.map((/** @type {any} */ item) => partRow(item, handlers.open)))
    : empty(t("part_none", { kind: group.kind }))));
  return { head: back ? h("div", { class: "row" }, back) : null, parts: h("div", { class: "file-parts" }, groups) };
}
