// @ts-check
/**
 * The strings of 职业健康素养监测 (the workers' occupational-health literacy survey) in Simplified Chinese and English:
 * the flow on the assistant's home, the survey with its workers and the fast entry of one worker's questionnaire.
 * i18n.js merges them at start-up (the survey is entered offline). Question texts and options come from the form.
 * @module i18n_literacy
 */

export const ZH = {
  new_literacy: "素养监测调查", kind_literacy_survey: "素养监测", kind_literacy_respondent: "受访劳动者",
  literacy_title: "职业健康素养监测", literacy_entry_title: "劳动者问卷录入",
  literacy_workers: "受访劳动者（{n} 人，已答完 {done} 人）", literacy_none: "还没有录入劳动者问卷",
  literacy_first: "开始录入第一位劳动者", literacy_next: "下一位", literacy_next_hint: "第 {n} 位劳动者",
  literacy_rates: "已答完 {n} 人：具备率 {literacy}，知晓率 {awareness}",
  literacy_no_rule: "本机还没有评分规则，联网同步后显示得分；答案照常保存。",
  literacy_no: "第 {n} 份", literacy_age: "{n} 岁", literacy_score: "{points}/{full} 分",
  literacy_literate: "具备", literacy_not_literate: "不具备", literacy_unfinished: "未答完（{n}/{total} 题）",
  literacy_start: "开始答题", literacy_age_hint: "{min}～{max} 岁的整数", literacy_age_wrong: "请填写 {min}～{max} 岁的整数年龄",
  literacy_question_of: "第 {n}/{total} 题", literacy_multi_hint: "可多选，选好后点“下一题”",
  literacy_next_question: "下一题", literacy_previous: "上一题", literacy_header: "基本情况",
  literacy_done_title: "第 {n} 份问卷已答完", literacy_done_score: "得分 {points}/{full}（{pct}%）",
  literacy_is_literate: "具备职业健康素养", literacy_is_not_literate: "尚不具备职业健康素养",
  literacy_back_survey: "返回本次调查", literacy_remove: "删除这份问卷", literacy_entered: "本次已答完 {n} 人",
  literacy_parts: "各方面得分", literacy_open: "继续录入", literacy_saved: "每次点选都已保存在本机",
};

/** @type {Record<keyof typeof ZH, string>} */
export const EN = {
  new_literacy: "Literacy survey", kind_literacy_survey: "Literacy survey", kind_literacy_respondent: "Respondent",
  literacy_title: "Occupational health literacy survey", literacy_entry_title: "Workers' questionnaires",
  literacy_workers: "Respondents ({n}, {done} finished)", literacy_none: "No worker's questionnaire entered yet",
  literacy_first: "Enter the first worker", literacy_next: "Next worker", literacy_next_hint: "Worker {n}",
  literacy_rates: "{n} finished: literacy {literacy}, awareness {awareness}",
  literacy_no_rule: "The scoring rule has not reached this tablet yet: scores show after a sync; answers are saved.",
  literacy_no: "No. {n}", literacy_age: "{n} years", literacy_score: "{points}/{full} points",
  literacy_literate: "Literate", literacy_not_literate: "Not literate", literacy_unfinished: "Unfinished ({n}/{total})",
  literacy_start: "Start the questions", literacy_age_hint: "Whole years, {min} to {max}",
  literacy_age_wrong: "Enter the age in whole years, {min} to {max}",
  literacy_question_of: "Question {n} of {total}", literacy_multi_hint: "Several answers: choose, then tap Next question",
  literacy_next_question: "Next question", literacy_previous: "Previous", literacy_header: "About the worker",
  literacy_done_title: "Questionnaire {n} finished", literacy_done_score: "Score {points}/{full} ({pct}%)",
  literacy_is_literate: "Has occupational health literacy", literacy_is_not_literate: "Does not yet have occupational health literacy",
  literacy_back_survey: "Back to the survey", literacy_remove: "Delete this questionnaire", literacy_entered: "{n} finished so far",
  literacy_parts: "Score by part", literacy_open: "Continue", literacy_saved: "Every tap is saved on this tablet",
};
