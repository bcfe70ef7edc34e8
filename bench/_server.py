"""A real server for benchmarks: a fresh database, `flask setup-db` and `flask seed-demo`, then gunicorn.

Also a small HTTP client (stdlib only) that returns, for every call, the wall time seen by the client and the
server's own time from its `Server-Timing: app;dur=<ms>` header.
"""
import http.client
import json
import os
import re
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "bench_sync"
SERVER_TIMING = re.compile(r"app;dur=([0-9.]+)")


def free_port():
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_unreachable():
    """None when the PostgreSQL server accepts connections, else the reason."""
    try:
        import psycopg
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return None
    except Exception as error:  # any failure means "not reachable"
        return f"{error.__class__.__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}"


def _pg_admin(statement):
    import psycopg
    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as connection:
        connection.execute(statement)


def create_database(kind, workdir, name=PG_BENCH_DB):
    """A fresh, empty database; returns its URL (SQLite: a file in workdir; PostgreSQL: the database `name`).

    Each benchmark has its own PostgreSQL database name, so two benchmarks running at once never drop each
    other's database.
    """
    if kind == "sqlite":
        return f"sqlite:///{Path(workdir) / 'bench.db'}"
    drop_database(kind, name)
    _pg_admin(f"CREATE DATABASE {name}")
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def drop_database(kind, name=PG_BENCH_DB):
    """Drop the PostgreSQL benchmark database (SQLite files go with their temp dir)."""
    if kind == "postgresql":
        _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def engine_url(database_url):
    """The SQLAlchemy URL of a benchmark database (PostgreSQL through psycopg 3, as the server uses it)."""
    return database_url.replace("postgresql://", "postgresql+psycopg://", 1)


def server_environment(database_url, instance_path):
    """The environment the server and its CLI run with."""
    env = dict(os.environ, FLASK_APP="wsgi.py", DATABASE_URL=database_url, INSTANCE_PATH=str(instance_path),
               SECRET_KEY="bench-secret-key-" + "s" * 40, JWT_SECRET_KEY="bench-jwt-secret-key-" + "j" * 40,
               RATELIMIT_ENABLED="false")
    env.pop("APP_ENV", None)
    return env


def prepare_database(env, log):
    """Schema, reference rows and the demo city, through the project's own commands."""
    for command in ("setup-db", "seed-demo"):
        done = subprocess.run([str(BIN / "flask"), command], cwd=ROOT, env=env, stdout=log, stderr=log)
        if done.returncode != 0:
            log.flush()
            tail = "\n".join(Path(log.name).read_text(errors="replace").splitlines()[-20:])
            raise RuntimeError(f"flask {command} failed ({done.returncode}):\n{tail}")


class Server:
    """gunicorn serving wsgi:app on a free port; use as a context manager (always stopped on exit)."""

    def __init__(self, env, workers, log):
        self.env, self.workers, self.log = env, workers, log
        self.port = free_port()
        self.process = None

    def __enter__(self):
        command = [str(BIN / "gunicorn"), "wsgi:app", "-b", f"127.0.0.1:{self.port}", "--workers", str(self.workers)]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=self.log, stderr=self.log)
        try:
            self._wait_until_ready()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _wait_until_ready(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self._log_tail()}")
            try:
                if Api(self.port).call("GET", "/healthz").status == 200 and self._all_workers_up():
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within 60 s:\n{self._log_tail()}")

    def _log_tail(self, lines=20):
        self.log.flush()
        return "\n".join(Path(self.log.name).read_text(errors="replace").splitlines()[-lines:])

    def _all_workers_up(self):
        return len(_children(self.process.pid)) >= self.workers

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()  # graceful stop of the master and its workers
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def rss_mib(self):
        """Resident memory of the master and of each worker, in MiB."""
        master = _rss_kib(self.process.pid) / 1024
        return master, [_rss_kib(pid) / 1024 for pid in _children(self.process.pid)]


def _children(pid):
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


@dataclass
class Response:
    status: int
    body: object
    wall_ms: float
    server_ms: float


class Api:
    """JSON over HTTP to one server; one connection per call (gunicorn's sync workers close them anyway)."""

    def __init__(self, port, token=None):
        self.port, self.token = port, token

    def call(self, method, path, body=None):
        """Send one request; returns status, decoded JSON body, wall and server milliseconds."""
        data = json.dumps(body).encode() if body is not None else None
        return self.send(method, path, data, {"Content-Type": "application/json"})

    def send(self, method, path, data=None, headers=None):
        """Send raw bytes with the given headers (an upload chunk); JSON answers are decoded, others kept as bytes."""
        headers = dict(headers or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            raw = response.read()
        finally:
            connection.close()
        wall_ms = (time.perf_counter() - started) * 1000
        match = SERVER_TIMING.search(response.getheader("Server-Timing") or "")
        decoded = json.loads(raw) if raw and "json" in (response.getheader("Content-Type") or "") else raw
        return Response(response.status, decoded, wall_ms, float(match.group(1)) if match else float("nan"))

