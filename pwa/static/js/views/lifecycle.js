// @ts-check
/**
 * The monitoring task's seven steps (DESIGN §7), as a bar with the current step marked, and as a short badge.
 * The state comes from the server (sync/monitoring.py): {key, label_zh, label_en, step, steps}.
 * @module views/lifecycle
 */
import { lang, t } from "../i18n.js";
import { h } from "./dom.js";

export const STEPS = ["field", "handed_over", "laboratory", "evaluation", "review", "reported", "entered"];

/** @param {any} state */
const labelOf = (state) => (lang() === "en" ? state.label_en : state.label_zh) || t(/** @type {any} */ (`step_${state.key}`));

/** The seven steps, done ones ticked, the current one named as the server says it. @param {any} state */
export function lifecycleBar(state) {
  if (!state) return null;
  const current = STEPS.indexOf(state.key);
  return h("ol", { class: "lifecycle", "data-testid": "lifecycle", "data-state": state.key },
    STEPS.map((key, index) => h("li", {
      class: index < current ? "done" : index === current ? "current" : "todo", "data-step": key,
      "aria-current": index === current ? "step" : null,
    }, index === current ? labelOf(state) : t(/** @type {any} */ (`step_${key}`)))));
}

/** The current step as a badge for lists. @param {any} state */
export function lifecycleBadge(state) {
  if (!state) return null;
  return h("span", { class: "badge-state", "data-testid": "lifecycle-badge", "data-state": state.key },
    `${state.step}/${state.steps} ${labelOf(state)}`);
}
