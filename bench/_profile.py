"""Where the server spends a push or a pull: the same requests through Flask's test client, under cProfile.

Only run when a sync target is missed; the listings tell whoever optimises the server where to look. For the
no-change pull, the SQL statements of one pull are timed one by one and the records query is explained.
"""
import cProfile
import pstats
import shutil
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

from _devices import Tablet
from _server import (SERVER_TIMING, Response, create_database, drop_database, prepare_database,
                     server_environment)

TOP_CUMULATIVE, TOP_OWN = 15, 10
# Frames that merely pass the request down (Flask, webargs, smorest, limiter) cover most of the time and say
# nothing about the server's own work: they are left out of the cumulative listing.
PASS_THROUGH = ("flask/app.py", "flask_smorest/arguments.py", "flask_smorest/response.py", "webargs/core.py",
                "werkzeug/", "flask_limiter/", "server/api/access.py")


class InProcessApi:
    """The `call(method, path, body)` of the HTTP client, answered by the app in this process."""

    def __init__(self, client, token=None):
        self.client, self.token = client, token

    def call(self, method, path, body=None):
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        started = time.perf_counter()
        response = self.client.open(path, method=method, json=body, headers=headers)
        wall_ms = (time.perf_counter() - started) * 1000
        match = SERVER_TIMING.search(response.headers.get("Server-Timing", ""))
        return Response(response.status_code, response.get_json(silent=True), wall_ms,
                        float(match.group(1)) if match else float("nan"))


class ProfiledWsgi:
    """Wraps the app's WSGI callable: requests run under `profiler` while it is set (server side only)."""

    def __init__(self, wsgi_app):
        self.wsgi_app, self.profiler, self.seconds = wsgi_app, None, 0.0

    def __call__(self, environ, start_response):
        if self.profiler is None:
            return self.wsgi_app(environ, start_response)
        started = time.perf_counter()
        try:
            return self.profiler.runcall(self.wsgi_app, environ, start_response)
        finally:
            self.seconds += time.perf_counter() - started


def bench_app(env):
    """The app on the benchmark's database, in this process; requests can run under the profiler."""
    from server import create_app
    app = create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "INSTANCE_PATH": env["INSTANCE_PATH"],
                      "SECRET_KEY": env["SECRET_KEY"], "JWT_SECRET_KEY": env["JWT_SECRET_KEY"],
                      "RATELIMIT_ENABLED": False,
                      # Jobs (exports) in a thread of this process, as on SQLite: the figures are the writing's own.
                      "JOB_QUEUE": "in-process"})
    app.wsgi_app = ProfiledWsgi(app.wsgi_app)
    return app


def _where(func):
    filename, line, name = func
    short = filename.split("site-packages/")[-1].replace(str(Path(__file__).resolve().parent.parent) + "/", "")
    return f"{short}:{line}({name})"


def listing(title, profiler, total_ms, where="in the server"):
    """The profile as lines: top functions by cumulative time (pass-through frames left out), then by own time."""
    stats = pstats.Stats(profiler).stats  # func -> (primitive calls, calls, own s, cumulative s, callers)
    rows = [(cum, own, calls, func) for func, (_, calls, own, cum, _) in stats.items()]
    useful = [row for row in rows if not _where(row[3]).startswith(PASS_THROUGH)]
    lines = [f"{title}: {total_ms:.0f} ms {where} under the profiler",
             f"  top {TOP_CUMULATIVE} by cumulative time (pass-through framework frames left out):",
             "     cum ms   own ms    calls  function"]
    lines += [f"  {cum * 1000:9.1f} {own * 1000:8.1f} {calls:8d}  {_where(func)}"
              for cum, own, calls, func in sorted(useful, key=lambda r: -r[0])[:TOP_CUMULATIVE]]
    lines += [f"  top {TOP_OWN} by own time:"]
    lines += [f"  {cum * 1000:9.1f} {own * 1000:8.1f} {calls:8d}  {_where(func)}"
              for cum, own, calls, func in sorted(rows, key=lambda r: -r[1])[:TOP_OWN]]
    return lines


def _profiled(app, title, action):
    """Run `action` (requests through the test client) with the server side under cProfile."""
    wrapped = app.wsgi_app
    wrapped.profiler, wrapped.seconds = cProfile.Profile(), 0.0
    try:
        action()
    finally:
        profiler, wrapped.profiler = wrapped.profiler, None
    return listing(title, profiler, wrapped.seconds * 1000)


def _statements_of(engine, action):
    """(statement, parameters, ms) of every SQL statement `action` sends."""
    captured = []

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_started"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        captured.append((statement, parameters, (time.perf_counter() - conn.info["bench_started"]) * 1000))
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    return captured


def explain_no_change_pull(app, reader, kind):
    """The SQL of one no-change pull, each statement timed, and the plan of the records query."""
    from server.extensions import db
    with app.app_context():
        engine = db.engine
    reader.pull_all(2000)  # up to date: the next pull finds nothing
    response = []
    statements = _statements_of(engine, lambda: response.append(reader.pull_all(2000)[0][0]))
    lines = [f"no-change pull ({kind}): server {response[0].server_ms:.1f} ms, of which SQL "
             f"{sum(s[2] for s in statements):.1f} ms in {len(statements)} statements:"]
    lines += [f"  {ms:6.2f} ms  {' '.join(statement.split())[:110]}" for statement, _, ms in statements]
    records = next((s for s in statements if "FROM records" in s[0]), None)
    if records:
        explain = "EXPLAIN QUERY PLAN " if kind == "sqlite" else "EXPLAIN ANALYZE "
        with engine.connect() as connection:
            plan = [" | ".join(str(v) for v in row) for row in connection.exec_driver_sql(explain + records[0],
                                                                                            records[1])]
        lines += ["  plan of the records query:", *(f"    {row}" for row in plan)]
    return lines


def profile_sync(kind, push=True, pull=True, no_change=True, records=10_000):
    """Listings for one push of 500, an initial pull of `records` records and a no-change pull, on a fresh
    database filled through the same pushes."""
    workdir = Path(tempfile.mkdtemp(prefix="bench_sync_profile_"))
    try:
        env = server_environment(create_database(kind, workdir), workdir / "instance")
        with open(workdir / "server.log", "w") as log:
            prepare_database(env, log)
        app = bench_app(env)
        connect = lambda token, client=app.test_client(): InProcessApi(client, token)  # noqa: E731
        writer = Tablet(connect, "lh_sampler")
        writer.record_work(writer.enterprise_ids())
        for _ in range(2):  # warm-up: first requests load forms, reference data, caches
            writer.push(writer.next_batch(500))
        listings = []
        if push:
            batch = writer.next_batch(500)
            listings.append(_profiled(app, f"push of 500 mutations ({kind})", lambda: writer.push(batch)))
        while writer.seq < records:
            writer.push(writer.next_batch(1000))
        reader = Tablet(connect, "lh_sampler2")
        if pull:
            listings.append(_profiled(app, f"initial pull of {writer.seq:,} records, limit 2000 ({kind})",
                                      lambda: reader.pull_all(2000)))
        if no_change:
            listings.append(explain_no_change_pull(app, reader, kind))
        return listings
    finally:
        drop_database(kind)
        shutil.rmtree(workdir, ignore_errors=True)
