"""Field records of every kind, one row each, and the log of every change made to them."""
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, JSONType, UTCDateTime, utcnow


# The field that dates each kind of record's work (its business date): what KPIs and lists filter by — a root's
# sampling, inspection, visit or follow-up date, a rectification item's deadline.
BUSINESS_DATE_FIELDS = {"sampling_visit": "sampling_date", "inspection": "inspection_date",
                        "assistance_visit": "visit_date", "followup": "followup_date",
                        "reinspection": "reinspection_date", "workplace_survey": "survey_date",
                        "rectification_item": "deadline", "literacy_survey": "survey_date"}
# The field that says a tracked item is settled (a rectification item's 销号 date): open items are found by index.
CLOSED_ON_FIELDS = {"rectification_item": "closed_on"}


def _day(value):
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def business_date_of(entity, data):
    """The business date of a record's data (None when its kind has none or it is not a valid date yet)."""
    return _day((data or {}).get(BUSINESS_DATE_FIELDS.get(entity, "")))


def visit_tallies(computed):
    """What a sampling visit's figures count, from its stored evaluation (domain/evaluations.py): samples and blanks
    taken, and each evaluated post as [hazard key ("noise" for noise), result]. A few hundred bytes where the
    evaluation is tens of kilobytes: a province's month of figures reads these."""
    evaluation = (computed or {}).get("evaluation") or {}
    summary = evaluation.get("summary") or {}
    posts = [[group.get("hazard_key") or "noise", group["evaluation"]["result"]]
             for group in (evaluation.get("groups") or []) + (evaluation.get("noise") or [])
             if group.get("status") == "evaluated" and (group.get("evaluation") or {}).get("result")]
    return {"samples": summary.get("samples") or 0, "blanks": summary.get("blanks") or 0, "posts": posts}


def projected_columns(entity, data, computed=None):
    """The columns a record's data sets whenever it is written: its business date, for a tracked item the day it was
    settled, for a sampling visit the tallies of its evaluation."""
    return {"business_date": business_date_of(entity, data),
            "closed_on": _day((data or {}).get(CLOSED_ON_FIELDS[entity])) if entity in CLOSED_ON_FIELDS else None,
            "tallies": visit_tallies(computed) if entity == "sampling_visit" else None}


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
    closed_on: Mapped[dt.date | None] = mapped_column(sa.Date)  # a rectification item's 销号 date (open: None)
    tallies: Mapped[dict | None] = mapped_column(JSONType)  # a sampling visit's counts for the figures (visit_tallies)
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
# A device's pull: its district's changes in commit order.
sa.Index("ix_records_region_change_no", Record.region_id, Record.change_no)
# Open rectification items of a district (closed_on NULL), and those settled in a period.
sa.Index("ix_records_entity_region_closed_on", Record.entity, Record.region_id, Record.closed_on)
# The review queue: what waits in a state, newest received first; the roots (parent_id NULL) of every state, newest
# first (an index of the roots only: the order of its one column serves the page).
sa.Index("ix_records_review_status_created_at", Record.review_status, Record.created_at)
sa.Index("ix_records_roots_created_at", Record.created_at, postgresql_where=Record.parent_id.is_(None),
         sqlite_where=Record.parent_id.is_(None))


@sa.event.listens_for(Record, "before_insert")
@sa.event.listens_for(Record, "before_update")
def _projected(_mapper, _connection, record):
    for name, value in projected_columns(record.entity, record.data, record.computed).items():
        setattr(record, name, value)


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
