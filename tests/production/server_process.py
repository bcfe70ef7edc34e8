"""A real server process (gunicorn) on its own fresh database, which tests can kill and start again."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServerProcess:
    """gunicorn serving wsgi:app on a fresh database (SQLite file or a new PostgreSQL database)."""

    def __init__(self, tmp_path, pg_url=None, workers=2):
        self.tmp_path, self.workers, self.process = tmp_path, workers, None
        self.pg_url, self.database = pg_url, None
        if pg_url:
            self.database = f"test_proc_{uuid.uuid4().hex[:8]}"
            self._admin(f"CREATE DATABASE {self.database}")
            url = sa.make_url(pg_url).set(database=self.database).render_as_string(hide_password=False)
        else:
            url = f"sqlite:///{tmp_path / 'server.db'}"
        self.url = url
        self.port = free_port()
        self.env = {**os.environ, "FLASK_APP": "wsgi.py", "DATABASE_URL": url, "APP_ENV": "production",
                    "INSTANCE_PATH": str(tmp_path / "instance"), "SECRET_KEY": "s" * 48, "JWT_SECRET_KEY": "j" * 48,
                    "RATELIMIT_ENABLED": "false", "PASSWORD_HASH_PROFILE": "fast", "LOG_LEVEL": "WARNING",
                    "PUBLIC_BASE_URL": f"http://127.0.0.1:{self.port}"}
        for command in (["setup-db"], ["seed-demo"]):
            subprocess.run([str(BIN / "flask"), *command], cwd=ROOT, env=self.env, check=True, capture_output=True)

    def _admin(self, statement):
        engine = sa.create_engine(self.pg_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text(statement))
        engine.dispose()

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        """Start gunicorn and wait until it answers /healthz."""
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "wsgi:app", "-b", f"127.0.0.1:{self.port}", "-w", str(self.workers),
             "--timeout", "30", "--log-level", "warning"], cwd=ROOT, env=self.env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start")

    def kill(self):
        """SIGKILL the whole process group: no graceful shutdown, transactions cut off mid-flight."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)

    def close(self):
        self.kill()
        if self.database:
            self._admin(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")
