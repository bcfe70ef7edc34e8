"""Ten tablets on a bad network for a few hundred steps; afterwards nothing is lost, doubled or divergent.

Requests are dropped, responses lost, requests duplicated and sent out of order. Invariants after a final
sync: each mutation applied at most once; every acknowledged mutation is in the log with the status the
tablet was told; every mutation ever made reached the log; all tablets hold exactly the server's state.
"""
import random
import uuid

import sqlalchemy as sa

from server.extensions import db
from server.models import Document, Mutation, Record, RecordChange
from tests.support import enterprise_in, login
from tests.sync.tablets import Tablet, sample_fields, visit_fields

STEPS = 300
NETWORK = ("ok", "ok", "ok", "lose_request", "lose_response", "duplicate", "out_of_order")


class UnreliableTablet(Tablet):
    """A tablet whose pushes go through a bad network."""

    def __init__(self, caller, rng):
        super().__init__(caller)
        self.rng = rng
        self.made = []
        self.acknowledged = {}

    def _mutation(self, *args, **kwargs):
        mutation = super()._mutation(*args, **kwargs)
        self.made.append(mutation["mutation_id"])
        return mutation

    def _send(self, batch):
        return self.caller.post("/api/sync/push", json={"protocol": 1, "device_id": self.device_id,
                                                         "mutations": batch})

    def _accept(self, response):
        if response.status_code != 200:
            return
        body = response.get_json()
        for result in body["results"]:
            self.acknowledged[result["mutation_id"]] = result["status"]
        done = set(self.acknowledged)
        self.outbox = [m for m in self.outbox if m["mutation_id"] not in done]

    def unreliable_push(self, network):
        if not self.outbox or network == "lose_request":
            return
        if network == "out_of_order" and len(self.outbox) > 1:
            self._accept(self._send(self.outbox[len(self.outbox) // 2:]))  # a gap: refused, nothing lost
            network = "ok"
        response = self._send(list(self.outbox))
        if network == "duplicate":
            response = self._send(list(self.outbox))
        if network != "lose_response":
            self._accept(response)


def _editable(tablet, entity):
    # A locked visit (its document was issued) refuses edits to itself and its samples: leave them alone.
    return [k for k, v in tablet.replica.items() if v["entity"] == entity and not v["deleted"]
            and k not in LOCKED and (v.get("payload") or {}).get("root_id") not in LOCKED]


LOCKED = set()


def _issued_document(client, enterprise_id):
    """A complete visit with its 检测现场反馈 issued before the storm: the document must come out unchanged."""
    tablet = Tablet(login(client, "lh_sampler"))
    visit = tablet.create("sampling_visit", visit_fields(
        enterprise_id, humidity_pct=50, method_standards=["gbz_159_2004"], production_status="正常生产",
        sampler_1_name="王海燕", sampler_2_name="李明", checker_name="赵丽", escort_name="马晓东"))
    tablet.create("sample", sample_fields("DOC-0001"), parent=visit)
    tablet.create("attachment", {"field": "escort_signature", "sha256": "e" * 64, "mime": "image/png"}, parent=visit)
    tablet.push()
    response = tablet.caller.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": visit,
                                                          "doc_type": "sampling_feedback"})
    assert response.status_code == 201, response.get_json()
    LOCKED.add(visit)
    return {c.key: getattr(db.session.get(Document, response.get_json()["id"]), c.key)
            for c in Document.__table__.columns}


def _step(rng, tablet, enterprise_id):
    visits = _editable(tablet, "sampling_visit")
    samples = _editable(tablet, "sample")
    action = rng.choice(["create_visit", "create_sample", "create_sample", "edit", "edit", "edit", "delete",
                         "push", "push", "push", "pull", "pull"])
    if action == "create_visit" or (action == "create_sample" and not visits):
        tablet.create("sampling_visit", visit_fields(enterprise_id, temperature_c=rng.choice([18, 20, 22])))
    elif action == "create_sample":
        tablet.create("sample", sample_fields(f"R-{rng.randrange(10_000):05d}"), parent=rng.choice(visits))
    elif action == "edit" and (visits or samples):
        target = rng.choice(visits + samples)
        if tablet.replica[target]["entity"] == "sampling_visit":
            tablet.update(target, {rng.choice(["temperature_c", "humidity_pct"]): rng.choice([20, 25, 30, 35])})
        else:
            tablet.update(target, {"notes": rng.choice(["复核", "泵正常", "更换滤膜", "工况稳定"])})
    elif action == "delete" and samples and rng.random() < 0.3:
        tablet.delete(rng.choice(samples))
    elif action == "push":
        tablet.unreliable_push(rng.choice(NETWORK))
    elif action == "pull":
        tablet.pull()


def test_ten_tablets_on_a_bad_network_converge_without_loss_or_duplication(client):
    rng = random.Random(20260408)
    enterprise_id = enterprise_in("临河区").id
    issued = _issued_document(client, enterprise_id)
    tablets = [UnreliableTablet(login(client, ("lh_sampler", "lh_sampler2")[i % 2]), rng) for i in range(10)]
    for _ in range(STEPS):
        _step(rng, rng.choice(tablets), enterprise_id)
    for _ in range(2):  # final sync on a good network: push everything, then everyone pulls
        for tablet in tablets:
            while tablet.outbox:
                tablet.unreliable_push("ok")
        for tablet in tablets:
            tablet.pull()

    # Applied at most once: no mutation changed the same record twice.
    doubled = db.session.execute(sa.select(RecordChange.mutation_id, RecordChange.record_id)
                                 .where(RecordChange.mutation_id.is_not(None))
                                 .group_by(RecordChange.mutation_id, RecordChange.record_id)
                                 .having(sa.func.count() > 1)).all()
    assert doubled == []
    logged = dict(db.session.execute(sa.select(Mutation.mutation_id, Mutation.status)).all())
    for tablet in tablets:
        # Every acknowledged mutation is in the log with the status the tablet was told.
        assert {m: logged.get(m) for m in tablet.acknowledged} == tablet.acknowledged
        # Every mutation ever made reached the server.
        assert set(tablet.made) <= set(logged)
    # The issued document is exactly as it was issued.
    document = db.session.get(Document, issued["id"])
    assert {c.key: getattr(document, c.key) for c in Document.__table__.columns} == issued
    # Every tablet holds exactly the server's records.
    server = {r.id: (r.deleted, r.data) for r in db.session.scalars(
        sa.select(Record).where(Record.entity.in_(["sampling_visit", "sample"])))}
    assert len(server) > 20
    for tablet in tablets:
        local = {k: (v["deleted"], v["data"] if not v["deleted"] else None) for k, v in tablet.replica.items()
                 if v["entity"] in ("sampling_visit", "sample")}
        assert local == {k: (deleted, None if deleted else data) for k, (deleted, data) in server.items()}
