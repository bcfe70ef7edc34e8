"""The period's records are found through the business-date index, not by reading the history: the plan of the KPI
query uses ix_records_entity_region_business_date (PostgreSQL's EXPLAIN, SQLite's EXPLAIN QUERY PLAN)."""
import datetime as dt
import uuid

import sqlalchemy as sa

from server.domain.actors import Actor
from server.domain.kpis import period_roots
from server.domain.regions import region_subtree_ids
from server.extensions import db
from server.models import Agency, Record, User
from tests.conftest import PG_URL


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
