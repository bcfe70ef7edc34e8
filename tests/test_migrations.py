"""The schema is managed by migrations: an empty database upgraded to head equals the models."""
import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from server import create_app
from server.cli import setup_database
from server.extensions import db
from tests.conftest import PG_URL

MIGRATION_DB = "test_migrations"


@pytest.fixture
def empty_database_url(tmp_path):
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {MIGRATION_DB}"))
        conn.execute(sa.text(f"CREATE DATABASE {MIGRATION_DB}"))
    url = sa.make_url(PG_URL).set(database=MIGRATION_DB)
    yield url.render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {MIGRATION_DB} WITH (FORCE)"))
    admin.dispose()


def test_empty_database_upgrades_to_head_and_matches_the_models(tmp_path, empty_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "INSTANCE_PATH": str(tmp_path),
                      "APP_ENV": "testing"})
    with app.app_context():
        setup_database()
        with db.engine.connect() as conn:
            # The job queue's own tables (procrastinate_*, PostgreSQL) are the library's, as in migrations/env.py.
            opts = {"compare_type": True, "include_name": lambda name, type_, _: not (
                type_ == "table" and name.startswith("procrastinate_"))}
            diff = compare_metadata(MigrationContext.configure(conn, opts=opts), db.metadata)
            tables = set(sa.inspect(conn).get_table_names())
        db.engine.dispose()
    assert diff == []
    assert {"enterprises", "users", "devices", "sync_state", "alembic_version"} <= tables


def test_setup_is_idempotent(tmp_path, empty_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "INSTANCE_PATH": str(tmp_path),
                      "APP_ENV": "testing"})
    with app.app_context():
        setup_database()
        setup_database()
        assert db.session.execute(sa.text("SELECT count(*) FROM sync_state")).scalar() == 1
        db.session.remove()
        db.engine.dispose()


def test_the_suite_runs_on_the_database_it_was_asked_for(app):
    dialect = db.engine.dialect.name
    assert dialect == ("postgresql" if os.environ.get("TEST_DATABASE_URL") else "sqlite")
