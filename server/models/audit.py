"""Who did what in administration: users, devices, reference data, the registry, draws."""
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, JSONType, UTCDateTime, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(48), index=True)  # e.g. user.create, device.revoke
    target: Mapped[str | None] = mapped_column(sa.String(255))
    details: Mapped[dict] = mapped_column(JSONType, default=dict)
    region_id: Mapped[int | None] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    device_id: Mapped[str | None] = mapped_column(sa.String(36))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
