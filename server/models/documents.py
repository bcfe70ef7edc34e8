"""Issued documents (immutable), their rendered PDFs, number series, device number blocks and voids."""
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, JSONType, UTCDateTime, utcnow


class Document(Base):
    """An issued document. Never updated or deleted (a database trigger refuses it): a correction is a new
    document that `amends` this one, a cancellation a row in document_voids. Its status is derived."""

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    doc_type: Mapped[str] = mapped_column(sa.String(32))
    number: Mapped[str] = mapped_column(sa.String(64))
    year: Mapped[int]
    seq: Mapped[int]
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    record_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    enterprise_id: Mapped[str | None] = mapped_column(sa.String(36), index=True)
    snapshot: Mapped[dict] = mapped_column(JSONType)
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    verify_token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    amends_id: Mapped[str | None] = mapped_column(sa.ForeignKey("documents.id"), index=True)
    offline: Mapped[bool] = mapped_column(default=False)
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    issued_by: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    issued_device: Mapped[str | None] = mapped_column(sa.String(36))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    change_no: Mapped[int] = mapped_column(sa.BigInteger, index=True)

    __table_args__ = (sa.UniqueConstraint("agency_id", "doc_type", "year", "seq", name="uq_documents_number"),)


class DocumentFile(Base):
    """The PDF rendered from a document's snapshot, rendered once and then served from storage."""

    __tablename__ = "document_files"

    document_id: Mapped[str] = mapped_column(sa.ForeignKey("documents.id"), primary_key=True)
    pdf_sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int]
    pages: Mapped[int | None]
    rendered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class DocumentVoid(Base):
    """A cancelled document, with who cancelled it and why."""

    __tablename__ = "document_voids"

    document_id: Mapped[str] = mapped_column(sa.ForeignKey("documents.id"), primary_key=True)
    reason: Mapped[str] = mapped_column(sa.Text)
    voided_by: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    voided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    change_no: Mapped[int] = mapped_column(sa.BigInteger, index=True)


class NumberSeries(Base):
    """The next sequence number of one agency's documents of one type in one year."""

    __tablename__ = "number_series"

    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), primary_key=True)
    doc_type: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    next_seq: Mapped[int] = mapped_column(default=1)


class NumberBlock(Base):
    """Numbers reserved for one device while online, so it can issue offline without clashing."""

    __tablename__ = "number_blocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"))
    doc_type: Mapped[str] = mapped_column(sa.String(32))
    year: Mapped[int]
    first_seq: Mapped[int]
    last_seq: Mapped[int]
    device_id: Mapped[str] = mapped_column(sa.ForeignKey("devices.id"), index=True)
    reserved_by: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    reserved_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    released_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class VoidedNumber(Base):
    """A number that will never be used, kept with its reason: the series has no silent gaps."""

    __tablename__ = "voided_numbers"

    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), primary_key=True)
    doc_type: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True)
    reason: Mapped[str] = mapped_column(sa.Text)
    voided_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))  # None: by housekeeping
    voided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
