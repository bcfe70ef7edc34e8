"""Field records of every kind, one row each, and the log of every change made to them."""
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, JSONType, UTCDateTime, utcnow


# The field that dates each kind of root record's work (its business date): what KPIs and lists filter by.
BUSINESS_DATE_FIELDS = {"sampling_visit": "sampling_date", "inspection": "inspection_date",
                        "assistance_visit": "visit_date", "followup": "followup_date",
                        "reinspection": "reinspection_date", "workplace_survey": "survey_date"}


def business_date_of(entity, data):
    """The business date of a record's data (None when its kind has none or it is not a valid date yet)."""
    value = (data or {}).get(BUSINESS_DATE_FIELDS.get(entity, ""))
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


class Record(Base):
    """One field record: a sampling visit, a sample, an inspection, a finding, an attachment…

    The id comes from the device and never changes. `data` holds the form's fields; `computed` what the
    server derives (computed fields, a visit's evaluation). `field_versions` holds, per field, the change
    number that last set it and `field_writers` the device that did — a device's own later edit is never a
    conflict with itself. Children point to their parent and to the root (visit, inspection) whose review
    state and lock they share.
    """

    __tablename__ = "records"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    entity: Mapped[str] = mapped_column(sa.String(32), index=True)
    form_id: Mapped[str | None] = mapped_column(sa.String(48))
    form_version: Mapped[int | None]
    parent_id: Mapped[str | None] = mapped_column(sa.String(36), index=True)
    root_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"))
    enterprise_id: Mapped[str | None] = mapped_column(sa.String(36), index=True)
    # Set from `data` whenever the record is written (below): periods are queried in SQL, by index.
    business_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    blob_sha256: Mapped[str | None] = mapped_column(sa.String(64), index=True)  # attachments: the bytes they show
    data: Mapped[dict] = mapped_column(JSONType, default=dict)
    computed: Mapped[dict] = mapped_column(JSONType, default=dict)
    field_versions: Mapped[dict] = mapped_column(JSONType, default=dict)
    field_writers: Mapped[dict] = mapped_column(JSONType, default=dict)
    change_no: Mapped[int] = mapped_column(sa.BigInteger, index=True)
    created_change_no: Mapped[int] = mapped_column(sa.BigInteger)
    deleted: Mapped[bool] = mapped_column(default=False)
    review_status: Mapped[str | None] = mapped_column(sa.String(16))  # roots only: draft, submitted, …
    review_comment: Mapped[str | None] = mapped_column(sa.Text)
    locked_reason: Mapped[str | None] = mapped_column(sa.String(32))  # approved | document
    conflict_open: Mapped[bool] = mapped_column(default=False)
    created_by: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_device: Mapped[str | None] = mapped_column(sa.String(36))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    device_created_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    updated_by: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    updated_device: Mapped[str | None] = mapped_column(sa.String(36))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    device_updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


sa.Index("ix_records_entity_region_business_date", Record.entity, Record.region_id, Record.business_date)


@sa.event.listens_for(Record, "before_insert")
@sa.event.listens_for(Record, "before_update")
def _business_date(_mapper, _connection, record):
    record.business_date = business_date_of(record.entity, record.data)


class RecordChange(Base):
    """One applied change: which fields became what, by whom, from which device, at which change number."""

    __tablename__ = "record_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    change_no: Mapped[int] = mapped_column(sa.BigInteger)
    op: Mapped[str] = mapped_column(sa.String(16))  # create | update | delete | submit | review | resolve | …
    fields: Mapped[dict] = mapped_column(JSONType, default=dict)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    device_id: Mapped[str | None] = mapped_column(sa.String(36))
    mutation_id: Mapped[str | None] = mapped_column(sa.String(36))
    device_time: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
