"""The monitoring chain after the site (DESIGN §7): samples handed to the laboratory, its results, the entry into
the national monitoring system. The visit and its samples stay field records (records); these rows belong to the
phases that come after the on-site documents, so those documents never lock them."""
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, JSONType, UTCDateTime, utcnow


class SampleHandover(Base):
    """样品交接: the samples of one visit handed by the sampler to the laboratory, and their receipt.

    `items`: [{sample_id, sample_code, condition, note}] as handed over; `receipt`: what the laboratory scanned or
    typed and the differences found ({received, missing, extra, damaged}: lists of sample codes)."""

    __tablename__ = "sample_handovers"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    visit_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"))
    items: Mapped[list] = mapped_column(JSONType, default=list)
    handed_by: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    handed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    handed_signature: Mapped[str | None] = mapped_column(sa.String(64))  # blob sha256
    received_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    received_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    received_signature: Mapped[str | None] = mapped_column(sa.String(64))
    receipt: Mapped[dict] = mapped_column(JSONType, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class LabResult(Base):
    """The laboratory's result for one sample, as typed (never rescaled): analyte mass or concentration, LOD/LOQ,
    method, instrument, analyst, analysis date, filter weighings, free SiO₂. `history` keeps each earlier version
    with who changed it and when; `locked_by` is the 检测报告 that printed it: a later correction waits in `pending`
    (values, by, at) until a 更正 of that report is issued, which applies it."""

    __tablename__ = "lab_results"

    sample_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    visit_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    values: Mapped[dict] = mapped_column(JSONType, default=dict)
    version: Mapped[int] = mapped_column(default=1)
    history: Mapped[list] = mapped_column(JSONType, default=list)
    analysis_date: Mapped[dt.date | None] = mapped_column(sa.Date, index=True)
    entered_by: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    entered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked_by: Mapped[str | None] = mapped_column(sa.String(36))
    pending: Mapped[dict | None] = mapped_column(JSONType)  # a correction after the report, awaiting its 更正


class NationalEntry(Base):
    """A visit's results entered into the national monitoring system: the day (China) and by whom."""

    __tablename__ = "national_entries"

    visit_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    entered_on: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    entered_by: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
