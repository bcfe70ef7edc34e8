"""Document commands over HTTP-free plain arguments: issue online, list, void, number blocks."""
import sqlalchemy as sa

from ..clock import CHINA
from ..domain import number_series
from ..domain.checklists import format_date_zh
from ..domain.record_views import capped_count
from ..documents.types import document_type, types_for_kinds
from ..domain.errors import Invalid, NotFound, invalid
from ..domain.permissions import can, readable_entities
from ..domain.document_contexts import sample_labels
from ..domain.reference_store import table_data
from ..models import Device, Document, Enterprise, Record
from ..models.transactions import begin_write
from .batch import Batch, allocate_and_resolve
from .issuing import document_status, document_statuses, issue_document, void_document


def issue_online(session, actor, *, clock, forms, base_url, document_id, record_id, doc_type, amends_id=None):
    """Issue a document now, numbered from the agency's series."""
    begin_write(session)
    batch = Batch(session=session, actor=actor, device=session.get(Device, actor.device_id), forms=forms,
                  entities=None, clock=clock, base_url=base_url)
    with session.no_autoflush:
        document = issue_document(batch, document_id=document_id, record_id=record_id, doc_type=doc_type,
                                  amends_id=amends_id, base_url=base_url)
        allocate_and_resolve(batch)
        batch.write(session)
    return document


def _readable_types(actor):
    """The document types of the record kinds the actor reads (None: every type)."""
    kinds = readable_entities(actor)
    return None if kinds is None else types_for_kinds(kinds)


def list_documents(session, actor, *, record_id=None, enterprise_id=None, page=1, per_page=50):
    """Documents in the actor's jurisdiction and of the record kinds its roles read, newest first, with their
    derived status, a page at a time: ([(document, status)], total counted up to COUNT_CAP)."""
    query = sa.select(Document).where(Document.region_id.in_(actor.region_ids))
    types = _readable_types(actor)
    if types is not None:
        query = query.where(Document.doc_type.in_(types))
    if record_id:
        query = query.where(Document.record_id == record_id)
    if enterprise_id:
        query = query.where(Document.enterprise_id == enterprise_id)
    total = capped_count(session, query)
    documents = session.scalars(query.order_by(Document.issued_at.desc(), Document.id)
                                .offset((page - 1) * per_page).limit(per_page)).all()
    statuses = document_statuses(session, [d.id for d in documents])
    return [(d, statuses[d.id]) for d in documents], total


def get_document(session, actor, document_id):
    """One document in the actor's jurisdiction, or NotFound."""
    document = session.get(Document, document_id)
    types = _readable_types(actor)
    if document is None or not actor.covers_region(document.region_id) or (
            types is not None and document.doc_type not in types):
        raise NotFound("文书不存在")
    return document


def void(session, actor, document_id, reason):
    """Void a document (supervisors and admins)."""
    begin_write(session)
    return void_document(session, actor, document_id, reason)


def reserve_block(session, actor, doc_type, size, *, today, year=None):
    """Reserve numbers for the caller's device (offline issuance): of this year (China date `today`) unless
    another reservable `year` is asked for (the coming one, from December)."""
    if document_type(doc_type) is None:
        raise invalid("未知的文书类型", "doc_type", "choice", "未知的文书类型", f"Unknown document type {doc_type}")
    year = today.year if year is None else year
    number_series.check_block_year(year, today)
    begin_write(session)
    return number_series.reserve_block(session, actor, doc_type, year, size)


def visit_labels(session, actor, visit_id):
    """Sample labels of a sampling visit in the actor's jurisdiction."""
    visit = session.get(Record, visit_id)
    if (visit is None or visit.deleted or visit.entity != "sampling_visit"
            or not can(actor, "labels.print", visit.region_id)):
        raise NotFound("采样记录不存在")
    samples = session.scalars(sa.select(Record).where(Record.parent_id == visit.id, Record.entity == "sample")).all()
    hazards = {row["key"]: row["name_zh"] for row in table_data(session, "hazard_factors")}
    enterprise = session.get(Enterprise, visit.enterprise_id)
    labels = sample_labels(visit, samples, hazards, enterprise.name if enterprise else "")
    if not labels:
        raise Invalid("这次采样还没有样品", details=[{"field": "samples", "code": "empty", "message": "没有样品",
                                              "message_en": "No samples yet"}])
    return labels


def verification(session, token):
    """(document, what the public QR page shows of it — nothing private); NotFound for an unknown token.

    Everything comes from the issued snapshot (agency and party as they were printed): an issued document never
    appears to change when the registry does. Only its status (amended, voided) is read live.
    """
    document = session.scalar(sa.select(Document).where(Document.verify_token == token))
    if document is None:
        raise NotFound("未找到该文书")
    status = document_status(session, document)
    amended_by = session.scalar(sa.select(Document.number).where(Document.amends_id == document.id)
                                .order_by(Document.issued_at.desc())) if status == "amended" else None
    snapshot = document.snapshot
    return document, {"number": document.number, "title": snapshot["document"]["title_zh"],
                      "agency": (snapshot.get("agency") or {}).get("name", ""),
                      "party": (snapshot.get("party") or {}).get("name", ""),
                      "issued_on": format_date_zh(document.issued_at.astimezone(CHINA).date()),
                      "status": status, "amended_by": amended_by}
