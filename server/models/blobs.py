"""Attachment bytes: published blobs (content-addressed) and resumable uploads in progress."""
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class Blob(Base):
    """A verified, published file: the original kept byte-exact, derived copies made once at upload."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    size: Mapped[int] = mapped_column(sa.BigInteger)
    mime: Mapped[str] = mapped_column(sa.String(32))
    width: Mapped[int | None]
    height: Mapped[int | None]
    uploaded_by: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    uploaded_device: Mapped[str | None] = mapped_column(sa.String(36))
    uploaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Upload(Base):
    """A resumable upload: bytes staged on disk until the declared hash is verified."""

    __tablename__ = "uploads"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    size: Mapped[int] = mapped_column(sa.BigInteger)
    mime: Mapped[str] = mapped_column(sa.String(32))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    device_id: Mapped[str | None] = mapped_column(sa.String(36))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when the bytes were verified and published; the row stays until housekeeping, so finishing the upload again
    # (a retry that reached another app host) answers with the blob.
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class BlobHolder(Base):
    """Someone who has shown they hold a blob's bytes (uploaded them, hash verified). Knowing a SHA-256 is not
    holding the file: an attachment opens a blob to its readers only when its author is a holder."""

    __tablename__ = "blob_holders"

    sha256: Mapped[str] = mapped_column(sa.ForeignKey("blobs.sha256"), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
