"""Change numbers become visible in the order they were handed out, even with many concurrent writers.

16 tablets push at once while a supervisor's puller pulls in a tight loop; every writer holds its transaction
open for a random moment after taking its numbers. With the product's counter row the puller never misses a
change. The same run against a plain database sequence misses some: the reason the counter exists.
"""
import random
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from server.domain.actors import Actor
from server.domain.reference_store import evaluation_reference
from server.extensions import db
from server.models import Agency, Record, User
from server.sync import pull, push
from server.sync.changes import COUNTER, PlainSequenceAllocator, current_state
from server.sync.devices import register_device
from server.sync.faults import FaultPlan
from tests.support import enterprise_in
from tests.sync.tablets import VERSIONS, new_id, sample_fields, visit_fields

pytestmark = pytest.mark.pg_only

WRITERS, BATCHES, PER_BATCH = 16, 6, 4


def _actor(session, username, device_id):
    user = session.scalar(sa.select(User).where(User.username == username))
    region_id = session.get(Agency, user.agency_id).region_id
    from server.domain.regions import region_subtree_ids
    return Actor(user_id=user.id, username=username, roles=frozenset(user.roles), agency_id=user.agency_id,
                 region_id=region_id, region_ids=region_subtree_ids(session, region_id), device_id=device_id,
                 agency_kind=session.get(Agency, user.agency_id).kind)


def _mutation(seq, entity, record_id, fields, parent=None):
    return {"client_seq": seq, "mutation_id": new_id(), "entity": entity, "id": record_id, "op": "create",
            "form_version": VERSIONS[entity], "fields": fields, "base": None, "parent": parent, "device_time": None}


def _run(app, allocator):
    engine = db.engine
    enterprise_id = enterprise_in("临河区").id
    writers = []
    with Session(engine) as session:
        for index in range(WRITERS):
            user = session.scalar(sa.select(User).where(User.username == ("lh_sampler", "lh_sampler2")[index % 2]))
            device = register_device(session, user, name=f"tablet-{index}")
            writers.append((user.username, device.id))
        supervisor = session.scalar(sa.select(User).where(User.username == "lh_supervisor"))
        puller_device = register_device(session, supervisor).id
        session.commit()
    faults = FaultPlan(delay_after_allocate=lambda: random.uniform(0.0, 0.03))
    created, errors, done = set(), [], threading.Event()

    def writer(username, device_id):
        with Session(engine) as session:
            actor = _actor(session, username, device_id)
            session.commit()
            visit, seq = new_id(), 1
            batches = [[_mutation(seq, "sampling_visit", visit, visit_fields(enterprise_id))]]
            for _ in range(BATCHES):
                batch = []
                for _ in range(PER_BATCH):
                    seq += 1
                    record_id = new_id()
                    batch.append(_mutation(seq, "sample", record_id, sample_fields(f"S-{seq:03d}"), parent=visit))
                batches.append(batch)
            for batch in batches:
                try:
                    body = push.push(session, actor, {"protocol": 1, "device_id": device_id, "mutations": batch},
                                     clock=app.extensions["clock"], forms=app.extensions["forms"], entities=app.extensions["entities"],
                                     reference_loader=lambda: evaluation_reference(session, app.extensions["clock"].today()), faults=faults,
                                     allocator=allocator)
                    session.commit()
                    errors.extend(r for r in body["results"] if r["status"] != "applied")
                    created.update(m["id"] for m in batch)
                except Exception as error:  # any failure is a test failure; keep it for the report
                    session.rollback()
                    errors.append(repr(error))

    seen = {}

    def puller():
        with Session(engine) as session:
            actor = _actor(session, "lh_supervisor", puller_device)
            session.commit()
            cursor = None
            while True:
                finished = done.is_set()
                body = pull.pull(session, actor, puller_device, cursor=cursor, limit=1000, allocator=allocator)
                session.rollback()
                for change in body["changes"]:
                    seen[change["id"]] = change["change_no"]
                cursor = body["cursor"]
                if finished and not body["has_more"]:
                    return

    threads = [threading.Thread(target=writer, args=w) for w in writers]
    reader = threading.Thread(target=puller)
    reader.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    reader.join()
    assert errors == []
    return created, seen


def test_concurrent_writers_never_hide_a_change_from_a_tight_puller(app):
    created, seen = _run(app, COUNTER)
    assert len(created) == WRITERS * (1 + BATCHES * PER_BATCH)
    missed = created - set(seen)
    assert missed == set()


def test_a_plain_sequence_loses_changes_under_the_same_load(app):
    with Session(db.engine) as session:
        start = current_state(session)[1] + 1_000_000
        session.execute(sa.text(f"CREATE SEQUENCE IF NOT EXISTS {PlainSequenceAllocator.SEQUENCE} START {start}"))
        session.commit()
    try:
        created, seen = _run(app, PlainSequenceAllocator())
    finally:
        with Session(db.engine) as session:
            session.execute(sa.text(f"DROP SEQUENCE IF EXISTS {PlainSequenceAllocator.SEQUENCE}"))
            session.commit()
    assert len(created) == WRITERS * (1 + BATCHES * PER_BATCH)
    missed = created - set(seen)
    assert missed, "a plain sequence should let a puller skip changes committed out of order"
    assert db.session.scalar(sa.select(sa.func.count()).where(Record.id.in_(missed))) == len(missed)
