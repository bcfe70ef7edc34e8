"""Fixtures: a real database (SQLite by default, PostgreSQL when TEST_DATABASE_URL is set), migrated and seeded
with the demo city once per session; before every test it is put back into that seeded state."""
import os
import shutil
import tempfile
import threading

import pytest
import sqlalchemy as sa

from server import create_app
from server.clock import FrozenClock
from server.extensions import db, limiter
from tests.support import BUSINESS_NOW

PG_URL = os.environ.get("TEST_DATABASE_URL")


def pytest_configure(config):
    """Renderers build the common-characters face (server/documents/commonfont.py) into this run's own directory."""
    config._document_fonts = tempfile.mkdtemp(prefix="document-fonts-")
    os.environ["DOCUMENT_FONT_CACHE"] = config._document_fonts


def pytest_unconfigure(config):
    shutil.rmtree(getattr(config, "_document_fonts", ""), ignore_errors=True)
    # The rate limiter's in-memory storage keeps a threading.Timer per app; under libfaketime (the year-boundary
    # runs) a timed wait may never time out, so the timers are ended here and the run can exit.
    for thread in threading.enumerate():
        if isinstance(thread, threading.Timer):
            thread.cancel()


def pytest_report_header(config):
    return f"database: {'PostgreSQL ' + PG_URL if PG_URL else 'SQLite'}"


def pytest_collection_modifyitems(config, items):
    """Concurrency tests that only PostgreSQL can show run in the PostgreSQL pass (`make test` runs both)."""
    if PG_URL:
        return
    kept = [item for item in items if "pg_only" not in item.keywords]
    deselected = [item for item in items if "pg_only" in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


def _overrides(tmp_path, url):
    return {"APP_ENV": "testing", "TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
            "INSTANCE_PATH": str(tmp_path / "instance"), "BLOB_ROOT": str(tmp_path / "blobs"),
            "PASSWORD_HASH_PROFILE": "fast", "SECRET_KEY": "test-secret-" + "x" * 40,
            "JWT_SECRET_KEY": "test-jwt-secret-" + "y" * 40, "LOGIN_RATE_LIMIT": "1000 per minute"}


def _seed(app):
    from server.cli import setup_database
    from server.demo.seed import seed_demo

    with app.app_context():
        setup_database()
        seed_demo(db.session, app.extensions["password_hasher"])
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def _reset_postgres(url):
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def _postgres_snapshot(app):
    """Every table's rows as COPY data, taken once from the seeded database."""
    with app.app_context():
        tables = [t.name for t in db.metadata.sorted_tables] + ["alembic_version"]
        raw = db.engine.raw_connection()
        try:
            with raw.cursor() as cursor:
                data = {}
                for table in tables:
                    with cursor.copy(f"COPY {table} TO STDOUT") as copy:
                        data[table] = b"".join(bytes(chunk) for chunk in copy)
        finally:
            raw.close()
        db.engine.dispose()
    return data


def _postgres_restore(app, snapshot):
    """Empty every table and COPY the snapshot back; sequences continue after the restored ids."""
    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            with raw.cursor() as cursor:
                # No trigger or FK checks while reloading; DELETE of these small tables is far cheaper than
                # TRUNCATE, which creates new files for every table.
                cursor.execute("SET session_replication_role = replica")
                cursor.execute("SET synchronous_commit = off")
                for table in snapshot:
                    cursor.execute(f"DELETE FROM {table}")
                for table, rows in snapshot.items():
                    if rows:
                        with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                            copy.write(rows)
                cursor.execute("""SELECT table_name, column_name FROM information_schema.columns
                                  WHERE table_schema = 'public' AND column_default LIKE 'nextval%'""")
                for table, column in cursor.fetchall():
                    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                                   f"COALESCE((SELECT max({column}) FROM {table}), 0) + 1, false)")
                cursor.execute("SET session_replication_role = DEFAULT")
            raw.commit()
        finally:
            raw.close()


class Database:
    """The session's test database and how to put it back into the seeded state."""

    def __init__(self, base):
        if PG_URL:
            _reset_postgres(PG_URL)
            self.url = PG_URL
            seed_app = create_app(_overrides(base, self.url))
            _seed(seed_app)
            self.snapshot = _postgres_snapshot(seed_app)
        else:
            self.template = base / "template.db"
            seed_app = create_app(_overrides(base, f"sqlite:///{self.template}"))
            _seed(seed_app)
            engine = sa.create_engine(f"sqlite:///{self.template}")
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
            self.path = base / "app.db"
            self.url = f"sqlite:///{self.path}"
        self.app = create_app(_overrides(base, self.url))

        @self.app.teardown_request
        def _end_session(_error):
            # Test-client requests reuse the test's app context and so its session; ending the session after
            # each request gives every request (and the test's next read) a fresh transaction, as in production.
            db.session.remove()

    def close(self):
        """Close the shared app's connections (end of the session)."""
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()

    def reset(self):
        """Seeded state again; connections of the shared app are closed first."""
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()
        if PG_URL:
            _postgres_restore(self.app, self.snapshot)
        else:
            for suffix in ("-wal", "-shm"):
                self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
            shutil.copyfile(self.template, self.path)


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    database = Database(tmp_path_factory.mktemp("database"))
    yield database
    database.close()


@pytest.fixture(scope="session")
def job_worker(database):
    """On PostgreSQL, exports and other jobs go through the queue: a worker serves the shared app in a thread of the
    test process (what `flask jobs worker` runs), so a job sees the test's blob folder and business clock."""
    if not PG_URL:
        yield None
        return
    from server.jobs import JobWorker

    worker = JobWorker(database.app, install_signal_handlers=False)
    thread = threading.Thread(target=worker.run, name="job-worker", daemon=True)
    thread.start()
    yield worker
    worker.worker.stop()
    thread.join(timeout=30)


@pytest.fixture
def fresh_database(database, job_worker):
    database.reset()
    return database


@pytest.fixture
def app_factory(tmp_path, fresh_database):
    """A separate app with extra config (e.g. a strict rate limit) on the freshly reset database."""
    apps = []

    def build(**extra):
        app = create_app({**_overrides(tmp_path, fresh_database.url), **extra})
        app.extensions["clock"] = FrozenClock(BUSINESS_NOW, ticking=True)
        apps.append(app)
        return app
    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(fresh_database, tmp_path):
    """The shared app on the freshly reset database, with this test's own blob directory and its own business
    clock, set to BUSINESS_NOW (China time) and running on from there; a test moves it with the `clock` fixture."""
    app = fresh_database.app
    app.config.update(BLOB_ROOT=str(tmp_path / "blobs"), INSTANCE_PATH=str(tmp_path / "instance"))
    app.extensions["clock"] = FrozenClock(BUSINESS_NOW, ticking=True)
    with app.app_context():
        limiter.reset()
        yield app
        db.session.remove()


@pytest.fixture
def clock(app):
    """The app's business clock (set to BUSINESS_NOW): `clock.set("2027-01-01T00:10:00+08:00")` moves it."""
    return app.extensions["clock"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
