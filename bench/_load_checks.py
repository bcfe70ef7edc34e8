"""After the load run (bench/bench_load.py): the server's state against what every device was told.

Read from the database (mutation log, records, their create changes, published blobs) and over the API (a final
pull per device; every photo downloaded and hashed).
"""
import hashlib
from collections import Counter

import sqlalchemy as sa
from sqlalchemy.orm import Session

from _server import engine_url
from bench_sync import run_threads

from server.domain.audit import verify_chain
from server.models import Blob, Mutation, Record, RecordChange


def server_state(database_url, device_ids):
    """What the database holds for these devices: logged mutations, records, create changes, published blobs."""
    engine = sa.create_engine(engine_url(database_url))
    try:
        with Session(engine) as session:
            logged = Counter(session.scalars(sa.select(Mutation.mutation_id)
                                             .where(Mutation.device_id.in_(device_ids))))
            records = {row.id: row for row in session.execute(
                sa.select(Record.id, Record.entity, Record.data, Record.computed, Record.deleted)
                .where(Record.created_device.in_(device_ids)))}
            creates = Counter(session.scalars(sa.select(RecordChange.record_id).where(
                RecordChange.device_id.in_(device_ids), RecordChange.op == "create")))
            blobs = dict(session.execute(sa.select(Blob.sha256, Blob.size)
                                         .where(Blob.uploaded_device.in_(device_ids))).all())
    finally:
        engine.dispose()
    return logged, records, creates, blobs


def _holds(stored, sent):
    """True when the stored record carries every field value the device sent."""
    return all(stored.get(name) == value for name, value in sent.items())


def record_checks(devices, logged, records, creates):
    """Acknowledged mutations against the mutation log and the records (lost, changed, duplicated)."""
    acked = {mutation_id: m for device in devices for mutation_id, m in device.acked.items()}
    acked_records = {m["id"] for m in acked.values()}
    lost = [m for mutation_id, m in acked.items()
            if not logged[mutation_id] or m["id"] not in records or records[m["id"]].deleted]
    changed = [m for m in acked.values() if m["id"] in records and not _holds(records[m["id"]].data, m["fields"])]
    codes = Counter(r.data.get("sample_code") for r in records.values() if r.entity == "sample")
    duplicated = {"logged twice": sum(n - 1 for n in logged.values() if n > 1),
                  "created twice": sum(n - 1 for n in creates.values() if n > 1),
                  "never acknowledged": len(set(records) - acked_records),
                  "sample code twice": sum(n - 1 for n in codes.values() if n > 1)}
    return {"acknowledged": len(acked), "lost": len(lost), "changed": len(changed), "duplicated": duplicated,
            "example": (lost or changed or [None])[0]}


def convergence(devices):
    """Devices that, after a final pull, miss a record another device of their district had acknowledged."""
    run_threads(lambda device: device.pull(), [(device,) for device in devices])
    district = {}
    for device in devices:
        district.setdefault(device.district, set()).update(m["id"] for m in device.acked.values())
    return sum(1 for device in devices if district[device.district] - device.seen)


def photo_checks(devices, records, blobs):
    """Every attached photo published once and downloaded byte-exact; attachment records show it uploaded."""
    mismatched = []

    def download(device):
        for sha256 in device.attached:
            head = device.tablet.api.send("HEAD", f"/api/blobs/{sha256}")
            original = device.tablet.api.send("GET", f"/api/blobs/{sha256}?variant=original")
            if head.status != 200 or original.status != 200 or hashlib.sha256(original.body).hexdigest() != sha256:
                mismatched.append(sha256)
    run_threads(download, [(device,) for device in devices])
    attached = {sha256: size for device in devices for sha256, size in device.attached.items()}
    waiting = [r for r in records.values() if r.entity == "attachment" and not (r.computed or {}).get("uploaded")]
    return {"attached": len(attached), "published": len(set(attached) & set(blobs)),
            "size_differs": sum(1 for sha256, size in attached.items() if blobs.get(sha256, size) != size),
            "byte_exact": len(attached) - len(set(mismatched)), "not_shown_uploaded": len(waiting)}


def audit_chain(database_url):
    """The tamper-evident audit chain after the run (every login of the day chained by SM3)."""
    engine = sa.create_engine(engine_url(database_url))
    try:
        with Session(engine) as session:
            return verify_chain(session)
    finally:
        engine.dispose()


def check_server(database_url, devices):
    """Everything the issue asks after the run: 0 lost, 0 duplicated, every photo byte-exact, devices converged,
    and the audit chain intact."""
    behind = convergence(devices)
    logged, records, creates, blobs = server_state(database_url, [d.tablet.device_id for d in devices if d.tablet])
    return {**record_checks(devices, logged, records, creates), "devices_behind": behind,
            "photos": photo_checks(devices, records, blobs), "audit_chain": audit_chain(database_url)}
