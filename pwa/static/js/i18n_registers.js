// @ts-check
/**
 * The strings of the registers on the field tablet (the pneumoconiosis patients' files 一人一档) in Simplified
 * Chinese and English; i18n.js merges them at start-up (the register works offline).
 * @module i18n_registers
 */

export const ZH = {
  nav_patients: "患者档案", patient_register_title: "尘肺病患者档案", patient_file_title: "患者档案",
  patient_cycle: "随访周期：每 {months} 个月一次；到期前 30 天列为待随访", patient_new: "新建患者档案",
  patient_search: "输入姓名或病例编号", patient_none: "本机还没有患者档案", patient_none_match: "没有符合条件的患者",
  patient_pick_for_followup: "请选择要随访的患者：随访从患者档案开始，身份、诊断和接尘史从档案带入",
  patient_state_overdue: "逾期未随访", patient_state_due: "本期待随访", patient_state_followed: "已随访",
  patient_state_closed: "不再随访", patient_status_alive: "在世", patient_status_dead: "已死亡", patient_status_lost: "失访",
  patient_status_moved_out: "已迁出", patient_status_undefined: "不再随访", patient_status_null: "不再随访",
  patient_due_on: "{date} 前应随访", patient_due_unknown: "应随访日期未知", patient_last_followup: "上次随访 {date}",
  patient_never_followed: "尚未随访", patient_unnamed: "（未填姓名）", patient_stage_1: "壹期", patient_stage_2: "贰期",
  patient_stage_3: "叁期", patient_stage_now: "当前期别", patient_start_followup: "开始随访",
  patient_stage_history: "期别变化", patient_stage_change: "{date}：{from} → {to}（确认人 {by}）",
  patient_no_stage_change: "期别未变化", patient_followups: "随访记录", patient_no_followup: "还没有随访记录",
  patient_vital_alive: "存活", patient_vital_dead: "死亡", patient_vital_lost: "失访",
  patient_employers: "接尘用人单位", patient_no_employer: "未登记其他用人单位", patient_add_employer: "添加用人单位",
  patient_employer_unnamed: "（未填单位名称）", patient_years: "接尘 {n} 年",
  register_unlinked: "（未关联患者档案）", register_linked: "已关联档案", register_not_on_device: "（档案不在本机）",
  enterprise_not_on_device: "（用人单位不在本机）",
  patient_import_title: "从 Excel 导入患者档案", patient_import_note: "第一行为列名，使用档案表单的中文名称（病例编号、姓名、性别、诊断日期、尘肺种类、期别、状态、建档日期……）；先预览，确认后才导入。",
  patient_import_checking: "正在逐行检查……", patient_import_counts: "新建 {new} 份，修改 {update} 份，无变化 {unchanged} 份",
  patient_import_row: "第 {row} 行 · {name} · {case_no}", patient_import_change: "{label}：{old} → {new}", patient_import_blank: "（空）",
  patient_import_new: "新建", patient_import_update: "修改", patient_import_unchanged: "无变化", patient_import_confirm: "确认导入",
  patient_import_done: "已导入：新建 {new} 份，修改 {update} 份；同步后出现在随访人员的平板上",
  patient_import_offline: "无法连接服务器：导入需要联网",
};

export const EN = {
  nav_patients: "Patients", patient_register_title: "Pneumoconiosis patients", patient_file_title: "Patient file",
  patient_cycle: "Follow-up cycle: every {months} months; due from 30 days before", patient_new: "New patient file",
  patient_search: "Name or case number", patient_none: "No patient files on this tablet yet", patient_none_match: "No patient matches",
  patient_pick_for_followup: "Choose the patient to follow up: a follow-up starts from the file, which fills in identity, diagnosis and exposure",
  patient_state_overdue: "Overdue", patient_state_due: "Due", patient_state_followed: "Followed up",
  patient_state_closed: "No longer followed", patient_status_alive: "Alive", patient_status_dead: "Deceased",
  patient_status_lost: "Lost to follow-up", patient_status_moved_out: "Moved out", patient_status_undefined: "No longer followed",
  patient_status_null: "No longer followed",
  patient_due_on: "due by {date}", patient_due_unknown: "due date unknown", patient_last_followup: "last follow-up {date}",
  patient_never_followed: "never followed up", patient_unnamed: "(no name)", patient_stage_1: "Stage I", patient_stage_2: "Stage II",
  patient_stage_3: "Stage III", patient_stage_now: "Current stage", patient_start_followup: "Start a follow-up",
  patient_stage_history: "Stage changes", patient_stage_change: "{date}: {from} → {to} (confirmed by {by})",
  patient_no_stage_change: "No stage change", patient_followups: "Follow-ups", patient_no_followup: "No follow-up yet",
  patient_vital_alive: "Alive", patient_vital_dead: "Deceased", patient_vital_lost: "Lost",
  patient_employers: "Employers with dust exposure", patient_no_employer: "No other employer recorded", patient_add_employer: "Add an employer",
  patient_employer_unnamed: "(no employer name)", patient_years: "{n} years of exposure",
  register_unlinked: "(not linked to a patient file)", register_linked: "Linked to a file", register_not_on_device: "(file not on this tablet)",
  enterprise_not_on_device: "(enterprise not on this tablet)",
  patient_import_title: "Import patients' files from Excel", patient_import_note: "First row: the column names, as the file form names them in Chinese (病例编号, 姓名, 性别, 诊断日期, 尘肺种类, 期别, 状态, 建档日期…); preview first, nothing is imported before you confirm.",
  patient_import_checking: "Checking every row…", patient_import_counts: "{new} new, {update} changed, {unchanged} unchanged",
  patient_import_row: "Row {row} · {name} · {case_no}", patient_import_change: "{label}: {old} → {new}", patient_import_blank: "(blank)",
  patient_import_new: "New", patient_import_update: "Changed", patient_import_unchanged: "Unchanged", patient_import_confirm: "Import",
  patient_import_done: "Imported: {new} new, {update} changed; they reach the follow-up workers' tablets at the next sync",
  patient_import_offline: "Cannot reach the server: importing needs a connection",
};
