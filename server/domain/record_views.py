"""What supervisors read: the review queue, one record with everything the field saw, rectification items."""
import datetime as dt
from collections import Counter, defaultdict

import sqlalchemy as sa

from ..clock import CHINA, months_before
from ..models import Agency, Conflict, Document, Enterprise, Record, RecordChange, Team, User
from ..models.records import BUSINESS_DATE_FIELDS
from . import audit
from .errors import DomainError, Forbidden, NotFound, problem
from .permissions import REGISTER_KINDS, check_reviewer, readable_entities, review_kinds, reviewing_agency_id
from .reviews import allowed_actions
from .rectifications import DEFAULT_DUE_SOON_DAYS, item_status

RECTIFICATION_STATES = ("open", "due_soon", "overdue", "reinspecting", "closed")
TRACKING_ORDER = ("overdue", "due_soon", "reinspecting", "open", "closed")  # most urgent first
PERSONAL_KINDS = ("followup", "patient")  # records holding a patient's personal data (身份证号, phone, address)
DATE_FIELDS = BUSINESS_DATE_FIELDS
COUNT_CAP = 10_000  # a list counts its rows up to this many
QUEUE_SORTS = ("received", "record_date", "subject", "kind", "state")
KIND_ORDER = ("sampling_visit", "inspection", "reinspection", "assistance_visit", "followup", "workplace_survey")
STATE_ORDER = ("submitted", "resubmitted", "returned", "approved", "draft")  # what waits for a decision first


def _scoped_roots(actor):
    query = sa.select(Record).where(Record.parent_id.is_(None), Record.deleted.is_(False),
                                    Record.region_id.in_(actor.region_ids))
    kinds = readable_entities(actor)
    if kinds is not None:
        query = query.where(Record.entity.in_(sorted(kinds)))
    return query


def _own_agency_work(session, actor):
    """A CDC's or supervision agency's queue holds the records it reviews (not what is only shared with it); a
    commission's and an admin's queue every record of the jurisdiction."""
    if actor.has_role("admin") or actor.agency_kind not in ("cdc", "supervision"):
        return []
    agencies = session.scalars(sa.select(Agency).where(Agency.region_id.in_(actor.region_ids))).all()
    reviewed = [a.id for a in agencies if reviewing_agency_id(a) == actor.agency_id]
    own = session.get(Agency, actor.agency_id)
    return [Record.agency_id.in_(reviewed), Record.entity.in_(sorted(review_kinds(own)))]


def review_queue(session, actor, *, entity=None, status=None, agency_id=None, team_id=None, enterprise_id=None,
                 created_from=None, created_to=None, conflict_open=None, sort="received", order="desc",
                 personal=False, page=1, per_page=50):
    """Root records to review in the order asked (newest received first by default), with enterprise, author and
    team names; `personal` adds the patients' names of follow-ups, each one read audited: (items, total)."""
    query = _scoped_roots(actor).where(*_own_agency_work(session, actor), Record.entity.not_in(sorted(REGISTER_KINDS)))
    if entity:
        query = query.where(Record.entity == entity)
    if status:
        query = query.where(Record.review_status == status)
    if agency_id:
        query = query.where(Record.agency_id == agency_id)
    if team_id:
        query = query.where(Record.created_by.in_(sa.select(User.id).where(User.team_id == team_id)))
    if enterprise_id:
        query = query.where(Record.enterprise_id == enterprise_id)
    if created_from:
        query = query.where(Record.created_at >= dt.datetime.combine(created_from, dt.time(), CHINA))
    if created_to:
        query = query.where(Record.created_at < dt.datetime.combine(created_to + dt.timedelta(days=1), dt.time(),
                                                                    CHINA))
    if conflict_open is not None:
        query = query.where(Record.conflict_open.is_(conflict_open))
    total = capped_count(session, query)
    records = session.scalars(query.order_by(*_queue_order(sort, order))
                              .offset((page - 1) * per_page).limit(per_page)).all()
    names = queue_names(session, records)
    if personal:
        names["patients"] = patient_names(session, actor, records, via="queue")
    return [summarize(r, names) for r in records], total


def capped_count(session, query, cap=COUNT_CAP):
    """How many rows the query selects, counted up to `cap` (then cap + 1: "more than cap"): a list over every state
    of a province's history says "超过 10000 条" rather than counting the history at each page."""
    limited = query.with_only_columns(sa.literal(1)).order_by(None).limit(cap + 1).subquery()
    return session.scalar(sa.select(sa.func.count()).select_from(limited))


def _queue_order(sort, order):
    """ORDER BY of the queue: the key asked for (blanks last either way), then newest received, then id."""
    if sort == "record_date":
        key = Record.business_date
    elif sort == "subject":
        enterprise = sa.select(Enterprise.name).where(Enterprise.id == Record.enterprise_id).scalar_subquery()
        key = sa.func.coalesce(enterprise, Record.data["patient_name"].as_string(), Record.data["task_no"].as_string())
    elif sort == "kind":
        key = sa.case({kind: i for i, kind in enumerate(KIND_ORDER)}, value=Record.entity, else_=len(KIND_ORDER))
    elif sort == "state":
        key = sa.case({state: i for i, state in enumerate(STATE_ORDER)}, value=Record.review_status,
                      else_=len(STATE_ORDER))
    else:
        key = Record.created_at
    key = key.asc() if order == "asc" else key.desc()
    # The receive time is never blank: ordered plainly, the roots' created_at index serves the newest page.
    return [key if sort == "received" else key.nulls_last(), Record.created_at.desc(), Record.id]


def patient_names(session, actor, records, *, via):
    """The patients' names of the follow-ups among `records` (for reviewers, who may read them): each name shown is a
    read of personal data, in the audit trail like opening the record."""
    found = {}
    for record in records:
        name = record.data.get("patient_name") if record.entity in PERSONAL_KINDS else None
        if name:
            audit.record(session, actor, "record.read_personal", record.id, entity=record.entity, via=via,
                         fields=["patient_name"])
            found[record.id] = name
    return found


def subject_of(line):
    """What a person recognises a queue line by: the enterprise, the patient, the sampling task's number."""
    parts = [line.get("enterprise_name"), line.get("patient_name"),
             f"任务 {line['task_no']}" if line.get("task_no") else None]
    return " · ".join(p for p in parts if p) or None


def queue_names(session, records):
    """Enterprise, author and team names of queue lines (summarize)."""
    enterprise_ids = {r.enterprise_id for r in records if r.enterprise_id}
    user_ids = {r.created_by for r in records}
    enterprises = dict(session.execute(sa.select(Enterprise.id, Enterprise.name)
                                       .where(Enterprise.id.in_(enterprise_ids))).all()) if enterprise_ids else {}
    users = {u.id: u for u in session.scalars(sa.select(User).where(User.id.in_(user_ids)))} if user_ids else {}
    teams = dict(session.execute(sa.select(Team.id, Team.name)).all())
    return {"enterprises": enterprises, "users": users, "teams": teams}


def summarize(record, names):
    """One line of the review queue."""
    author = names["users"].get(record.created_by)
    return {"id": record.id, "entity": record.entity, "form_id": record.form_id, "form_version": record.form_version,
            "enterprise_id": record.enterprise_id, "enterprise_name": names["enterprises"].get(record.enterprise_id),
            "patient_name": names.get("patients", {}).get(record.id),
            "task_no": record.data.get("task_no") if record.entity == "sampling_visit" else None,
            "record_date": record.data.get(DATE_FIELDS.get(record.entity, ""), None),
            "author": author.display_name if author else None,
            "team": names["teams"].get(author.team_id) if author else None,
            "review_status": record.review_status, "review_comment": record.review_comment,
            "locked": record.locked_reason, "conflict_open": record.conflict_open,
            "created_at": record.created_at, "updated_at": record.updated_at}


def record_detail(session, actor, record_id):
    """A root record with its children, documents, conflicts and the history of who changed what from where."""
    root = session.scalar(_scoped_roots(actor).where(Record.id == record_id))
    if root is None:
        raise NotFound("记录不存在")
    if root.entity in PERSONAL_KINDS:
        # A patient's identity card number, phone and address: every read is in the audit trail.
        audit.record(session, actor, "record.read_personal", root.id, entity=root.entity)
    members = session.scalars(sa.select(Record).where(Record.root_id == root.id, Record.id != root.id)
                              .order_by(Record.created_change_no)).all()
    ids = [root.id] + [m.id for m in members]
    changes = session.execute(sa.select(RecordChange, User.display_name).join(User, User.id == RecordChange.user_id)
                              .where(RecordChange.record_id.in_(ids)).order_by(RecordChange.change_no)).all()
    documents = session.scalars(sa.select(Document).where(Document.record_id == root.id)
                                .order_by(Document.issued_at)).all()
    conflicts = session.scalars(sa.select(Conflict).where(Conflict.record_id.in_(ids))
                                .order_by(Conflict.created_at)).all()
    names = queue_names(session, [root])
    return {"record": {**summarize(root, names), "data": root.data, "computed": root.computed,
                       "actions": review_actions(session, actor, root)},
            "children": [{"id": m.id, "entity": m.entity, "parent_id": m.parent_id, "deleted": m.deleted,
                          "data": m.data, "computed": m.computed} for m in members],
            "documents": documents, "conflicts": conflicts,
            "history": [{"record_id": c.record_id, "change_no": c.change_no, "op": c.op, "fields": c.fields,
                         "user": name, "device_id": c.device_id, "device_time": c.device_time, "at": c.at}
                        for c, name in changes]}


def review_actions(session, actor, root):
    """The review actions the actor may take on the root now: the author submits, the record's own agency reviews."""
    actions = allowed_actions(root.review_status, actor, root.created_by)
    if {"approve", "return"} & set(actions):
        agency = session.get(Agency, root.agency_id)
        try:
            check_reviewer(actor, root, agency, session.get(Agency, reviewing_agency_id(agency)))
        except DomainError:
            actions = [a for a in actions if a not in ("approve", "return")]
    return actions


def _tracked_items(actor, enterprise_id=None):
    """The conditions selecting the rectification items in the actor's jurisdiction (Forbidden for an agency that
    does not inspect: the supervision side's follow-up)."""
    kinds = readable_entities(actor)
    if kinds is not None and "rectification_item" not in kinds:
        raise Forbidden("整改跟踪属于卫生监督机构的工作", details=[problem(None, "other_agency", "本机构不负责整改跟踪",
                                                                 "Rectification follow-up is the supervision agency's")])
    return [Record.entity == "rectification_item", Record.deleted.is_(False),
            Record.region_id.in_(sorted(actor.region_ids))] + ([Record.enterprise_id == enterprise_id]
                                                               if enterprise_id else [])


ITEM_COLUMNS = (Record.id, Record.root_id, Record.enterprise_id, Record.business_date, Record.closed_on,
                Record.data["status"].as_string().label("progress"))


def _state(row, today, due_soon_days):
    """An item's state today from its light columns (its deadline is its business date)."""
    return item_status(row.business_date, row.closed_on, row.progress, today, due_soon_days)


def _state_sql(today, due_soon_days):
    """The same state as a SQL expression, so that a province's open items are counted and ordered in the database:
    the twin of rectifications.rectification_status (closed, reinspecting, overdue after the deadline day, due soon
    within the window, open; no deadline yet counts as today). tests/supervision/test_kpi_reference.py checks that
    the two agree over a generated history."""
    deadline = sa.func.coalesce(Record.business_date, today)
    return sa.case((Record.closed_on.is_not(None), "closed"),
                   (Record.data["status"].as_string() == "reinspecting", "reinspecting"),
                   (deadline < today, "overdue"),
                   (deadline <= today + dt.timedelta(days=due_soon_days), "due_soon"),
                   else_="open").label("state")


def inspection_item_states(session, actor, *, today, inspection_ids, due_soon_days=DEFAULT_DUE_SOON_DAYS):
    """The states today of the rectification items of these inspections: {inspection id: Counter(state)} (a period's
    figures read the period's items, not the history)."""
    found = defaultdict(Counter)
    ids = sorted(inspection_ids)
    for start in range(0, len(ids), 1000):
        for row in session.execute(sa.select(*ITEM_COLUMNS).where(*_tracked_items(actor),
                                                                  Record.root_id.in_(ids[start:start + 1000]))):
            found[row.root_id][_state(row, today, due_soon_days)] += 1
    return found


def rectification_items(session, actor, *, today, status=None, enterprise_id=None, closed_from=None, closed_to=None,
                        page=1, per_page=50, due_soon_days=DEFAULT_DUE_SOON_DAYS):
    """The tracking list: every open item (open, due soon, overdue, being re-inspected; whatever its age) and the
    items closed (销号) between closed_from and closed_to (default: the last twelve months), most urgent first, a
    page at a time: {"items" (the page), "summary" (by state), "total", "notices", "closed_period"}; `notices` holds,
    for each notice on the page, how many items it has, how many are closed and how many overdue. The cost follows
    the open work and the period, not the history."""
    closed_to = closed_to or today
    closed_from = closed_from or months_before(closed_to, 12)
    conditions = _tracked_items(actor, enterprise_id)
    state = _state_sql(today, due_soon_days)
    open_items = [*conditions, Record.closed_on.is_(None)]
    summary = dict(session.execute(sa.select(state, sa.func.count()).where(*open_items).group_by(state)).all())
    closed_in_period = [*conditions, Record.closed_on.between(closed_from, closed_to)]
    summary["closed"] = session.scalar(sa.select(sa.func.count()).select_from(Record).where(*closed_in_period))
    summary = {name: summary.get(name, 0) for name in RECTIFICATION_STATES}
    listed = 0 if status == "closed" else sum(n for name, n in summary.items() if name != "closed"
                                              and status in (None, name))
    total = listed + (summary["closed"] if status in (None, "closed") else 0)
    offset = (page - 1) * per_page
    shown = []
    if offset < listed:
        urgency = sa.case({name: rank for rank, name in enumerate(TRACKING_ORDER)}, value=state)
        shown = session.execute(sa.select(*ITEM_COLUMNS).where(*open_items, *([state == status] if status else []))
                                .order_by(urgency, Record.business_date.is_(None), Record.business_date, Record.id)
                                .offset(offset).limit(per_page)).all()
    if len(shown) < per_page and status in (None, "closed"):
        shown += session.execute(sa.select(*ITEM_COLUMNS).where(*closed_in_period)
                                 .order_by(Record.closed_on.desc(), Record.id)
                                 .offset(max(0, offset - listed)).limit(per_page - len(shown))).all()
    data = dict(session.execute(sa.select(Record.id, Record.data).where(Record.id.in_([r.id for r in shown]))).all()) \
        if shown else {}
    items = [_item_line(row, data[row.id], _state(row, today, due_soon_days)) for row in shown]
    return {"items": items, "summary": summary, "total": total,
            "notices": _notices(session, actor, shown, today, due_soon_days),
            "closed_period": {"from": closed_from.isoformat(), "to": closed_to.isoformat()}}


def _item_line(row, data, state):
    return {"id": row.id, "enterprise_id": row.enterprise_id, "inspection_id": row.root_id,
            "document_id": data.get("document_id"), "document_number": data.get("document_number"),
            "fact": data.get("fact"), "requirement": data.get("requirement"), "deadline": data.get("deadline"),
            "closed_on": data.get("closed_on"), "status": state, "reinspections": data.get("reinspections") or []}


def _notices(session, actor, rows, today, due_soon_days):
    """Per notice of these items (its document, or its inspection before the document), all of its items counted:
    {key: {"total", "closed", "overdue"}}."""
    roots = sorted({row.root_id for row in rows})
    if not roots:
        return {}
    counts = defaultdict(Counter)
    query = sa.select(*ITEM_COLUMNS, Record.data["document_id"].as_string().label("doc")) \
        .where(*_tracked_items(actor), Record.root_id.in_(roots))
    for row in session.execute(query):
        counts[row.doc or row.root_id][_state(row, today, due_soon_days)] += 1
    return {key: {"total": sum(c.values()), "closed": c["closed"], "overdue": c["overdue"]}
            for key, c in counts.items()}
