"""The one-row table holding the server epoch and the change counter."""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class SyncState(Base):
    """Change numbers are allocated from this row inside the writing transaction, so they commit in order.

    A plain database sequence hands out numbers at call time; a writer that takes 41 and commits after
    the writer that took 42 would be skipped forever by a puller that already read 42.
    `epoch` changes when the database is restored, which tells devices to resynchronise.
    """

    __tablename__ = "sync_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    epoch: Mapped[str] = mapped_column(sa.String(36))
    change_no: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    tombstone_horizon: Mapped[int] = mapped_column(sa.BigInteger, default=0)
