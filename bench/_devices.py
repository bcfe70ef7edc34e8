"""Simulated tablets (over HTTP, or the in-process test client): one login each, their own client_seq, the
records a sampling team makes, and photo uploads as the field app sends them (HTTP only).

Mutation shapes come from tests/sync/tablets.py, so the benchmark pushes what the test suite pushes.
"""
import base64
import dataclasses
import hashlib
import itertools
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.sync.tablets import VERSIONS, new_id, sample_fields, visit_fields  # noqa: E402

DEMO_PASSWORD = "Demo@2026"
SAMPLES_PER_VISIT = 19  # one visit and its 19 samples: 20 records, so 25 visits make a batch of 500
HAZARDS = (("benzene", "activated_carbon_tube"), ("toluene", "activated_carbon_tube"),
           ("xylene", "activated_carbon_tube"))
DEVICE_TIME = "2026-04-08T10:00:00+08:00"
CHUNK_BYTES = 256 * 1024  # the field app's upload chunk (pwa/static/js/uploader.js)


class BenchError(RuntimeError):
    """The server answered something the benchmark did not expect: the figures would be meaningless."""


class Tablet:
    """One device: logs in (registering itself), builds mutations in sequence, pushes and pulls."""

    def __init__(self, connect, username):
        """`connect(token)` gives an object with `call(method, path, body)`: HTTP, or the in-process client."""
        login = connect(None).call("POST", "/api/auth/login", {"username": username, "password": DEMO_PASSWORD})
        if login.status != 200:
            raise BenchError(f"login {username}: {login.status} {login.body}")
        self.api = connect(login.body["access_token"])
        self.device_id = login.body["device_id"]
        self.user = login.body.get("user") or {}
        self.seq = 0
        self.retries = 0
        self.cursor = None
        self._stream = None

    def enterprise_ids(self):
        """Ids of the enterprises this user may record at (the district's registry)."""
        response = self.api.call("GET", "/api/enterprises?per_page=200")
        if response.status != 200 or not response.body["items"]:
            raise BenchError(f"enterprises: {response.status} {response.body}")
        return [item["id"] for item in response.body["items"]]

    def record_work(self, enterprise_ids, samples_per_visit=SAMPLES_PER_VISIT):
        """From now on, batches come from an endless day of sampling visits at these enterprises."""
        self._stream = _sampling_work(enterprise_ids, self.device_id[:8], samples_per_visit)

    def mutation(self, entity, record_id, fields, parent=None):
        """A create of one record, numbered next in this device's sequence."""
        self.seq += 1
        return {"client_seq": self.seq, "mutation_id": new_id(), "entity": entity, "id": record_id, "op": "create",
                "form_version": VERSIONS.get(entity), "fields": fields, "base": None, "parent": parent,
                "device_time": DEVICE_TIME}

    def next_batch(self, size):
        """The next `size` mutations of the day's work, numbered in sequence."""
        return [self.mutation(*item) for item in itertools.islice(self._stream, size)]

    def push(self, mutations):
        """Push a batch; raises unless every mutation was applied (a rejected one would flatter the figures).

        A 503 RETRY_LATER is retried as a device would; the wall time then covers every attempt.
        """
        body = {"protocol": 1, "device_id": self.device_id, "mutations": mutations}
        response = self.api.call("POST", "/api/sync/push", body)
        while response.status == 503 and self.retries < 100:
            self.retries += 1
            time.sleep(0.2)
            again = self.api.call("POST", "/api/sync/push", body)
            response = dataclasses.replace(again, wall_ms=response.wall_ms + 200 + again.wall_ms,
                                           server_ms=response.server_ms + again.server_ms)
        if response.status != 200:
            raise BenchError(f"push: {response.status} {response.body}")
        statuses = {r["status"] for r in response.body["results"]}
        if statuses != {"applied"} or len(response.body["results"]) != len(mutations):
            bad = next(r for r in response.body["results"] if r["status"] != "applied")
            raise BenchError(f"push: not all applied: {bad}")
        return response

    def upload(self, data, mime="image/jpeg", interrupt_after=None):
        """Upload bytes as the field app does: start, chunks of CHUNK_BYTES each with its checksum, finish.

        With `interrupt_after` chunks the connection "drops": the device asks the server for its offset and
        resumes from there. Returns the published blob's description (or the start answer when deduplicated).
        """
        sha256 = hashlib.sha256(data).hexdigest()
        state = self._expect("upload start", self.api.call("POST", "/api/blobs/uploads",
                                                            {"sha256": sha256, "size": len(data), "mime": mime}))
        if state["exists"]:
            return state
        path, offset, sent = f"/api/blobs/uploads/{state['upload_id']}", 0, 0
        while offset < len(data):
            if sent == interrupt_after:
                offset = self._expect("upload offset", self.api.call("GET", path))["offset"]
            chunk = data[offset:offset + CHUNK_BYTES]
            headers = {"Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream",
                       "Upload-Checksum": base64.b64encode(hashlib.sha256(chunk).digest()).decode()}
            offset = self._expect("upload chunk", self.api.send("PATCH", path, chunk, headers))["offset"]
            sent += 1
        return self._expect("upload finish", self.api.call("POST", path + "/finish"))

    @staticmethod
    def _expect(step, response):
        if response.status != 200:
            raise BenchError(f"{step}: {response.status} {response.body}")
        return response.body

    def pull_all(self, limit):
        """Pull from this device's cursor until has_more is false; returns (pages, number of changes)."""
        pages, count = [], 0
        while True:
            query = f"/api/sync/pull?limit={limit}"
            if self.cursor:
                query += "&cursor=" + urllib.parse.quote(self.cursor, safe="")
            response = self.api.call("GET", query)
            if response.status != 200:
                raise BenchError(f"pull: {response.status} {response.body}")
            pages.append(response)
            count += len(response.body["changes"])
            self.cursor = response.body["cursor"]
            if not response.body["has_more"]:
                return pages, count


def _sampling_work(enterprise_ids, code_prefix, samples_per_visit):
    """(entity, id, fields, parent) of visits, each followed by its samples, round the enterprises."""
    for number in itertools.count(1):
        visit = new_id()
        enterprise = enterprise_ids[number % len(enterprise_ids)]
        yield "sampling_visit", visit, visit_fields(enterprise, task_no=f"LH-2026-{number:05d}"), None
        for index in range(samples_per_visit):
            hazard, collector = HAZARDS[index % len(HAZARDS)]
            code = f"{code_prefix}-{number:05d}-{index + 1:02d}"
            yield "sample", new_id(), sample_fields(code, hazard_key=hazard, collector=collector), visit
