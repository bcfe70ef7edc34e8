"""Document numbers per agency × type × year: never duplicated, no silent gaps, blocks for offline issuance.

The series row is locked while a number or a block is taken (PostgreSQL), so two inspectors issuing at the
same moment never receive the same number. A device reserves a block while online and issues from it in the
field; the server accepts an offline number only inside that device's block. Numbers that will never be used
(a released block's rest) are voided with their reason.

Years (China Standard Time, from the business clock): a block belongs to one year. In December a device also
reserves a block of the coming year, so that a document issued offline on 2 January carries the new year's number;
a device holding no block of the current year issues nothing offline (it says so and waits for a connection) — it
never prints last year's number. After the year, the blocks of the closed year are released and their unused
numbers voided with the reason: by the device at its first sync of the new year, and for a device that never
comes back by `close_past_years` (housekeeping) once the grace period after New Year has passed.
"""
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert

from ..clock import CHINA
from ..models import Agency, Document, DocumentVoid, NumberBlock, NumberSeries, Region, User, VoidedNumber, utcnow
from ..models.transactions import for_update, is_postgres
from .errors import Invalid, NotFound
from .numbering import check_reserved_number, format_number
from .permissions import can
from .reference_store import table_data

DEFAULT_BLOCK = 3                   # a field day's few documents: small blocks leave small gaps
MAX_BLOCK = 200
NEXT_YEAR_FROM_MONTH = 12           # from December on, next year's block may be reserved
YEAR_END_REASON = "年度结束，预留号段中未使用的号码作废"
CLOSE_GRACE_DAYS = 31               # after New Year, a device has this long to sync and release its old blocks
UNRETURNED_REASON = "年度结束后设备未归还号段，未使用的号码由系统作废"
RETURNED_REASON = "设备未使用，同步时归还"  # the tablet gives back what its finished field work did not need


def reservable_years(today):
    """Years a block may be reserved for on `today` (China date): this year, and from December the next one."""
    return [today.year, today.year + 1] if today.month >= NEXT_YEAR_FROM_MONTH else [today.year]


def check_block_year(year, today):
    """Invalid unless numbers of `year` may be reserved today."""
    allowed = reservable_years(today)
    if year not in allowed:
        raise Invalid("不能预留该年度的号段", details=[{
            "field": "year", "code": "year_not_reservable",
            "message": f"只能预留 {'、'.join(f'{y} 年' for y in allowed)}的号段（12 月起可预留下一年度）",
            "message_en": f"Blocks can be reserved for {', '.join(map(str, allowed))} only (next year from December)"}])


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


def allocate_number(session, agency, doc_type, year, device_id=None):
    """(seq, number) for a document issued online now: the lowest free number of a block the issuing device holds
    (its numbers are this device's, so none is left unused before later ones), else the series' next."""
    spec = number_spec(session, agency, doc_type)
    series = _series(session, agency.id, doc_type, year)
    seq = _free_in_device_blocks(session, agency.id, doc_type, year, device_id) if device_id else None
    if seq is None:
        seq = series.next_seq
        series.next_seq = seq + 1
    return seq, format_number(spec, {"region_short": region_short(session, agency), "year": year, "seq": seq})


def _free_in_device_blocks(session, agency_id, doc_type, year, device_id):
    blocks = session.scalars(sa.select(NumberBlock).where(
        NumberBlock.device_id == device_id, NumberBlock.agency_id == agency_id, NumberBlock.doc_type == doc_type,
        NumberBlock.year == year, NumberBlock.released_at.is_(None)).order_by(NumberBlock.first_seq)).all()
    for block in blocks:
        taken = _used_seqs(session, block) | set(session.scalars(sa.select(VoidedNumber.seq).where(
            VoidedNumber.agency_id == agency_id, VoidedNumber.doc_type == doc_type, VoidedNumber.year == year,
            VoidedNumber.seq.between(block.first_seq, block.last_seq))))
        free = [seq for seq in range(block.first_seq, block.last_seq + 1) if seq not in taken]
        if free:
            return free[0]
    return None


def reserve_block(session, actor, doc_type, year, size=DEFAULT_BLOCK):
    """Reserve `size` numbers of `year` for the actor's device; they are skipped by online allocation."""
    if not 1 <= size <= MAX_BLOCK:
        raise Invalid("号段大小无效", details=[{"field": "size", "code": "range", "message": f"应在 1–{MAX_BLOCK} 之间",
                                            "message_en": f"Between 1 and {MAX_BLOCK}"}])
    agency = session.get(Agency, actor.agency_id)
    number_spec(session, agency, doc_type)  # an unknown type fails before anything is reserved
    series = _series(session, agency.id, doc_type, year)
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


def check_offline_number(session, actor, doc_type, number, issued_year):
    """(year, seq) of a number a device issued offline: it must lie in one of that device's open blocks, and its
    year must be the year (China time) the document says it was issued in."""
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
        except Invalid as error:
            last_error = error
            continue
        if parsed["year"] != issued_year:
            raise Invalid("编号年份与出具日期不符", details=[{
                "field": "number", "code": "year_mismatch",
                "message": f"{issued_year} 年出具的文书不能使用 {parsed['year']} 年的编号",
                "message_en": f"A document issued in {issued_year} cannot carry a {parsed['year']} number"}])
        return parsed["year"], parsed["seq"]
    raise last_error


def release_block(session, actor, block_id, reason):
    """Give back a block. Unused numbers at the end of the series go back to it (the next document takes them: no
    gap); unused numbers before later ones are kept in the register as returned (归还) with the reason."""
    block = session.get(NumberBlock, block_id)
    if block is None or block.device_id != actor.device_id and not _may_release_others(session, actor, block):
        raise NotFound("号段不存在")
    if not (reason or "").strip():
        raise Invalid("请说明原因", details=[{"field": "reason", "code": "required", "message": "请填写归还原因",
                                          "message_en": "Give a reason"}])
    if block.released_at is not None:
        return block
    series = _series(session, block.agency_id, block.doc_type, block.year)
    upto = block.last_seq
    if series.next_seq == block.last_seq + 1:
        upto = max(_used_seqs(session, block), default=block.first_seq - 1)
        series.next_seq = upto + 1
        if upto >= block.first_seq:  # a block with nothing used keeps its range as reserved, for the record
            block.last_seq = upto
    return _void_rest(session, block, reason, actor.user_id, upto=upto)


def _may_release_others(session, actor, block):
    """A block of another device: only the supervisors of its agency, or an admin over that agency's region."""
    if not can(actor, "number.release_any"):
        return False
    if actor.has_role("supervisor") and block.agency_id == actor.agency_id:
        return True
    return actor.has_role("admin") and actor.covers_region(session.get(Agency, block.agency_id).region_id)


def close_past_years(session, today, *, grace_days=CLOSE_GRACE_DAYS):
    """Release every open block of a year that ended more than `grace_days` ago (a device that never came back);
    their unused numbers are voided with the reason. Returns the blocks released."""
    if today < dt.date(today.year, 1, 1) + dt.timedelta(days=grace_days):
        return []
    blocks = session.scalars(sa.select(NumberBlock).where(NumberBlock.year < today.year,
                                                          NumberBlock.released_at.is_(None))
                             .order_by(NumberBlock.id)).all()
    return [_void_rest(session, block, UNRETURNED_REASON, None) for block in blocks]


def _used_seqs(session, block):
    return set(session.scalars(sa.select(Document.seq).where(
        Document.agency_id == block.agency_id, Document.doc_type == block.doc_type, Document.year == block.year,
        Document.seq.between(block.first_seq, block.last_seq))))


def _void_rest(session, block, reason, user_id, upto=None):
    """Void the block's unused numbers up to `upto` (those after it went back to the series)."""
    used = _used_seqs(session, block)
    for seq in range(block.first_seq, (block.last_seq if upto is None else upto) + 1):
        if seq not in used and session.get(VoidedNumber, (block.agency_id, block.doc_type, block.year, seq)) is None:
            session.add(VoidedNumber(agency_id=block.agency_id, doc_type=block.doc_type, year=block.year, seq=seq,
                                     reason=reason, voided_by=user_id))
    block.released_at = utcnow()
    return block



REGISTER_STATES = {"issued": "已出具", "voided": "已作废", "returned": "未使用已归还", "reserved": "已预留未使用",
                   "document_voided": "文书已作废"}


def number_register(session, actor, year):
    """编号登记簿 of the actor's agency for one year: every number each series has handed out, in order, with what
    became of it — issued (with its document), voided (with the reason), or still reserved on a device — so a gap
    is always explained. Newest year's series first by type."""
    agency = session.get(Agency, actor.agency_id)
    series = session.scalars(sa.select(NumberSeries).where(NumberSeries.agency_id == agency.id,
                                                           NumberSeries.year == year)
                             .order_by(NumberSeries.doc_type)).all()
    names = dict(session.execute(sa.select(User.id, User.display_name).where(User.agency_id == agency.id)).all())
    short = region_short(session, agency)
    out = []
    for row in series:
        spec = number_spec(session, agency, row.doc_type)
        documents = {d.seq: d for d in session.scalars(sa.select(Document).where(
            Document.agency_id == agency.id, Document.doc_type == row.doc_type, Document.year == year))}
        voids = {v.document_id: v for v in session.scalars(sa.select(DocumentVoid).where(
            DocumentVoid.document_id.in_([d.id for d in documents.values()])))} if documents else {}
        voided = {v.seq: v for v in session.scalars(sa.select(VoidedNumber).where(
            VoidedNumber.agency_id == agency.id, VoidedNumber.doc_type == row.doc_type, VoidedNumber.year == year))}
        blocks = session.scalars(sa.select(NumberBlock).where(
            NumberBlock.agency_id == agency.id, NumberBlock.doc_type == row.doc_type, NumberBlock.year == year)).all()
        entries = []
        for seq in range(1, row.next_seq):
            number = format_number(spec, {"region_short": short, "year": year, "seq": seq})
            entry = {"seq": seq, "number": number}
            if seq in documents:
                document = documents[seq]
                state = "document_voided" if document.id in voids else "issued"
                entry.update(document_id=document.id, issued_by=names.get(document.issued_by, ""),
                             issued_on=document.issued_at.astimezone(CHINA).date().isoformat(), offline=document.offline)
                if document.id in voids:
                    entry.update(reason=voids[document.id].reason,
                                 voided_by=names.get(voids[document.id].voided_by, ""))
            elif seq in voided:
                state = "returned" if voided[seq].reason == RETURNED_REASON else "voided"
                entry.update(reason=voided[seq].reason,
                             voided_by=names.get(voided[seq].voided_by, "") if voided[seq].voided_by else "系统")
            else:
                block = next((b for b in blocks if b.released_at is None and b.first_seq <= seq <= b.last_seq), None)
                state = "reserved"
                entry.update(reserved_by=names.get(block.reserved_by, "") if block else "",
                             block_id=block.id if block else None)
            entries.append({**entry, "state": state, "state_zh": REGISTER_STATES[state]})
        counts = {state: sum(1 for e in entries if e["state"] == state) for state in REGISTER_STATES}
        out.append({"doc_type": row.doc_type, "title_zh": spec.get("title_zh", row.doc_type), "year": year,
                    "entries": entries, "counts": counts, "allocated": row.next_seq - 1})
    return out
