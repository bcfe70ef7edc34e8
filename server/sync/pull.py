"""Pull: every change after the device's cursor, in commit order, limited to what the user may see.

Protocol 2: a device's first copy (no cursor, or after a reset) is its working set — the registry, reference data,
documents and conflicts, and of the records: every one not yet approved, with an open conflict or an open
rectification item, and the closed ones whose business date falls in the last N months (WORKING_SET_MONTHS);
older records come on demand (the enterprise's history). Changes made after that copy all follow, as in protocol 1.
Protocol 1 (older PWAs): the first copy is everything.

All reads share one snapshot (REPEATABLE READ on PostgreSQL, one read transaction on SQLite), so the device's
last_client_seq and the changes agree: a mutation the device sees acknowledged is in the changes or earlier.
"""
import datetime as dt

import sqlalchemy as sa

from ..clock import months_before
from ..documents.types import types_for_kinds
from ..domain.officers import enforcement_roster
from ..domain.permissions import readable_entities
from ..models import Conflict, Device, Document, DocumentVoid, Enterprise, Record, ReferenceRow
from ..models.transactions import begin_snapshot
from .changes import COUNTER, current_state
from .cursor import copy_until_of, decode_cursor, encode_cursor, working_until_of
from .entities import ATTACHMENT

MAX_LIMIT = 2000


def record_payload(record):
    """A record as devices store it."""
    return {"kind": "record", "entity": record.entity, "id": record.id, "parent_id": record.parent_id,
            "root_id": record.root_id, "form_id": record.form_id, "form_version": record.form_version,
            "enterprise_id": record.enterprise_id, "deleted": record.deleted,
            "data": None if record.deleted else record.data, "computed": None if record.deleted else record.computed,
            "field_versions": record.field_versions, "change_no": record.change_no,
            "review_status": record.review_status, "review_comment": record.review_comment,
            "locked": record.locked_reason, "conflict_open": record.conflict_open,
            "created_by": record.created_by, "updated_by": record.updated_by,
            "updated_at": record.updated_at.isoformat()}


def enterprise_payload(enterprise):
    """An enterprise of the registry as devices store it (for offline search)."""
    fields = ("credit_code", "name", "address", "region_id", "industry_code", "industry_name", "size",
              "legal_representative", "contact_name", "contact_phone", "latitude", "longitude", "workers_total",
              "workers_exposed", "hazard_class", "hazard_class_scheme", "declared_hazards")
    data = {name: getattr(enterprise, name) for name in fields}
    data["hazard_class_assessed_on"] = (enterprise.hazard_class_assessed_on.isoformat()
                                        if enterprise.hazard_class_assessed_on else None)
    # 职业病危害项目申报 (domain/declarations.py): the tablet shows the status and the next due offline.
    for name in ("first_declared_on", "last_declared_on", "declaration_due_on"):
        day = getattr(enterprise, name)
        data[name] = day.isoformat() if day else None
    return {"kind": "enterprise", "entity": "enterprise", "id": enterprise.id, "deleted": False, "data": data,
            "field_versions": enterprise.field_versions, "change_no": enterprise.change_no}


def reference_payload(row):
    """A reference-data row (exposure limits, checklist items…)."""
    return {"kind": "reference", "entity": "reference", "table": row.table_name, "id": f"{row.table_name}:{row.row_key}",
            "key": row.key, "deleted": False, "data": row.data, "change_no": row.change_no}


def _iso(moment):
    return moment.isoformat() if moment else None


def conflict_payload(conflict):
    """An open or resolved conflict (shown on the device that caused it and to supervisors)."""
    return {"kind": "conflict", "entity": "conflict", "id": conflict.id, "record_id": conflict.record_id,
            "record_entity": conflict.entity, "conflict_kind": conflict.kind, "field": conflict.field,
            "server_value": conflict.server_value["value"] if conflict.server_value else None,
            "client_value": conflict.client_value["value"] if conflict.client_value else None,
            "client_device_id": conflict.client_device_id, "client_device_time": _iso(conflict.client_device_time),
            "server_device_id": conflict.server_device_id, "server_device_time": _iso(conflict.server_device_time),
            "created_at": _iso(conflict.created_at), "status": conflict.status,
            "resolution": conflict.resolution, "deleted": False, "change_no": conflict.change_no}


def document_payload(document):
    """An issued document's summary (devices show it on the enterprise page; the PDF is downloaded)."""
    return {"kind": "document", "entity": "document", "id": document.id, "doc_type": document.doc_type,
            "number": document.number, "record_id": document.record_id, "enterprise_id": document.enterprise_id,
            "issued_at": document.issued_at.isoformat(), "amends_id": document.amends_id, "offline": document.offline,
            "content_hash": document.content_hash, "deleted": False, "change_no": document.change_no}


def void_payload(void):
    """A cancellation of a document."""
    return {"kind": "document_void", "entity": "document_void", "id": void.document_id, "reason": void.reason,
            "voided_at": void.voided_at.isoformat(), "deleted": False, "change_no": void.change_no}


# The columns record_payload reads: most of an initial pull is records, and the rest (field_writers, the
# device times kept as evidence) is the server's own bookkeeping, not worth reading and decoding.
RECORD_COLUMNS = ("entity", "id", "parent_id", "root_id", "form_id", "form_version", "enterprise_id", "deleted",
                  "data", "computed", "field_versions", "change_no", "review_status", "review_comment",
                  "locked_reason", "conflict_open", "created_by", "updated_by", "updated_at")


def _columns(model):
    """Plain rows (the payload functions read them by name): a large initial pull builds no ORM objects."""
    if model is Record:
        return [Record.__table__.c[name] for name in RECORD_COLUMNS]
    return list(model.__table__.c)


def _unindexed(column):
    """The column in a form no index serves: the change-number range must drive the query. Left to itself,
    SQLite prefers a kind or region index and sorts the whole district for every pull (no longer "flat"). Records
    are read by their (region, change number) index instead: the district's changes in commit order."""
    return column + "" if isinstance(column.type, sa.String) else column + 0


def working_set(cutoff, working_until):
    """Records of a device's first copy: the trees whose root is not approved, has an open conflict or an open
    rectification item, has no business date or one on or after `cutoff`; and whatever changed after the copy's
    snapshot (`working_until`)."""
    roots = sa.orm.aliased(Record)
    items = sa.orm.aliased(Record)
    open_item = sa.exists().where(items.root_id == roots.id, items.entity == "rectification_item",
                                  items.deleted.is_(False), items.closed_on.is_(None))
    open_root = sa.or_(roots.review_status.is_(None), roots.review_status != "approved", roots.business_date.is_(None),
                       roots.business_date >= cutoff, roots.conflict_open.is_(True), open_item)
    return sa.or_(Record.change_no > working_until, sa.exists().where(roots.id == Record.root_id, open_root))


def _sources(actor, working=None):
    kinds = readable_entities(actor)
    regions = sorted(actor.region_ids)
    record_filter = [Record.region_id.in_(regions)] + ([working] if working is not None else [])
    conflict_filter = [_unindexed(Conflict.region_id).in_(regions)]
    if kinds is not None:
        # Attachments (photos, signatures) travel with the records the role reads, not with every record.
        roots = sa.orm.aliased(Record)
        readable_root = sa.exists().where(roots.id == Record.root_id, roots.entity.in_(sorted(kinds)))
        record_filter.append(sa.or_(_unindexed(Record.entity).in_(sorted(kinds)),
                                    sa.and_(_unindexed(Record.entity) == ATTACHMENT, readable_root)))
        conflict_filter.append(_unindexed(Conflict.entity).in_(sorted(kinds | {"enterprise"})))
    return [
        (Record, record_filter, record_payload),
        (Enterprise, [_unindexed(Enterprise.region_id).in_(regions)], enterprise_payload),
        (ReferenceRow, [], reference_payload),
        (Conflict, conflict_filter, conflict_payload),
        (Document, [_unindexed(Document.region_id).in_(regions),
                    _unindexed(Document.doc_type).in_(sorted(types_for_kinds(kinds)))], document_payload),
        (DocumentVoid, [DocumentVoid.document_id.in_(sa.select(Document.id).where(
            Document.region_id.in_(regions)))], void_payload),
    ]


def _reset_reason(cursor, epoch, horizon):
    decoded = decode_cursor(cursor)
    if cursor and decoded is None:
        return "unreadable", 0
    if decoded is None:
        return None, 0
    cursor_epoch, after = decoded
    if cursor_epoch != epoch:
        return "epoch", 0  # the database was restored: the device's copy may hold changes that no longer exist
    copying = copy_until_of(cursor)
    if after < horizon and not (copying is not None and copying >= horizon):
        # Deletions older than the cursor were purged: only a full copy is correct now. A full copy under way
        # whose snapshot is past the horizon goes on: the purged deletions were never in it.
        return "horizon", 0
    return None, after


def pull(session, actor, device_id, cursor=None, limit=500, allocator=COUNTER, protocol=1, working_set_months=None,
         today=None):
    """Changes after `cursor`: {"changes", "cursor", "has_more", "reset", "last_client_seq", "epoch"} (protocol 2:
    a first copy is the working set of the last `working_set_months` as of `today`, see the module's text)."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    begin_snapshot(session)
    epoch, _, horizon = current_state(session)
    last_change = allocator.upper_bound(session)
    reset, after = _reset_reason(cursor, epoch, horizon)
    last_client_seq = session.scalar(sa.select(Device.last_client_seq).where(Device.id == device_id))
    working_until = None if reset else working_until_of(cursor)
    # A full copy (from nothing, or again after a reset) runs to the snapshot it started from, page after page.
    copy_until = last_change if after == 0 else (None if reset else copy_until_of(cursor))
    if protocol >= 2 and working_set_months and today is not None and after == 0 and last_change:
        working_until = last_change  # a first copy: the working set of this snapshot
    working = None
    if working_until and after < working_until:
        working = working_set(months_before(today, working_set_months or 0), working_until) if today else None
    rows = []
    # Nothing changed since the cursor: answer without touching the change tables (most pulls are these).
    sources = [] if last_change is not None and after >= last_change else _sources(actor, working)
    for model, filters, to_payload in sources:
        bound = [model.change_no <= last_change] if last_change is not None else []
        query = (sa.select(*_columns(model)).where(model.change_no > after, *bound, *filters)
                 .order_by(model.change_no).limit(limit + 1))
        rows += [(row.change_no, to_payload, row) for row in session.execute(query)]
    rows.sort(key=lambda item: item[0])
    page, has_more = rows[:limit], len(rows) > limit
    # With nothing more to send, the cursor jumps to the snapshot's last change: every number up to it is
    # committed (allocation is commit-ordered), so a later pull starts from there without scanning.
    if has_more or last_change is None:
        next_change = page[-1][0] if page else after
    else:
        next_change = last_change
    carrying = working_until if working_until and next_change < working_until else None
    copying = copy_until if copy_until and next_change < copy_until else None
    body = {"protocol": 2 if protocol >= 2 else 1, "epoch": epoch, "reset": reset is not None, "reset_reason": reset,
            "changes": [to_payload(row) for _, to_payload, row in page],
            "cursor": encode_cursor(epoch, next_change, carrying, copying), "has_more": has_more,
            "last_client_seq": last_client_seq}
    if working is not None:
        body["working_set"] = {"months": working_set_months, "from": months_before(today, working_set_months).isoformat()}
    if actor.has_role("inspector"):
        # Users carry no change numbers: the few officers of the agency travel whole with every pull, so a tablet
        # offers the current roster offline (who may be named as officer 1 and 2, with their 执法证号).
        body["roster"] = enforcement_roster(session, actor.agency_id)
    return body


def enterprise_history(session, actor, enterprise_id):
    """Every record tree of an enterprise the actor may read, newest business date first, as devices store them: the
    history a device's working set leaves out, asked for by the enterprise's page (and kept if it is pinned)."""
    _model, filters, _payload = _sources(actor)[0]
    roots = sa.select(Record.id).where(Record.enterprise_id == enterprise_id, Record.parent_id.is_(None),
                                       *filters).scalar_subquery()
    rows = session.execute(sa.select(*_columns(Record), Record.business_date)
                           .where(Record.root_id.in_(roots), *filters)
                           .order_by(Record.root_id, Record.change_no)).all()
    dated = {row.id: row.business_date for row in rows if row.id == row.root_id}
    rows.sort(key=lambda row: (dated.get(row.root_id) or dt.date.min, row.root_id), reverse=True)
    return [record_payload(row) for row in rows]
