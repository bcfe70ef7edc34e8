"""Who did what in administration: users, devices, reference data, the registry, draws."""
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, JSONType, UTCDateTime, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)  # None: an unknown login
    action: Mapped[str] = mapped_column(sa.String(48), index=True)  # e.g. user.create, device.revoke
    target: Mapped[str | None] = mapped_column(sa.String(255))
    details: Mapped[dict] = mapped_column(JSONType, default=dict)
    region_id: Mapped[int | None] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    device_id: Mapped[str | None] = mapped_column(sa.String(36))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Tamper evidence: SM3 over the previous entry's hash and this entry's content (domain/audit.py).
    prev_hash: Mapped[str | None] = mapped_column(sa.String(64))
    entry_hash: Mapped[str | None] = mapped_column(sa.String(64))


class AuditChain(Base):
    """The head of the audit chain (one row): the last entry's hash, updated in the writing transaction so
    entries chain in commit order; `base_hash` is where the kept chain starts after old entries are pruned."""

    __tablename__ = "audit_chain"

    id: Mapped[int] = mapped_column(primary_key=True)
    entries: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    last_hash: Mapped[str] = mapped_column(sa.String(64))
    base_hash: Mapped[str] = mapped_column(sa.String(64))
    pruned_through: Mapped[int] = mapped_column(sa.BigInteger, default=0)
