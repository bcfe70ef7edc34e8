"""The district's 职业健康素养监测 in the demo year: surveys at enterprises this year and last year, each with its
workers' questionnaires answered on the assistant's tablet, the interventions done, handed in and approved by the
CDC's 科长 — so the dashboard and the year-end summary show 知晓率 and 具备率 by industry, size, sex and age.

Answers are drawn from a seeded generator (the same demo every time): most workers answer most questions right,
some fewer, as a survey finds. Dates are days of the current and the previous year on the business clock.
"""
import datetime as dt
import random

from ..domain.reference_store import table_data

RECENT_DAYS = 45
# (year offset, month, day, enterprise, workers, share of questions answered right)
SURVEYS = ((-1, 6, 12, "临河彩虹印务有限公司", 8, 0.72), (-1, 7, 3, "青川鲁峰水泥有限公司", 8, 0.68),
           (0, 5, 21, "青川鑫源化工有限公司", 12, 0.86), (0, 6, 17, "临河美居家具有限公司", 10, 0.8),
           (0, 8, 26, "临河华美陶瓷有限公司", 10, 0.78))
POSTS = ("操作工", "巡检工", "包装工", "维修工", "班组长")


def _answers(questions, rng, right_share):
    """One worker's answers: the right one with `right_share`, otherwise another option (multi: one more or less)."""
    answers = {}
    for question in questions:
        right = list(question["answer"])
        options = [o["value"] for o in question["options"]]
        if rng.random() < right_share:
            chosen = right
        elif question["question_type"] == "multiple":
            chosen = right[:-1] if len(right) > 1 else right + [next(o for o in options if o not in right)]
        else:
            chosen = [rng.choice([o for o in options if o not in right])]
        answers[question["key"]] = sorted(chosen) if question["question_type"] == "multiple" else chosen[0]
    return answers


def seed_literacy(work):
    """Schedule the district's literacy surveys on the demo timeline (call from DistrictWork.schedule())."""
    office, at = work.office, work.timeline.at
    tablet = work.tablet("assistant")
    questions = sorted((row for row in table_data(office.session, "literacy_questionnaire")
                        if row.get("kind") == "question"), key=lambda row: row["order"])
    rng = random.Random(20)
    for offset, month, day, name, workers, share in SURVEYS:
        ago = (office.today - dt.date(office.today.year + offset, month, day)).days
        if ago <= RECENT_DAYS:
            continue
        people = [{"sex": "female" if rng.random() < 0.3 else "male", "age": rng.randint(20, 58),
                   "answers": _answers(questions, rng, share)} for _ in range(workers)]
        holder = {}

        def survey(when, name=name, ago=ago, people=people, holder=holder):
            enterprise = office.enterprise(name)
            holder["id"] = tablet.create("literacy_survey", {
                "enterprise_id": enterprise.id, "survey_date": office.day(ago),
                "surveyors": f"{work.names['assistant']}、{work.names['followup']}",
                "interventions": ["handbook", "lecture", "gifts"], "materials_count": len(people) * 2,
                "intervention_note": "发放《职业健康素养60条》宣传手册，现场讲解职业病防护知识"})
            for number, person in enumerate(people, start=1):
                tablet.create("literacy_respondent", {
                    "respondent_no": number, "sex": person["sex"], "age": person["age"],
                    "post": POSTS[number % len(POSTS)], **person["answers"]}, parent=holder["id"])
            tablet.submit(holder["id"])
            tablet.push(when)

        at(ago, "16:20")(survey)
        at(ago - 3, "09:40")(lambda when, holder=holder: office.review(
            f"{work.d.prefix}_cdc_supervisor", holder["id"], "approve", when))
