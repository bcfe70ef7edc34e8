"""The in-memory state of one push while its mutations are applied, before anything is written."""
import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa

from ..models import Conflict, Enterprise, Mutation, Record, RecordChange, ReferenceRow, new_uuid
from ..models.transactions import for_update
from ..models.records import projected_columns
from .changes import COUNTER
from .merge import Pending


RECORD_COLUMNS = tuple(column.key for column in Record.__table__.columns)


class NewRecord:
    """A record created in this push: a plain object until the batch is written with one bulk INSERT
    (building hundreds of ORM instances cost more than the rest of the push)."""

    __slots__ = RECORD_COLUMNS

    def __init__(self, **values):
        for name in RECORD_COLUMNS:
            setattr(self, name, values.get(name))

    def as_row(self):
        """Column values for the INSERT (the columns projected from the data and computed values, as the ORM sets
        them on loaded rows)."""
        row = {name: getattr(self, name) for name in RECORD_COLUMNS}
        row.update(projected_columns(self.entity, self.data, self.computed))
        return row


def is_record(row):
    """True for a field record, loaded or new."""
    return isinstance(row, (Record, NewRecord))


@dataclass
class Batch:
    """Loaded rows (locked on PostgreSQL), rows created, and every change waiting for its change number."""

    session: object
    actor: object
    device: object
    forms: object
    entities: object
    clock: object                                    # business time (server/clock.py)
    records: dict = field(default_factory=dict)
    enterprises: dict = field(default_factory=dict)
    new_records: list = field(default_factory=list)
    touched: dict = field(default_factory=dict)      # id → Record or Enterprise whose change_no must be set
    changes: list = field(default_factory=list)      # record_changes rows (dicts) with a Pending change_no
    conflicts: list = field(default_factory=list)    # new conflicts rows (dicts) with a Pending change_no
    roots: set = field(default_factory=set)          # roots whose derived values must be recomputed
    documents: list = field(default_factory=list)    # documents issued in this batch (inserted after numbering)
    count: int = 0
    base_url: str = ""
    _reference_keys: dict | None = None
    _now: object = None

    @property
    def now(self):
        """The batch's one instant of business time: every row it writes carries it."""
        if self._now is None:
            self._now = self.clock.now()
        return self._now

    def next_index(self):
        """A provisional change number; the real one is allocated when the batch is written."""
        index = Pending(self.count)
        self.count += 1
        return index

    def load(self, record_ids, enterprise_ids=()):
        """Load (and on PostgreSQL lock, in id order so concurrent pushes never deadlock) rows not loaded yet."""
        wanted = sorted({i for i in record_ids if i and i not in self.records})
        if wanted:
            query = for_update(sa.select(Record).where(Record.id.in_(wanted)).order_by(Record.id), self.session)
            for record in self.session.scalars(query):
                self.records[record.id] = record
        wanted = sorted({i for i in enterprise_ids if i and i not in self.enterprises})
        if wanted:
            query = for_update(sa.select(Enterprise).where(Enterprise.id.in_(wanted)).order_by(Enterprise.id),
                               self.session)
            for enterprise in self.session.scalars(query):
                self.enterprises[enterprise.id] = enterprise

    def load_root_members(self, root_ids):
        """Every record under the given roots (for derived values and cascades)."""
        wanted = sorted(set(root_ids))
        if not wanted:
            return
        query = for_update(sa.select(Record).where(Record.root_id.in_(wanted)).order_by(Record.id), self.session)
        for record in self.session.scalars(query):
            self.records.setdefault(record.id, record)

    def members(self, root_id):
        """Records of one root known to the batch (call load_root_members first)."""
        return [r for r in self.records.values() if r.root_id == root_id]

    def reference_keys(self):
        """Keys of every reference table (validation context for reference-lookup fields)."""
        if self._reference_keys is None:
            keys = {}
            for table, key in self.session.execute(sa.select(ReferenceRow.table_name, ReferenceRow.key)):
                keys.setdefault(table, set()).add(key)
            self._reference_keys = {t: sorted(k) for t, k in keys.items()}
        return self._reference_keys

    def touch(self, row, index):
        """Mark a row changed at provisional change `index`."""
        row.change_no = index
        kind = "record" if is_record(row) else type(row).__name__
        self.touched[(kind, row.id)] = row

    def log_change(self, record_id, index, op, fields, mutation=None, device_time=None):
        self.changes.append({"record_id": record_id, "change_no": index, "op": op, "fields": fields,
                             "user_id": self.actor.user_id, "device_id": self.device.id if self.device else None,
                             "mutation_id": mutation.get("mutation_id") if mutation else None,
                             "device_time": device_time, "at": self.now})

    def add_conflict(self, record, mutation, kind, *, field=None, server_value=None, client_value=None,
                     base=None, server_version=None, server_writer=None, device_time=None):
        """Keep both values; the server value stays and the record shows an open conflict."""
        conflict = {"id": new_uuid(), "record_id": record.id, "entity": getattr(record, "entity", "enterprise"),
                    "kind": kind, "field": field, "base_change_no": base, "base_value": None,
                    "server_value": {"value": server_value}, "client_value": {"value": client_value},
                    "server_change_no": server_version if isinstance(server_version, int) else None,
                    "server_user_id": getattr(record, "updated_by", None), "server_device_id": server_writer,
                    "server_device_time": getattr(record, "device_updated_at", None),
                    "client_user_id": self.actor.user_id, "client_device_id": self.device.id,
                    "client_device_time": device_time, "mutation_id": mutation["mutation_id"],
                    "region_id": record.region_id, "status": "open", "resolution": None, "resolved_by": None,
                    "resolved_at": None, "created_at": self.now, "change_no": self.next_index()}
        self.conflicts.append(conflict)
        if is_record(record):
            record.conflict_open = True
            self.load([record.root_id])
            root = self.records.get(record.root_id)
            if root is not None and root is not record and not root.conflict_open:
                root.conflict_open = True  # the root says so too: the queue and the issue screen look at roots
                self.touch(root, self.next_index())
        return conflict

    def resolve_numbers(self, numbers):
        """Replace every provisional change number with the allocated one (`numbers[i]` for Pending(i))."""
        def real(value):
            return numbers[value.index] if isinstance(value, Pending) else value
        for row in self.touched.values():
            row.change_no = real(row.change_no)
            if hasattr(row, "field_versions"):
                row.field_versions = {k: real(v) for k, v in (row.field_versions or {}).items()}
            if is_record(row) and row.created_change_no is not None:
                row.created_change_no = real(row.created_change_no)
        for item in self.changes + self.conflicts:
            item["change_no"] = real(item["change_no"])

    def write(self, session, mutation_logs=()):
        """Bulk-insert what the batch created; loaded rows are flushed by the ORM."""
        session.add_all(self.documents)
        session.flush()  # loaded rows first: new children may reference them
        # Core inserts into the tables (not the ORM bulk path): these rows are never read back in this request.
        for table, rows in ((Record.__table__, [record.as_row() for record in self.new_records]),
                            (RecordChange.__table__, self.changes), (Conflict.__table__, self.conflicts),
                            (Mutation.__table__, list(mutation_logs))):
            if rows:
                session.execute(table.insert(), rows)


def parse_device_time(value):
    """A device's capture time: ISO 8601 with offset, kept as evidence (never used to order changes)."""
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else None


def allocate_and_resolve(batch, allocator=None):
    """Allocate the batch's change numbers (last, just before writing) and put them in place."""
    numbers = (allocator or COUNTER).allocate(batch.session, batch.count) if batch.count else []
    batch.resolve_numbers(numbers)
    return numbers
