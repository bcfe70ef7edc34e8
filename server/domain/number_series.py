"""Document numbers per agency × type × year: never duplicated, no silent gaps, blocks for offline issuance.

The series row is locked while a number or a block is taken (PostgreSQL), so two inspectors issuing at the
same moment never receive the same number. A device reserves a block while online and issues from it in the
field; the server accepts an offline number only inside that device's block. Numbers that will never be used
(a released block's rest) are voided with their reason.
"""
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert

from ..models import Agency, Document, NumberBlock, NumberSeries, Region, VoidedNumber, utcnow
from ..models.transactions import for_update, is_postgres
from .errors import Invalid, NotFound
from .numbering import check_reserved_number, format_number
from .reference_store import table_data

DEFAULT_BLOCK = 20
MAX_BLOCK = 200


def number_spec(session, agency, doc_type):
    """The number template of a document type, with the agency's own override (settings.number_templates)."""
    rows = {row["key"]: row for row in table_data(session, "document_number_templates")}
    if doc_type not in rows:
        raise Invalid("未知的文书类型", details=[{"field": "doc_type", "code": "choice", "message": "未知的文书类型",
                                             "message_en": f"Unknown document type {doc_type}"}])
    override = ((agency.settings or {}).get("number_templates") or {}).get(doc_type) or {}
    return {**rows[doc_type], **override}


def region_short(session, agency):
    """地区简称 of the agency's region (the first part of a 文号)."""
    return session.scalar(sa.select(Region.short_name).where(Region.id == agency.region_id))


def _series(session, agency_id, doc_type, year):
    if is_postgres(session):
        session.execute(pg_insert(NumberSeries).values(agency_id=agency_id, doc_type=doc_type, year=year, next_seq=1)
                        .on_conflict_do_nothing())
    elif session.get(NumberSeries, (agency_id, doc_type, year)) is None:
        session.add(NumberSeries(agency_id=agency_id, doc_type=doc_type, year=year, next_seq=1))
        session.flush()
    return session.scalar(for_update(sa.select(NumberSeries).where(
        NumberSeries.agency_id == agency_id, NumberSeries.doc_type == doc_type, NumberSeries.year == year), session))


def allocate_number(session, agency, doc_type, year):
    """(seq, number) for a document issued online now."""
    spec = number_spec(session, agency, doc_type)
    series = _series(session, agency.id, doc_type, year)
    seq = series.next_seq
    series.next_seq = seq + 1
    return seq, format_number(spec, {"region_short": region_short(session, agency), "year": year, "seq": seq})


def reserve_block(session, actor, doc_type, year, size=DEFAULT_BLOCK):
    """Reserve `size` numbers for the actor's device; they are skipped by online allocation."""
    if not 1 <= size <= MAX_BLOCK:
        raise Invalid("号段大小无效", details=[{"field": "size", "code": "range", "message": f"应在 1–{MAX_BLOCK} 之间",
                                            "message_en": f"Between 1 and {MAX_BLOCK}"}])
    agency = session.get(Agency, actor.agency_id)
    spec = number_spec(session, agency, doc_type)
    series = _series(session, agency.id, doc_type, year)
    number_spec(session, agency, doc_type)  # an unknown type fails before anything is reserved
    block = NumberBlock(agency_id=agency.id, doc_type=doc_type, year=year, first_seq=series.next_seq,
                        last_seq=series.next_seq + size - 1, device_id=actor.device_id, reserved_by=actor.user_id)
    series.next_seq = block.last_seq + 1
    session.add(block)
    session.flush()
    return block


def block_summary(session, block):
    """A block as a device needs it: its range as printed numbers, and the template to format them offline."""
    agency = session.get(Agency, block.agency_id)
    spec, short = number_spec(session, agency, block.doc_type), region_short(session, agency)

    def number(seq):
        return format_number(spec, {"region_short": short, "year": block.year, "seq": seq})
    return {**{c: getattr(block, c) for c in ("id", "doc_type", "year", "first_seq", "last_seq", "reserved_at")},
            "first_number": number(block.first_seq), "last_number": number(block.last_seq),
            "template": {k: spec.get(k) for k in ("template", "nature_code", "seq_width", "seq_prefix")},
            "region_short": short}


def device_blocks(session, actor):
    """The actor's device's blocks that still have numbers to use."""
    return session.scalars(sa.select(NumberBlock).where(NumberBlock.device_id == actor.device_id,
                                                        NumberBlock.released_at.is_(None))
                           .order_by(NumberBlock.id)).all()


def check_offline_number(session, actor, doc_type, number):
    """(year, seq) of a number a device issued offline: it must lie in one of that device's open blocks."""
    agency = session.get(Agency, actor.agency_id)
    spec = number_spec(session, agency, doc_type)
    short = region_short(session, agency)
    blocks = session.scalars(sa.select(NumberBlock).where(
        NumberBlock.device_id == actor.device_id, NumberBlock.agency_id == agency.id,
        NumberBlock.doc_type == doc_type, NumberBlock.released_at.is_(None))).all()
    last_error = Invalid("此设备没有该类文书的预留号段，不能离线出具", details=[
        {"field": "number", "code": "no_reserved_block", "message": "设备未预留号段",
         "message_en": "The device holds no reserved block for this document type"}])
    for block in blocks:
        try:
            parsed = check_reserved_number(number, spec, {"agency_id": block.agency_id, "doc_type": block.doc_type,
                                                          "year": block.year, "start": block.first_seq,
                                                          "end": block.last_seq},
                                           agency_id=agency.id, region_short=short)
            return parsed["year"], parsed["seq"]
        except Invalid as error:
            last_error = error
    raise last_error


def release_block(session, actor, block_id, reason):
    """Give back a block: its unused numbers are voided with the reason (no silent gap)."""
    block = session.get(NumberBlock, block_id)
    if block is None or block.device_id != actor.device_id and not actor.has_role("admin", "supervisor"):
        raise NotFound("号段不存在")
    if not (reason or "").strip():
        raise Invalid("请说明原因", details=[{"field": "reason", "code": "required", "message": "请填写归还原因",
                                          "message_en": "Give a reason"}])
    used = set(session.scalars(sa.select(Document.seq).where(
        Document.agency_id == block.agency_id, Document.doc_type == block.doc_type, Document.year == block.year,
        Document.seq.between(block.first_seq, block.last_seq))))
    for seq in range(block.first_seq, block.last_seq + 1):
        if seq not in used and session.get(VoidedNumber, (block.agency_id, block.doc_type, block.year, seq)) is None:
            session.add(VoidedNumber(agency_id=block.agency_id, doc_type=block.doc_type, year=block.year, seq=seq,
                                     reason=reason, voided_by=actor.user_id))
    block.released_at = utcnow()
    return block

