"""The registry of employers 用人单位 that field teams visit."""
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, JSONType, UTCDateTime, new_uuid, utcnow

SIZES = ("large", "medium", "small", "micro")  # 大 / 中 / 小 / 微


class Enterprise(Base):
    """One employer. The unified social credit code is the natural key; the id is a UUID like every synced row."""

    __tablename__ = "enterprises"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=new_uuid)
    credit_code: Mapped[str] = mapped_column(sa.String(18), unique=True)
    name: Mapped[str] = mapped_column(sa.String(128), index=True)
    address: Mapped[str | None] = mapped_column(sa.String(255))
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    industry_code: Mapped[str | None] = mapped_column(sa.String(8), index=True)  # GB/T 4754
    industry_name: Mapped[str | None] = mapped_column(sa.String(64))
    size: Mapped[str | None] = mapped_column(sa.String(8))
    legal_representative: Mapped[str | None] = mapped_column(sa.String(64))
    contact_name: Mapped[str | None] = mapped_column(sa.String(64))
    contact_phone: Mapped[str | None] = mapped_column(sa.String(32))
    latitude: Mapped[float | None] = mapped_column(sa.Float)
    longitude: Mapped[float | None] = mapped_column(sa.Float)
    workers_total: Mapped[int | None]
    workers_exposed: Mapped[int | None]
    hazard_class: Mapped[str | None] = mapped_column(sa.String(4))  # 甲 / 乙 / 丙: meaning depends on the scheme
    hazard_class_scheme: Mapped[str | None] = mapped_column(sa.String(32))
    hazard_class_assessed_on: Mapped[dt.date | None]
    declared_hazards: Mapped[list] = mapped_column(JSONType, default=list)
    # 职业病危害项目申报 (domain/declarations.py): first declaration, latest declaration or update, and the next one
    # due (set from the two dates and the reference rule whenever they are written).
    first_declared_on: Mapped[dt.date | None] = mapped_column(index=True)
    last_declared_on: Mapped[dt.date | None]
    declaration_due_on: Mapped[dt.date | None] = mapped_column(index=True)
    # Sync bookkeeping: the change number of the last change, and per field the change that last set it.
    change_no: Mapped[int] = mapped_column(sa.BigInteger, index=True, default=0)
    field_versions: Mapped[dict] = mapped_column(JSONType, default=dict)
    field_writers: Mapped[dict] = mapped_column(JSONType, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    region = relationship("Region")
