"""What devices pushed (the mutation log) and the conflicts the merge found."""
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, JSONType, UTCDateTime, utcnow


class Mutation(Base):
    """Every mutation a device pushed, with the result it got: a retry is answered from here."""

    __tablename__ = "mutations"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[str] = mapped_column(sa.ForeignKey("devices.id"))
    client_seq: Mapped[int] = mapped_column(sa.BigInteger)
    mutation_id: Mapped[str] = mapped_column(sa.String(36), unique=True)
    entity: Mapped[str] = mapped_column(sa.String(32))
    record_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    op: Mapped[str] = mapped_column(sa.String(16))
    status: Mapped[str] = mapped_column(sa.String(16), index=True)  # applied | conflict | rejected | quarantined
    result: Mapped[dict] = mapped_column(JSONType)
    payload: Mapped[dict] = mapped_column(JSONType)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (sa.UniqueConstraint("device_id", "client_seq"),)


class Conflict(Base):
    """Two devices disagreed: the server value stayed, both values are kept here until a supervisor decides."""

    __tablename__ = "conflicts"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    record_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    entity: Mapped[str] = mapped_column(sa.String(32))
    kind: Mapped[str] = mapped_column(sa.String(20))  # field | delete_edit | edit_after_delete
    field: Mapped[str | None] = mapped_column(sa.String(64))
    base_change_no: Mapped[int | None] = mapped_column(sa.BigInteger)
    base_value: Mapped[dict | None] = mapped_column(JSONType)  # {"value": …}: JSON null is a value too
    server_value: Mapped[dict | None] = mapped_column(JSONType)
    client_value: Mapped[dict | None] = mapped_column(JSONType)
    server_change_no: Mapped[int | None] = mapped_column(sa.BigInteger)
    server_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    server_device_id: Mapped[str | None] = mapped_column(sa.String(36))
    server_device_time: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    client_user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    client_device_id: Mapped[str] = mapped_column(sa.String(36))
    client_device_time: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    mutation_id: Mapped[str] = mapped_column(sa.String(36))
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(16), default="open", index=True)  # open | resolved
    resolution: Mapped[dict | None] = mapped_column(JSONType)
    resolved_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    change_no: Mapped[int] = mapped_column(sa.BigInteger, index=True)
