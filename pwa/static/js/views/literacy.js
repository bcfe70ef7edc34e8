// @ts-check
/**
 * 职业健康素养监测 drawn: the survey's workers with their scores, and one worker's questionnaire one question a
 * screen — big answers, a tap answers and moves on (a multiple-choice question asks for “下一题”), a progress bar, the
 * worker's sex and age first, the score at the end with “下一位”. The steps are redrawn in place (no route change):
 * a tap must show the next question within a frame or two on a slow tablet.
 * @module views/literacy
 */
import { label, number, t } from "../i18n.js";
import { button, h, replace } from "./dom.js";
import { card, empty } from "./common.js";

/** @type {Promise<void>|null} */
let styles = null;

/** The screens' style sheet (precached; loaded when a literacy screen opens, not at start-up). */
export function loadStyles() {
  if (!styles) {
    styles = new Promise((resolve) => {
      const link = /** @type {HTMLLinkElement} */ (h("link", { rel: "stylesheet", href: "/static/css/literacy.css" }));
      link.addEventListener("load", () => resolve());
      link.addEventListener("error", () => resolve()); // unstyled beats blank
      document.head.append(link);
    });
  }
  return styles;
}

const LETTERS = "ABCDEFGH";
/** @param {number|null} value */
const pct = (value) => (value == null ? "—" : `${number(value, 1)}%`);
/** @param {any} field @param {any} value */
const choiceLabel = (field, value) => {
  const choice = (field?.choices || []).find((/** @type {any} */ c) => c.value === value);
  return choice ? label(choice) : "";
};

/** A worker as a line: number, sex, age, post. @param {any} header @param {any} w */
function who(header, w) {
  return [t("literacy_no", { n: w.no ?? "—" }), choiceLabel(header.sex, w.sex),
    w.age != null ? t("literacy_age", { n: w.age }) : "", w.post].filter(Boolean).join(" · ");
}

/** @param {any} score */
function scoreLine(score) {
  return [h("span", { class: "lit-points" }, t("literacy_score", { points: score.points, full: score.full_points })),
    h("span", { class: `badge-state ${score.literate ? "state-approved" : "warn"}`, "data-literate": score.literate ? "1" : "0" },
      t(score.literate ? "literacy_literate" : "literacy_not_literate"))];
}

/**
 * The survey's workers, drawn above its form (`anchor`: the form is filled once, the workers all visit long): each
 * with how far they got or their score, the rates of the finished ones, and the button that starts the next worker.
 * @param {HTMLElement} anchor
 * @param {any} model  controllers/literacy surveyModel @param {{add: () => void}} handlers
 */
export function renderWorkers(anchor, model, handlers) {
  const root = h("div", { class: "lit-workers-slot" });
  anchor.before(root);
  const base = `#/literacy/${model.survey.id}/worker/`;
  const rows = model.workers.map((/** @type {any} */ w) => h("a", { class: "list-item", href: base + w.id,
    "data-worker": w.id, "data-finished": w.finished ? "1" : "0" },
  h("div", { class: "list-main" }, h("div", { class: "list-title" }, who(model.header, w))),
  h("div", { class: "list-side" }, w.score ? scoreLine(w.score)
    : w.finished ? null : h("span", { class: "badge-state" }, t("literacy_unfinished", { n: w.answered, total: model.total })))));
  const summary = !model.scored ? h("p", { class: "muted" }, t("literacy_no_rule"))
    : model.finished ? h("p", { class: "lit-rates", "data-testid": "literacy-rates" }, t("literacy_rates",
      { n: model.finished, literacy: pct(model.rates.literacy_pct), awareness: pct(model.rates.awareness_pct) })) : null;
  replace(root, card(t("literacy_workers", { n: model.workers.length, done: model.finished }), [summary,
    rows.length ? h("div", { class: "list", "data-testid": "literacy-workers" }, rows) : empty(t("literacy_none")),
    model.editable ? h("div", { class: "actions" }, button(model.workers.length ? t("literacy_next") : t("literacy_first"),
      handlers.add, { class: "btn primary big", "data-testid": "literacy-add" })) : null], { class: "card lit-workers" }));
}

/**
 * One worker's questionnaire, resumed where it was left (model.at: 0 the worker, 1…n a question, n + 1 the score).
 * Answers are kept in `model.data` as tapped and handed to `save` at once.
 * @param {HTMLElement} root @param {any} model  controllers/literacy workerModel
 * @param {{save: (fields: Record<string, any>) => void, next: () => void, survey: () => void, remove: () => void,
 *   score: (data: Record<string, any>) => any, validAge: (value: any) => boolean}} handlers
 */
export function renderWorker(root, model, handlers) {
  const { data, questions, header, editable } = model;
  const n = questions.length;
  const body = h("div", { class: "lit-body" });
  const bar = h("div", { class: "lit-bar" });
  const count = h("div", { class: "lit-count" });
  const whoLine = h("div", { class: "lit-who" });
  const frame = h("div", { class: "lit-entry", "data-testid": "literacy-entry" },
    h("div", { class: "lit-top" }, whoLine, button(t("literacy_back_survey"), handlers.survey, { class: "btn small" })),
    h("div", { class: "lit-progress" }, bar), count, body);
  replace(root, frame);
  const wasFinished = model.at > n;

  /** @param {number} at */
  function show(at) {
    whoLine.textContent = who(header, { no: data.respondent_no, sex: data.sex, age: data.age, post: data.post });
    bar.style.width = `${Math.round((at === 0 ? 0 : Math.min(at - 1, n)) / n * 100)}%`; // questions behind
    frame.dataset.step = at === 0 ? "header" : at > n ? "done" : `q${at}`;
    if (at === 0) drawHeader();
    else if (at > n) drawDone();
    else drawQuestion(at);
  }

  /** @param {string} field @param {any} value */
  function set(field, value) {
    data[field] = value;
    handlers.save({ [field]: value });
  }

  function drawHeader() {
    count.textContent = t("literacy_header");
    const range = { min: header.age.min, max: header.age.max };
    const ageMsg = h("div", { class: "field-hint" }, t("literacy_age_hint", range));
    const ready = () => !!data.sex && handlers.validAge(data.age);
    const start = /** @type {HTMLButtonElement} */ (button(t("literacy_start"), () => show(1),
      { class: "btn primary big wide", "data-testid": "literacy-start", disabled: !editable || !ready() }));
    const check = () => { start.disabled = !editable || !ready(); };
    /** @param {any} field @param {string} cls */
    const choices = (field, cls) => h("div", { class: cls }, field.choices.map((/** @type {any} */ c) =>
      h("button", { type: "button", class: "lit-choice", "data-value": c.value, "aria-pressed": String(data[field.id] === c.value),
        disabled: !editable, onclick: (/** @type {Event} */ e) => {
          set(field.id, c.value);
          for (const b of /** @type {HTMLElement} */ (e.currentTarget).parentElement?.children || []) {
            b.setAttribute("aria-pressed", String(b === e.currentTarget));
          }
          check();
        } }, label(c))));
    /**
     * A typed value, saved as soon as it is one the form accepts (`ok`); `bad` hears whether what is typed is wrong.
     * @param {any} field @param {string} mode @param {(raw: string) => any} parse @param {(v: any) => boolean} ok
     * @param {(wrong: boolean) => void} [bad]
     */
    const box = (field, mode, parse, ok, bad) => h("input", { class: "input", type: "text", inputmode: mode,
      value: data[field.id] ?? "", disabled: !editable, "data-field": field.id,
      oninput: (/** @type {Event} */ e) => {
        const raw = /** @type {HTMLInputElement} */ (e.target).value.trim();
        const value = parse(raw);
        if (raw === "" || ok(value)) set(field.id, raw === "" ? null : value);
        bad?.(raw !== "" && !ok(value));
        check();
      } });
    const ageBad = (/** @type {boolean} */ wrong) => {
      ageMsg.className = wrong ? "field-msg" : "field-hint";
      ageMsg.textContent = t(wrong ? "literacy_age_wrong" : "literacy_age_hint", range);
    };
    const years = header.exposure_years;
    replace(body, h("div", { class: "lit-header" },
      h("div", { class: "field" }, h("div", { class: "field-label" }, label(header.sex)), choices(header.sex, "lit-choices two")),
      h("label", { class: "field" }, h("div", { class: "field-label" }, label(header.age)),
        h("div", { class: "num-row" }, box(header.age, "numeric", Number, handlers.validAge, ageBad),
          h("span", { class: "unit" }, header.age.unit)), ageMsg),
      h("div", { class: "lit-optional" },
        h("label", { class: "field" }, h("div", { class: "field-label" }, label(header.post)),
          box(header.post, "text", (raw) => raw, (v) => v.length <= (header.post.max_length || 50))),
        h("label", { class: "field" }, h("div", { class: "field-label" }, label(years)),
          h("div", { class: "num-row" }, box(years, "decimal", Number, (v) => Number.isFinite(v) && v >= years.min && v <= years.max
            && Math.abs(Math.round(v * 10) - v * 10) < 1e-9), h("span", { class: "unit" }, years.unit))),
        h("div", { class: "field" }, h("div", { class: "field-label" }, label(header.education)),
          choices(header.education, "lit-choices small"))),
      h("div", { class: "actions" }, start),
      editable ? button(t("literacy_remove"), handlers.remove, { class: "btn small danger", "data-testid": "literacy-remove" }) : null));
  }

  /** @param {number} at */
  function drawQuestion(at) {
    const question = questions[at - 1];
    const multiple = question.type === "multi_select";
    count.textContent = `${t("literacy_question_of", { n: at, total: n })} · ${label(question, "section")}`;
    const picked = () => new Set(Array.isArray(data[question.id]) ? data[question.id] : [data[question.id]]);
    const next = multiple ? /** @type {HTMLButtonElement} */ (button(t("literacy_next_question"), () => show(at + 1),
      { class: "btn primary big", "data-testid": "literacy-next-question",
        disabled: !(Array.isArray(data[question.id]) && data[question.id].length) })) : null;
    const options = h("div", { class: "lit-options" }, question.choices.map((/** @type {any} */ c, /** @type {number} */ i) =>
      h("button", { type: "button", class: "lit-option", "data-value": c.value, "aria-pressed": String(picked().has(c.value)),
        disabled: !editable, onclick: () => {
          if (!multiple) {
            set(question.id, c.value);
            show(at + 1);
            return;
          }
          const chosen = picked();
          if (chosen.has(c.value)) chosen.delete(c.value);
          else chosen.add(c.value);
          const value = question.choices.map((/** @type {any} */ o) => o.value).filter((/** @type {string} */ v) => chosen.has(v));
          set(question.id, value.length ? value : null);
          for (const b of options.children) b.setAttribute("aria-pressed", String(chosen.has(/** @type {HTMLElement} */ (b).dataset.value || "")));
          if (next) next.disabled = !value.length;
        } }, h("span", { class: "lit-letter" }, LETTERS[i]), h("span", null, label(c)))));
    replace(body, h("div", { class: "lit-question", "data-question": question.id },
      h("h2", { class: "lit-text" }, label(question)),
      multiple ? h("p", { class: "muted" }, t("literacy_multi_hint")) : null, options,
      h("div", { class: "actions lit-nav" }, button(t("literacy_previous"), () => show(at - 1), { class: "btn", "data-testid": "literacy-previous" }),
        next || (!editable ? button(t("literacy_next_question"), () => show(at + 1), { class: "btn" }) : null))));
  }

  function drawDone() {
    count.textContent = t("literacy_saved");
    const score = model.questionnaire ? handlers.score(data) : null;
    const finished = model.finished + (wasFinished ? 0 : 1);
    const parts = score && model.questionnaire ? model.questionnaire.dimensions.map((/** @type {any} */ d) => {
      const part = score.dimensions[d.key];
      return part ? h("div", { class: "kv" }, h("dt", null, label(d)),
        h("dd", null, t("literacy_score", { points: part.points, full: part.full_points }))) : null;
    }) : [];
    replace(body, h("div", { class: "lit-done", "data-testid": "literacy-done" },
      h("h2", null, t("literacy_done_title", { n: data.respondent_no ?? "—" })),
      score ? h("div", { class: "lit-score", "data-testid": "literacy-score", "data-points": String(score.points) },
        h("div", { class: "lit-big" }, t("literacy_done_score", { points: score.points, full: score.full_points, pct: number(score.score_pct, 1) })),
        h("span", { class: `badge-state ${score.literate ? "state-approved" : "warn"}` },
          t(score.literate ? "literacy_is_literate" : "literacy_is_not_literate"))) : h("p", { class: "muted" }, t("literacy_no_rule")),
      parts.length ? h("dl", { class: "kvs lit-parts" }, h("h3", null, t("literacy_parts")), parts) : null,
      h("p", { class: "muted" }, t("literacy_entered", { n: finished })),
      h("div", { class: "actions" },
        editable ? button(t("literacy_next"), handlers.next, { class: "btn primary big", "data-testid": "literacy-next" }) : null,
        button(t("literacy_previous"), () => show(n), { class: "btn", "data-testid": "literacy-previous" }),
        button(t("literacy_back_survey"), handlers.survey, { class: "btn" }))));
  }

  show(model.at);
}
