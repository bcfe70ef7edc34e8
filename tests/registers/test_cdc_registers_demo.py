"""The demo district's CDC registers (server/demo/cdc_registers.py), loaded through the sync protocol like the rest
of the demo work: the CDC's office opens the three ledgers with the year's figures of the seed's year-end summary,
this year's against last year's, and the supervision agency sees none of it."""
import datetime as dt

import pytest

from server.demo.cdc_registers import SEEDED, seed_cdc_registers
from server.demo.work import LINHE, DistrictWork, Office, Timeline, services_of
from server.domain import ledger_registry  # noqa: F401  (registers the ledgers)
from server.domain.ledgers import LEDGERS, ledger_figures, ledger_page
from server.domain.reference_store import table_data
from server.extensions import db


@pytest.fixture
def office(app, clock):
    office = Office(services_of(app, db.session))
    timeline = Timeline(office)
    seed_cdc_registers(DistrictWork(office, timeline, LINHE))
    timeline.run()
    return office


def _tiles(office, date_from, date_to, username="lh_cdc_supervisor"):
    actor = office.actor(username)
    targets = {row["key"]: row for row in table_data(db.session, "kpi_targets")}
    return {group["kind"]: {t["key"]: t for t in group["tiles"]} for group in ledger_figures(
        db.session, actor, actor.region_ids, date_from, date_to, office.today, targets)}


def _years(today):
    start = today.replace(month=1, day=1)
    return (start, today), (start.replace(year=today.year - 1), start - dt.timedelta(days=1))


def test_the_institutions_ledger_shows_an_overdue_finding_a_rectified_one_and_one_being_rectified(office):
    page = ledger_page(db.session, office.actor("lh_cdc_supervisor"), LEDGERS["exam_institutions"], office.today)
    lines = {line["institution_name"]: line for line in page["items"]}
    assert len(lines) == SEEDED["institutions"]
    assert lines["临河区康宁医院"]["state_zh"] == "整改逾期" and "已逾期" in lines["临河区康宁医院"]["open_findings"]
    assert lines["临河区妇幼保健院"]["state_zh"] == "整改中"
    assert {lines["临河区人民医院"]["state_zh"], lines["临河区老年病医院"]["state_zh"]} == {"已督导"}
    assert page["items"][0]["institution_name"] == "临河区康宁医院"  # most urgent first
    assert lines["临河区人民医院"]["cards"] == f"{office.today.year}年 13120 张；{office.today.year - 1}年 15215 张"


def test_the_year_s_figures_are_the_seed_s_summary_and_last_year_s_are_smaller(office):
    this_year, last_year = _years(office.today)
    now, before = _tiles(office, *this_year), _tiles(office, *last_year)
    institutions = now["exam_institutions"]
    assert institutions["health_record_cards"]["value"] == SEEDED["cards_this_year"]
    assert before["exam_institutions"]["health_record_cards"]["value"] == SEEDED["cards_last_year"]
    coverage = institutions["supervision_coverage"]
    assert (coverage["part"], coverage["whole"], coverage["meets_target"]) == (4, 4, True)
    assert before["exam_institutions"]["supervision_coverage"]["part"] == 1
    assert (institutions["findings"]["value"], institutions["findings_rectified"]["value"]) == \
        (SEEDED["findings_this_year"], 1)

    trainings = now["trainings"]
    assert trainings["sessions"]["value"] == SEEDED["sessions_this_year"]
    assert trainings["people"]["value"] == SEEDED["people_this_year"]
    assert trainings["people"]["detail_zh"].startswith(f"用人单位负责人和管理人员 {SEEDED['managers_this_year']} 人")
    assert "帮扶企业 80 人" in trainings["people"]["detail_zh"] and "放射工作人员 152 人" in trainings["people"]["detail_zh"]
    assert trainings["enterprises"]["value"] == SEEDED["enterprises_trained_this_year"]
    assert (before["trainings"]["sessions"]["value"], before["trainings"]["people"]["value"]) == \
        (SEEDED["sessions_last_year"], SEEDED["people_last_year"])

    exams = now["health_exams"]
    assert exams["examined"]["value"] == SEEDED["examined_this_year"]
    assert exams["active_monitoring_workers"]["value"] == SEEDED["active_workers_this_year"]
    assert exams["active_monitoring_enterprises"]["value"] == SEEDED["active_enterprises_this_year"]
    assert exams["suspected"]["value"] == SEEDED["suspected_this_year"]
    assert exams["contraindications"]["value"] == SEEDED["contraindications_this_year"]
    assert before["health_exams"]["active_monitoring_workers"]["value"] == SEEDED["active_workers_last_year"]


def test_the_ledgers_list_every_file_in_words_and_the_supervision_agency_sees_none(office):
    actor = office.actor("lh_cdc_supervisor")
    trainings = ledger_page(db.session, actor, LEDGERS["trainings"], office.today)
    assert trainings["all"] == SEEDED["sessions_this_year"] + SEEDED["sessions_last_year"]
    assisted = next(line for line in trainings["items"] if line["kind"] == "帮扶企业"
                    and line["held_on"].startswith(str(office.today.year)))
    assert (assisted["people"], assisted["enterprises"], assisted["state_zh"]) == ("80 人", "40 家", "已举办")
    exams = ledger_page(db.session, actor, LEDGERS["health_exams"], office.today)
    assert exams["all"] == SEEDED["batches_this_year"] + SEEDED["batches_last_year"]
    assert {s["key"]: s["count"] for s in exams["states"]}["unreported"] == 1
    active = [line for line in exams["items"] if line["kind"] == "主动监测"]
    assert all(line["institution"] == "临河区人民医院" for line in active)
    figures = _tiles(office, *_years(office.today)[0], username="lh_supervisor")
    assert not {"exam_institutions", "trainings", "health_exams"} & set(figures)
    assert ledger_page(db.session, office.actor("dg_cdc_supervisor"), LEDGERS["trainings"], office.today)["all"] == 0
