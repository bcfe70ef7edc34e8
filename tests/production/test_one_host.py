"""One app host keeping everything on its own disk (the embedded default: blobs under BLOB_ROOT), served by gunicorn
as in production: a photo and an export download whole. The test client never shows this: gunicorn answered 500 to
a download whose length the app set to "None"."""
import hashlib
import os
import signal
import subprocess
import time

from tests.conftest import PG_URL
from tests.production.server_process import BIN, ROOT, ServerProcess
from tests.production.test_s3_blobs import _photo
from tests.production.test_two_hosts import request


def _login(server, username):
    response = request(server.port, "POST", "/api/auth/login", {"username": username, "password": "Demo@2026"})
    assert response.status == 200, response.body
    return response.json()["access_token"]


def test_a_photo_and_an_export_download_from_gunicorn_with_blobs_on_its_disk(tmp_path):
    server = ServerProcess(tmp_path, pg_url=PG_URL)
    server.env["APP_ENV"] = "development"  # supervisors without a second factor
    worker = None
    try:
        server.start()
        if PG_URL:  # exports are queued: the worker beside gunicorn writes them, as `make serve` runs it
            worker = subprocess.Popen([str(BIN / "flask"), "jobs", "worker"], cwd=ROOT, env=server.env,
                                      start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        inspector = _login(server, "lh_inspector")
        photo = _photo(31)
        sha256 = hashlib.sha256(photo).hexdigest()
        started = request(server.port, "POST", "/api/blobs/uploads", {"sha256": sha256, "size": len(photo),
                                                                      "mime": "image/jpeg"}, token=inspector)
        upload = started.json()["upload_id"]
        assert request(server.port, "PATCH", f"/api/blobs/uploads/{upload}", token=inspector, data=photo, headers={
            "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"}).status == 200
        assert request(server.port, "POST", f"/api/blobs/uploads/{upload}/finish", token=inspector).status == 200

        downloaded = request(server.port, "GET", f"/api/blobs/{sha256}?variant=original", token=inspector)

        assert downloaded.status == 200 and downloaded.body == photo
        supervisor = _login(server, "lh_supervisor")
        export = request(server.port, "POST", "/api/exports", {"kind": "samples", "format": "csv"},
                         token=supervisor).json()["id"]
        deadline = time.monotonic() + 60
        while request(server.port, "GET", f"/api/exports/{export}", token=supervisor).json()["status"] != "done":
            assert time.monotonic() < deadline, "the export did not finish"
            time.sleep(0.1)
        file = request(server.port, "GET", f"/api/exports/{export}/file", token=supervisor)
        assert file.status == 200
        assert file.body.decode("utf-8-sig").startswith("用人单位名称")
        assert (tmp_path / "instance" / "blobs" / "original").is_dir()  # on this host's disk
    finally:
        if worker:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
        server.close()
