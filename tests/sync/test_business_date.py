"""The date of a record's work (sampling, inspection, visit, follow-up date) is a column set whenever the record is
written — by a push, an edit, a resolution — and by the migration for records written before it, so that a period's
figures are read by index instead of every record of a district's history."""
import datetime as dt
import json

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from server import create_app
from server.extensions import db
from server.models import Record
from tests.support import login
from tests.sync.tablets import Tablet, visit_fields


def _day(record_id):
    db.session.expire_all()
    return db.session.get(Record, record_id).business_date


def test_a_push_sets_the_date_and_an_edit_moves_it(client):
    tablet = Tablet(login(client, "lh_sampler"))
    enterprise = tablet.caller.get("/api/enterprises?per_page=1").get_json()["items"][0]["id"]
    visit = tablet.create("sampling_visit", visit_fields(enterprise, sampling_date="2026-05-06"))
    undated = tablet.create("sampling_visit", {"enterprise_id": enterprise, "task_no": "T-undated"})
    assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
    assert (_day(visit), _day(undated)) == (dt.date(2026, 5, 6), None)
    tablet.update(visit, {"sampling_date": "2026-06-01"})
    tablet.update(undated, {"sampling_date": "2026-06-02"})
    assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
    assert (_day(visit), _day(undated)) == (dt.date(2026, 6, 1), dt.date(2026, 6, 2))


def test_the_migration_dates_the_records_written_before_it(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}", "INSTANCE_PATH": str(tmp_path),
                      "APP_ENV": "testing"})
    with app.app_context():
        upgrade(revision="0013_monitoring_chain")
        raw = db.engine.raw_connection()  # rows of an old database, without its users and regions
        cursor = raw.cursor()
        cursor.execute("PRAGMA foreign_keys=OFF")
        for record_id, entity, data in (("a", "sampling_visit", {"sampling_date": "2025-03-04"}),
                                        ("b", "followup", {"followup_date": "2024-12-31"}),
                                        ("c", "inspection", {"inspection_date": "not a date"}),
                                        ("d", "sample", {"sampling_date": "2025-03-04"})):
            cursor.execute(
                "INSERT INTO records (id, entity, root_id, region_id, agency_id, data, computed, field_versions,"
                " field_writers, change_no, created_change_no, deleted, conflict_open, created_by, created_at,"
                " updated_by, updated_at) VALUES (?, ?, ?, 1, 1, ?, '{}', '{}', '{}', 1, 1, 0, 0,"
                " 1, '2025-01-01 00:00:00', 1, '2025-01-01 00:00:00')", (record_id, entity, record_id, json.dumps(data)))
        raw.commit()
        raw.close()
        upgrade()
        with db.engine.connect() as conn:
            dated = dict(conn.execute(sa.text("SELECT id, business_date FROM records ORDER BY id")).all())
        assert dated == {"a": "2025-03-04", "b": "2024-12-31", "c": None, "d": None}
        downgrade(revision="0013_monitoring_chain")
        db.engine.dispose()
