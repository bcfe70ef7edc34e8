// @ts-check
/**
 * The wording of enforcement documents as the server prints them: the phrases come from the one file the
 * server's templates read too (pwa/static/wording/notice.json, via server/domain/wording.py); dates as
 * 2026年4月8日, a finding's paragraph with its legal basis and deadline, number lines. The tablet's previews
 * use it, so what the party reads on site is what the PDF will say. No DOM, no storage.
 * @module notice
 */
import WORDING from "../wording/notice.json" with { type: "json" };

/** Fill a phrase's {placeholders}. @param {string} phrase @param {Record<string, string>} values */
const fill = (phrase, values) => phrase.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");

const TRAILING = /[。；;，,.、 \n\t]+$/;

/** Text without its closing punctuation (the template adds its own 。). @param {string|null|undefined} text */
export function sentence(text) {
  return String(text || "").replace(TRAILING, "");
}

/** 2026-04-08 (or an ISO date-time, read as written) → 2026年4月8日; "" for nothing. @param {string|null|undefined} iso */
export function dateZh(iso) {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
  return match ? `${Number(match[1])}年${Number(match[2])}月${Number(match[3])}日` : "";
}

/** 09:05 or an ISO date-time → 9时05分. @param {string|null|undefined} value */
export function timeZh(value) {
  const match = /(?:T|^)(\d{2}):(\d{2})/.exec(value || "");
  return match ? `${Number(match[1])}时${match[2]}分` : "";
}

/** An ISO date plus a number of days, as an ISO date (calendar arithmetic, no time zone). @param {string} iso @param {number} days */
export function addDays(iso, days) {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * A finding's deadline as the server computes it: the date given, else the inspection date plus the days;
 * null means 立即改正.
 * @param {Record<string, any>} finding  its data @param {string|null|undefined} inspectionDate
 */
export function deadlineOf(finding, inspectionDate) {
  if (finding.deadline_date) return finding.deadline_date;
  const days = finding.deadline_days;
  if (days == null || days === 0 || !inspectionDate || !Number.isFinite(Number(days))) return null;
  return addDays(inspectionDate, Number(days));
}

/** 于2026年5月8日前 / 立即. @param {string|null} deadline */
export function deadlinePhrase(deadline) {
  return deadline ? fill(WORDING.by_date, { date: dateZh(deadline) }) : WORDING.immediately;
}

/**
 * One finding's paragraph in a 卫生监督意见书 (the `finding_text` block of the server's templates).
 * @param {{fact?: string|null, violated_citation?: string|null, penalty_citation?: string|null,
 *   requirement?: string|null, deadline?: string|null}} finding
 */
export function findingText(finding) {
  let text = sentence(finding.fact);
  text += finding.violated_citation ? fill(WORDING.violated, { citation: finding.violated_citation }) : WORDING.no_violated;
  const when = deadlinePhrase(finding.deadline || null);
  text += finding.penalty_citation ? fill(WORDING.order, { citation: finding.penalty_citation, when })
    : fill(WORDING.advice, { when });
  if (finding.requirement) text += fill(WORDING.requirement, { requirement: sentence(finding.requirement) });
  return text;
}

/** A 文号 prints as is; a bare 编号 (2026—012) gets its label. @param {string} number */
export function numberLine(number) {
  return number.endsWith("号") ? number : `编号：${number}`;
}

/** How an agency names itself in its documents: 我委, 我局, 我中心… @param {string} name */
export function selfReference(name) {
  for (const [suffix, short] of [["委员会", "我委"], ["委", "我委"], ["局", "我局"], ["中心", "我中心"], ["所", "我所"]]) {
    if (name.endsWith(suffix)) return short;
  }
  return "本机关";
}

/** 检查时间: 2026年4月8日9时30分至11时10分. @param {string} day @param {string|null} start @param {string|null} end */
export function periodZh(day, start, end) {
  if (!day) return "";
  return `${dateZh(day)}${timeZh(start)}${end ? `至${timeZh(end)}` : ""}`;
}

export const INTRO = WORDING.intro;
export const NOTIFICATION = WORDING.notification;
export const PARTY_STATEMENT = WORDING.party_statement;
export const REFUSED_STATEMENT = WORDING.refused_statement;
/** @type {Record<string, string>} */
export const RESULTS_ZH = WORDING.results;
