"""双随机 draws: which enterprises and which inspector pairs were drawn, with the seed to reproduce it."""
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, JSONType, UTCDateTime, utcnow


class Draw(Base):
    """One random draw. `inputs` and `seed` are enough to compute `result` again, by anyone."""

    __tablename__ = "draws"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    scheme: Mapped[str] = mapped_column(sa.String(32))
    seed: Mapped[str] = mapped_column(sa.String(40))
    inputs: Mapped[dict] = mapped_column(JSONType)
    inputs_hash: Mapped[str] = mapped_column(sa.String(64))
    result: Mapped[dict] = mapped_column(JSONType)
    due_date: Mapped[dt.date | None]
    created_by: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
