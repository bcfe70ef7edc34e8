// @ts-check
/**
 * The strings of the reference-data screen (four eyes: a change waits for a second administrator and applies from
 * its effective date) in Simplified Chinese and English. screens_admin.js adds them to i18n.js's tables.
 * @module i18n_reference
 */

export const ZH = {
  ref_changes_title: "待核验与待生效的修改", ref_changes_none: "没有等待核验或等待生效的修改。",
  ref_change_note: "修改提交后不会立即生效：须由另一名管理员核验，并自生效日期起使用；此前所有评价和文书仍用现行版本。",
  ref_effective_on: "修改生效日期", ref_effective_hint: "核验通过后自该日起使用新值（中国时间）；不早于今天。",
  ref_reason: "修改依据", ref_reason_hint: "如：GBZ 2.1-2019 第3号修改单", ref_check_reason: "核对依据",
  ref_withdraw_reason: "撤销或退回的原因",
  ref_status_pending: "待核验", ref_status_scheduled: "已核验，{date} 起生效", ref_status_current: "现行",
  ref_status_superseded: "已被新版本取代", ref_status_withdrawn: "已撤销",
  ref_proposed: "{name} 于 {time} 提交", ref_decided: "{name} 于 {time} 核验", ref_waiting_other: "须由另一名管理员核验",
  ref_field: "字段", ref_before: "现行值", ref_after: "修改为", ref_empty_value: "（空）", ref_structured: "（结构数据）",
  ref_verify_change: "核验通过", ref_withdraw_change: "撤销", ref_send_back: "退回", ref_review_change: "核验修改",
  ref_change_verified: "已核验：自 {date} 起生效", ref_change_withdrawn: "已撤销这项修改", ref_change_saved: "修改已提交，等待另一名管理员核验",
  ref_has_pending: "有待核验的修改", ref_version: "第{n}版", ref_version_from: "第{n}版（{date} 起）", ref_new_row: "新增行",
  ref_apply: "生效", ref_approve: "核验通过", ref_withdraw: "撤销", ref_verify_row: "核对原文", ref_propose_update: "提交修改",
  ref_propose_create: "提交新增", ref_table: "参考数据表", ref_row: "数据行", ref_fields_none: "此表没有可在此修改的字段。",
  ref_yes: "是", ref_no: "否",
};

export const EN = {
  ref_changes_title: "Changes waiting for verification or for their date", ref_changes_none: "No change is waiting.",
  ref_change_note: "A change does not apply at once: another administrator verifies it and it applies from its effective date; until then every evaluation and document uses the version in force.",
  ref_effective_on: "Effective date of the change", ref_effective_hint: "Once verified, the new values apply from this day (China time); not before today.",
  ref_reason: "Basis of the change", ref_reason_hint: "e.g. GBZ 2.1-2019 amendment no. 3", ref_check_reason: "What you checked it against",
  ref_withdraw_reason: "Why it is withdrawn or sent back",
  ref_status_pending: "Waiting for verification", ref_status_scheduled: "Verified, applies from {date}", ref_status_current: "In force",
  ref_status_superseded: "Superseded", ref_status_withdrawn: "Withdrawn",
  ref_proposed: "Proposed by {name} at {time}", ref_decided: "Verified by {name} at {time}", ref_waiting_other: "Another administrator must verify it",
  ref_field: "Field", ref_before: "In force", ref_after: "Changed to", ref_empty_value: "(empty)", ref_structured: "(structured data)",
  ref_verify_change: "Verify", ref_withdraw_change: "Withdraw", ref_send_back: "Send back", ref_review_change: "Verify a change",
  ref_change_verified: "Verified: applies from {date}", ref_change_withdrawn: "Change withdrawn", ref_change_saved: "Change proposed; another administrator must verify it",
  ref_has_pending: "Change waiting", ref_version: "Version {n}", ref_version_from: "Version {n} (from {date})", ref_new_row: "New row",
  ref_apply: "Applied", ref_approve: "Verified", ref_withdraw: "Withdrawn", ref_verify_row: "Checked against the text", ref_propose_update: "Change proposed",
  ref_propose_create: "Row proposed", ref_table: "Reference table", ref_row: "Row", ref_fields_none: "No field of this table is edited here.",
  ref_yes: "yes", ref_no: "no",
};
