// @ts-check
/**
 * 双随机 draws: the form (title, district, classification scheme, due date, an optional seed to repeat a draw),
 * the result — enterprises per class, inspector pairs, who inspects which enterprise, the seed and inputs hash
 * that make it repeatable — and the draws made before.
 * @module views/draws
 */
import { dateTime, t } from "../i18n.js";
import { button, h, replace } from "./dom.js";
import { empty } from "./common.js";
import { fact, formValues, inputField, selectField, table } from "./office.js";

/** Classes in the order the schemes list them; unclassified enterprises after them. */
const CLASSES = ["甲", "乙", "丙"];

/** @param {string} text */
const code = (text) => h("code", { class: "mono" }, text);

/**
 * @param {any} shown  controllers/draws resultOf @param {{reproduce: (id: string) => void}} handlers
 * @param {{reproduced: boolean}|null} check @param {{key: string, label: string}[]} schemes
 */
function resultCard(shown, handlers, check, schemes) {
  const d = shown.draw;
  const p = shown.publication;
  const rank = (/** @type {string} */ label) => (CLASSES.includes(label) ? CLASSES.indexOf(label) : CLASSES.length);
  const classes = Object.keys(p.candidates).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const pairs = new Map();
  for (const a of p.assignments) pairs.set(a.inspectors.join(" + "), (pairs.get(a.inspectors.join(" + ")) || 0) + 1);
  return h("section", { class: "card draw-result", "data-testid": "draw-result", "data-draw": d.id },
    h("h2", null, d.title),
    h("dl", { class: "kvs" },
      fact(t("draw_seed"), h("b", { class: "mono", "data-testid": "draw-seed" }, d.seed)),
      fact(t("draw_hash"), code(d.inputs_hash.slice(0, 16))),
      fact(t("drawn_at"), dateTime(d.created_at)), fact(t("due_date"), d.due_date),
      fact(t("draw_scheme"), schemes.find((s) => s.key === d.scheme)?.label || d.scheme)),
    h("div", { class: "actions" },
      button(t("draw_reproduce"), () => handlers.reproduce(d.id), { class: "btn", "data-testid": "draw-reproduce" }),
      check ? h("span", { class: ["badge-state", check.reproduced ? "state-approved" : "warn"], "data-testid": "draw-reproduced" },
        check.reproduced ? t("draw_reproduced") : t("draw_not_reproduced")) : null,
      h("a", { class: "btn link", href: `/public/draws/${d.id}`, target: "_blank", rel: "noopener", "data-testid": "draw-public" }, t("cls_public_page")),
      h("a", { class: "btn link", href: "#/classification" }, t("cls_ratios"))),
    h("h3", null, t("draw_classes")),
    table([t("hazard_class"), t("draw_candidates"), t("draw_ratio"), t("draw_drawn")], classes.map((c) =>
      [c, p.candidates[c], `${p.ratios[c] ?? 0}%`, shown.drawnPerClass[c] ?? 0]), { "data-testid": "draw-classes" }),
    h("h3", null, t("draw_pairs", { n: pairs.size })),
    h("ul", { class: "pairs" }, [...pairs].map(([names, n]) => h("li", { "data-pair": names }, `${names}（${t("draw_enterprises_n", { n })}）`))),
    h("h3", null, t("draw_assignments", { n: p.assignments.length })),
    table([t("enterprise"), t("draw_inspectors")], p.assignments.map((/** @type {any} */ a) => [a.enterprise, a.inspectors.join("、")]),
      { "data-testid": "draw-assignments" }),
    candidateLists(p));
}

/** Every candidate per class, as published (by credit code), the drawn ones marked. @param {any} p  the publication */
function candidateLists(p) {
  if (!p.classes) return null;
  const drawn = new Set(p.assignments.map((/** @type {any} */ a) => a.credit_code));
  return h("section", { "data-testid": "draw-candidates" }, h("p", { class: "muted" }, t("cls_candidates_note")),
    p.classes.map((/** @type {any} */ c) => h("details", { "data-class": c.label },
      h("summary", null, `${c.label} · ${t("cls_candidates", { n: c.candidates })} · ${c.ratio_pct}% → ${c.drawn}`),
      table(["#", t("enterprise"), t("credit_code"), t("cls_drawn_mark")], c.candidate_list.map((/** @type {any} */ e, /** @type {number} */ i) =>
        [String(i + 1), e.name, h("span", { class: "mono" }, e.credit_code), drawn.has(e.credit_code) ? "✓" : ""])))));
}

/**
 * @param {HTMLElement} root
 * @param {{draws: any[], districts: any[], schemes: {key: string, label: string}[], shown: any, check: any, defaultTitle: string}} model
 * @param {{draw: (values: Record<string, string>) => void, reproduce: (id: string) => void}} handlers
 */
export function renderDraws(root, model, handlers) {
  const form = h("form", { class: "filters", "data-testid": "draw-form" },
    inputField(t("draw_title"), "title", model.defaultTitle, { required: true, maxlength: 200 }),
    selectField(t("district"), "region_id", model.districts.map((r) => ({ value: String(r.id), label: r.name })), model.districts[0]?.id),
    selectField(t("draw_scheme"), "scheme", model.schemes.map((s) => ({ value: s.key, label: s.label })), "class_pilot_2023"),
    inputField(t("due_date"), "due_date", "", { type: "date" }),
    inputField(t("draw_seed_optional"), "seed", "", { inputmode: "numeric", pattern: "\\d{1,19}", autocomplete: "off" }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn primary big", "data-testid": "draw-submit" }, t("draw_now"))));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    handlers.draw(formValues(form));
  });
  replace(root, h("div", { class: "office draws" },
    h("section", { class: "card" }, h("h2", null, t("draw_new")), h("p", { class: "muted" }, t("draw_note")), form),
    model.shown ? resultCard(model.shown, handlers, model.check, model.schemes) : null,
    h("section", { class: "card" }, h("h2", null, t("draw_history")),
      model.draws.length ? h("div", { class: "list", "data-testid": "draw-history" }, model.draws.map((d) => h("a", {
        class: ["list-item", model.shown?.draw.id === d.id && "active"], href: `#/draws?id=${d.id}`, "data-draw": d.id },
      h("div", { class: "list-main" }, h("div", { class: "list-title" }, d.title),
        h("div", { class: "list-sub" }, [dateTime(d.created_at), d.due_date ? t("due_on", { date: d.due_date }) : null,
          t("draw_assignments", { n: (d.result.assignments || []).length }), `${t("draw_seed")} ${d.seed}`].filter(Boolean).join(" · ")))))) : empty())));
}
