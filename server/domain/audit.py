"""The audit trail: logins, administration (users, devices, reference data, the registry, draws), reviews,
issuing, exports and reads of personal data.

Tamper-evident (等保 2.0 level 3, 安全审计): each entry carries SM3(previous entry's hash ‖ its own content), the
chain's head is updated in the writing transaction (so entries chain in commit order), and `verify_chain`
recomputes it: an edited, deleted or inserted row breaks it at that row. Entries older than the retention
period (at least 180 days, 网络安全法 Art. 21) may be pruned; the chain then starts from the last pruned hash.
"""
import datetime as dt
import json
from dataclasses import dataclass

import sqlalchemy as sa
from cryptography.hazmat.primitives import hashes

from ..clock import host_now
from ..models import Agency, AuditChain, AuditEntry, User
from .errors import invalid
from .permissions import require

GENESIS = "0" * 64
CHAIN_ID = 1
MIN_RETENTION_DAYS = 180


def sm3(text):
    """SM3 (GB/T 32905-2016) of UTF-8 text, hex."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(text.encode("utf-8"))
    return digest.finalize().hex()


def entry_digest(prev_hash, entry):
    """The hash an entry must carry: SM3 over the previous hash and the entry's content in canonical JSON."""
    content = {"user_id": entry.user_id, "action": entry.action, "target": entry.target, "details": entry.details,
               "region_id": entry.region_id, "device_id": entry.device_id,
               "at": entry.at.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")}
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return sm3(prev_hash + text)


def _head(session):
    """The chain's head, locked for this transaction (the UPDATE takes the row lock first)."""
    session.execute(sa.update(AuditChain).where(AuditChain.id == CHAIN_ID)
                    .values(entries=AuditChain.entries + 1))
    head = session.get(AuditChain, CHAIN_ID, populate_existing=True)
    if head is None:
        head = AuditChain(id=CHAIN_ID, entries=1, last_hash=GENESIS, base_hash=GENESIS, pruned_through=0)
        session.add(head)
    return head


def record(session, actor, action, target=None, **details):
    """Note an action by the actor in the chain (the caller commits it with the change itself)."""
    entry = AuditEntry(user_id=actor.user_id, action=action, target=str(target) if target is not None else None,
                       details=details, region_id=actor.region_id, device_id=actor.device_id, at=host_now())
    head = _head(session)
    entry.prev_hash = head.last_hash
    entry.entry_hash = entry_digest(entry.prev_hash, entry)
    head.last_hash = entry.entry_hash
    session.add(entry)
    return entry


@dataclass(frozen=True)
class Origin:
    """Who and where an entry comes from when no signed-in actor does (a refused login)."""

    user_id: int | None
    region_id: int | None
    device_id: str | None


def record_login(session, username, device_id, *, succeeded):
    """A login, or a refused one: the account named (known or not) and the device, never the password."""
    row = session.execute(sa.select(User.id, Agency.region_id).join(Agency, Agency.id == User.agency_id)
                          .where(User.username == username)).first()
    origin = Origin(row.id if row else None, row.region_id if row else None, device_id)
    if succeeded:
        return record(session, origin, "auth.login", origin.user_id, username=username)
    return record(session, origin, "auth.login_failed", username=str(username)[:64])


def verify_chain(session):
    """{ok, entries, broken_at (first entry id that does not chain), legacy (entries older than the chain)}."""
    head = session.get(AuditChain, CHAIN_ID)
    expected = head.base_hash if head else GENESIS
    checked = legacy = 0
    started = False
    for entry in session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).yield_per(1000):
        if entry.entry_hash is None and not started:
            legacy += 1
            continue
        started = True
        if entry.prev_hash != expected or entry.entry_hash != entry_digest(entry.prev_hash, entry):
            return {"ok": False, "entries": checked, "broken_at": entry.id, "legacy": legacy}
        expected = entry.entry_hash
        checked += 1
    if head is not None and expected != head.last_hash:
        return {"ok": False, "entries": checked, "broken_at": None, "legacy": legacy}  # entries cut off the end
    return {"ok": True, "entries": checked, "broken_at": None, "legacy": legacy}


def prune(session, *, older_than_days, now):
    """Delete entries older than the retention period (≥ MIN_RETENTION_DAYS); the chain restarts from the last
    pruned entry's hash. Returns how many were deleted."""
    if older_than_days < MIN_RETENTION_DAYS:
        raise invalid("审计记录至少保留 180 天", "older_than_days", "retention",
                      f"审计记录至少保留 {MIN_RETENTION_DAYS} 天（网络安全法第二十一条）",
                      f"Audit entries are kept at least {MIN_RETENTION_DAYS} days")
    cutoff = now - dt.timedelta(days=older_than_days)
    last = session.scalars(sa.select(AuditEntry).where(AuditEntry.at < cutoff, AuditEntry.entry_hash.is_not(None))
                           .order_by(AuditEntry.id.desc()).limit(1)).first()
    if last is None:
        return 0
    head = _head(session)
    head.entries -= 1  # taking the lock is not an entry
    head.base_hash, head.pruned_through = last.entry_hash, last.id
    return session.execute(sa.delete(AuditEntry).where(AuditEntry.id <= last.id)).rowcount


def entries(session, actor, *, action=None, page=1, per_page=50):
    """Audit entries made within the actor's jurisdiction, newest first: (items, total)."""
    require(actor, "audit.read")
    query = sa.select(AuditEntry, User.display_name).outerjoin(User, User.id == AuditEntry.user_id).where(
        AuditEntry.region_id.in_(actor.region_ids))
    if action:
        query = query.where(AuditEntry.action.startswith(action))
    total = session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = session.execute(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                           .offset((page - 1) * per_page).limit(per_page)).all()
    return [{"id": e.id, "user": name, "action": e.action, "target": e.target, "details": e.details,
             "device_id": e.device_id, "at": e.at} for e, name in rows], total
