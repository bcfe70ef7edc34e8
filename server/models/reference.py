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
    """One row of a reference table. `data` is the row exactly as the domain rules read it: the version in force.

    Rows shipped in reference/*.json are refreshed from the files until an admin edits them. An admin's edit is
    a ReferenceVersion that replaces `data` only once a second admin has verified it and its effective date has
    come (`version` counts them: 1 is the row as first loaded; `version_from` is the business date the current
    version took effect, None for the first).
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
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    version_from: Mapped[dt.date | None]

    __table_args__ = (sa.UniqueConstraint("table_name", "row_key"),
                      sa.Index("ix_reference_rows_table_key", "table_name", "key"))


class ReferenceAudit(Base):
    """Who changed or verified which reference row, with the values before and after."""

    __tablename__ = "reference_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_name: Mapped[str] = mapped_column(sa.String(64))
    row_key: Mapped[str] = mapped_column(sa.String(255))
    action: Mapped[str] = mapped_column(sa.String(16))  # create | update | approve | withdraw | apply | verify
    before: Mapped[dict | None] = mapped_column(JSONType)
    after: Mapped[dict | None] = mapped_column(JSONType)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (sa.Index("ix_reference_audit_row", "table_name", "row_key"),)


class ReferenceVersion(Base):
    """A new version of a reference row proposed by one admin (four eyes): `pending` until a second admin verifies
    it (`verified`, or `withdrawn`). A verified version replaces the row's data from `in_force_from` — the later of
    the proposed date and the verification day, business dates in China — and is then `applied_at`. Versions are
    never deleted: they are the row's history (who proposed, who verified, from when)."""

    __tablename__ = "reference_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_name: Mapped[str] = mapped_column(sa.ForeignKey("reference_tables.name"))
    row_key: Mapped[str] = mapped_column(sa.String(255))
    action: Mapped[str] = mapped_column(sa.String(16))  # create | update
    state: Mapped[str] = mapped_column(sa.String(16), default="pending")  # pending | verified | withdrawn
    number: Mapped[int | None]  # the row's version number, given at verification
    base_number: Mapped[int | None]  # the version it was edited from (None: a new row)
    data: Mapped[dict] = mapped_column(JSONType)
    before: Mapped[dict | None] = mapped_column(JSONType)
    reason: Mapped[str] = mapped_column(sa.Text)
    effective_on: Mapped[dt.date]
    in_force_from: Mapped[dt.date | None]
    proposed_by: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    proposed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    decided_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)
    applied_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (sa.UniqueConstraint("table_name", "row_key", "number"),
                      sa.Index("ix_reference_versions_row", "table_name", "row_key"),
                      sa.Index("ix_reference_versions_state", "state"))
