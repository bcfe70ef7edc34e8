// @ts-check
/**
 * The office home: a greeting, then one tile per screen by area, each with what waits there.
 * @module views/office_home
 */
import { t } from "../i18n.js";
import { h, replace } from "./dom.js";

/** @param {any} tile */
function tileOf(tile) {
  return h("a", { class: "tile", href: tile.href, "data-tile": tile.key },
    h("span", { class: "tile-label" }, t(tile.label)),
    tile.count != null ? h("b", { class: ["tile-count", tile.count > 0 && "attention"], "data-count": String(tile.count) },
      t(/** @type {any} */ (`${tile.label}_n`), { n: tile.count })) : null,
    tile.hint ? h("small", { class: "muted" }, t(tile.hint.key, { n: tile.hint.n })) : null);
}

/**
 * @param {HTMLElement} root @param {any} model  controllers/office officeModel
 * @returns {HTMLElement}  where the field part of the home goes (users who also do field work)
 */
export function renderOfficeHome(root, model) {
  const field = h("div", { class: "office-field" });
  replace(root, h("div", { class: "office office-home" },
    h("section", { class: "card greet" }, h("h2", null, t("greeting", { name: model.user.display_name })),
      h("p", { class: "muted" }, t("office_intro")),
      model.offline ? h("div", { class: "form-banner", "data-testid": "office-error" }, t("office_offline")) : null),
    model.areas.map((/** @type {any} */ area) => h("section", { class: "card", "data-area": area.key },
      h("h2", null, t(/** @type {any} */ (`area_${area.key}`))), h("div", { class: "tiles" }, area.tiles.map(tileOf)))),
    field));
  return field;
}
