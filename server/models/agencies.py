"""Regions (province → city → district) and the agencies that work in them."""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base


class Region(Base):
    """An administrative area. `path` is the chain of ids ("/1/4/9/") so a subtree is one prefix query."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    level: Mapped[str] = mapped_column(sa.String(16))  # province | city | district
    code: Mapped[str] = mapped_column(sa.String(12), unique=True)  # GB/T 2260 administrative code
    name: Mapped[str] = mapped_column(sa.String(64))
    short_name: Mapped[str] = mapped_column(sa.String(16))  # 地区简称, used in document numbers
    path: Mapped[str] = mapped_column(sa.String(255), index=True, default="")

    parent = relationship("Region", remote_side=[id])


class Agency(Base):
    """A CDC, a health-supervision body or a health commission, at one region; agencies nest like regions."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))  # cdc | supervision | commission
    name: Mapped[str] = mapped_column(sa.String(128), unique=True)
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    address: Mapped[str | None] = mapped_column(sa.String(255))
    settings: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # e.g. {"rectification_notice": true}

    region = relationship("Region")
    parent = relationship("Agency", remote_side=[id])


class Team(Base):
    """A field team (采样组, 执法组) inside one agency."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(64))

    __table_args__ = (sa.UniqueConstraint("agency_id", "name"),)
