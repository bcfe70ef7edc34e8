"""职业健康素养监测: a worker's questionnaire scored from the reference table, and a period's figures.

The questionnaire, its right answers, the points per question type, the 80 % rule, the age bands and the kinds of
intervention are rows of reference/literacy/questionnaire.json (table `literacy_questionnaire`), not constants here:
a province that uses other questions changes the table and the form, not this module.

Definitions (as the district reports them):
- a respondent's score: the points of the questions answered right (a multiple-choice question only when exactly the
  right options are chosen), over the full points of the questionnaire; 具备职业健康素养 when score ÷ full ≥ the
  threshold (80 %). Each of the four parts likewise, with its own questions.
- 知晓率: questions answered right ÷ questions answered, over every respondent (a question not answered is in
  neither).
- 具备率: respondents who are literate ÷ respondents.
A rate with nothing to divide is None, never 0.
"""
from collections import Counter, defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from ..models import Enterprise, Record
from .enterprises import SIZE_LABELS
from .errors import Forbidden, Invalid, problem
from .permissions import ensure_in_jurisdiction, readable_entities, require
from .reference_store import rows_in_force
from .references import in_period, parse_date
from .regions import region_subtree_ids
from .reviews import COUNTED_STATES

TABLE = "literacy_questionnaire"
SURVEY, RESPONDENT = "literacy_survey", "literacy_respondent"
QUESTION_TYPES = ("judgement", "single", "multiple")
SEX_LABELS = {"male": "男", "female": "女"}
SIZE_ORDER = ("large", "medium", "small", "micro")
UNKNOWN = "未填写"


@dataclass(frozen=True)
class Question:
    key: str
    dimension: str
    question_type: str
    answer: frozenset
    points: float


@dataclass(frozen=True)
class Questionnaire:
    """The questions in order, the parts (key → Chinese name, in order), the rule and the reporting bands."""

    questions: tuple
    dimensions: dict
    threshold_pct: float
    dimension_threshold_pct: float
    age_bands: tuple  # (key, label_zh, age_min or None, age_max or None), in order
    interventions: dict  # key → label_zh, in order


def _number(row, field, problems, index):
    value = row.get(field)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        problems.append(problem(field, "number", f"“{row.get('key')}”的{field}应为非负数",
                                f"{field} of {row.get('key')} must be a number ≥ 0", row=index))
        return 0
    return value


def load_questionnaire(rows, on_date=None):
    """The questionnaire from the table's rows (those in force on `on_date` when given); Invalid naming every broken
    row, so a bad edit of the table is refused with its reasons instead of scoring wrongly."""
    rows = [r for r in rows if on_date is None
            or in_period(on_date, parse_date(r.get("effective_from")), parse_date(r.get("effective_to")))]
    ordered = sorted(enumerate(rows), key=lambda item: (item[1].get("order") or 0, item[0]))
    kinds = defaultdict(list)
    for index, row in ordered:
        kinds[row.get("kind")].append((index, row))
    problems = []
    if len(kinds["scoring"]) != 1:
        problems.append(problem("kind", "scoring", "评分规则应有且只有一行", "Exactly one scoring row is needed"))
        scoring = {}
    else:
        scoring = kinds["scoring"][0][1]
    points = {kind: _number(scoring, f"points_{kind}", problems, None) for kind in QUESTION_TYPES} if scoring else {}
    threshold = _number(scoring, "literate_threshold_pct", problems, None) if scoring else 0
    part_threshold = _number(scoring, "dimension_threshold_pct", problems, None) if scoring else 0
    dimensions = {row["key"]: row.get("title_zh") or row["key"] for _i, row in kinds["dimension"]}
    questions = []
    for index, row in kinds["question"]:
        options = {option.get("value") for option in row.get("options") or []}
        answer = frozenset(row.get("answer") or [])
        kind = row.get("question_type")
        if row.get("dimension") not in dimensions:
            problems.append(problem("dimension", "unknown", f"题目 {row['key']} 的所属方面不存在",
                                    f"Question {row['key']}: unknown part", row=index))
        if kind not in QUESTION_TYPES:
            problems.append(problem("question_type", "unknown", f"题目 {row['key']} 的题型无效",
                                    f"Question {row['key']}: unknown type", row=index))
        if not answer or not answer <= options or (kind != "multiple" and len(answer) != 1):
            problems.append(problem("answer", "answer", f"题目 {row['key']} 的正确答案应为其选项（单选、判断只有一个）",
                                    f"Question {row['key']}: the answer must be among its options", row=index))
        questions.append(Question(row["key"], row.get("dimension"), kind, answer, points.get(kind, 0)))
    if not questions:
        problems.append(problem("kind", "question", "问卷没有题目", "The questionnaire has no question"))
    if problems:
        raise Invalid("职业健康素养问卷参考数据有误", details=problems)
    bands = tuple((row["key"], row.get("label_zh") or row["key"], row.get("age_min"), row.get("age_max"))
                  for _i, row in kinds["age_band"])
    interventions = {row["key"]: row.get("label_zh") or row["key"] for _i, row in kinds["intervention"]}
    return Questionnaire(tuple(questions), dimensions, threshold, part_threshold, bands, interventions)


def _chosen(value):
    """The options a stored answer chose (a select's key, a multi-select's list); empty when not answered."""
    if isinstance(value, str):
        return frozenset([value]) if value.strip() else frozenset()
    if isinstance(value, list):
        return frozenset(v for v in value if isinstance(v, str))
    return frozenset()


def _part(points, full, answered, correct, threshold):
    return {"points": points, "full_points": full, "answered": answered, "correct": correct,
            "score_pct": points / full * 100 if full else None,
            "literate": bool(full) and points * 100 >= threshold * full}


def score_respondent(questionnaire, answers):
    """One worker's questionnaire (record data: field id → choice key or keys) → points, full points, score %, literate,
    questions answered and answered right, and the same per part (`dimensions`, keyed by the part's key)."""
    per = defaultdict(lambda: [0, 0, 0, 0])  # points, full, answered, correct
    for question in questionnaire.questions:
        chosen = _chosen(answers.get(question.key))
        tally = per[question.dimension]
        tally[1] += question.points
        if chosen:
            tally[2] += 1
            if chosen == question.answer:
                tally[0] += question.points
                tally[3] += 1
    total = [sum(t[i] for t in per.values()) for i in range(4)]
    return {**_part(*total, questionnaire.threshold_pct),
            "dimensions": {key: _part(*per[key], questionnaire.dimension_threshold_pct)
                           for key in questionnaire.dimensions if key in per}}


def age_band(questionnaire, age):
    """(key, Chinese label) of the reporting band an age in years falls in, or None (no age, or outside every band)."""
    if isinstance(age, bool) or not isinstance(age, (int, float)):
        return None
    for key, label, low, high in questionnaire.age_bands:
        if (low is None or age >= low) and (high is None or age <= high):
            return key, label
    return None


def _pct(part, whole):
    return round(part / whole * 100, 1) if whole else None


class _Tally:
    """Respondents, literate ones, questions answered and answered right, of one group."""

    def __init__(self):
        self.respondents = self.literate = self.answered = self.correct = 0

    def add(self, score):
        self.respondents += 1
        self.literate += bool(score["literate"])
        self.answered += score["answered"]
        self.correct += score["correct"]

    def row(self, label):
        return {"label_zh": label, "respondents": self.respondents, "literate": self.literate,
                "awareness_pct": _pct(self.correct, self.answered), "literacy_pct": _pct(self.literate, self.respondents)}


def _rows(tallies, order):
    """Breakdown rows in the given order of (key, label), then the unknown group; groups with nobody left out."""
    rows = [tallies[key].row(label) for key, label in order if key in tallies]
    return rows + ([tallies[None].row(UNKNOWN)] if None in tallies else [])


def _handed_in(session, regions, date_from, date_to):
    surveys = session.execute(sa.select(Record.id, Record.enterprise_id, Record.business_date, Record.data).where(
        Record.entity == SURVEY, Record.region_id.in_(sorted(regions)), Record.parent_id.is_(None),
        Record.business_date.between(date_from, date_to), Record.deleted.is_(False),
        Record.review_status.in_(COUNTED_STATES))).all()
    ids = [s.id for s in surveys]
    respondents = session.execute(sa.select(Record.root_id, Record.data).where(
        Record.entity == RESPONDENT, Record.root_id.in_(ids), Record.deleted.is_(False))).all() if ids else []
    return surveys, respondents


def literacy_figures(session, regions, date_from, date_to):
    """The period's 职业健康素养监测 over handed-in surveys (submitted, resubmitted, approved; dated by the survey date)
    in `regions`: counts, 知晓率 and 具备率 overall, per part, and by industry, enterprise size, sex and age band, and
    the interventions done per kind — every label in Chinese. Each survey is scored with the questionnaire in force on
    its date; the reporting bands and names are those in force at the period's end."""
    surveys, respondents = _handed_in(session, regions, date_from, date_to)
    labels = load_questionnaire(rows_in_force(session, TABLE, date_to), date_to)
    by_date = {}
    enterprise_ids = {s.enterprise_id for s in surveys if s.enterprise_id}
    facts = {row.id: row for row in session.execute(sa.select(Enterprise.id, Enterprise.industry_name, Enterprise.size)
                                                    .where(Enterprise.id.in_(enterprise_ids)))} if enterprise_ids else {}
    survey_of = {s.id: s for s in surveys}
    overall, parts = _Tally(), defaultdict(_Tally)
    groups = {name: defaultdict(_Tally) for name in ("industry", "size", "sex", "age")}
    for root_id, data in respondents:
        survey = survey_of[root_id]
        day = survey.business_date
        if day not in by_date:
            by_date[day] = load_questionnaire(rows_in_force(session, TABLE, day), day)
        score = score_respondent(by_date[day], data)
        enterprise = facts.get(survey.enterprise_id)
        band = age_band(labels, data.get("age"))
        keys = {"industry": enterprise.industry_name if enterprise else None,
                "size": enterprise.size if enterprise and enterprise.size in SIZE_LABELS else None,
                "sex": data.get("sex") if data.get("sex") in SEX_LABELS else None, "age": band[0] if band else None}
        overall.add(score)
        for name, key in keys.items():
            groups[name][key or None].add(score)
        for part, part_score in score["dimensions"].items():
            parts[part].add(part_score)
    done = Counter(kind for s in surveys for kind in dict.fromkeys(s.data.get("interventions") or []))
    industries = sorted(k for k in groups["industry"] if k)
    return {
        "surveys": len(surveys), "enterprises": len(enterprise_ids), "respondents": overall.respondents,
        "literate": overall.literate, "awareness_pct": _pct(overall.correct, overall.answered),
        "literacy_pct": _pct(overall.literate, overall.respondents), "threshold_pct": labels.threshold_pct,
        "dimensions": [{"key": key, **parts[key].row(label)} for key, label in labels.dimensions.items()],
        "interventions": [{"key": key, "label_zh": label, "surveys": done.get(key, 0)}
                          for key, label in labels.interventions.items()]
        + [{"key": key, "label_zh": "其他", "surveys": n} for key, n in done.items() if key not in labels.interventions],
        "materials_handed_out": sum(s.data.get("materials_count") or 0 for s in surveys),
        "by_industry": _rows(groups["industry"], [(k, k) for k in industries]),
        "by_size": _rows(groups["size"], [(k, f"{SIZE_LABELS[k]}型") for k in SIZE_ORDER]),
        "by_sex": _rows(groups["sex"], list(SEX_LABELS.items())),
        "by_age": _rows(groups["age"], [(key, label) for key, label, _low, _high in labels.age_bands]),
    }


def literacy_report(session, actor, *, date_from, date_to, region_id=None):
    """The figures for the actor's jurisdiction (or one region of it and the regions below): the CDC's work, read by
    its supervisors and by those who oversee every kind (admins, a commission); Forbidden AGENCY_KIND for the
    supervision agency, NotFound for a region outside the jurisdiction."""
    require(actor, "kpi.read")
    kinds = readable_entities(actor)
    if kinds is not None and SURVEY not in kinds:
        raise Forbidden("职业健康素养监测是疾病预防控制中心的工作", code="AGENCY_KIND", details=[problem(
            None, "agency_kind", "由疾病预防控制中心开展和审核", "Done and reviewed by the CDC")])
    regions = actor.region_ids
    if region_id is not None:
        ensure_in_jurisdiction(actor, region_id, "地区")
        regions = regions & region_subtree_ids(session, region_id)
    return {"period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
            **literacy_figures(session, regions, date_from, date_to)}
