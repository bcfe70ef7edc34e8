// @ts-check
/**
 * Every string the app shows, in Simplified Chinese (default) and English, and the formats of numbers,
 * dates and sizes. Form labels come from the form definitions (`label_zh` / `label_en`).
 * @module i18n
 */
import { EN as ENFORCEMENT_EN, ZH as ENFORCEMENT_ZH } from "./i18n_enforcement.js";
import { EN as REGISTERS_EN, ZH as REGISTERS_ZH } from "./i18n_registers.js";
import { EN as CLASSIFICATION_EN, ZH as CLASSIFICATION_ZH } from "./i18n_classification.js";
import { EN as DECLARATIONS_EN, ZH as DECLARATIONS_ZH } from "./i18n_declarations.js";
import { EN as LITERACY_EN, ZH as LITERACY_ZH } from "./i18n_literacy.js";

const ZH = {
  app_name: "职业卫生现场工作", loading: "正在加载…", starting: "正在启动…",
  nav_home: "首页", nav_enterprises: "用人单位", nav_conflicts: "冲突", nav_sync: "同步与存储", nav_menu: "导航",
  nav_review: "审核", nav_dashboard: "统计", nav_admin: "管理",
  online: "在线", offline: "离线", never_synced: "尚未同步", last_sync: "上次同步 {time}",
  waiting_changes: "待同步 {n}", waiting_photos: "照片待上传 {n}", rejected_n: "被退回的变更 {n}",
  conflicts_n: "冲突 {n}", sync_now: "立即同步", syncing: "正在同步…", sync_error: "同步出错",
  phase_push: "正在上传记录", phase_pull: "正在下载更新", phase_photos: "正在上传照片 {done}/{total}",
  phase_forms: "正在更新表单", phase_login: "需要重新登录", phase_revoked: "设备已停用",
  next_retry: "将于 {time} 自动重试",
  login_title: "登录", username: "用户名", password: "密码", login: "登录", logout: "退出登录",
  login_first_online: "首次使用需联网登录；登录后无网络也可工作。",
  login_failed: "登录失败", login_offline: "无法连接服务器，请在有网络时登录。",
  login_blocked: "本机还有 {owner} 未同步的数据，请先由 {owner} 登录并完成同步。",
  session_expired: "登录已过期，请重新输入密码。未同步的数据都还在本机。",
  relogin: "重新登录", cancel: "取消", later: "稍后",
  device_revoked: "此设备已被管理员停用，无法继续同步。本机数据仍保留，请联系管理员。",
  update_ready: "新版本已就绪。", update_now: "立即更新", update_note: "未同步的数据不受影响。",
  home_title: "今日工作", greeting: "{name}，您好", new_sampling: "新建采样", new_assistance: "新建帮扶",
  new_followup: "新建随访", new_inspection: "监督检查", phase2: "第二阶段提供",
  drafts: "草稿与进行中", returned: "被退回的记录", open_conflicts: "待处理的冲突", rejected_changes: "服务器拒收的变更",
  recent_enterprises: "最近的用人单位", submitted: "已提交", nothing_here: "暂无", open: "打开",
  review_comment: "审核意见", returned_by_supervisor: "审核人退回，请修改后重新提交",
  state_draft: "草稿", state_submitting: "已提交（待同步）", state_submitted: "已提交", state_returned: "已退回",
  state_resubmitted: "已重新提交", state_approved: "已审核通过", state_submit_rejected: "提交未通过",
  unsynced: "未同步", synced: "已同步",
  search_placeholder: "名称、统一社会信用代码或行业", search_results: "共 {n} 家", search_empty: "没有找到匹配的用人单位",
  enterprises_none: "本机还没有用人单位数据，请联网同步。", credit_code: "统一社会信用代码", address: "地址",
  industry: "行业", size: "规模", hazard_class: "风险分类", contact: "联系人", workers: "职工/接害人数",
  declared_hazards: "申报的危害因素", history: "历史记录", documents: "文书", rectifications: "整改事项",
  phase2_documents: "文书（现场笔录、意见书等）将在第二阶段提供。", phase2_rectifications: "整改事项与复查将在第二阶段提供。",
  choose_enterprise: "选择用人单位", enterprise: "用人单位", size_micro: "微型", size_small: "小型", size_medium: "中型", size_large: "大型",
  visit_steps_header: "基本信息", visit_steps_samples: "样品", visit_steps_noise: "噪声", visit_steps_evaluation: "评价",
  visit_steps_submit: "提交", add_field_sample: "新增现场样", add_blank: "新增空白样", copy_previous: "复制上一个",
  add_noise: "新增噪声测量", back_to_list: "返回列表", previous: "上一个", next: "下一个", delete: "删除",
  confirm_delete: "确定删除？", samples_n: "样品 {n} 个（空白 {b} 个）", noise_n: "噪声测量 {n} 个",
  no_samples: "还没有样品", no_noise: "还没有噪声测量", sample: "样品", blank: "空白样",
  eval_device: "离线：本机按与服务器相同的规则评价现场结果（噪声、直读仪器）；实验室样品待结果。",
  eval_online: "在线预览（服务器按当前数据计算）", eval_stored: "服务器保存的评价（上次同步时）",
  eval_offline: "离线：联网后显示评价结论。下面是本机计算的采样体积。", eval_stale: "本机有未同步的修改，同步后评价会更新。",
  eval_failed: "无法评价", conform: "符合", nonconform: "不符合", undetermined: "不判定", pending_lab: "待实验室结果",
  limit_used: "所用限值", measured: "测定值", grade: "分级", unverified_limits: "以下 {n} 项限值尚未与标准原文核对（判定仍按其计算）：", confirm_reading: "确认无误", history_older: "从服务器取更早的记录", history_older_hint: "本机保存未办结的工作和近12个月的记录；更早的记录联网时可取回，取回后离线也能查看。", history_loading: "正在取回更早的记录…", history_loaded: "已取回该单位全部 {n} 条记录，离线也可查看", history_offline: "需要联网才能取回更早的记录", reading_confirmed: "已确认（写入备注）", chars_typed: "{n}/{max} 字", chars_over: "{n}/{max} 字，超出 {over} 字", summary: "结论汇总",
  limit_version: "第{n}版", limit_version_from: "第{n}版，{date} 起",
  limit_in_force: "施行期 {from} 至 {to}", limit_open_end: "今", fraction_total: "总尘", fraction_respirable: "呼尘",
  reclassified_silica: "按实验室测得的游离SiO₂含量（≥10%）判为矽尘（现场选择：{picked}）", other_dust: "其他粉尘",
  below_lod_rule: "低于检出限的结果以 1/2 检出限计入", noise_periods: "各时段", noise_period: "{hours} h × {level} dB(A)",
  mixture: "混合接触", step_field: "现场采样", step_handed_over: "送检", step_laboratory: "实验室检测", step_evaluation: "评价",
  step_review: "审核", step_reported: "报告已出具", step_entered: "已录入国家系统",
  lab_pending_n: "{n} 组待实验室结果", refresh: "刷新", noise_result: "噪声",
  submit_title: "提交审核", submit_ready: "记录已填写完整，可以提交。", submit_problems: "还有 {n} 处需要补充或更正：",
  submit: "提交", resubmit: "重新提交", submitted_wait: "已提交，等待同步到服务器。", submit_done: "已提交审核。",
  server_incomplete: "服务器未接受提交：", go_to_field: "去填写",
  server_rejected: "服务器拒收了此记录的变更", resend: "重新发送", rejected_note: "修改后会作为新的变更重新发送。",
  conflict_title: "数据冲突", conflict_server: "服务器保存的值", conflict_mine: "本机提交的值", conflict_other: "另一台设备提交的值",
  conflict_wait: "等待审核人裁决；在此之前服务器保留已保存的值。", conflict_resolved: "已裁决", conflict_record_elsewhere: "（记录不在本机）",
  record: "记录", field: "字段", empty_value: "（空）",
  sync_title: "同步与存储", sync_state: "同步状态", device: "设备编号", storage: "本机存储",
  persist_granted: "已获准持久保存（浏览器不会自动清除）", persist_denied: "未获准持久保存：存储紧张时浏览器可能清除数据，请尽快同步。",
  persist_unknown: "无法确认是否持久保存", persist_request: "申请持久保存", usage: "已用 {used} / 可用 {quota}",
  export_title: "紧急导出", export_note: "把所有未同步的数据（含照片）导出为 JSON 文件，交给管理员导入。",
  export_button: "导出未同步数据", language: "语言 / Language", errors: "错误", none: "无",
  take_photo: "拍照", photos_n: "{n} 张", sign: "签名", resign: "重新签名", clear: "清除", done: "确定",
  signature_hint: "请在框内签名（手指或触控笔）", photo_waiting: "待上传", photo_uploaded: "已上传", processing: "正在处理照片…",
  now: "现在", yes: "是", no: "否", select_placeholder: "请选择", search: "搜索", selected_n: "已选 {n} 项",
  required: "必填", save_failed: "保存失败", saved_local: "已保存到本机", not_available_offline: "离线时不可用",
  form_missing: "本机还没有表单定义，请联网同步一次。", not_found: "找不到这条记录。", read_only: "记录已提交或已锁定，不能修改。",
  followup_patient: "患者", assistance_title: "帮扶记录", followup_title: "随访记录", sampling_title: "采样记录",
  visit_of: "{date} · {enterprise}", unknown_enterprise: "未知用人单位",
  storage_bytes: "照片占用 {size}",
  doc_supervision_opinion: "卫生监督意见书", doc_rectification_notice: "责令改正通知书", doc_onsite_record: "现场笔录",
  doc_sampling_record_sheet: "现场采样记录表", doc_sampling_feedback: "采样现场反馈单", doc_monitoring_report: "检测报告", doc_assistance_feedback: "帮扶现场反馈单",
  doc_reinspection_opinion: "复查意见书", doc_voided: "已作废",
  no_field_flows: "您的角色没有现场填报任务。", connection: "网络连接", kind_sampling_visit: "采样", kind_assistance_visit: "帮扶", kind_followup: "随访",
  kind_inspection: "监督检查", kind_reinspection: "复查", kind_workplace_survey: "现场调查",
  kind_finding: "问题", kind_sample: "样品", kind_noise_measurement: "噪声测量", kind_checklist_result: "检查项",
  kind_rectification_item: "整改项", kind_reinspection_item: "复查项", kind_survey_workshop: "车间", kind_survey_post: "岗位",
  kind_attachment: "附件", kind_enterprise: "用人单位", kind_record: "记录", form_hash: "内容校验码",
  form_version_of: "{title}（第 {n} 版）",
  limit_noise: "噪声接触限值", limit_calibration: "校准偏差限值", limit_impulse: "脉冲噪声峰值限值", show_problems: "查看需补充的项目",
  totp_code: "动态验证码", totp_use_recovery: "改用恢复码",
  totp_recovery_hint: "手机不在身边时，也可以在这里输入一个恢复码（每个只能用一次）。", totp_six_digits: "请输入 6 位数字",
  totp_title: "设置二次验证", totp_intro: "系统管理员和审核人登录时，除密码外还需输入手机验证器应用生成的动态验证码（等保 2.0 三级要求）。设置完成后才能继续使用。",
  totp_step_scan: "第一步：在手机上打开验证器应用（如 Microsoft Authenticator、Google Authenticator、FreeOTP 等支持 TOTP 的应用），添加账号并扫描下面的二维码。",
  totp_step_type: "无法扫描时，在应用中选择手动输入，填入下面的密钥（类型：基于时间）：", totp_step_confirm: "第二步：输入应用显示的 6 位动态验证码",
  totp_qr: "二次验证二维码（供验证器应用扫描）", totp_confirm: "确认", totp_done: "二次验证已设置。以后登录时请输入验证器应用中的动态验证码。",
  recovery_title: "恢复码", recovery_print: "打印恢复码", recovery_ack: "我已抄下并妥善保管恢复码", continue: "继续", retry: "重试",
  recovery_warning: "以下恢复码只显示这一次，离开本页后无法再次查看。请立即抄写或打印，妥善保管（不要存放在手机上）。手机丢失或无法使用时，每个恢复码可代替动态验证码登录一次。",
  pw_initial_title: "修改初始密码", pw_initial_intro: "{name}，您正在使用管理员设置的初始或临时密码。请先设置只有您本人知道的新密码，之后才能使用本系统。",
  pw_change_title: "修改密码", pw_changed: "密码已修改", pw_current: "当前密码", pw_current_initial: "当前密码（管理员给您的初始或临时密码）",
  pw_new: "新密码", pw_repeat: "再次输入新密码", pw_submit: "修改密码", pw_mismatch: "两次输入的新密码不一致", pw_rules_unmet: "新密码不符合要求：",
  pw_rule_min_length: "至少 {n} 位（现有 {have} 位）", pw_rule_classes: "包含小写字母、大写字母、数字、符号中的至少 {n} 类（现有 {have} 类）",
  pw_rule_contains_username: "不包含用户名", pw_rule_met: "（已满足）", pw_rule_unmet: "（未满足）", pw_strength: "密码强度",
  pw_level_0: "未输入", pw_level_1: "弱，不符合要求", pw_level_2: "合格", pw_level_3: "强",
  pw_common_note: "常见密码（如 P@ssw0rd、Aa123456）以及与当前密码相同的密码会被拒绝。", account_offline: "无法连接服务器，请在有网络时再试。",
  account_security: "账号安全", signed_in_as: "当前登录：{name}（{username}）", account_note: "请定期修改密码，不要告诉他人，也不要与其他系统共用同一密码。",
  // The monitoring chain after the site (送检, the laboratory), shared by the tablet's visit and the laboratory's screens.
  nav_lab: "检测任务", visit_steps_handover: "送检",
  cond_intact: "完好", cond_damaged: "破损", cond_leaking: "泄漏", cond_unsealed: "封口不严",
  handover_title: "送检：样品交实验室", handover_list: "样品交接单", handover_condition: "样品状态",
  handover_offline: "送检需要联网：样品清单和交接单在服务器上办理。请在有网络时打开此页。",
  handover_not_synced: "此采样记录还没有同步到服务器。同步后才能送检。",
  handover_unsynced: "本机还有未同步的修改。请先同步，服务器收到全部样品后再送检。",
  handover_samples: "送检样品 {n} 个：逐个核对样品状态", handover_sign: "送检人签名", handover_unsigned: "尚未签名",
  handover_signed: "已签名", handover_sign_needed: "请先签名，再确认送检。", handover_submit: "确认送检",
  handover_done: "已送检，等待实验室接收。", handover_none: "没有需要送实验室检测的样品（直读结果已在现场记录）。",
  handover_waiting: "待实验室接收", handover_received: "实验室已接收", handover_by: "{name} 于 {time} 送检",
  received_by: "{name} 于 {time} 接收", handover_pdf: "交接单 PDF",
  receipt_received: "已接收", receipt_missing: "缺少", receipt_extra: "多出", receipt_damaged: "破损",
};

/** @type {Record<keyof typeof ZH, string>} */
const EN = {
  app_name: "Occupational health field work", loading: "Loading…", starting: "Starting…",
  nav_home: "Home", nav_enterprises: "Enterprises", nav_conflicts: "Conflicts", nav_sync: "Sync & storage", nav_menu: "Menu",
  nav_review: "Review", nav_dashboard: "Dashboard", nav_admin: "Admin",
  online: "Online", offline: "Offline", never_synced: "Never synced", last_sync: "Last sync {time}",
  waiting_changes: "{n} waiting", waiting_photos: "{n} photos waiting", rejected_n: "{n} rejected changes",
  conflicts_n: "{n} conflicts", sync_now: "Sync now", syncing: "Syncing…", sync_error: "Sync error",
  phase_push: "Sending records", phase_pull: "Receiving updates", phase_photos: "Uploading photos {done}/{total}",
  phase_forms: "Updating forms", phase_login: "Log in again", phase_revoked: "Device revoked",
  next_retry: "Retrying at {time}",
  login_title: "Log in", username: "Username", password: "Password", login: "Log in", logout: "Log out",
  login_first_online: "The first login needs a connection; afterwards the app works offline.",
  login_failed: "Login failed", login_offline: "Cannot reach the server. Log in where there is a connection.",
  login_blocked: "This tablet holds unsynced data of {owner}. {owner} must log in and sync first.",
  session_expired: "Your session has expired. Enter your password again; unsynced data is still on this tablet.",
  relogin: "Log in again", cancel: "Cancel", later: "Later",
  device_revoked: "An administrator revoked this device; it can no longer sync. Local data is kept — contact your administrator.",
  update_ready: "A new version is ready.", update_now: "Update now", update_note: "Unsynced data is not affected.",
  home_title: "Today's work", greeting: "Hello, {name}", new_sampling: "New sampling visit", new_assistance: "New assistance visit",
  new_followup: "New follow-up", new_inspection: "Inspection", phase2: "Coming in phase 2",
  drafts: "Drafts and in progress", returned: "Returned records", open_conflicts: "Open conflicts", rejected_changes: "Changes the server rejected",
  recent_enterprises: "Recent enterprises", submitted: "Submitted", nothing_here: "Nothing here", open: "Open",
  review_comment: "Reviewer's comment", returned_by_supervisor: "Returned by the supervisor: correct and resubmit",
  state_draft: "Draft", state_submitting: "Submitted (waiting to sync)", state_submitted: "Submitted", state_returned: "Returned",
  state_resubmitted: "Resubmitted", state_approved: "Approved", state_submit_rejected: "Submission refused",
  unsynced: "Not synced", synced: "Synced",
  search_placeholder: "Name, credit code or industry", search_results: "{n} found", search_empty: "No matching enterprise",
  enterprises_none: "No enterprises on this tablet yet: sync while online.", credit_code: "Credit code", address: "Address",
  industry: "Industry", size: "Size", hazard_class: "Risk class", contact: "Contact", workers: "Workers / exposed",
  declared_hazards: "Declared hazards", history: "History", documents: "Documents", rectifications: "Rectification items",
  phase2_documents: "Documents (on-site record, opinions…) come in phase 2.", phase2_rectifications: "Rectification items and re-inspections come in phase 2.",
  choose_enterprise: "Choose an enterprise", enterprise: "Enterprise", size_micro: "Micro", size_small: "Small", size_medium: "Medium", size_large: "Large",
  visit_steps_header: "Visit", visit_steps_samples: "Samples", visit_steps_noise: "Noise", visit_steps_evaluation: "Evaluation",
  visit_steps_submit: "Submit", add_field_sample: "Add field sample", add_blank: "Add blank", copy_previous: "Copy previous",
  add_noise: "Add noise measurement", back_to_list: "Back to list", previous: "Previous", next: "Next", delete: "Delete",
  confirm_delete: "Delete this?", samples_n: "{n} samples ({b} blanks)", noise_n: "{n} noise measurements",
  no_samples: "No samples yet", no_noise: "No noise measurements yet", sample: "Sample", blank: "Blank",
  eval_device: "Offline: judged on this tablet with the server's rules (noise, direct-reading instruments); laboratory samples await their results.",
  eval_online: "Online preview (computed by the server from the current data)", eval_stored: "Evaluation stored on the server (last sync)",
  eval_offline: "Offline: the verdicts appear once online. Sampled volumes computed on this tablet:", eval_stale: "Unsynced changes on this tablet: the evaluation updates after sync.",
  eval_failed: "Cannot evaluate", conform: "Conforms", nonconform: "Does not conform", undetermined: "Not judged", pending_lab: "Awaiting lab results",
  limit_used: "Limit used", measured: "Measured", grade: "Grade", unverified_limits: "{n} limits used are not yet verified against the standard's text (the verdicts use them):", confirm_reading: "Confirm reading", history_older: "Older records from the server", history_older_hint: "This tablet keeps open work and the last 12 months; older records can be fetched when online and then stay readable offline.", history_loading: "Fetching older records…", history_loaded: "All {n} records of this enterprise fetched; readable offline", history_offline: "Fetching older records needs a connection", reading_confirmed: "confirmed (written to the notes)", chars_typed: "{n}/{max} characters", chars_over: "{n}/{max} characters, {over} too many", summary: "Summary",
  limit_version: "version {n}", limit_version_from: "version {n}, from {date}",
  limit_in_force: "in force {from} to {to}", limit_open_end: "now", fraction_total: "total dust", fraction_respirable: "respirable dust",
  reclassified_silica: "Judged as silica dust by the measured free SiO₂ (≥ 10 %) (picked on site: {picked})", other_dust: "other dust",
  below_lod_rule: "Results below the LOD enter the C_TWA as ½ LOD", noise_periods: "Periods", noise_period: "{hours} h × {level} dB(A)",
  mixture: "Mixture", step_field: "Sampling on site", step_handed_over: "Handed to the laboratory", step_laboratory: "In the laboratory",
  step_evaluation: "Evaluation", step_review: "Review", step_reported: "Report issued", step_entered: "Entered in the national system",
  lab_pending_n: "{n} groups awaiting lab results", refresh: "Refresh", noise_result: "Noise",
  submit_title: "Submit for review", submit_ready: "The record is complete and can be submitted.", submit_problems: "{n} items to complete or correct:",
  submit: "Submit", resubmit: "Resubmit", submitted_wait: "Submitted; waiting to sync.", submit_done: "Submitted for review.",
  server_incomplete: "The server did not accept the submission:", go_to_field: "Go to field",
  server_rejected: "The server rejected a change to this record", resend: "Send again", rejected_note: "Once corrected, it is sent again as a new change.",
  conflict_title: "Conflict", conflict_server: "Value kept on the server", conflict_mine: "Value sent by this tablet", conflict_other: "Value sent by another device",
  conflict_wait: "Waiting for a supervisor; until then the server keeps its value.", conflict_resolved: "Resolved", conflict_record_elsewhere: "(record not on this tablet)",
  record: "Record", field: "Field", empty_value: "(empty)",
  sync_title: "Sync and storage", sync_state: "Sync state", device: "Device id", storage: "Storage on this tablet",
  persist_granted: "Persistent storage granted (the browser will not clear it)", persist_denied: "Persistent storage not granted: the browser may clear data when space runs low — sync soon.",
  persist_unknown: "Persistence unknown", persist_request: "Request persistent storage", usage: "{used} used of {quota}",
  export_title: "Emergency export", export_note: "Export everything not yet synced (photos included) as a JSON file for an administrator.",
  export_button: "Export unsynced data", language: "语言 / Language", errors: "Errors", none: "none",
  take_photo: "Take photo", photos_n: "{n} photos", sign: "Sign", resign: "Sign again", clear: "Clear", done: "Done",
  signature_hint: "Sign inside the frame (finger or stylus)", photo_waiting: "Waiting", photo_uploaded: "Uploaded", processing: "Processing photo…",
  now: "Now", yes: "Yes", no: "No", select_placeholder: "Choose", search: "Search", selected_n: "{n} selected",
  required: "Required", save_failed: "Could not save", saved_local: "Saved on this tablet", not_available_offline: "Not available offline",
  form_missing: "No form definitions on this tablet yet: sync once while online.", not_found: "Record not found.", read_only: "Submitted or locked: it cannot be changed.",
  followup_patient: "Patient", assistance_title: "Assistance record", followup_title: "Follow-up record", sampling_title: "Sampling record",
  visit_of: "{date} · {enterprise}", unknown_enterprise: "Unknown enterprise",
  storage_bytes: "Photos use {size}",
  doc_supervision_opinion: "Health supervision opinion", doc_rectification_notice: "Rectification notice", doc_onsite_record: "On-site record",
  doc_sampling_record_sheet: "Sampling record sheet", doc_sampling_feedback: "Sampling feedback sheet", doc_monitoring_report: "Monitoring report", doc_assistance_feedback: "Assistance feedback sheet",
  doc_reinspection_opinion: "Re-inspection opinion", doc_voided: "Voided",
  no_field_flows: "Your role has no field forms.", connection: "Connection", kind_sampling_visit: "Sampling", kind_assistance_visit: "Assistance", kind_followup: "Follow-up",
  kind_inspection: "Inspection", kind_reinspection: "Re-inspection", kind_workplace_survey: "Survey",
  kind_finding: "Finding", kind_sample: "Sample", kind_noise_measurement: "Noise measurement", kind_checklist_result: "Checklist item",
  kind_rectification_item: "Rectification item", kind_reinspection_item: "Re-inspected item", kind_survey_workshop: "Workshop",
  kind_survey_post: "Post", kind_attachment: "Attachment", kind_enterprise: "Enterprise", kind_record: "Record",
  form_hash: "content hash", form_version_of: "{title} (version {n})",
  limit_noise: "Noise exposure limit", limit_calibration: "Calibration drift limit", limit_impulse: "Impulse peak limit", show_problems: "Show what is missing",
  totp_code: "Verification code", totp_use_recovery: "Use a recovery code",
  totp_recovery_hint: "Without your phone you can enter a recovery code here instead (each works once).", totp_six_digits: "Enter the 6 digits",
  totp_title: "Set up two-step verification", totp_intro: "Administrators and supervisors log in with their password and a code from an authenticator app on their phone (MLPS 2.0 level 3). Set it up to continue.",
  totp_step_scan: "Step 1: open an authenticator app on your phone (Microsoft Authenticator, Google Authenticator, FreeOTP or any TOTP app), add an account and scan this QR code.",
  totp_step_type: "If you cannot scan it, choose to enter a key by hand and type this key (time-based):", totp_step_confirm: "Step 2: enter the 6-digit code the app shows",
  totp_qr: "QR code for the authenticator app", totp_confirm: "Confirm", totp_done: "Two-step verification is set up. From now on, enter the code from your authenticator app when you log in.",
  recovery_title: "Recovery codes", recovery_print: "Print the codes", recovery_ack: "I have written the codes down and keep them safe", continue: "Continue", retry: "Try again",
  recovery_warning: "These recovery codes are shown only this once and cannot be shown again. Write them down or print them now and keep them safe (not on your phone). If your phone is lost, each code replaces the verification code for one login.",
  pw_initial_title: "Change your initial password", pw_initial_intro: "{name}, you are using an initial or temporary password set by an administrator. Choose a new password only you know before using the app.",
  pw_change_title: "Change password", pw_changed: "Password changed", pw_current: "Current password", pw_current_initial: "Current password (the initial or temporary one you were given)",
  pw_new: "New password", pw_repeat: "New password again", pw_submit: "Change password", pw_mismatch: "The two new passwords differ", pw_rules_unmet: "The new password does not meet the rules — ",
  pw_rule_min_length: "At least {n} characters ({have} now)", pw_rule_classes: "At least {n} of lower case, upper case, digits and symbols ({have} now)",
  pw_rule_contains_username: "Does not contain the username", pw_rule_met: "(met)", pw_rule_unmet: "(not met)", pw_strength: "Strength",
  pw_level_0: "nothing typed", pw_level_1: "weak, does not meet the rules", pw_level_2: "acceptable", pw_level_3: "strong",
  pw_common_note: "Common passwords (such as P@ssw0rd or Aa123456) and your current password are refused.", account_offline: "Cannot reach the server. Try again where there is a connection.",
  account_security: "Account security", signed_in_as: "Logged in as {name} ({username})", account_note: "Change your password now and then, never share it, and do not use it for other systems.",
  nav_lab: "Laboratory work", visit_steps_handover: "Hand over",
  cond_intact: "Intact", cond_damaged: "Damaged", cond_leaking: "Leaking", cond_unsealed: "Not sealed",
  handover_title: "Hand the samples to the laboratory", handover_list: "Sample handover list", handover_condition: "Condition",
  handover_offline: "Handing over needs a connection: the sample list and the handover are made on the server. Open this page where there is a network.",
  handover_not_synced: "This sampling record has not reached the server yet. Sync it first, then hand the samples over.",
  handover_unsynced: "This tablet has changes not yet synced. Sync first, so the server has every sample, then hand them over.",
  handover_samples: "{n} samples to hand over: check each one's condition", handover_sign: "Sampler's signature", handover_unsigned: "Not signed yet",
  handover_signed: "Signed", handover_sign_needed: "Sign first, then confirm the handover.", handover_submit: "Confirm handover",
  handover_done: "Handed over; waiting for the laboratory to receive them.", handover_none: "No sample needs the laboratory (direct readings were recorded on site).",
  handover_waiting: "Waiting for the laboratory", handover_received: "Received by the laboratory", handover_by: "Handed over by {name} at {time}",
  received_by: "Received by {name} at {time}", handover_pdf: "Handover PDF",
  receipt_received: "Received", receipt_missing: "Missing", receipt_extra: "Not on the list", receipt_damaged: "Damaged",
};

const ALL_ZH = { ...ZH, ...ENFORCEMENT_ZH, ...REGISTERS_ZH, ...CLASSIFICATION_ZH, ...DECLARATIONS_ZH, ...LITERACY_ZH };
/** @typedef {keyof typeof ALL_ZH | keyof typeof import("./i18n_office.js").ZH} Key */
/** @type {{zh: Record<string, string>, en: Record<string, string>}} */
const TABLES = { zh: { ...ALL_ZH }, en: { ...EN, ...ENFORCEMENT_EN, ...REGISTERS_EN, ...CLASSIFICATION_EN,
  ...DECLARATIONS_EN, ...LITERACY_EN } };
/** @type {"zh"|"en"} */
let current = readLang();

function readLang() {
  try {
    return localStorage.getItem("lang") === "en" ? "en" : "zh";
  } catch {
    return "zh";
  }
}

export const lang = () => current;

/**
 * Strings of screens loaded later (the office screens bring theirs with them, off the field start-up path).
 * @param {Record<string, string>} zh @param {Record<string, string>} en
 */
export function addStrings(zh, en) {
  Object.assign(TABLES.zh, zh);
  Object.assign(TABLES.en, en);
}

/** @param {"zh"|"en"} value */
export function setLang(value) {
  current = value === "en" ? "en" : "zh";
  try {
    localStorage.setItem("lang", current);
  } catch {
    // private mode: the choice lasts for this session
  }
  document.documentElement.lang = current === "en" ? "en" : "zh-CN";
}

/**
 * A string by key with {placeholders}.
 * @param {Key} key @param {Record<string, any>} [params]
 */
export function t(key, params = {}) {
  const text = TABLES[current][key] ?? TABLES.zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

/** The `_zh`/`_en` variant of a definition's text. @param {any} item @param {string} [base] */
export function label(item, base = "label") {
  if (!item) return "";
  return item[`${base}_${current}`] ?? item[`${base}_zh`] ?? "";
}

/** @param {number|null|undefined} value @param {number} [decimals] */
export function number(value, decimals) {
  if (value == null || !Number.isFinite(value)) return "—";
  return decimals == null ? String(+value.toPrecision(10)) : value.toFixed(decimals);
}

/** @param {string|null|undefined} iso */
export function dateTime(iso) {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(current === "en" ? "en-GB" : "zh-CN", { year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit" });
}

/** @param {string|null|undefined} iso */
export function time(iso) {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString(current === "en" ? "en-GB" : "zh-CN",
    { hour: "2-digit", minute: "2-digit" });
}

/** @param {number} bytes */
export function size(bytes) {
  if (!Number.isFinite(bytes)) return "—";
  const units = ["B", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit ? 1 : 0)} ${units[unit]}`;
}
