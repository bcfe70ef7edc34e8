"""Versioned reference data (exposure limits, law articles, checklist items, templates…) and its audit trail."""
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, JSONType, UTCDateTime, utcnow


class ReferenceTable(Base):
    """One reference table as shipped: its title, version label and source."""

    __tablename__ = "reference_tables"

    name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    title_zh: Mapped[str] = mapped_column(sa.String(128))
    title_en: Mapped[str] = mapped_column(sa.String(128))
    version: Mapped[str] = mapped_column(sa.String(64))
    source: Mapped[str] = mapped_column(sa.Text)
    note: Mapped[str | None] = mapped_column(sa.Text)
    file: Mapped[str] = mapped_column(sa.String(255))
    loaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReferenceRow(Base):
    """One row of a reference table. `data` is the row exactly as the domain rules read it.

    Rows shipped in reference/*.json are refreshed from the files until an admin edits them;
    an edited row keeps the admin's values (`edited_by`) and every edit is in reference_audit.
    """

    __tablename__ = "reference_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_name: Mapped[str] = mapped_column(sa.ForeignKey("reference_tables.name"))
    row_key: Mapped[str] = mapped_column(sa.String(255))
    key: Mapped[str] = mapped_column(sa.String(128))
    data: Mapped[dict] = mapped_column(JSONType)
    confidence: Mapped[str] = mapped_column(sa.String(16))
    verified: Mapped[bool] = mapped_column(default=False)
    effective_from: Mapped[dt.date | None]
    effective_to: Mapped[dt.date | None]
    edited_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    edited_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    change_no: Mapped[int] = mapped_column(sa.BigInteger, index=True, default=0)

    __table_args__ = (sa.UniqueConstraint("table_name", "row_key"),
                      sa.Index("ix_reference_rows_table_key", "table_name", "key"))


class ReferenceAudit(Base):
    """Who changed or verified which reference row, with the values before and after."""

    __tablename__ = "reference_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_name: Mapped[str] = mapped_column(sa.String(64))
    row_key: Mapped[str] = mapped_column(sa.String(255))
    action: Mapped[str] = mapped_column(sa.String(16))  # create | update | verify
    before: Mapped[dict | None] = mapped_column(JSONType)
    after: Mapped[dict | None] = mapped_column(JSONType)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (sa.Index("ix_reference_audit_row", "table_name", "row_key"),)
