"""Change numbers, allocated in commit order, and the server epoch."""
import sqlalchemy as sa

from ..models import SyncState, new_uuid
from ..models.sync_state import STATE_ID, allocate_changes


class CounterAllocator:
    """The product's allocator: a counter row updated inside the writing transaction (commit-ordered)."""

    def allocate(self, session, count):
        """`count` consecutive numbers, the first returned as a list."""
        first = allocate_changes(session, count)
        return list(range(first, first + count))

    def upper_bound(self, session):
        """Every change number up to this one is committed in the reader's snapshot."""
        return current_state(session)[1]


class PlainSequenceAllocator:
    """A database sequence, as most systems do it. Kept only to prove, in the test suite, why the product
    does not: numbers are handed out at call time, so a later number can commit before an earlier one and
    a puller that already passed it never sees the earlier change."""

    SEQUENCE = "plain_change_seq"

    def allocate(self, session, count):
        return [session.execute(sa.text(f"SELECT nextval('{self.SEQUENCE}')")).scalar_one() for _ in range(count)]

    def upper_bound(self, session):
        return None  # no way to know which numbers are still in flight


COUNTER = CounterAllocator()


def current_state(session):
    """(epoch, last committed change number, tombstone horizon) as this transaction sees them."""
    row = session.execute(sa.select(SyncState.epoch, SyncState.change_no, SyncState.tombstone_horizon)
                          .where(SyncState.id == STATE_ID)).one()
    return row.epoch, row.change_no, row.tombstone_horizon


def new_epoch(session):
    """Give the server a new epoch (after a restore): every device's cursor becomes a reset."""
    epoch = new_uuid()
    session.execute(sa.update(SyncState).where(SyncState.id == STATE_ID).values(epoch=epoch))
    return epoch
