"""职业病危害项目申报 on the registry as the district's 执法大队 keeps it: a supervisor records an enterprise's first and
latest declaration, reads the next one due a year on, the tablets receive it, a wrong or future date is refused with
the reason, and the dashboard counts the year's first declarations against last year and the work plan's +20 %."""
import datetime as dt

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import Enterprise, ReferenceRow
from tests.support import district, error_of, login
from tests.sync.tablets import Tablet


def _ids(region_name, count):
    region = district(region_name)
    return list(db.session.scalars(sa.select(Enterprise.id).where(Enterprise.region_id == region.id)
                                   .order_by(Enterprise.name).limit(count)))


def _declare(caller, enterprise_id, first=None, last=None):
    data = {}
    if first is not None:
        data["first_declared_on"] = first.isoformat()
    if last is not None:
        data["last_declared_on"] = last.isoformat()
    return caller.patch(f"/api/enterprises/{enterprise_id}", json=data)


def test_a_declaration_is_due_again_a_year_after_the_latest_and_reaches_the_tablets(client, clock):
    supervisor = login(client, "lh_supervisor")
    today = clock.today()
    plant, shop, leap = _ids("临河区", 3)
    first, last = dt.date(today.year - 3, 5, 6), today - dt.timedelta(days=40)
    body = _declare(supervisor, plant, first, last).get_json()
    assert body["first_declared_on"] == first.isoformat() and body["last_declared_on"] == last.isoformat()
    # Annual update (reference table declaration_rules): the same day a year after the latest declaration.
    assert body["declaration_due_on"] == last.replace(year=last.year + 1).isoformat()
    # Only a first declaration on file: the next is due a year after it.
    only_first = dt.date(today.year - 1, 8, 15)
    assert _declare(supervisor, shop, first=only_first).get_json()["declaration_due_on"] == \
        dt.date(today.year, 8, 15).isoformat()
    # 29 February declared: due on the last day of the next February.
    assert _declare(supervisor, leap, first=dt.date(2024, 2, 29)).get_json()["declaration_due_on"] == "2025-02-28"
    assert supervisor.get(f"/api/enterprises/{plant}").get_json()["declaration_due_on"] == \
        last.replace(year=last.year + 1).isoformat()

    tablet = Tablet(login(client, "lh_inspector"))
    enterprises = {c["id"]: c["data"] for c in tablet.pull() if c["kind"] == "enterprise"}
    assert enterprises[plant]["first_declared_on"] == first.isoformat()
    assert enterprises[plant]["last_declared_on"] == last.isoformat()
    assert enterprises[plant]["declaration_due_on"] == last.replace(year=last.year + 1).isoformat()
    assert enterprises[leap]["declaration_due_on"] == "2025-02-28"
    # An update later on reaches the tablet with its new due date.
    newer = today - dt.timedelta(days=2)
    _declare(supervisor, leap, last=newer)
    changed = {c["id"]: c["data"] for c in tablet.pull() if c["kind"] == "enterprise"}
    assert changed[leap]["declaration_due_on"] == newer.replace(year=newer.year + 1).isoformat()


def test_a_first_declaration_after_the_latest_or_a_date_after_today_is_refused_with_the_reason(client, clock):
    supervisor = login(client, "lh_supervisor")
    today = clock.today()
    plant = _ids("临河区", 1)[0]
    response = _declare(supervisor, plant, first=today - dt.timedelta(days=10), last=today - dt.timedelta(days=30))
    assert response.status_code == 422
    details = error_of(response)["details"]
    assert [(d["field"], d["code"]) for d in details] == [("first_declared_on", "after_latest")]
    assert "初次申报日期不能晚于最近申报/变更日期" in details[0]["message"]

    # One date changed alone is judged against the other one on file.
    assert _declare(supervisor, plant, first=today - dt.timedelta(days=300),
                    last=today - dt.timedelta(days=100)).status_code == 200
    alone = _declare(supervisor, plant, first=today - dt.timedelta(days=50))
    assert alone.status_code == 422
    assert [(d["field"], d["code"]) for d in error_of(alone)["details"]] == [("first_declared_on", "after_latest")]

    # Tomorrow by the business clock is in the future, whatever the host's date.
    future = _declare(supervisor, plant, last=today + dt.timedelta(days=1))
    assert future.status_code == 422
    (detail,) = error_of(future)["details"]
    assert detail["field"] == "last_declared_on" and detail["code"] == "future"
    assert detail["message"] == f"最近申报/变更日期不能晚于今天（{today.isoformat()}）"
    # Nothing refused was stored.
    kept = supervisor.get(f"/api/enterprises/{plant}").get_json()
    assert kept["first_declared_on"] == (today - dt.timedelta(days=300)).isoformat()
    assert kept["last_declared_on"] == (today - dt.timedelta(days=100)).isoformat()
    # The clock moved on a day: the same date is today and accepted.
    clock.advance(days=1)
    assert _declare(supervisor, plant, last=today + dt.timedelta(days=1)).status_code == 200


def test_field_staff_cannot_record_declarations_and_other_districts_do_not_exist(client):
    inspector = login(client, "lh_inspector")
    plant = _ids("临河区", 1)[0]
    response = _declare(inspector, plant, first=dt.date(2020, 1, 6))
    assert response.status_code == 403
    assert {d["field"] for d in error_of(response)["details"]} == {"first_declared_on"}
    other = _ids("东港区", 1)[0]
    assert _declare(login(client, "lh_supervisor"), other, first=dt.date(2020, 1, 6)).status_code == 404
    assert _declare(login(client, "dg_supervisor"), other, first=dt.date(2020, 1, 6)).status_code == 200


def _figures(caller, date_from, date_to, **extra):
    query = {"date_from": date_from.isoformat(), "date_to": date_to.isoformat(), **extra}
    response = caller.get("/api/kpis", query_string=query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_first_declarations_of_the_year_against_last_year_and_the_growth_target(client, clock):
    today = clock.today()
    year = today.year
    lh_ids, dg_ids = _ids("临河区", 8), _ids("东港区", 2)
    lh, dg = login(client, "lh_supervisor"), login(client, "dg_supervisor")
    this_year = [dt.date(year, 2, 3), dt.date(year, 6, 30), dt.date(year, 9, 1)]
    last_year = [dt.date(year - 1, 4, 9), dt.date(year - 1, 10, 20)]
    late_last_year = dt.date(year - 1, 12, 5)  # after today's date a year ago: not in last year's same dates
    older = dt.date(year - 3, 3, 3)
    for enterprise_id, first in zip(lh_ids, [*this_year, *last_year, late_last_year, older]):
        assert _declare(lh, enterprise_id, first=first).status_code == 200
    # Declared, first date unknown: counts as declared, not as a first declaration of any year.
    assert _declare(lh, lh_ids[7], last=dt.date(year, 1, 15)).status_code == 200
    assert _declare(dg, dg_ids[0], first=dt.date(year, 5, 5)).status_code == 200  # another district

    period_from = dt.date(year, 1, 1)
    figures = _figures(lh, period_from, today, yoy="true")
    d = figures["declarations"]
    registry = db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise)
                                 .where(Enterprise.region_id == district("临河区").id))
    # By hand: 3 first declarations this year; last year's same dates hold 2 (5 December is after them).
    assert d["first_declarations"] == 3 and d["first_declarations_base"] == 2 and d["base_year"] == year - 1
    assert d["first_change_pct"] == 50.0
    # Employers declared by today: 3 + 2 + 1 + 1 = 7; by the end of last year: 2 + 1 + 1 = 4; +75 % ≥ +20 %.
    assert d["declared_by_end"] == 7 and d["declared_by_base_end"] == 4
    assert d["declared_growth_pct"] == 75.0 and d["growth_target_pct"] == 20 and d["growth_meets_target"] is True
    assert d["declared"] == 8 and d["undeclared"] == registry - 8
    assert d["declared_pct"] == round(8 / registry * 100, 1)
    # Overdue: a year after the latest declaration has passed (older, and those of last year before today's date).
    assert d["overdue"] == 1 + 2
    # The same period last year, as the dashboard compares it: last year's two.
    assert figures["previous"]["declarations"]["first_declarations"] == 2

    # The commission sees the city: the other district's first declaration joins this year's.
    city = _figures(login(client, "city_supervisor"), period_from, today)["declarations"]
    assert city["first_declarations"] == 4 and city["declared_by_end"] == 8
    assert _figures(dg, period_from, today)["declarations"]["first_declarations"] == 1
    # Declarations are the supervision side's work: a CDC's dashboard has none.
    assert _figures(login(client, "lh_cdc_supervisor"), period_from, today)["declarations"] is None


@pytest.mark.parametrize("years_back, by_base_end, growth, met", [(None, 6, 16.7, False), (2, 4, 75.0, True)])
def test_the_growth_is_measured_from_the_base_year_the_target_row_sets(client, clock, years_back, by_base_end, growth,
                                                                       met):
    today = clock.today()
    year = today.year
    lh = login(client, "lh_supervisor")
    firsts = [dt.date(year, 2, 3), dt.date(year - 1, 4, 9), dt.date(year - 1, 5, 9), dt.date(year - 2, 6, 1),
              dt.date(year - 3, 3, 3), dt.date(year - 3, 7, 7), dt.date(year - 4, 1, 1)]
    for enterprise_id, first in zip(_ids("临河区", len(firsts)), firsts):
        assert _declare(lh, enterprise_id, first=first).status_code == 200
    if years_back:  # a district following the seed names its base year (目标 "在2023年底基础上")
        row = db.session.scalar(sa.select(ReferenceRow).where(ReferenceRow.table_name == "kpi_targets",
                                                              ReferenceRow.key == "declaration_growth"))
        row.data = {**row.data, "base_year": year - years_back}
        db.session.commit()
    d = _figures(lh, dt.date(year, 1, 1), today)["declarations"]
    # By hand: 7 declared by today; 6 by the end of last year (+1/6 = +16.7 %, short of +20 %); 4 by the end of the
    # year before (+3/4 = +75 %).
    assert d["base_year"] == year - (years_back or 1)
    assert d["declared_by_end"] == 7 and d["declared_by_base_end"] == by_base_end
    assert d["declared_growth_pct"] == growth and d["growth_meets_target"] is met
    # First declarations in the same dates of the base year: two last year, one (1 June) the year before.
    assert d["first_declarations_base"] == (1 if years_back else 2)


def test_declaration_dates_pushed_from_a_device_follow_the_same_rules(client, clock):
    today = clock.today()
    plant, shop = _ids("临河区", 2)
    tablet = Tablet(login(client, "lh_supervisor"))
    for enterprise_id in (plant, shop):  # the registry as the tablet holds it
        tablet.replica[enterprise_id] = {"entity": "enterprise", "data": {}, "field_versions": {}}
    last = today - dt.timedelta(days=10)
    tablet.update(plant, {"first_declared_on": "2020-03-02", "last_declared_on": last.isoformat()})
    tablet.update(shop, {"last_declared_on": (today + dt.timedelta(days=3)).isoformat()})
    tablet.update(shop, {"first_declared_on": "2020-13-40"})
    results = tablet.push()["results"]
    assert results[0]["status"] == "applied"
    stored = db.session.get(Enterprise, plant)
    assert stored.first_declared_on == dt.date(2020, 3, 2) and stored.last_declared_on == last
    assert stored.declaration_due_on == last.replace(year=last.year + 1)  # the next one due, as from the office
    future, unreadable = results[1], results[2]
    assert future["status"] == "rejected" and future["error"]["details"][0]["field"] == "last_declared_on"
    assert "不能晚于今天" in future["error"]["details"][0]["message"]
    assert unreadable["status"] == "rejected" and unreadable["error"]["details"][0]["field"] == "first_declared_on"
    db.session.expire_all()
    assert db.session.get(Enterprise, shop).last_declared_on is None  # nothing stored from a refused change
