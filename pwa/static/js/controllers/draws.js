// @ts-check
/**
 * 双随机 draws, online: draw a district's enterprises by class and inspector pairs at random, show the result with
 * its seed (anyone can repeat it from the seed and the published inputs), check it by drawing again, and the
 * draws made before. The assignments reach the inspectors' tablets through sync. No DOM.
 * @module controllers/draws
 */
import * as clock from "../clock.js";
import * as api from "../api.js";
import { label } from "../i18n.js";
import { pickers } from "./office.js";

/** The published result of a draw (enterprises and inspectors by name) with the draw itself. @param {any} drawn */
export async function resultOf(drawn) {
  const publication = await api.get(`/api/public/draws/${drawn.id}`);
  const drawnPerClass = Object.fromEntries(Object.entries(drawn.result.enterprises || {}).map(([k, ids]) => [k, /** @type {any[]} */ (ids).length]));
  return { draw: drawn, publication, drawnPerClass };
}

/** Earlier draws, the districts and schemes to draw with, and one draw's result when asked for. @param {string|null} drawId */
export async function drawsModel(drawId) {
  const [list, options, schemes] = await Promise.all([api.get("/api/draws"), pickers(), api.get("/api/reference/classification_schemes")]);
  const chosen = drawId ? list.items.find((/** @type {any} */ d) => d.id === drawId) : null;
  return { draws: list.items, districts: options.regions.filter((/** @type {any} */ r) => r.level === "district"),
    schemes: schemes.items.map((/** @type {any} */ row) => ({ key: row.key, label: label(row.data, "title") || row.key })),
    shown: chosen ? await resultOf(chosen) : null };
}

/**
 * Draw now; an empty seed lets the server choose one (it is recorded and published either way).
 * @param {{title: string, region_id: string, scheme: string, due_date?: string, seed?: string}} values
 */
export function createDraw(values) {
  return api.post("/api/draws", { title: values.title, region_id: Number(values.region_id) || null, scheme: values.scheme,
    due_date: values.due_date || null, seed: values.seed || null });
}

/** Compute the draw again from its recorded inputs and seed. @param {string} drawId */
export const reproduce = (drawId) => api.get(`/api/draws/${drawId}/reproduce`);

/** This quarter's draw title (China time) as the plans word it (a document title: always Chinese). @param {Date} [now] */
export function defaultTitle(now = new Date()) {
  const { year, month } = clock.chinaParts(now);
  return `${year}年第${"一二三四"[Math.floor((month - 1) / 3)]}季度职业卫生双随机抽查`;
}
