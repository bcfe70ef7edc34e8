"""Test helpers: a logged-in API caller and lookups into the demo world every test starts from."""
import base64
import hashlib
from types import SimpleNamespace

import sqlalchemy as sa

from server.demo.seed import DEMO_PASSWORD
from server.extensions import db
from server.models import Enterprise, Region, User


# The business time every test runs at unless it moves the clock itself (China Standard Time). Expected values that
# depend on "today" (document years, overdue items, default periods) follow from this instant, not from the host.
BUSINESS_NOW = "2026-11-20T10:00:00+08:00"


class Caller:
    """An API client logged in as one user on one device."""

    def __init__(self, client, username, tokens):
        self.client = client
        self.username = username
        self.tokens = tokens

    @property
    def device_id(self):
        return self.tokens["device_id"]

    @property
    def headers(self):
        return {"Authorization": f"Bearer {self.tokens['access_token']}"}

    def _call(self, method, url, **kwargs):
        headers = dict(self.headers, **kwargs.pop("headers", {}))
        return getattr(self.client, method)(url, headers=headers, **kwargs)

    def get(self, url, **kwargs):
        return self._call("get", url, **kwargs)

    def post(self, url, **kwargs):
        return self._call("post", url, **kwargs)

    def patch(self, url, **kwargs):
        return self._call("patch", url, **kwargs)

    def put(self, url, **kwargs):
        return self._call("put", url, **kwargs)

    def delete(self, url, **kwargs):
        return self._call("delete", url, **kwargs)

    def head(self, url, **kwargs):
        return self._call("head", url, **kwargs)


def login(client, username, password=DEMO_PASSWORD, device_id=None):
    """Log in through the API and return a Caller (asserts the login worked)."""
    response = client.post("/api/auth/login", json={"username": username, "password": password,
                                                    "device_id": device_id})
    assert response.status_code == 200, response.get_json()
    return Caller(client, username, response.get_json())


def error_of(response):
    """The error body of an envelope response, asserting its shape."""
    body = response.get_json()
    assert set(body) == {"error"}, body
    assert {"code", "message", "details", "request_id"} <= set(body["error"]), body
    return body["error"]


def snapshot(row):
    """The row's column values as a plain object: it stays readable after the requests that follow."""
    if row is None:
        return None
    return SimpleNamespace(**{column.key: getattr(row, column.key) for column in row.__table__.columns})


def district(name):
    """The demo region called `name` (临河区, 东港区, 青川市)."""
    return snapshot(db.session.scalar(sa.select(Region).where(Region.name == name)))


def enterprise_in(region_name):
    """Some enterprise of a demo district."""
    region = district(region_name)
    return snapshot(db.session.scalar(sa.select(Enterprise).where(Enterprise.region_id == region.id)
                                      .order_by(Enterprise.name).limit(1)))


def user(username):
    """A demo user (its columns)."""
    row = db.session.scalar(sa.select(User).where(User.username == username))
    found = snapshot(row)
    found.roles = row.roles
    return found


def upload_blob(caller, data, mime):
    """Upload bytes as a tablet does (start, one chunk, finish); returns their SHA-256."""
    sha = hashlib.sha256(data).hexdigest()
    state = caller.post("/api/blobs/uploads", json={"sha256": sha, "size": len(data), "mime": mime}).get_json()
    if not state["exists"]:
        checksum = base64.b64encode(hashlib.sha256(data).digest()).decode()
        caller.patch(f"/api/blobs/uploads/{state['upload_id']}", data=data,
                     headers={"Upload-Offset": "0", "Upload-Checksum": checksum})
        assert caller.post(f"/api/blobs/uploads/{state['upload_id']}/finish").status_code == 200
    return sha


def node_json(script):
    """Run an ES module script under node from the project root and return the JSON it writes to stdout (the PWA's
    modules checked against the server's rules without a browser)."""
    import json
    import shutil
    import subprocess
    from pathlib import Path

    import pytest

    node = shutil.which("node")
    if node is None:
        pytest.fail("node (≥ 20) is needed to check the PWA's modules")
    result = subprocess.run([node, "--input-type=module", "-e", script], cwd=Path(__file__).resolve().parents[1],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def workbook_bytes(rows, headers=None):
    """An .xlsx file of these rows (the header row first when given), as a district's sheet is uploaded."""
    import io

    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    for row in ([list(headers)] if headers else []) + [list(r) for r in rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(caller, url, content, filename="导入.xlsx"):
    """POST a file as a browser's form does (multipart, field `file`)."""
    import io
    return caller.post(url, data={"file": (io.BytesIO(content), filename)}, content_type="multipart/form-data")
