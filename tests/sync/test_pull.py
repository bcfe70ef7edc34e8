"""Pull: commit order, scope, paging that resumes, and resets when a cursor cannot be trusted."""
import threading

import sqlalchemy as sa

from server.extensions import db
from server.models import Enterprise, ReferenceRow
from server.sync.changes import new_epoch
from server.sync.housekeeping import purge_tombstones
from tests.support import enterprise_in, login
from tests.sync.tablets import Tablet, sample_fields, visit_fields


def test_initial_pull_brings_the_district_registry_and_reference_data(client):
    tablet = Tablet(login(client, "lh_sampler"))
    changes = tablet.pull()
    enterprises = [c for c in changes if c["kind"] == "enterprise"]
    district = db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise)
                                 .where(Enterprise.region_id == enterprise_in("临河区").region_id))
    assert len(enterprises) == district and {c["data"]["region_id"] for c in enterprises} == {
        enterprise_in("临河区").region_id}
    tables = {c["table"] for c in changes if c["kind"] == "reference"}
    assert {"oel_limits", "checklist_items", "law_articles", "hazard_factors"} <= tables
    assert len([c for c in changes if c["kind"] == "reference"]) == db.session.scalar(
        sa.select(sa.func.count(ReferenceRow.id)))
    numbers = [c["change_no"] for c in changes]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def test_pull_shows_only_what_the_user_may_see(client):
    sampler = Tablet(login(client, "lh_sampler"))
    visit = sampler.create("sampling_visit", visit_fields(enterprise_in("临河区").id))
    sampler.push()
    same_district = Tablet(login(client, "lh_sampler2"))
    other_district = Tablet(login(client, "dg_sampler"))
    inspector = Tablet(login(client, "lh_inspector"))
    supervisor = Tablet(login(client, "lh_supervisor"))
    assert visit in {c["id"] for c in same_district.pull()}
    assert visit not in {c["id"] for c in other_district.pull()}
    assert visit not in {c["id"] for c in inspector.pull()}  # inspectors do not work on sampling records
    assert visit in {c["id"] for c in supervisor.pull()}


def test_no_change_pull_is_empty_and_keeps_its_place(client):
    tablet = Tablet(login(client, "lh_sampler"))
    tablet.pull()
    cursor = tablet.cursor
    assert tablet.pull() == [] and tablet.cursor == cursor


def test_pull_reports_the_devices_sequence_from_the_same_snapshot(client):
    tablet = Tablet(login(client, "lh_sampler"))
    visit = tablet.create("sampling_visit", visit_fields(enterprise_in("临河区").id))
    tablet.create("sample", sample_fields("S-1"), parent=visit)
    tablet.push()
    changes = tablet.pull()
    assert tablet.last_pull["last_client_seq"] == 2
    assert {visit} <= {c["id"] for c in changes}


def test_an_interrupted_initial_pull_resumes_where_it_stopped(client):
    full = Tablet(login(client, "lh_sampler"))
    everything = [c["change_no"] for c in full.pull(limit=2000)]
    interrupted = Tablet(login(client, "lh_sampler"))
    pages = []
    for _ in range(3):  # three pages of 40, then the signal is lost
        query = "/api/sync/pull?limit=40" + (f"&cursor={interrupted.cursor}" if interrupted.cursor else "")
        body = interrupted.caller.get(query).get_json()
        pages += [c["change_no"] for c in body["changes"]]
        interrupted.cursor = body["cursor"]
    rest = [c["change_no"] for c in interrupted.pull(limit=40)]
    assert pages + rest == everything
    assert len(everything) > 120


def test_horizon_reset_tells_the_device_to_copy_again(client):
    tablet = Tablet(login(client, "lh_sampler"))
    tablet.pull()
    old_cursor = tablet.cursor
    visit = tablet.create("sampling_visit", visit_fields(enterprise_in("临河区").id))
    sample = tablet.create("sample", sample_fields("S-1"), parent=visit)
    tablet.push()
    tablet.delete(sample)
    tablet.push()
    purge_tombstones(db.session, keep_last_changes=0)
    db.session.commit()
    body = tablet.caller.get(f"/api/sync/pull?cursor={old_cursor}&limit=20").get_json()
    assert body["reset"] is True and body["reset_reason"] == "horizon"
    ids, pages = {c["id"] for c in body["changes"]}, 1
    while body["has_more"]:  # the copy again, page after page, as the device reads it: no second reset
        body = tablet.caller.get(f"/api/sync/pull?cursor={body['cursor']}&limit=20").get_json()
        assert body["reset"] is False
        ids |= {c["id"] for c in body["changes"]}
        pages += 1
        assert pages < 1000
    assert pages > 1 and visit in ids and sample not in ids


def test_a_restored_database_epoch_forces_a_reset(client):
    tablet = Tablet(login(client, "lh_sampler"))
    tablet.pull()
    new_epoch(db.session)
    db.session.commit()
    body = tablet.caller.get(f"/api/sync/pull?cursor={tablet.cursor}").get_json()
    assert body["reset"] is True and body["reset_reason"] == "epoch"
    assert body["changes"]


def test_an_unreadable_cursor_is_a_reset_not_an_error(client):
    body = login(client, "lh_sampler").get("/api/sync/pull?cursor=garbage!!").get_json()
    assert body["reset"] is True and body["reset_reason"] == "unreadable"


def test_pulls_during_pushes_always_agree_with_the_acknowledged_sequence(app, client):
    """Each pull's last_client_seq comes from its own snapshot: every mutation it counts is visible."""
    writer = Tablet(login(client, "lh_sampler"))
    visit = writer.create("sampling_visit", visit_fields(enterprise_in("临河区").id))
    writer.push()
    reader_caller = login(client, "lh_sampler")
    reader = Tablet(reader_caller)
    reader.caller = reader_caller
    problems, done = [], threading.Event()
    seen = {}

    def pushing():
        local = Tablet(writer.caller)
        local.seq = writer.seq
        with app.app_context():
            for index in range(25):
                local.create("sample", sample_fields(f"S-{index}"), parent=visit, record_id=f"sample-{index:03d}")
                local.push()
        done.set()

    thread = threading.Thread(target=pushing)
    thread.start()
    cursor = None
    while not done.is_set() or cursor is None:
        query = "/api/sync/pull?limit=2000" + (f"&cursor={cursor}" if cursor else "")
        with app.app_context():
            body = writer.caller.get(query).get_json()
        for change in body["changes"]:
            seen[change["id"]] = change
        cursor = body["cursor"]
        acknowledged = body["last_client_seq"] - 1  # seq 1 was the visit
        missing = [i for i in range(acknowledged) if f"sample-{i:03d}" not in seen]
        if missing:
            problems.append((acknowledged, missing))
        if done.is_set():
            break
    thread.join()
    assert problems == []
