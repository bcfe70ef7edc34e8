"""The one-row table holding the server epoch and the change counter."""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, new_uuid

STATE_ID = 1


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


def ensure_sync_state(session):
    """Create the counter row on a fresh database (idempotent)."""
    state = session.get(SyncState, STATE_ID)
    if state is None:
        state = SyncState(id=STATE_ID, epoch=new_uuid(), change_no=0, tombstone_horizon=0)
        session.add(state)
        session.flush()
    return state


def allocate_changes(session, count=1):
    """Reserve `count` consecutive change numbers and return the first.

    The UPDATE takes the counter row's lock, held until this transaction commits: a second writer
    waits here, so numbers become visible to pullers in the order they were handed out.
    """
    if count < 1:
        raise ValueError("count must be positive")
    last = session.execute(sa.update(SyncState).where(SyncState.id == STATE_ID)
                           .values(change_no=SyncState.change_no + count)
                           .returning(SyncState.change_no)).scalar_one()
    return last - count + 1
