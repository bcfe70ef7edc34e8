"""The year-end summary's data annex from the demo year (server/demo/year.py: 临河区 keeps this year's and last
year's routine work): the 科长 downloads it from the dashboard as a Word document and as a PDF, and every figure in
it is the one a person would count from the records — checked here against counts made in the test from the stored
records, not through the product's figure code."""
import datetime as dt
import io
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from docx import Document as Docx

from server.demo.work import seed_demo_work, services_of
from server.extensions import db
from server.models import Record
from tests.documents.pdf_tools import temp_pdf
from tests.support import district, error_of, login

HANDED_IN = ("submitted", "resubmitted", "approved")
QUESTIONNAIRE = Path(__file__).resolve().parents[2] / "reference/literacy/questionnaire.json"


@pytest.fixture
def demo(app, clock):
    seed_demo_work(services_of(app, db.session))
    db.session.remove()
    return clock.today()


def _rows(document):
    """Every table row of the document as its cells' text."""
    return [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]


def _figures(document):
    """指标 → (this year, last year, change) from the main table (its rows have six cells)."""
    return {row[0].removesuffix("（按今日状态）"): tuple(row[1:4]) for row in _rows(document) if len(row) == 6}


def _handed_in(region_id, entity, year, date_field):
    """Handed-in, not deleted root records of the district whose own date falls in the year (counted by hand)."""
    rows = db.session.execute(sa.select(Record.id, Record.enterprise_id, Record.data).where(
        Record.entity == entity, Record.region_id == region_id, Record.parent_id.is_(None),
        Record.deleted.is_(False), Record.review_status.in_(HANDED_IN))).all()
    return [row for row in rows if dt.date.fromisoformat(row.data[date_field]).year == year]


def _all(region_id, entity):
    """Every record of that kind in the district, not deleted."""
    return db.session.execute(sa.select(Record.parent_id, Record.data).where(
        Record.entity == entity, Record.region_id == region_id, Record.deleted.is_(False))).all()


def _year_of(day):
    return dt.date.fromisoformat(day).year if day else None


def _literacy_by_hand(region_id, year):
    questions = [row for row in json.loads(QUESTIONNAIRE.read_text(encoding="utf-8"))["rows"]
                 if row["kind"] == "question"]
    points = {"judgement": 1, "single": 1, "multiple": 2}
    full = sum(points[q["question_type"]] for q in questions)
    surveys = [r.id for r in _handed_in(region_id, "literacy_survey", year, "survey_date")]
    workers = db.session.scalars(sa.select(Record.data).where(
        Record.entity == "literacy_respondent", Record.parent_id.in_(surveys), Record.deleted.is_(False))).all()
    literate = 0
    for answers in workers:
        got = 0
        for q in questions:
            given = answers.get(q["key"])
            given = sorted(given) if isinstance(given, list) else [given]
            got += points[q["question_type"]] if given == sorted(q["answer"]) else 0
        literate += got / full >= 0.8
    return f"{literate / len(workers) * 100:.1f}%"


def _field_samples(visit_ids):
    rows = db.session.scalars(sa.select(Record.data).where(
        Record.entity == "sample", Record.parent_id.in_(visit_ids), Record.deleted.is_(False))).all()
    return sum(1 for data in rows if data.get("sample_type") != "blank")


def test_the_cdc_annex_holds_every_catalogue_figure_counted_from_the_records(client, demo):
    cdc = login(client, "lh_cdc_supervisor")
    year = demo.year
    with cdc.get(f"/api/summaries/year.docx?year={year}") as response:
        assert response.status_code == 200
        assert response.mimetype.endswith("wordprocessingml.document")
        assert "attachment" in response.headers["Content-Disposition"]
        document = Docx(io.BytesIO(response.data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"临河区{year}年度职业健康工作总结" in text and "数据附件" in text
    figures = _figures(document)

    # Every catalogue figure the CDC reports is in the document, with the value the dashboard shows beside it.
    catalogue = cdc.get(f"/api/kpis?date_from={year}-01-01&date_to={year}-12-31&yoy=true").get_json()["catalogue"]
    assert len(catalogue) >= 20
    for figure in catalogue:
        assert figures[figure["title_zh"]][:2] == (figure["text"], figure["previous_text"]), figure["key"]
    # The supervision side's figures are not the CDC's to report.
    assert "监督覆盖率" not in figures and "初次申报用人单位数" not in figures

    region = district("临河区").id
    for this_or_last, column in ((year, 0), (year - 1, 1)):
        visits = _handed_in(region, "sampling_visit", this_or_last, "sampling_date")
        assert figures["采样次数"][column] == f"{len(visits)}次"
        assert figures["监测用人单位数"][column] == f"{len({v.enterprise_id for v in visits})}家"
        assert figures["样品数（不含空白样）"][column] == f"{_field_samples([v.id for v in visits])}个"
        followups = _handed_in(region, "followup", this_or_last, "followup_date")
        assert figures["随访次数"][column] == f"{len(followups)}次"
        assert figures["随访患者数"][column] == f"{len({f.data['case_no'] for f in followups})}人"
        assisted = _handed_in(region, "assistance_visit", this_or_last, "visit_date")
        assert figures["帮扶企业数"][column] == f"{len({a.enterprise_id for a in assisted})}家"
        # The CDC's registers (server/demo/cdc_registers.py): cards reported, people trained, workers examined.
        cards = {}
        for row in _all(region, "exam_card_count"):
            if row.data.get("year") == this_or_last:
                cards[row.parent_id] = max(cards.get(row.parent_id, 0), row.data["cards_reported"])
        assert figures["上报职业健康档案卡数"][column] == f"{sum(cards.values())}张"
        trained = [r.data for r in _all(region, "training_session") if _year_of(r.data.get("held_on")) == this_or_last]
        assert figures["职业健康培训人数"][column] == f"{sum(d['people_trained'] for d in trained)}人"
        assert figures["职业健康培训场次"][column] == f"{len(trained)}场"
        active = [r.data for r in _all(region, "health_exam_batch") if r.data.get("kind") == "active_monitoring"
                  and _year_of(r.data.get("exam_from")) == this_or_last]
        assert figures["主动监测劳动者人数"][column] == f"{sum(d['workers_examined'] for d in active)}人"
        # 职业健康素养监测 (server/demo/literacy.py): the workers surveyed at the enterprises of the year.
        surveys = [r for r in _handed_in(region, "literacy_survey", this_or_last, "survey_date")]
        workers = db.session.scalar(sa.select(sa.func.count()).select_from(Record).where(
            Record.entity == "literacy_respondent", Record.parent_id.in_([r.id for r in surveys]),
            Record.deleted.is_(False)))
        assert figures["职业健康素养监测调查人数"][column] == f"{workers}人"
        assert figures["职业健康素养监测调查企业数"][column] == f"{len({r.enterprise_id for r in surveys})}家"
    # As the seed reports it: last year's 53,488 cards of the four institutions, this year's 679 workers in active
    # monitoring at 10 enterprises.
    assert figures["上报职业健康档案卡数"][1] == "53488张"
    assert figures["主动监测劳动者人数"][0] == "679人" and figures["主动监测企业数"][0] == "10家"
    # The demo year is a real year: last year's spring campaign and this year's are both there.
    assert figures["采样次数"][1] != "0次" and figures["随访患者数"][1] != "0人"
    # The first and last sampling days of the year, both counted.
    days = sorted(dt.date.fromisoformat(v.data["sampling_date"]) for v in _handed_in(region, "sampling_visit", year,
                                                                                     "sampling_date"))
    assert figures["现场监测用时（首次至末次采样）"][0] == f"{(days[-1] - days[0]).days + 1}天"
    # A figure the system does not collect says so, in both years, and is listed for the 科长 to count apart.
    assert figures["职业病防治宣传活动场次"][:2] == ("未采集", "未采集")
    assert "本系统尚未采集以下指标" in text and "职业病防治宣传活动场次" in text

    # 具备率 from each worker's answers scored by the questionnaire's rule (score ≥ 80 % of the full score).
    assert figures["劳动者职业健康素养具备率"][0] == _literacy_by_hand(region, year)
    rows = _rows(document)
    assert any(row[:1] == ["按性别"] for row in rows) and any(row[0] == "女" for row in rows if len(row) == 4)
    # The tables by hazard and by industry, and the work by month with both years' totals.
    hazards = {row[0]: row for row in rows if len(row) == 5 and row[3].endswith("%")}
    assert "苯" in hazards and "甲苯" in hazards
    months = {row[0]: row for row in rows if row and row[0].endswith("月") and row[0][:-1].isdigit()}
    assert len(months) == 12
    april = sum(1 for v in _handed_in(region, "sampling_visit", year, "sampling_date")
                if dt.date.fromisoformat(v.data["sampling_date"]).month == 4)
    assert int(months["4月"][1]) == april  # 采样 column
    # Charts are pictures in the document; no option key or float repr anywhere a person reads.
    assert len(document.inline_shapes) >= 3
    everything = text + "\n".join("|".join(row) for row in rows)
    for raw in ("sampling_visit", "benzene", "None", "nan", "0000000"):
        assert raw not in everything


def test_the_pdf_is_the_same_annex_and_the_supervision_side_gets_its_own(client, demo):
    year = demo.year
    cdc = login(client, "lh_cdc_supervisor")
    with cdc.get(f"/api/summaries/year.pdf?year={year}") as response:
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        pdf = temp_pdf(response.data)
    text = pdf.flat_text()
    for expected in (f"临河区{year}年度职业健康工作总结", "主要工作指标", "按危害因素的超标率", "各月现场工作量", "未采集"):
        assert expected in text, expected
    assert sum(len(pdf.images(page)) for page in range(1, pdf.pages + 1)) >= 3  # the charts

    supervision = login(client, "lh_supervisor")
    with supervision.get(f"/api/summaries/year.docx?year={year}") as response:
        figures = _figures(Docx(io.BytesIO(response.data)))
    inspections = _handed_in(district("临河区").id, "inspection", year, "inspection_date")
    assert figures["监督检查次数"][0] == f"{len(inspections)}次"
    assert figures["检查用人单位数"][0] == f"{len({i.enterprise_id for i in inspections})}家"
    assert "采样次数" not in figures  # the CDC's work


def test_a_year_not_yet_begun_a_field_role_and_another_district_are_refused(client, demo):
    cdc = login(client, "lh_cdc_supervisor")
    response = cdc.get(f"/api/summaries/year.docx?year={demo.year + 1}")
    assert response.status_code == 422 and error_of(response)["details"][0]["field"] == "year"
    assert cdc.get("/api/summaries/year.docx").status_code == 422
    assert login(client, "lh_sampler").get(f"/api/summaries/year.docx?year={demo.year}").status_code == 403
    other = district("东港区").id  # another district's data is not there to summarise
    assert cdc.get(f"/api/summaries/year.pdf?year={demo.year}&region_id={other}").status_code == 404
