// @ts-check
/**
 * The enforcement checklist on the tablet: which items apply to an enterprise (from its declared hazards),
 * grouped in the national order with their law citations — the twin of server/domain/checklists.py, run
 * offline on the pulled reference tables — and what a nonconformity pre-fills in a finding.
 * No DOM, no storage.
 * @module checklist
 */

export class UnknownCondition extends Error {
  /** @param {string[]} tokens */
  constructor(tokens) {
    super(`unknown checklist conditions: ${tokens.join(", ")}`);
    this.tokens = tokens;
  }
}

/**
 * Condition tokens implied by declared hazard factors (category, noise, severe and acute hints); unknown
 * factor keys are ignored, as on the server (the registry may hold local factors).
 * @param {string[]|null|undefined} factorKeys @param {any[]} hazardFactors  rows' data
 * @returns {string[]}
 */
export function conditionsForFactors(factorKeys, hazardFactors) {
  const byKey = new Map(hazardFactors.map((row) => [row.key, row]));
  const tokens = new Set();
  for (const key of factorKeys || []) {
    const row = byKey.get(key);
    if (!row) continue;
    tokens.add(key === "noise" ? "noise" : row.category);
    if (row.severe_hint) tokens.add("severe_hazard");
    if (row.acute_hint) tokens.add("acute_risk");
  }
  // Python sorts by code point; so does a plain comparison of these ASCII tokens.
  return [...tokens].filter(Boolean).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Declared tokens plus what they imply, `always` and `any_hazard`; throws UnknownCondition for a token the
 * conditions table does not know (a typo must not silently drop items).
 * @param {string[]} declared @param {any[]} conditions @param {boolean} [hasConstructionProject]
 * @returns {Set<string>}
 */
export function expandConditions(declared, conditions, hasConstructionProject = false) {
  const byKey = new Map(conditions.map((row) => [row.key, row]));
  const given = [...(declared || [])];
  if (hasConstructionProject) given.push("construction_project");
  const unknown = given.filter((token) => !byKey.has(token) || ["always", "any_hazard"].includes(byKey.get(token).kind));
  if (unknown.length) throw new UnknownCondition(unknown);
  const expanded = new Set();
  const pending = [...given];
  while (pending.length) {
    const token = /** @type {string} */ (pending.pop());
    if (expanded.has(token)) continue;
    expanded.add(token);
    pending.push(...(byKey.get(token)?.implies || []));
  }
  if ([...expanded].some((token) => byKey.get(token)?.kind === "hazard")) expanded.add("any_hazard");
  expanded.add("always");
  return expanded;
}

const byOrder = (/** @type {any} */ a, /** @type {any} */ b) => a.order - b.order;

/**
 * Items that apply for these declared tokens, in checklist order.
 * @param {any[]} items @param {any[]} conditions @param {string[]} declared @param {boolean} [hasConstructionProject]
 */
export function applicableItems(items, conditions, declared, hasConstructionProject = false) {
  const expanded = expandConditions(declared, conditions, hasConstructionProject);
  return [...items].sort(byOrder).filter((item) => item.applies_when.any_of.some((/** @type {string} */ t) => expanded.has(t)));
}

/**
 * Items under the nine national headings in the plan's order; empty groups are left out.
 * @param {any[]} items @param {any[]} groups
 * @returns {{key: string, title_zh: string, title_en: string, items: any[]}[]}
 */
export function groupItems(items, groups) {
  /** @type {Map<string, any[]>} */
  const byGroup = new Map();
  for (const item of [...items].sort(byOrder)) {
    if (!byGroup.has(item.group)) byGroup.set(item.group, []);
    byGroup.get(item.group)?.push(item);
  }
  return [...groups].sort(byOrder).filter((group) => byGroup.has(group.key))
    .map((group) => ({ key: group.key, title_zh: group.title_zh, title_en: group.title_en, items: byGroup.get(group.key) || [] }));
}

/**
 * Items with `violated_citation` and `penalty_citation` from the law articles (null when an item has none).
 * @param {any[]} items @param {any[]} articles @returns {any[]}
 */
export function resolveItems(items, articles) {
  const citations = new Map(articles.map((row) => [row.key, row.citation_zh]));
  return items.map((item) => ({ ...item,
    violated_citation: item.obligation_article ? citations.get(item.obligation_article) ?? null : null,
    penalty_citation: item.penalty_article ? citations.get(item.penalty_article) ?? null : null }));
}

/**
 * An enterprise's checklist as GET /api/enterprises/<id>/checklist gives it, from the pulled tables.
 * @param {{id: string, declared_hazards?: string[]|null}} enterprise
 * @param {{checklist_items: any[], checklist_groups: any[], checklist_conditions: any[], hazard_factors: any[],
 *   law_articles: any[]}} tables  the rows' data
 * @param {{hasConstructionProject?: boolean, campaign?: any}} [options]  `campaign`: the campaign_checklists row of
 *   the industry of the campaign the inspection belongs to (its typical hazards' items added, its focus items marked)
 */
export function enterpriseChecklist(enterprise, tables, options = {}) {
  const campaign = options.campaign || null;
  const declared = [...new Set([...conditionsForFactors(enterprise.declared_hazards, tables.hazard_factors),
    ...(campaign?.conditions || [])])];
  const items = applicableItems(tables.checklist_items, tables.checklist_conditions, declared,
    Boolean(options.hasConstructionProject));
  const focus = new Set(campaign?.focus_items || []);
  const resolved = resolveItems(items, tables.law_articles).map((item) => (focus.has(item.key) ? { ...item, campaign_focus: true } : item));
  return { enterprise_id: enterprise.id, conditions: declared, groups: groupItems(resolved, tables.checklist_groups),
    campaign: campaign ? { key: campaign.key, title_zh: campaign.title_zh, title_en: campaign.title_en, points_zh: campaign.points_zh || [] } : null };
}

/**
 * What a nonconform result pre-fills in its finding: the item's citations, requirement and usual deadline
 * (an item corrected at once — 0 days — is due on the inspection day); the fact starts as the inspector's
 * note. All of it stays editable.
 * @param {any} item  a resolved checklist item @param {string|null} note @param {string|null} inspectionDate
 */
export function findingDraft(item, note, inspectionDate) {
  const days = item.default_deadline_days;
  return { item_key: item.key, fact: note || null, violated_article: item.violated_citation || null,
    penalty_article: item.penalty_citation || null, requirement: item.requirement_zh || null,
    deadline_days: days > 0 ? days : null, deadline_date: days > 0 ? null : inspectionDate || null };
}
