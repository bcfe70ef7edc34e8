"""The server is killed (SIGKILL) again and again in the middle of pushes; the tablets keep retrying.

Afterwards: every mutation is in the log exactly once, nothing is half-applied, nothing applied twice, every
device's sequence is complete, and the server restarted clean each time.
"""
import http.client
import json
import random
import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest
import sqlalchemy as sa

from tests.conftest import PG_URL
from tests.production.server_process import ServerProcess
from tests.sync.tablets import VERSIONS, sample_fields, visit_fields

DEVICES, BATCHES, PER_BATCH, KILLS = 4, 12, 15, 6


def _call(base, path, body=None, token=None, timeout=10):
    request = urllib.request.Request(base + path, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, json.loads(response.read())


def _mutation(seq, entity, record_id, fields, parent=None):
    return {"client_seq": seq, "mutation_id": str(uuid.uuid4()), "entity": entity, "id": record_id, "op": "create",
            "form_version": VERSIONS[entity], "fields": fields, "parent": parent}


def _batches(enterprise_id):
    seq, batches, visit = 0, [], str(uuid.uuid4())
    for index in range(BATCHES):
        batch = []
        if index == 0:
            seq += 1
            batch.append(_mutation(seq, "sampling_visit", visit, visit_fields(enterprise_id)))
        while len(batch) < PER_BATCH:
            seq += 1
            batch.append(_mutation(seq, "sample", str(uuid.uuid4()), sample_fields(f"CR-{seq:04d}"), visit))
        batches.append(batch)
    return batches


class Tablet(threading.Thread):
    """Pushes its batches in order, retrying each until the server acknowledges it."""

    def __init__(self, server, username, enterprise_id):
        super().__init__()
        status, tokens = _call(server.base, "/api/auth/login", {"username": username, "password": "Demo@2026"})
        self.server, self.tokens, self.batches = server, tokens, _batches(enterprise_id)
        self.acknowledged, self.interrupted, self.cut_off = {}, 0, 0

    def run(self):
        for batch in self.batches:
            while True:
                try:
                    status, body = _call(self.server.base, "/api/sync/push", {
                        "protocol": 1, "device_id": self.tokens["device_id"], "mutations": batch},
                        token=self.tokens["access_token"])
                    self.acknowledged.update({r["mutation_id"]: r["status"] for r in body["results"]})
                    break
                except (http.client.RemoteDisconnected, http.client.IncompleteRead, ConnectionResetError):
                    self.cut_off += 1  # killed while handling this very request: send the same batch again
                    time.sleep(0.15)
                except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                    self.interrupted += 1  # the server was down: try again
                    time.sleep(0.15)


@pytest.mark.slow
def test_killing_the_server_mid_push_loses_nothing_and_applies_nothing_twice(tmp_path):
    server = ServerProcess(tmp_path, pg_url=PG_URL)
    try:
        server.start()
        token = _call(server.base, "/api/auth/login", {"username": "lh_sampler", "password": "Demo@2026"})[1]
        enterprises = _call(server.base, "/api/enterprises?per_page=1", token=token["access_token"])[1]
        tablets = [Tablet(server, ("lh_sampler", "lh_sampler2")[i % 2], enterprises["items"][0]["id"])
                   for i in range(DEVICES)]
        for tablet in tablets:
            tablet.start()
        rng = random.Random(7)
        for _ in range(KILLS):
            time.sleep(rng.uniform(0.3, 1.0))
            server.kill()
            time.sleep(0.2)
            server.start()
        for tablet in tablets:
            tablet.join(timeout=180)
        server.stop()
        _check(server, tablets)
    finally:
        server.close()


def _check(server, tablets):
    engine = sa.create_engine(server.url)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.execute(sa.text("PRAGMA integrity_check")).scalar() == "ok"
        logged = dict(conn.execute(sa.text("SELECT mutation_id, status FROM mutations")).all())
        records = set(conn.execute(sa.text("SELECT id FROM records")).scalars())
        doubled = conn.execute(sa.text("SELECT mutation_id FROM record_changes WHERE mutation_id IS NOT NULL "
                                       "GROUP BY mutation_id, record_id HAVING count(*) > 1")).all()
        seqs = dict(conn.execute(sa.text("SELECT id, last_client_seq FROM devices")).all())
    engine.dispose()
    assert doubled == []
    assert sum(t.cut_off for t in tablets) > 0, "no push was cut off mid-request: the test did not test anything"
    for tablet in tablets:
        made = [m for batch in tablet.batches for m in batch]
        assert all(logged.get(m["mutation_id"]) == "applied" for m in made)
        assert {m["id"] for m in made} <= records  # every record exists exactly once (ids are primary keys)
        assert seqs[tablet.tokens["device_id"]] == made[-1]["client_seq"]
        assert tablet.acknowledged == {m["mutation_id"]: "applied" for m in made}
    assert len(logged) == sum(len(b) for t in tablets for b in t.batches)
