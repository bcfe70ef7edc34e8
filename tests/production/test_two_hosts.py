"""Two app hosts behind a load balancer, as a city runs them (README "Several hosts"): on each, gunicorn with
gunicorn.conf.py and a job worker (`flask jobs worker`), each host with its own instance folder and port; one
PostgreSQL database, the S3 server (SeaweedFS), Redis.

A tablet's chunks land on either host; the office starts an export on one host and downloads it from the other; a
job worker is killed with SIGKILL in the middle of a district's export and the other host's worker writes it; when
every attempt dies the office is told the export failed and why; login limits count on both hosts together.
"""
import csv
import hashlib
import http.client
import io
import json
import os
import signal
import socket
import subprocess
import threading
import time
import uuid

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from server import create_app
from server.extensions import db
from server.models import Record
from tests.conftest import PG_URL
from tests.production.server_process import BIN, ROOT, free_port
from tests.production.test_s3_blobs import CHUNK, _photo
from tests.support import enterprise_in, login
from tests.sync.tablets import HANDED_IN_VISIT, Tablet, hand_in_visit, new_id, sample_fields, visit_fields

pytestmark = pytest.mark.pg_only
DEMO_PASSWORD = "Demo@2026"
SAMPLES_PER_VISIT = 20
BIG_VISITS = 2000  # ≈ 40,000 samples: a district's year, several seconds of writing — time to kill a worker mid-way
SETTINGS = {
    "PASSWORD_HASH_PROFILE": "fast", "LOG_LEVEL": "WARNING", "WEB_CONCURRENCY": "2", "PROXY_HOPS": "1",
    "SECRET_KEY": "two-hosts-secret-" + "s" * 40, "JWT_SECRET_KEY": "two-hosts-jwt-" + "j" * 40,
    # Workers beat every second and count as dead after 4 s without: the test sees a recovery within seconds.
    "JOB_HEARTBEAT_SECONDS": "1", "JOB_STALLED_SECONDS": "4", "JOB_POLL_SECONDS": "1", "JOB_ATTEMPTS": "2",
}


class Response:
    def __init__(self, status, body, headers):
        self.status, self.body, self.headers = status, body, headers

    def json(self):
        return json.loads(self.body)


def request(port, method, path, body=None, token=None, headers=None, data=None):
    """One HTTP request to the server on `port` (JSON `body`, or raw `data`)."""
    headers = dict(headers or {})
    if body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        return Response(response.status, response.read(), dict(response.getheaders()))
    finally:
        connection.close()


class Host:
    """One app host: gunicorn (gunicorn.conf.py, 2 workers) on its own port and the job worker beside it, as
    `make serve` starts them, with an instance folder of its own."""

    def __init__(self, name, env, folder):
        self.name, self.port = name, free_port()
        self.folder = folder
        self.env = {**env, "BIND": f"127.0.0.1:{self.port}", "INSTANCE_PATH": str(folder / "instance"),
                    "PUBLIC_BASE_URL": f"http://127.0.0.1:{self.port}"}
        self.web = self.worker = None

    def _spawn(self, command, log):
        with open(self.folder / log, "ab") as output:  # the child keeps its own copy of the descriptor
            return subprocess.Popen(command, cwd=ROOT, env=self.env, start_new_session=True, stdout=output,
                                    stderr=subprocess.STDOUT)

    def start_web(self):
        self.web = self._spawn([str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "wsgi:app"], "web.log")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.call("GET", "/healthz").status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"host {self.name} did not start: {(self.folder / 'web.log').read_text()[-2000:]}")

    def start_worker(self):
        self.worker = self._spawn([str(BIN / "flask"), "jobs", "worker"], "worker.log")

    def stop_worker(self):
        """SIGTERM, as a deploy stops it: the worker finishes what it runs and leaves."""
        self.worker.terminate()
        self.worker.wait(timeout=30)

    def kill_worker(self):
        """SIGKILL: no graceful shutdown, the job it runs is cut off where it is."""
        os.kill(self.worker.pid, signal.SIGKILL)
        self.worker.wait()

    def stop(self):
        for process in (self.web, self.worker):
            if process and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()

    def call(self, method, path, body=None, token=None, headers=None, data=None):
        return request(self.port, method, path, body, token, headers, data)

    def login(self, username, password=DEMO_PASSWORD, address="192.0.2.10"):
        """A login from `address` (the load balancer's X-Forwarded-For): its token, or the response when refused."""
        response = self.call("POST", "/api/auth/login", {"username": username, "password": password},
                             headers={"X-Forwarded-For": address})
        return response.json()["access_token"] if response.status == 200 else response


class Installation:
    """The shared services and the two hosts."""

    def __init__(self, tmp_path, s3_server):
        admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        self.database = f"test_hosts_{uuid.uuid4().hex[:8]}"
        with admin.connect() as connection:
            connection.execute(sa.text(f"CREATE DATABASE {self.database}"))
        admin.dispose()
        self.url = sa.make_url(PG_URL).set(database=self.database).render_as_string(hide_password=False)
        self.prefix = f"hosts-{uuid.uuid4().hex[:8]}"
        self.s3, self.s3_settings = s3_server, s3_server.config(s3_server.bucket, self.prefix)
        env = {key: value for key, value in os.environ.items() if key not in ("APP_ENV", "TEST_DATABASE_URL")}
        env.update(SETTINGS, **self.s3_settings, FLASK_APP="wsgi.py", DATABASE_URL=self.url,
                   RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0", RATELIMIT_KEY_PREFIX=self.prefix)
        for command in (["setup-db"], ["seed-demo", "--no-work"]):
            subprocess.run([str(BIN / "flask"), *command], cwd=ROOT, env={**env, "INSTANCE_PATH": str(tmp_path)},
                           check=True, capture_output=True)
        self.engine = sa.create_engine(self.url)
        self.hosts = [Host(name, env, tmp_path / name) for name in ("a", "b")]
        for host in self.hosts:
            (tmp_path / host.name).mkdir()
            host.start_web()
            host.start_worker()
        self.wait_for_workers(2)

    def live_workers(self):
        with self.engine.connect() as connection:
            return connection.scalar(sa.text(
                "SELECT count(*) FROM procrastinate_workers WHERE last_heartbeat > now() - interval '2 seconds'"))

    def wait_for_workers(self, count, timeout=60):
        deadline = time.monotonic() + timeout
        while self.live_workers() < count:
            assert time.monotonic() < deadline, f"fewer than {count} job workers beat"
            time.sleep(0.2)

    def queued(self, export_id):
        """(status, attempts) of the export's entry in the job queue; None once it succeeded (entries are dropped)."""
        with self.engine.connect() as connection:
            row = connection.execute(sa.text("SELECT status, attempts FROM procrastinate_jobs "
                                             "WHERE args->>'job_id' = :id"), {"id": export_id}).first()
        return tuple(row) if row else None

    def close(self):
        for host in self.hosts:
            host.stop()
        self.engine.dispose()
        admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture(scope="module")
def installation(tmp_path_factory, s3_server):
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379")
        pytest.skip("Redis is not running on 127.0.0.1:6379 (`.ci/run` starts it)")
    installation = Installation(tmp_path_factory.mktemp("two-hosts"), s3_server)
    yield installation
    installation.close()


@pytest.fixture(scope="module")
def samples(installation, tmp_path_factory):
    """The samples of a district's year in the database (≈ 40,000): what the exports below write."""
    return _district_of_samples(installation, tmp_path_factory.mktemp("data"), BIG_VISITS)


def _district_of_samples(installation, tmp_path, visits):
    """A handed-in sampling visit of 20 samples pushed through sync (a tablet on an app of this test process), then
    `visits` copies of it written straight into the table: the data of a district's year, built in seconds."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": installation.url, "INSTANCE_PATH": str(tmp_path),
                      "PASSWORD_HASH_PROFILE": "fast", "RATELIMIT_ENABLED": False, **installation.s3_settings})
    with app.app_context():
        tablet = Tablet(login(app.test_client(), "lh_sampler"))
        visit = tablet.create("sampling_visit", visit_fields(enterprise_in("临河区").id, **HANDED_IN_VISIT))
        for index in range(SAMPLES_PER_VISIT):
            tablet.create("sample", sample_fields(f"HB-{index:02d}", lab_concentration_mg_m3=0.5 + index / 10),
                          parent=visit)
        hand_in_visit(tablet, visit)
        assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
        db.session.remove()
        db.engine.dispose()
    table = Record.__table__
    with Session(installation.engine) as session:
        template = [dict(row) for row in session.execute(sa.select(table).where(table.c.root_id == visit)).mappings()]
        head = next(row for row in template if row["id"] == visit)
        rows = []
        for number in range(visits):
            copy = new_id()
            ids = {row["id"]: new_id() for row in template if row["id"] != visit}
            computed = json.dumps(head["computed"])
            for old, new in ids.items():
                computed = computed.replace(old, new)
            rows.append({**head, "id": copy, "root_id": copy, "computed": json.loads(computed)})
            rows += [{**row, "id": ids[row["id"]], "parent_id": copy, "root_id": copy,
                      "data": {**row["data"], "sample_code": f"HB-{number:05d}-{row['data']['sample_code']}"}
                      if row["entity"] == "sample" else row["data"]} for row in template if row["id"] != visit]
            if len(rows) >= 4000:
                session.execute(sa.insert(table), rows)
                rows = []
        if rows:
            session.execute(sa.insert(table), rows)
        session.commit()
    with installation.engine.connect() as connection:
        connection.execute(sa.text("ANALYZE records"))
        connection.commit()
    return (visits + 1) * SAMPLES_PER_VISIT


def _start_export(host, token, fmt):
    response = host.call("POST", "/api/exports", {"kind": "samples", "format": fmt}, token=token)
    assert response.status == 201, response.body
    return response.json()["id"]


def _state(host, token, export_id):
    response = host.call("GET", f"/api/exports/{export_id}", token=token)
    assert response.status == 200, response.body
    return response.json()


def _wait(host, token, export_id, until, timeout=90, seen=None):
    """Poll the export's state (as the office's progress bar does) until `until(state)`; every state to `seen`."""
    deadline = time.monotonic() + timeout
    while True:
        state = _state(host, token, export_id)
        if seen is not None:
            seen.append(state)
        if until(state):
            return state
        assert time.monotonic() < deadline, state
        time.sleep(0.1)


def _upload_chunks(hosts, tokens, photo):
    """Start on the first host, then send the chunks alternately to the hosts; returns the upload id."""
    sha256 = hashlib.sha256(photo).hexdigest()
    started = hosts[0].call("POST", "/api/blobs/uploads", {"sha256": sha256, "size": len(photo), "mime": "image/jpeg"},
                            token=tokens[0])
    assert started.status == 200, started.body
    upload = started.json()["upload_id"]
    for number, offset in enumerate(range(0, len(photo), CHUNK)):
        host, token = hosts[number % 2], tokens[number % 2]
        chunk = photo[offset:offset + CHUNK]
        sent = host.call("PATCH", f"/api/blobs/uploads/{upload}", token=token, data=chunk, headers={
            "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"})
        assert sent.status == 200, sent.body
    return upload


def _at_once(*calls):
    """Run the calls in threads released together; their results in order."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index, call):
        barrier.wait()
        results[index] = call()
    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _blob_rows(installation, sha256):
    with installation.engine.connect() as connection:
        return connection.scalar(sa.text("SELECT count(*) FROM blobs WHERE sha256 = :sha"), {"sha": sha256})


def test_a_photo_sent_in_chunks_to_both_hosts_is_published_once_and_both_serve_it(installation):
    a, b = installation.hosts
    inspector = a.login("lh_inspector")
    photo = _photo(21)
    sha256 = hashlib.sha256(photo).hexdigest()
    upload = _upload_chunks((a, b), (inspector, inspector), photo)

    finished = b.call("POST", f"/api/blobs/uploads/{upload}/finish", token=inspector)

    assert finished.status == 200 and finished.json()["sha256"] == sha256
    for host in (a, b):
        original = host.call("GET", f"/api/blobs/{sha256}?variant=original", token=inspector)
        assert original.status == 200 and original.body == photo
        assert host.call("GET", f"/api/blobs/{sha256}?variant=display", token=inspector).status == 200
    assert _blob_rows(installation, sha256) == 1
    assert not any((host.folder / "instance" / "blobs").exists() for host in (a, b))  # nothing on a host's disk


def test_finishing_the_same_upload_on_both_hosts_at_once_answers_both_with_one_blob(installation):
    a, b = installation.hosts
    inspector = a.login("lh_inspector")
    photo = _photo(22)
    sha256 = hashlib.sha256(photo).hexdigest()
    upload = _upload_chunks((a, b), (inspector, inspector), photo)

    # The tablet's finish timed out at the load balancer and was sent again: both requests run at once.
    answers = _at_once(*(lambda host=host: host.call("POST", f"/api/blobs/uploads/{upload}/finish", token=inspector)
                         for host in (a, b)))

    assert [answer.status for answer in answers] == [200, 200], [answer.body for answer in answers]
    assert {answer.json()["sha256"] for answer in answers} == {sha256}
    assert _blob_rows(installation, sha256) == 1
    for host in (a, b):
        assert host.call("GET", f"/api/blobs/{sha256}?variant=original", token=inspector).body == photo


def test_two_inspectors_finishing_the_same_photo_on_two_hosts_at_once_both_succeed(installation):
    a, b = installation.hosts
    first, second = a.login("lh_inspector", address="192.0.2.11"), b.login("lh_inspector2", address="192.0.2.12")
    photo = _photo(23)  # both tablets took the same picture file (shared through the team's chat)
    sha256 = hashlib.sha256(photo).hexdigest()
    uploads = [_upload_chunks((a, b), (first, first), photo), _upload_chunks((b, a), (second, second), photo)]

    answers = _at_once(lambda: a.call("POST", f"/api/blobs/uploads/{uploads[0]}/finish", token=first),
                       lambda: b.call("POST", f"/api/blobs/uploads/{uploads[1]}/finish", token=second))

    assert [answer.status for answer in answers] == [200, 200], [answer.body for answer in answers]
    assert _blob_rows(installation, sha256) == 1
    for token in (first, second):
        assert b.call("GET", f"/api/blobs/{sha256}?variant=original", token=token).body == photo


def test_an_export_started_on_one_host_downloads_from_the_other(installation, samples):
    a, b = installation.hosts
    supervisor = a.login("lh_supervisor", address="192.0.2.20")
    export = _start_export(a, supervisor, "csv")

    state = _wait(b, supervisor, export, lambda s: s["status"] in ("done", "failed"))

    assert state["status"] == "done" and state["rows_done"] == samples
    files = [host.call("GET", f"/api/exports/{export}/file", token=supervisor) for host in (a, b)]
    assert [file.status for file in files] == [200, 200] and files[0].body == files[1].body
    rows = list(csv.reader(io.StringIO(files[1].body.decode("utf-8-sig"))))
    assert rows[0][0] == "用人单位名称" and len(rows) == samples + 1
    assert "attachment" in files[1].headers["Content-Disposition"]


def test_a_worker_killed_in_the_middle_of_an_export_leaves_it_to_the_other_hosts_worker(installation, samples):
    a, b = installation.hosts
    supervisor = b.login("lh_supervisor", address="192.0.2.21")
    b.stop_worker()  # host B's worker is away for a deploy: host A's worker takes the export
    export = _start_export(b, supervisor, "xlsx")
    cut = _wait(a, supervisor, export, lambda s: s["status"] == "running" and s["rows_done"] >= 2000)
    b.start_worker()
    installation.wait_for_workers(2)

    a.kill_worker()  # in the middle of writing the file
    seen = []
    state = _wait(b, supervisor, export, lambda s: s["status"] in ("done", "failed"), seen=seen)

    assert 0 < cut["rows_done"] < samples
    assert state["status"] == "done" and state["rows_done"] == samples, state
    assert any(s["status"] == "queued" or s["rows_done"] < cut["rows_done"] for s in seen)  # written again on B
    file = a.call("GET", f"/api/exports/{export}/file", token=supervisor)
    assert file.status == 200
    sheet = load_workbook(io.BytesIO(file.body), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows(values_only=True)) == samples + 1


def test_an_export_whose_every_attempt_dies_is_shown_failed_with_the_reason(installation, samples):
    a, b = installation.hosts  # host A's worker is down since the last test: B's takes the export
    supervisor = a.login("lh_supervisor", address="192.0.2.22")
    export = _start_export(a, supervisor, "xlsx")
    _wait(a, supervisor, export, lambda s: s["status"] == "running" and s["rows_done"] >= 1000)
    b.kill_worker()  # attempt 1 of 2 dies
    a.start_worker()  # host A's worker comes back (systemd restarts it) and takes the export again
    deadline = time.monotonic() + 60
    while installation.queued(export) != ("doing", 1) or _state(a, supervisor, export)["rows_done"] < 1000:
        # the queue's entry is taken again (attempt 2) and the file is being written anew
        assert time.monotonic() < deadline, installation.queued(export)
        time.sleep(0.1)
    a.kill_worker()  # attempt 2 of 2 dies
    b.start_worker()

    state = _wait(b, supervisor, export, lambda s: s["status"] in ("done", "failed"))

    assert state["status"] == "failed"
    assert state["error"] == "处理它的进程意外中断，已尝试 2 次"
    assert installation.queued(export) == ("failed", 2)
    assert b.call("GET", f"/api/exports/{export}/file", token=supervisor).status == 409
    a.start_worker()
    installation.wait_for_workers(2)


def test_login_attempts_on_both_hosts_count_against_one_limit(installation):
    a, b = installation.hosts
    address = "198.51.100.23"  # one office's public address, seen through the load balancer

    tries = [a.login("lh_followup", "wrong-password", address).status for _ in range(6)]
    tries += [b.login("lh_followup", "wrong-password", address).status for _ in range(4)]

    assert tries == [401] * 10
    assert b.login("lh_followup", "wrong-password", address).status == 429  # the limit is 10 a minute, both hosts
    assert a.login("lh_followup", DEMO_PASSWORD, address).status == 429
