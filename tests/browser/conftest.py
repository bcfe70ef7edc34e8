"""Browser tests: the PWA in Debian's headless Chromium against a live server on a fresh copy of the seeded
demo database (one server per test, so each test starts from the demo city and a clean browser origin)."""
import json
import logging
import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from server import create_app
from server.clock import FrozenClock
from server.extensions import db
from tests.conftest import PG_URL
from tests.support import BUSINESS_NOW, login

CHROMIUM = "/usr/bin/chromium"
# The machine has no internet: nothing in Chromium may try to reach it.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SW_PATH = ROOT / "pwa" / "sw.js"


@pytest.fixture(scope="session")
def base_url():
    """No base URL: each test's live server has its own port. (Also replaces the plugin's fallback fixture,
    which pytest 9 warns about.)"""
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Chromium keeps the host's real clock even when the suite runs under libfaketime: pages get the business time
    # from Playwright's clock (tests/browser/tablet.py), and the browser itself is not built to run faked.
    real_env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD" and not k.startswith("FAKETIME")}
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "env": real_env}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 800}, "locale": "zh-CN",
            "timezone_id": "Asia/Shanghai", "service_workers": "allow"}


class LiveServer:
    """The app served over HTTP in a thread, with switches a test can flip: a new service-worker version and
    a push endpoint that answers 503 (a server that cannot save right now)."""

    def __init__(self, app):
        self.app = app
        self.clock = app.extensions["clock"]
        self.requests = []
        self.sw_version = None
        self.fail_push = False
        self.patch_budget = None  # chunks accepted before the link "drops" (None: no limit)
        self.patch_offsets = []
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="live-server", daemon=True)
        self._thread.start()

    def _wsgi(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        self.requests.append(path)
        if path == "/sw.js" and self.sw_version:
            text = re.sub(r'const VERSION = "[^"]*";', f'const VERSION = "{self.sw_version}";',
                          SW_PATH.read_text(encoding="utf-8"))
            start_response("200 OK", [("Content-Type", "text/javascript; charset=utf-8"), ("Cache-Control", "no-cache")])
            return [text.encode()]
        if environ["REQUEST_METHOD"] == "PATCH" and path.startswith("/api/blobs/uploads/"):
            self.patch_offsets.append(int(environ.get("HTTP_UPLOAD_OFFSET", "-1")))
            if self.patch_budget is not None:
                if self.patch_budget <= 0:
                    return self._unavailable(start_response)
                self.patch_budget -= 1
        if path == "/api/sync/push" and self.fail_push:
            return self._unavailable(start_response)
        return self.app(environ, start_response)

    @staticmethod
    def _unavailable(start_response):
        body = json.dumps({"error": {"code": "RETRY_LATER", "message": "服务器暂时无法保存，请稍后自动重试",
                                     "details": [], "request_id": "test"}}).encode()
        start_response("503 SERVICE UNAVAILABLE", [("Content-Type", "application/json"), ("Retry-After", "1")])
        return [body]

    def api(self, username, device_id=None):
        """An API caller (Flask test client on the same app and database) logged in as `username`."""
        return login(self.app.test_client(), username, device_id=device_id)

    def mark(self):
        """Position in the request log (to check what reached the server after it)."""
        return len(self.requests)

    def close(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def live_server(request, tmp_path):
    """A live server on a fresh copy of the seeded database."""
    if PG_URL:
        pytest.skip("browser tests run on the SQLite pass")
    database = request.getfixturevalue("database")
    path = tmp_path / "app.db"
    shutil.copyfile(database.template, path)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app = create_app({"APP_ENV": "testing", "TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                      "INSTANCE_PATH": str(tmp_path / "instance"), "BLOB_ROOT": str(tmp_path / "blobs"),
                      "PASSWORD_HASH_PROFILE": "fast", "SECRET_KEY": "browser-secret-" + "x" * 40,
                      "JWT_SECRET_KEY": "browser-jwt-secret-" + "y" * 40, "LOGIN_RATE_LIMIT": "1000 per minute",
                      "PUSH_RATE_LIMIT": "10000 per minute"})
    app.extensions["clock"] = FrozenClock(BUSINESS_NOW, ticking=True)
    server = LiveServer(app)
    yield server
    server.close()


@pytest.fixture
def screenshots():
    """Where screenshots go (test-artifacts/screenshots, gitignored)."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
