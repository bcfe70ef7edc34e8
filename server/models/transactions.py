"""Transaction modes that the two databases need spelled differently.

SQLite: WAL journal, foreign keys on, and an explicit BEGIN so that a writer can take the write lock
up front (BEGIN IMMEDIATE). Without it, a transaction that read first and writes later can fail with
"database is locked" when another writer committed in between, instead of waiting its turn.
PostgreSQL: a pull reads several tables and the device's sequence; REPEATABLE READ gives all of them
one snapshot.
"""
import sqlite3

from sqlalchemy import event

_SQLITE_BEGIN = "sqlite_begin"


def install_sqlite_behaviour(engine):
    """Attach the connection pragmas and the BEGIN handling to an SQLite engine (no-op otherwise)."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, see _on_begin
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        mode = connection.get_execution_options().get(_SQLITE_BEGIN, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def _fresh_transaction(session):
    """End the read-only transaction a request may have opened (authentication reads the user) so the
    next one starts with the mode we ask for. Unsaved changes would be lost: refuse instead."""
    real = session() if hasattr(session, "registry") else session  # a scoped_session proxies the real one
    if real.new or real.dirty or real.deleted:
        raise RuntimeError("a write or snapshot transaction must start before any change is made")
    if real.in_transaction():
        real.commit()
    return real


def begin_write(session):
    """Start the session's transaction as a writer: SQLite takes the write lock now (waiting its turn)."""
    return _fresh_transaction(session).connection(execution_options={_SQLITE_BEGIN: "IMMEDIATE"})


def begin_snapshot(session):
    """Start a read transaction whose queries all see one snapshot."""
    session = _fresh_transaction(session)
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        return session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    # SQLite in WAL mode: a deferred transaction keeps the snapshot of its first read.
    return session.connection()


def for_update(statement, session):
    """Add FOR UPDATE where the database has row locks (SQLite already holds the write lock)."""
    if session.get_bind().dialect.name == "postgresql":
        return statement.with_for_update()
    return statement


def is_postgres(session):
    """True when the session talks to PostgreSQL."""
    return session.get_bind().dialect.name == "postgresql"


__all__ = ["install_sqlite_behaviour", "begin_write", "begin_snapshot", "for_update", "is_postgres"]
