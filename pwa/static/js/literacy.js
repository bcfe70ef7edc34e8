// @ts-check
/**
 * 职业健康素养监测 on the tablet: a worker's questionnaire scored from the reference table (literacy_questionnaire)
 * exactly as the server scores it (server/domain/literacy.py; tests/unit/test_literacy_rules.py runs both on the same
 * answers). Pure: no storage, no DOM.
 * @module literacy
 */

export const TABLE = "literacy_questionnaire";
const TYPES = ["judgement", "single", "multiple"];

/**
 * @typedef {{key: string, dimension: string, type: string, answer: Set<string>, points: number}} Question
 * @typedef {{questions: Question[], dimensions: {key: string, label_zh: string, label_en: string}[],
 *   threshold: number, dimensionThreshold: number}} Questionnaire
 * @typedef {{points: number, full_points: number, score_pct: number|null, literate: boolean, answered: number,
 *   correct: number}} Part
 * @typedef {Part & {dimensions: Record<string, Part>}} Score
 */

/** @param {string|null|undefined} from @param {string|null|undefined} to @param {string} day */
const inForce = (from, to, day) => (!from || day >= from) && (!to || day < to);

/**
 * The questionnaire from the table's rows (their data) in force on `day` (YYYY-MM-DD, none: every row), or null when
 * the table is missing or broken (scores are then not shown; the answers are still kept).
 * @param {any[]} rows @param {string} [day] @returns {Questionnaire|null}
 */
export function questionnaireOf(rows, day) {
  const live = rows.filter((r) => !day || inForce(r.effective_from, r.effective_to, day))
    .map((r, i) => ({ r, i })).sort((a, b) => (a.r.order || 0) - (b.r.order || 0) || a.i - b.i).map((x) => x.r);
  const scoring = live.filter((r) => r.kind === "scoring");
  if (scoring.length !== 1) return null;
  const rule = scoring[0];
  const dimensions = live.filter((r) => r.kind === "dimension")
    .map((r) => ({ key: r.key, label_zh: r.title_zh || r.key, label_en: r.title_en || r.title_zh || r.key }));
  const known = new Set(dimensions.map((d) => d.key));
  /** @type {Question[]} */
  const questions = [];
  for (const r of live.filter((row) => row.kind === "question")) {
    const points = rule[`points_${r.question_type}`];
    const answer = new Set(r.answer || []);
    if (!TYPES.includes(r.question_type) || !known.has(r.dimension) || typeof points !== "number" || !answer.size) return null;
    questions.push({ key: r.key, dimension: r.dimension, type: r.question_type, answer, points });
  }
  if (!questions.length) return null;
  return { questions, dimensions, threshold: rule.literate_threshold_pct, dimensionThreshold: rule.dimension_threshold_pct };
}

/** The options a stored answer chose (a select's key, a multi-select's list). @param {any} value @returns {Set<string>} */
function chosen(value) {
  if (typeof value === "string") return new Set(value.trim() ? [value] : []);
  if (Array.isArray(value)) return new Set(value.filter((v) => typeof v === "string"));
  return new Set();
}

/** @param {Set<string>} a @param {Set<string>} b */
const same = (a, b) => a.size === b.size && [...a].every((v) => b.has(v));

/** @param {number[]} t  points, full, answered, correct @param {number} threshold @returns {Part} */
function part(t, threshold) {
  const [points, full, answered, correct] = t;
  return { points, full_points: full, answered, correct, score_pct: full ? (points / full) * 100 : null,
    literate: Boolean(full) && points * 100 >= threshold * full };
}

/**
 * One worker's questionnaire: points of the questions answered right (a multiple-choice one only when exactly the right
 * options are chosen) over the full points; literate at or above the threshold; the same per part.
 * @param {Questionnaire} q @param {Record<string, any>} data @returns {Score}
 */
export function scoreRespondent(q, data) {
  /** @type {Map<string, number[]>} */
  const per = new Map();
  for (const question of q.questions) {
    const tally = per.get(question.dimension) || [0, 0, 0, 0];
    per.set(question.dimension, tally);
    const picked = chosen(data[question.key]);
    tally[1] += question.points;
    if (!picked.size) continue;
    tally[2] += 1;
    if (same(picked, question.answer)) {
      tally[0] += question.points;
      tally[3] += 1;
    }
  }
  const total = [0, 1, 2, 3].map((i) => [...per.values()].reduce((sum, t) => sum + t[i], 0));
  /** @type {Record<string, Part>} */
  const dimensions = {};
  for (const d of q.dimensions) {
    const tally = per.get(d.key);
    if (tally) dimensions[d.key] = part(tally, q.dimensionThreshold);
  }
  return { ...part(total, q.threshold), dimensions };
}

/**
 * 知晓率 and 具备率 of the workers scored so far: right answers ÷ answers, literate workers ÷ workers (null: none).
 * @param {Score[]} scores
 */
export function rates(scores) {
  const answered = scores.reduce((sum, s) => sum + s.answered, 0);
  const correct = scores.reduce((sum, s) => sum + s.correct, 0);
  const literate = scores.filter((s) => s.literate).length;
  return { respondents: scores.length, literate, awareness_pct: answered ? (correct / answered) * 100 : null,
    literacy_pct: scores.length ? (literate / scores.length) * 100 : null };
}
