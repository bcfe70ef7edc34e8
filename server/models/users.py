"""People who use the system, with their roles."""
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, JSONType, UTCDateTime, utcnow

ROLES = ("sampler", "inspector", "assistant", "followup", "laboratory", "supervisor", "admin")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(64))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(sa.ForeignKey("teams.id"), index=True)
    enforcement_cert_no: Mapped[str | None] = mapped_column(sa.String(32))  # 执法证号, inspectors
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # when the current login lock began
    # Password login refused until then (a progressive delay); tokens already held keep working.
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    must_change_password: Mapped[bool] = mapped_column(default=False)  # an initial or reset password
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    recovery_codes: Mapped[list | None] = mapped_column(JSONType)  # SHA-256 of the unused recovery codes
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    agency = relationship("Agency")
    team = relationship("Team")
    role_rows = relationship("UserRole", cascade="all, delete-orphan", lazy="selectin")

    @property
    def roles(self):
        return sorted(r.role for r in self.role_rows)


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(sa.String(16), primary_key=True)

    __table_args__ = (sa.CheckConstraint(
        "role in ('sampler','inspector','assistant','followup','laboratory','supervisor','admin')", name="known_role"),)
