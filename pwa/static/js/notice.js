// @ts-check
/**
 * The wording of enforcement documents as the server's templates print it (server/documents/templates,
 * _blocks.html): dates as 2026年4月8日, a finding's paragraph with its legal basis and deadline, number
 * lines. The tablet's previews use it, so what the party reads on site is what the PDF will say.
 * No DOM, no storage.
 * @module notice
 */

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
  return deadline ? `于${dateZh(deadline)}前` : "立即";
}

/**
 * One finding's paragraph in a 卫生监督意见书 (the `finding_text` block of the server's templates).
 * @param {{fact?: string|null, violated_citation?: string|null, penalty_citation?: string|null,
 *   requirement?: string|null, deadline?: string|null}} finding
 */
export function findingText(finding) {
  let text = sentence(finding.fact);
  text += finding.violated_citation ? `，违反了${finding.violated_citation}的规定。` : "。";
  const when = deadlinePhrase(finding.deadline || null);
  text += finding.penalty_citation ? `依据${finding.penalty_citation}的规定，责令你单位${when}改正。` : `请你单位${when}改正。`;
  if (finding.requirement) text += `改正要求：${sentence(finding.requirement)}。`;
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

export const NOTIFICATION = "执法人员出示执法证件，告知当事人依法享有陈述、申辩和申请回避的权利，并有如实回答询问、" +
  "协助调查的义务。当事人表示清楚，不申请回避。";
export const PARTY_STATEMENT = "以上笔录我已看过（或已向我宣读过），与事实相符。";
export const REFUSED_STATEMENT = "当事人拒绝签名，由执法人员注明情况并签名，见证人在场见证。";
export const RESULTS_ZH = { rectified: "已整改", not_rectified: "未整改", partly_rectified: "部分整改" };
