"""What is asked is found through an index, not by reading the history (PostgreSQL's EXPLAIN, SQLite's EXPLAIN QUERY
PLAN, over three years of a district's records so that the planner weighs the work asked against the history): the
KPI month by the business date, the open rectification items by their closing day, a tablet's pull by the district's
change numbers, the review queue's newest page by the roots' receive time."""
import datetime as dt
import uuid
from contextlib import contextmanager

import sqlalchemy as sa

from server.domain.actors import Actor
from server.domain.kpis import period_roots
from server.domain.regions import region_subtree_ids
from server.extensions import db
from server.models import Agency, Record, User
from tests.conftest import PG_URL
from tests.scale import PASSWORD, generated_history
from tests.support import login


def test_the_month_is_read_through_the_business_date_index(app):
    user = db.session.scalar(sa.select(User).where(User.username == "lh_cdc_supervisor"))
    agency = db.session.get(Agency, user.agency_id)
    actor = Actor(user_id=user.id, username=user.username, roles=frozenset(user.roles), agency_id=agency.id,
                  region_id=agency.region_id, region_ids=region_subtree_ids(db.session, agency.region_id),
                  agency_kind=agency.kind)
    # Three years of a district's visits (a day each), so that the planner weighs a month against the history.
    start, rows = dt.date(2024, 1, 1), []
    for n in range(3 * 365):
        day = start + dt.timedelta(days=n)
        record_id = str(uuid.uuid4())
        rows.append({"id": record_id, "entity": "sampling_visit", "root_id": record_id, "region_id": agency.region_id,
                     "agency_id": agency.id, "data": {"sampling_date": day.isoformat()}, "computed": {},
                     "field_versions": {}, "field_writers": {}, "change_no": 10_000_000 + n,
                     "created_change_no": 10_000_000 + n, "deleted": False, "conflict_open": False,
                     "review_status": "approved", "business_date": day, "created_by": user.id, "updated_by": user.id})
    db.session.execute(sa.insert(Record), rows)
    db.session.commit()
    db.session.execute(sa.text("ANALYZE records" if PG_URL else "ANALYZE"))
    db.session.commit()
    query = period_roots(actor, actor.region_ids, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    sql = str(query.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
    with db.engine.connect() as conn:
        if PG_URL:
            plan = "\n".join(row[0] for row in conn.execute(sa.text(f"EXPLAIN {sql}")))
        else:
            plan = "\n".join(row[-1] for row in conn.execute(sa.text(f"EXPLAIN QUERY PLAN {sql}")))
    assert "ix_records_entity_region_business_date" in plan, plan


def _history(app):
    """Three years of two districts' work as the scale benchmark makes it (bench/_scale_data.py): visits with their
    samples, inspections with findings and rectification items (most closed), assistance visits, follow-ups."""
    built = generated_history(app, districts=2, months=36, end=dt.date(2026, 11, 20), enterprises_per_district=60,
                              username_prefix="qp")
    db.session.execute(sa.text("ANALYZE records" if PG_URL else "ANALYZE"))
    db.session.commit()
    return built.districts[0]["prefix"]


@contextmanager
def _statements():
    """The SELECT statements run inside the block, with their parameters."""
    seen = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))
    sa.event.listen(db.engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", keep)


def _plan(statement, parameters, *, small_table=False):
    """The plan of a statement. `small_table`: on PostgreSQL, sequential reads are ruled out first — a test's table
    is small enough that reading all of it and sorting is cheapest, where a province's (bench/bench_scale.py) is not;
    the plan then shows whether an index serves the query as asked."""
    with db.engine.connect() as conn:
        if PG_URL and small_table:
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        if PG_URL:
            return "\n".join(row[0] for row in conn.exec_driver_sql(f"EXPLAIN {statement}", parameters))
        return "\n".join(str(row[-1]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters))


def test_the_open_rectification_items_are_read_through_their_closing_day(app, client):
    prefix = _history(app)
    supervisor = login(client, f"{prefix}_supervisor", PASSWORD)
    with _statements() as seen:
        listing = supervisor.get("/api/rectifications").get_json()
    assert listing["summary"]["overdue"] and listing["summary"]["closed"]
    open_items = next((s, p) for s, p in seen if "closed_on IS NULL" in s)
    assert "ix_records_entity_region_closed_on" in _plan(*open_items)


def test_a_tablets_pull_reads_its_districts_changes_in_order(app, client):
    prefix = _history(app)
    inspector = login(client, f"{prefix}_inspector", PASSWORD, device_id=str(uuid.uuid4()))
    with _statements() as seen:
        body = inspector.get("/api/sync/pull?limit=100&protocol=2").get_json()
    assert body["has_more"]
    records = next((s, p) for s, p in seen if "FROM records" in s and "change_no" in s)
    assert "ix_records_region_change_no" in _plan(*records)


def test_the_review_queues_newest_page_is_read_through_the_receive_time(app, client):
    _history(app)
    province = login(client, "qp_supervisor", PASSWORD)  # the commission's: every root of the province
    with _statements() as seen:
        page = province.get("/api/records?sort=received&order=desc&per_page=20").get_json()
    assert len(page["items"]) == 20
    newest = next((s, p) for s, p in seen if "ORDER BY records.created_at DESC" in s)
    plan = _plan(*newest, small_table=True)
    if PG_URL:
        # A province's server: the newest roots are read in order from the roots' receive-time index, and reading
        # stops at the page.
        assert "ix_records_roots_created_at" in plan and "Seq Scan" not in plan, plan
    else:
        # The embedded database serves a district: its roots are found by index (never a scan of every record) and
        # sorted.
        assert "USING INDEX" in plan and "SCAN records" not in plan, plan
