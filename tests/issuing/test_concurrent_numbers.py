"""Twelve inspectors issue at the same moment: twelve different numbers, no gap (PostgreSQL)."""
import threading
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from server.domain.actors import Actor
from server.domain.regions import region_subtree_ids
from server.extensions import db
from server.models import Agency, Document, User
from server.sync.devices import register_device
from server.sync.documents import issue_online
from tests.issuing.inspections import complete_inspection
from tests.support import login

pytestmark = pytest.mark.pg_only
COUNT = 12


def test_concurrent_issuance_never_duplicates_a_number(app, client):
    inspector = login(client, "lh_inspector")
    tablet, first, _ = complete_inspection(client, inspector)
    inspections = [first] + [complete_inspection(client, inspector, tablet=tablet)[1] for _ in range(COUNT - 1)]
    engine, barrier, errors, numbers = db.engine, threading.Barrier(COUNT), [], []
    with Session(engine) as session:
        person = session.scalar(sa.select(User).where(User.username == "lh_inspector"))
        region_id = session.get(Agency, person.agency_id).region_id
        devices = [register_device(session, person).id for _ in range(COUNT)]
        session.commit()
        actor_args = dict(user_id=person.id, username=person.username, roles=frozenset(person.roles),
                          agency_id=person.agency_id, region_id=region_id,
                          region_ids=region_subtree_ids(session, region_id))

    def issue(record_id, device_id):
        with Session(engine) as session:
            barrier.wait()
            try:
                document = issue_online(session, Actor(**actor_args, device_id=device_id),
                                        clock=app.extensions["clock"], forms=app.extensions["forms"], base_url="http://test",
                                        document_id=str(uuid.uuid4()), record_id=record_id,
                                        doc_type="supervision_opinion")
                session.commit()
                numbers.append(document.seq)
            except Exception as error:  # reported by the assertion below
                errors.append(repr(error))

    threads = [threading.Thread(target=issue, args=pair) for pair in zip(inspections, devices)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == list(range(1, COUNT + 1))
    stored = db.session.scalars(sa.select(Document.number).order_by(Document.seq)).all()
    assert stored == [f"2026—{n:03d}" for n in range(1, COUNT + 1)]
