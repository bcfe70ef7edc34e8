"""Push: a device's mutations applied in order, each exactly once (DESIGN §4).

The device row is locked first, so two retries of one device never run side by side. Target rows are locked
in id order (PostgreSQL), merged in memory, and written at the end. Change numbers are allocated last, just
before the writes, from the counter row whose lock is held until commit: numbers become visible in order.
"""
import uuid

import sqlalchemy as sa

from ..domain.errors import Forbidden
from ..models import Device, Mutation
from ..models.transactions import begin_write, for_update
from .apply import apply_mutation
from .batch import Batch, allocate_and_resolve
from .completeness import check_complete
from .derive import derive_roots
from .entities import ENTERPRISE
from .errors import MutationFailed, Rejected, SequenceError, Transient
from .faults import NO_FAULTS
from .merge import Pending

PROTOCOL = 1


def _lock_device(session, actor, device_id):
    device = session.scalar(for_update(sa.select(Device).where(Device.id == device_id), session))
    if device is None or device.user_id != actor.user_id or device_id != actor.device_id:
        raise Forbidden("设备与登录用户不符：不能推送其他用户或设备的数据", code="DEVICE_MISMATCH")
    if device.revoked_at is not None:
        raise Forbidden("此设备已被停用，请联系管理员", code="DEVICE_REVOKED")
    return device


def plan_batch(session, device, mutations):
    """(replayed log rows by seq, new mutations in seq order); SequenceError on a gap or a reused number."""
    ordered = sorted(mutations, key=lambda m: m["client_seq"])
    last = device.last_client_seq
    seen = {}
    for mutation in ordered:
        other = seen.setdefault(mutation["client_seq"], mutation)
        if other["mutation_id"] != mutation["mutation_id"]:
            raise SequenceError("SEQ_REUSED", f"序号 {mutation['client_seq']} 被两个不同的变更使用", last + 1)
    ordered = list(seen.values())
    old = [m for m in ordered if m["client_seq"] <= last]
    logged = {row.client_seq: row for row in session.scalars(
        sa.select(Mutation).where(Mutation.device_id == device.id,
                                  Mutation.client_seq.in_([m["client_seq"] for m in old])))} if old else {}
    for mutation in old:
        row = logged.get(mutation["client_seq"])
        if row is not None and row.mutation_id != mutation["mutation_id"]:
            raise SequenceError("SEQ_REUSED", f"序号 {mutation['client_seq']} 已用于另一个变更，拒绝覆盖", last + 1)
    new = [m for m in ordered if m["client_seq"] > last]
    for expected, mutation in enumerate(new, start=last + 1):
        if mutation["client_seq"] != expected:
            raise SequenceError("SEQ_GAP", f"序号不连续：应为 {expected}，收到 {mutation['client_seq']}", expected)
    return {m["client_seq"]: logged.get(m["client_seq"]) for m in old}, new


def _preload(batch, new):
    record_ids = {m["id"] for m in new if m["entity"] != ENTERPRISE} | {m.get("parent") for m in new}
    enterprise_ids = {m["id"] for m in new if m["entity"] == ENTERPRISE}
    enterprise_ids |= {(m.get("fields") or {}).get("enterprise_id") for m in new if m["op"] == "create"}
    batch.load(record_ids, {e for e in enterprise_ids if isinstance(e, str)})
    batch.load({r.root_id for r in batch.records.values()})


def _log_row(batch, mutation, result):
    mutation_id = mutation["mutation_id"]
    if (result.get("error") or {}).get("code") == "DUPLICATE_MUTATION_ID":
        # The log keeps one row per mutation id; a refused repeat is logged under an id of its own sequence
        # number (its payload keeps what the device sent), so the refusal is stored and the sequence moves on.
        mutation_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"duplicate/{batch.device.id}/{mutation['client_seq']}"))
    return {"device_id": batch.device.id, "client_seq": mutation["client_seq"], "mutation_id": mutation_id,
            "entity": mutation["entity"], "record_id": mutation["id"], "op": mutation["op"], "status": result["status"],
            "result": result, "payload": mutation, "user_id": batch.actor.user_id, "received_at": batch.now}


def _duplicate_ids(session, new):
    ids = [m["mutation_id"] for m in new]
    return set(session.scalars(sa.select(Mutation.mutation_id).where(Mutation.mutation_id.in_(ids)))) if ids else set()


def push(session, actor, payload, *, clock, forms, entities, reference_loader, faults=NO_FAULTS, allocator=None,
         base_url=""):
    """Apply a push request; returns the response body (the caller commits)."""
    begin_write(session)
    device = _lock_device(session, actor, payload["device_id"])
    replays, new = plan_batch(session, device, payload["mutations"])
    batch = Batch(session=session, actor=actor, device=device, forms=forms, entities=entities, clock=clock,
                  base_url=base_url)
    duplicates = _duplicate_ids(session, new)  # ids already in the log; repeats within the batch are added below
    results, logs, stopped = [], [], False
    with session.no_autoflush:
        _preload(batch, new)
        for mutation in new:
            base = {"client_seq": mutation["client_seq"], "mutation_id": mutation["mutation_id"]}
            try:
                faults.before(mutation)
                if mutation["mutation_id"] in duplicates:
                    raise Rejected("DUPLICATE_MUTATION_ID", "此变更编号已用于另一个序号")
                duplicates.add(mutation["mutation_id"])
                outcome, index = apply_mutation(batch, mutation, check_complete)
                result = {**base, **outcome, "change_no": index}
            except MutationFailed as failure:
                result = {**base, "status": failure.status,
                          "error": {"code": failure.code, "message": failure.message, "details": failure.details}}
            except Transient:
                stopped = True  # the rest waits for the device's retry; the prefix is kept
                break
            results.append(result)
            logs.append((mutation, result))
            device.last_client_seq = mutation["client_seq"]
        derive_roots(batch, reference_loader)
        numbers = allocate_and_resolve(batch, allocator)
        faults.after_allocate()
        for result in results:
            if isinstance(result.get("change_no"), Pending):
                result["change_no"] = numbers[result["change_no"].index]
        batch.write(session, [_log_row(batch, m, r) for m, r in logs])
    faults.before_commit()
    replayed = [dict(row.result, replayed=True) if row is not None else
                {"client_seq": seq, "status": "unknown", "replayed": True} for seq, row in replays.items()]
    return {"protocol": PROTOCOL, "device_id": device.id, "last_client_seq": device.last_client_seq,
            "results": sorted(replayed + results, key=lambda r: r["client_seq"]), "stopped_early": stopped}

