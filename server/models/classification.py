"""分类监督执法: each class assessment of an enterprise (its history), and the district's draw ratio per class."""
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, JSONType, UTCDateTime, new_uuid, utcnow


class ClassAssessment(Base):
    """One assessment: the inputs the scheme asks for, the class they give, when, and when it is due again.
    Never changed afterwards: a reassessment is a new row. The enterprise's current class is its latest one."""

    __tablename__ = "class_assessments"
    __table_args__ = (sa.Index("ix_class_assessments_enterprise_assessed", "enterprise_id", "assessed_on"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=new_uuid)
    enterprise_id: Mapped[str] = mapped_column(sa.ForeignKey("enterprises.id"))
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    scheme: Mapped[str] = mapped_column(sa.String(32))
    label: Mapped[str] = mapped_column(sa.String(4))  # 甲 / 乙 / 丙: what it means depends on the scheme
    risk_grade: Mapped[str | None] = mapped_column(sa.String(4))
    management_grade: Mapped[str | None] = mapped_column(sa.String(4))
    matrix_verified: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    inputs: Mapped[dict] = mapped_column(JSONType, default=dict)
    assessed_on: Mapped[dt.date]
    next_due: Mapped[dt.date | None]
    source: Mapped[str] = mapped_column(sa.String(16), default="screen")  # screen | import
    note: Mapped[str | None] = mapped_column(sa.String(500))
    assessed_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))  # None: taken over from the registry
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ClassSamplingRatio(Base):
    """A district's 双随机 ratio for one class of a scheme, set by its supervision agency (the reference table
    inspection_sampling_policy is the default until one is set). Who changed it and why is in the audit chain."""

    __tablename__ = "class_sampling_ratios"
    __table_args__ = (sa.UniqueConstraint("region_id", "scheme", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("regions.id"))
    scheme: Mapped[str] = mapped_column(sa.String(32))
    label: Mapped[str] = mapped_column(sa.String(8))
    ratio_pct: Mapped[int]
    reason: Mapped[str | None] = mapped_column(sa.String(500))
    updated_by: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
