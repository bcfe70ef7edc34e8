"""The demo district's radiology ledger (server/demo/radiology.py), loaded through the sync protocol like the rest of
the demo work: each state of the ledger is in it, and the inspected hospital counts towards the coverage."""
import datetime as dt

import pytest

from server.demo.radiology import seed_radiology
from server.demo.work import LINHE, DistrictWork, Office, Timeline, services_of
from server.domain import ledger_registry  # noqa: F401  (registers the ledgers)
from server.domain.ledgers import LEDGERS, ledger_figures, ledger_page
from server.domain.reference_store import table_data
from server.extensions import db


@pytest.fixture
def office(app, clock):
    office = Office(services_of(app, db.session))
    timeline = Timeline(office)
    seed_radiology(DistrictWork(office, timeline, LINHE))
    timeline.run()
    return office


def test_the_demo_ledger_opens_with_every_state_and_the_overdue_device_in_words(office):
    page = ledger_page(db.session, office.actor("lh_supervisor"), LEDGERS["radiology"], office.today)
    lines = {line["institution"]: line for line in page["items"]}
    assert lines["临河区人民医院"]["state_zh"] == "逾期"
    assert "数字化X射线摄影系统（DR） 稳定性检测逾期" in lines["临河区人民医院"]["overdue"]
    assert lines["临河区人民医院"]["issuing_level"] == "市级卫生健康行政部门"
    assert lines["临河区中医医院"]["state"] == "normal" and lines["临河区中医医院"]["overdue"] == "无"
    assert lines["临河区城东社区卫生服务中心"]["state"] == "due_soon"
    assert page["items"][0]["institution"] == "临河区人民医院"  # most urgent first
    counts = {state["key"]: state["count"] for state in page["states"]}
    assert counts["overdue"] == 1 and counts["normal"] == 1 and sum(counts.values()) == 4


def test_the_hospital_inspected_this_month_counts_towards_the_coverage(office):
    today = office.today
    actor = office.actor("lh_supervisor")
    targets = {row["key"]: row for row in table_data(db.session, "kpi_targets")}
    figures = ledger_figures(db.session, actor, actor.region_ids, today.replace(day=1), today, today, targets)
    tiles = {t["key"]: t for t in next(f for f in figures if f["kind"] == "radiology")["tiles"]}
    assert tiles["institutions"]["value"] == 4 and tiles["devices"]["value"] == 8
    assert tiles["devices_overdue"]["value"] == 1
    coverage = tiles["inspection_coverage"]
    assert (coverage["part"], coverage["whole"], coverage["target_pct"]) == (1, 4, 70)
    assert coverage["meets_target"] is False and "市级 1/2 家" in coverage["detail_zh"]
    assert "3 家未关联用人单位名录" in coverage["detail_zh"]
    assert tiles["stability_on_time"]["part"] == 7 and tiles["stability_on_time"]["whole"] == 8
    # Another district's demo files are not this supervisor's.
    other = office.actor("dg_supervisor")
    assert ledger_page(db.session, other, LEDGERS["radiology"], today)["all"] == 0
    assert dt.date.fromisoformat(next(line["due_on"] for line in ledger_page(
        db.session, actor, LEDGERS["radiology"], today)["items"] if line["state"] == "overdue")) < today
