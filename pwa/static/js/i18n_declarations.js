// @ts-check
/**
 * The strings of 职业病危害项目申报 (occupational-hazard project declarations) in Simplified Chinese and English: the
 * status on the enterprise page (offline, from the replica) and the dashboard's tile. i18n.js merges them at start-up.
 * @module i18n_declarations
 */

export const ZH = {
  decl_status: "申报状态", decl_status_undeclared: "未申报", decl_status_declared: "已申报", decl_status_overdue: "申报逾期",
  decl_first: "初次申报日期", decl_latest: "最近申报/变更日期", decl_next_due: "下次申报到期",
  decl_due_passed: "{date}（已逾期）", decl_due_none: "未设定更新周期",
  kpi_first_declarations: "初次申报用人单位数",
  kpi_declarations_growth: "累计已申报 {declared} 家，较{base}年底 {change}（目标 ≥ +{target}%）",
  kpi_declarations_share: "申报率 {pct}（{declared}/{total}）· 逾期未更新 {overdue} 家",
};

/** @type {Record<keyof typeof ZH, string>} */
export const EN = {
  decl_status: "Declaration", decl_status_undeclared: "Not declared", decl_status_declared: "Declared",
  decl_status_overdue: "Declaration overdue",
  decl_first: "First declared on", decl_latest: "Last declared or updated on", decl_next_due: "Next declaration due",
  decl_due_passed: "{date} (overdue)", decl_due_none: "No update period set",
  kpi_first_declarations: "Employers declaring for the first time",
  kpi_declarations_growth: "{declared} employers declared in all, {change} on the end of {base} (target at least +{target}%)",
  kpi_declarations_share: "Declared {pct} ({declared}/{total}) · {overdue} overdue for an update",
};
