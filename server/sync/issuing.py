"""Issuing a document: a command, not a field edit (DESIGN §4).

It numbers the document (from the agency's series online, or from the device's reserved block offline),
stores the snapshot of what it shows with its content hash, locks the record it was issued from, and for an
order to correct creates one rectification item per finding with its deadline. Online issuance and offline
issuance arriving through a push take the same path.
"""
import hashlib
import json
import secrets
import uuid

import sqlalchemy as sa

from ..clock import CHINA
from ..documents.contexts import ContextError, validate_context
from ..domain import audit
from ..documents.types import document_type, types_for_kinds
from ..domain.permissions import readable_entities
from ..domain import document_contexts as contexts
from ..domain.errors import Forbidden, Invalid, NotFound, invalid, problem
from ..form_registry import UnknownEntity, UnknownForm, entity_spec, field_map
from ..domain.number_series import allocate_number, check_offline_number
from ..domain.reference_store import evaluation_reference, table_data
from ..models import Agency, Conflict, Document, DocumentVoid, Enterprise, LabResult, RecordChange, User
from .batch import NewRecord
from ..models.sync_state import allocate_changes
from .completeness import check_complete
from .derive import lab_results_of, settle_reinspection, visit_evaluation
from .monitoring import apply_pending_results
from .errors import Rejected



def canonical_hash(snapshot):
    """SHA-256 of the snapshot's canonical JSON: what the document showed, fixed at issuance."""
    text = json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _root(batch, record_id, doc_type):
    kind = document_type(doc_type)
    if kind is None:
        raise invalid("未知的文书类型", "doc_type", "choice", "未知的文书类型", f"Unknown document type {doc_type}")
    entity, role = kind.entity, kind.role
    batch.load([record_id])
    root = batch.records.get(record_id)
    if root is None or root.deleted or root.parent_id or not batch.actor.covers_region(root.region_id):
        raise NotFound("记录不存在")
    if root.entity != entity:
        raise Invalid("此记录不能出具这种文书", details=[{"field": "doc_type", "code": "wrong_record",
                                                    "message": f"{doc_type} 应由 {entity} 记录出具",
                                                    "message_en": f"{doc_type} is issued from a {entity}"}])
    if not batch.actor.has_role(role):
        raise Forbidden("您的角色不能出具此类文书")
    return root


def _number(batch, agency, doc_type, number, issued_at):
    issued_year = issued_at.astimezone(CHINA).year  # China's year, also on New Year's night
    if number is None:
        seq, number = allocate_number(batch.session, agency, doc_type, issued_year, batch.actor.device_id)
        return issued_year, seq, number
    year, seq = check_offline_number(batch.session, batch.actor, doc_type, number, issued_year)
    used = batch.session.scalar(sa.select(Document.id).where(Document.agency_id == agency.id,
                                                            Document.doc_type == doc_type, Document.year == year,
                                                            Document.seq == seq))
    if used:
        raise Invalid("该文书编号已被使用", code="NUMBER_USED", details=[
            {"field": "number", "code": "used", "message": f"编号 {number} 已用于另一份文书",
             "message_en": f"{number} is already used"}])
    return year, seq, number


def _rectification_items_of(batch, root, children):
    wanted = [c.data.get("rectification_item_id") for c in children if c.entity == "reinspection_item"]
    batch.load(wanted)
    return {i: batch.records[i] for i in wanted if i in batch.records}


# What a document type's builder may ask for (DocumentType.needs), each read only when asked.
INPUTS = {
    "settings": lambda batch, root, children, agency: agency.settings or {},
    "checklist_items": lambda batch, root, children, agency: {
        row["key"]: row for row in table_data(batch.session, "checklist_items")},
    "hazards": lambda batch, root, children, agency: {
        row["key"]: row["name_zh"] for row in table_data(batch.session, "hazard_factors")},
    "methods": lambda batch, root, children, agency: {
        row["key"]: row["code"] for row in table_data(batch.session, "method_standards")},
    "definition": lambda batch, root, children, agency: batch.forms.get(root.form_id, root.form_version),
    "original": lambda batch, root, children, agency: batch.session.get(
        Document, root.data.get("notice_document_id") or ""),
    "rectification_items": lambda batch, root, children, agency: _rectification_items_of(batch, root, children),
    "monitoring": lambda batch, root, children, agency: _monitoring_of(batch, root),
}


def _monitoring_of(batch, root):
    """What the 检测报告 prints beyond the record: its evaluation, the laboratory's results, who reviewed and who
    approves (the issuing supervisor)."""
    approver = batch.session.scalar(sa.select(RecordChange.user_id).where(
        RecordChange.record_id == root.id, RecordChange.op == "approve").order_by(RecordChange.id.desc()).limit(1))
    reviewer = batch.session.get(User, approver) if approver else None
    return {"evaluation": (root.computed or {}).get("evaluation"), "results": lab_results_of(batch.session, root.id),
            "reviewer": reviewer.display_name if reviewer else "", "approver": batch.actor.display_name}


def _context(batch, kind, root, base, agency):
    children = batch.members(root.id)
    inputs = {name: INPUTS[name](batch, root, children, agency) for name in kind.needs}
    return kind.build(base, root, children, inputs)


def _rectification_items(batch, document, root, context):
    """One open rectification item per finding of an order to correct, deadline included."""
    for finding in context["findings"]:
        index = batch.next_index()
        item = NewRecord(id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"rectification/{document.id}/{finding['record_id']}")), entity="rectification_item",
                         parent_id=finding["record_id"], root_id=root.id, region_id=root.region_id,
                         agency_id=root.agency_id, enterprise_id=root.enterprise_id,
                         data={"document_id": document.id, "document_number": document.number,
                               "finding_id": finding["record_id"], "number": finding["number"], "fact": finding["fact"],
                               "requirement": finding["requirement"], "deadline": finding["deadline"],
                               "status": "open"},
                         computed={}, field_versions={}, field_writers={}, deleted=False, conflict_open=False,
                         created_by=batch.actor.user_id, created_device=batch.actor.device_id, created_at=batch.now,
                         updated_by=batch.actor.user_id, updated_device=batch.actor.device_id, updated_at=batch.now,
                         created_change_no=index)
        batch.records[item.id] = item
        batch.new_records.append(item)
        batch.touch(item, index)
        batch.log_change(item.id, index, "create", item.data)


def _apply_pending_amendment(batch, root, original):
    """Issuing a 更正 applies the corrections settled after the original was issued: the record then holds what
    the new document shows; the original stays, marked 已更正."""
    pending = (root.computed or {}).get("pending_amendment") or []
    batch.load([p["record_id"] for p in pending])
    for change in pending:
        record = batch.records.get(change["record_id"])
        if record is None or record.deleted:
            continue
        index = batch.next_index()
        record.data = {**record.data, change["field"]: change["value"]}
        record.field_versions = {**(record.field_versions or {}), change["field"]: index}
        record.field_writers = {**(record.field_writers or {}), change["field"]: f"amendment:{original.id}"}
        batch.touch(record, index)
        batch.log_change(record.id, index, "amend", {change["field"]: change["value"]})
    if pending:
        root.computed = {k: v for k, v in (root.computed or {}).items() if k != "pending_amendment"}
        batch.touch(root, batch.next_index())


def _amend_rectification_items(batch, document, root, context):
    """The items of an order follow its 更正: the corrected fact, requirement and deadline, the new number."""
    by_finding = {f["record_id"]: f for f in context["findings"]}
    items = [m for m in batch.members(root.id) if m.entity == "rectification_item" and not m.deleted]
    for item in items:
        finding = by_finding.get(item.data.get("finding_id"))
        if finding is None:
            continue
        changed = {"fact": finding["fact"], "requirement": finding["requirement"], "deadline": finding["deadline"],
                   "document_id": document.id, "document_number": document.number}
        if any(item.data.get(k) != v for k, v in changed.items()):
            index = batch.next_index()
            item.data = {**item.data, **changed}
            batch.touch(item, index)
            batch.log_change(item.id, index, "amend", changed)


def _shown(value, field):
    """A conflicting value as a person reads it: the choice's label, or the text as typed."""
    if value in (None, ""):
        return "（空）"
    labels = {c["value"]: c.get("label_zh") for c in (field or {}).get("choices") or []}
    return str(labels.get(value) or value)


def _refuse_open_conflicts(batch, root):
    """A document shows what the record holds: while two devices disagree on any of it, nothing is issued. The
    refusal names each field with both values, for the inspector to settle (or ask the office to)."""
    ids = [root.id] + [m.id for m in batch.members(root.id)]
    conflicts = batch.session.scalars(sa.select(Conflict).where(Conflict.record_id.in_(ids),
                                                                Conflict.status == "open")
                                      .order_by(Conflict.created_at)).all()
    if not conflicts:
        return
    details = []
    for conflict in conflicts:
        record = batch.records.get(conflict.record_id)
        field, label = None, "记录"
        if record is not None and record.form_id and conflict.field:
            try:
                definition = batch.forms.get(record.form_id, record.form_version)
                field = field_map(entity_spec(definition, record.entity)).get(conflict.field)
            except (UnknownEntity, UnknownForm):
                field = None
            label = (field or {}).get("label_zh") or "字段"
        if conflict.kind == "field":
            message = (f"“{label}”有两个不同的值：{_shown((conflict.server_value or {}).get('value'), field)}"
                       f" / {_shown((conflict.client_value or {}).get('value'), field)}，请先处理冲突")
        else:
            message = f"“{label}”一台设备删除、另一台修改，请先处理冲突"
        details.append(problem(conflict.field or "record", "conflict_open", message,
                               "Two devices disagree on this; settle the conflict first", conflict_id=conflict.id,
                               record_id=conflict.record_id))
    raise Invalid(f"有 {len(conflicts)} 处冲突尚未处理，不能出具文书", code="OPEN_CONFLICTS", details=details)


def _existing(session, document_id, record_id, doc_type):
    existing = session.get(Document, document_id) if document_id else None
    if existing is not None and (existing.record_id != record_id or existing.doc_type != doc_type):
        raise Invalid("文书编号（id）已被另一份文书使用", code="DOCUMENT_ID_USED")
    return existing


def _refuse_second_report(session, root, doc_type, original):
    """One report in force per visit: a second is a 更正 of the first."""
    voided = sa.select(DocumentVoid.document_id)
    current = session.scalar(sa.select(Document.number).where(
        Document.record_id == root.id, Document.doc_type == doc_type, Document.id.not_in(voided),
        Document.id.not_in(sa.select(Document.amends_id).where(Document.amends_id.is_not(None)))))
    if current and original is None:
        raise Invalid(f"已出具检测报告 {current}，如需更正请出具更正报告", code="ALREADY_REPORTED", details=[
            problem("amends_id", "already_reported", f"请选择要更正的 {current}", "Issue a correction of the report")])


def _apply_corrected_results(batch, root):
    """The laboratory's corrections since the report take effect with its 更正; the evaluation follows."""
    if apply_pending_results(batch.session, root.id, batch.actor.user_id, batch.now):
        evaluation = visit_evaluation(batch, root, evaluation_reference(batch.session, batch.clock.today()))
        root.computed = {**(root.computed or {}), "evaluation": evaluation}
        batch.touch(root, batch.next_index())
        batch.log_change(root.id, root.change_no, "lab_result", {"corrected_by_amendment": True})


def issue_document(batch, *, document_id, record_id, doc_type, number=None, issued_at=None, amends_id=None,
                   base_url=""):
    """Issue (or, for a retried command, return) a document; the caller allocates numbers and writes the batch."""
    existing = _existing(batch.session, document_id, record_id, doc_type)
    if existing is not None:
        # A retried command returns its document — to the agency that issued it, in its jurisdiction only.
        if existing.agency_id != batch.actor.agency_id or not batch.actor.covers_region(existing.region_id):
            raise NotFound("记录不存在")
        return existing
    session, actor = batch.session, batch.actor
    root = _root(batch, record_id, doc_type)
    agency = session.get(Agency, actor.agency_id)
    if doc_type == "rectification_notice" and not (agency.settings or {}).get("rectification_notice"):
        raise Invalid("本机构未启用责令改正通知书，请出具卫生监督意见书", code="DOCUMENT_TYPE_DISABLED")
    original = session.get(Document, amends_id) if amends_id else None
    if amends_id and (original is None or original.record_id != record_id
                      or session.get(DocumentVoid, original.id) is not None):
        raise Invalid("被更正的文书不存在或已作废", code="AMENDS_UNKNOWN")
    reports = document_type(doc_type).locks_results
    if reports:
        _refuse_second_report(session, root, doc_type, original)
    if original is not None:
        _apply_pending_amendment(batch, root, original)
        if reports:
            _apply_corrected_results(batch, root)
    elif (root.computed or {}).get("pending_amendment") and amends_id is None:
        raise Invalid("记录有待更正的内容，请出具更正文书", code="AMENDMENT_PENDING", details=[
            problem("amends_id", "amendment_pending", "请选择要更正的原文书", "Issue a correction of the original")])
    try:
        check_complete(batch, root)
    except Rejected as error:
        raise Invalid("记录尚未填写完整，不能出具文书", code="INCOMPLETE", details=error.details) from None
    offline = number is not None
    if not offline:
        # Online, the inspector settles (or asks the office to settle) first. A paper issued offline already
        # exists: it is kept, the conflict stays open, and settling it against the paper prepares a 更正.
        _refuse_open_conflicts(batch, root)
    issued_at = issued_at or batch.now
    year, seq, number = _number(batch, agency, doc_type, number, issued_at)
    users = {}
    for user in session.scalars(sa.select(User).where(User.agency_id == actor.agency_id)):
        users[str(user.id)] = users[user.username] = user
    token = secrets.token_urlsafe(24)
    base = contexts.common_context(doc_type, _title(session, doc_type), number=number,
                                   issued_at=issued_at.astimezone(CHINA).isoformat(), agency=agency,
                                   enterprise=session.get(Enterprise, root.enterprise_id),
                                   officers=contexts.officers_of(root, users), verify_url=f"{base_url}/verify/{token}")
    base["document"]["amends_number"] = original.number if original else None
    kind = document_type(doc_type)
    if kind.evidence:
        base["signatures"] = contexts.inspection_signatures(root, batch.members(root.id))
        base["photos"] = contexts.photos_of(batch.members(root.id), [c for c in batch.members(root.id)
                                                                     if c.entity == "finding" and not c.deleted])
    snapshot = _context(batch, kind, root, base, agency)
    _check_printable(doc_type, snapshot)
    document = Document(id=document_id, doc_type=doc_type, number=number, year=year, seq=seq, agency_id=agency.id,
                        region_id=root.region_id, record_id=root.id, enterprise_id=root.enterprise_id,
                        snapshot=snapshot, content_hash=canonical_hash(snapshot), verify_token=token,
                        amends_id=amends_id, offline=offline,
                        issued_at=issued_at, issued_by=actor.user_id, issued_device=actor.device_id)
    batch.touch(document, batch.next_index())
    batch.documents.append(document)
    audit.record(session, actor, "document.issue", document.id, number=number, doc_type=doc_type, offline=offline)
    if root.locked_reason is None:
        root.locked_reason = "document"
        batch.touch(root, batch.next_index())
        batch.log_change(root.id, root.change_no, "lock", {"locked_reason": "document", "document_id": document.id})
    if root.review_status in ("draft", "returned"):
        # Issuing on site hands the record in: it reaches its reviewer (and the figures) with its document.
        root.review_status = "submitted" if root.review_status == "draft" else "resubmitted"
        batch.touch(root, batch.next_index())
        batch.log_change(root.id, root.change_no, "submit", {"review_status": root.review_status,
                                                             "document_id": document.id})
    if kind.order and original is None:
        _rectification_items(batch, document, root, snapshot)
    elif kind.order:
        _amend_rectification_items(batch, document, root, snapshot)
    if kind.settles:
        settle_reinspection(batch, root)  # 已整改 / 未整改 only with the issued 复查意见书
    if kind.locks_results:  # the results it printed (a 更正 takes them over from the original)
        for result in batch.session.scalars(sa.select(LabResult).where(LabResult.visit_id == root.id)):
            result.locked_by = document.id
    return document


PLACEHOLDER_IMAGE = "data:image/png;base64,iVBORw0KGgo="


def _check_printable(doc_type, snapshot):
    """An issued document must always render: check its context now, images standing in as placeholders."""
    def stand_in(value):
        return PLACEHOLDER_IMAGE if isinstance(value, str) and value.startswith("sha256:") else value
    trial = dict(snapshot, photos=[dict(p, data_uri=stand_in(p["data_uri"])) for p in snapshot.get("photos") or []])
    signatures = dict(trial.get("signatures") or {})
    signatures["officers"] = [stand_in(v) for v in signatures.get("officers") or []]
    for key in ("party", "witness_signature"):
        signatures[key] = stand_in(signatures.get(key))
    trial["signatures"] = signatures
    try:
        validate_context(doc_type, trial)
    except ContextError as error:
        raise Invalid("文书内容不完整，无法出具", code="DOCUMENT_INCOMPLETE",
                      details=[{"field": error.key, "code": "document_context", "message": str(error),
                                "message_en": f"The document cannot print {error.key}"}]) from None


def _title(session, doc_type):
    """The title as the agency's number templates name it (reference data), else the registry's."""
    rows = {row["key"]: row for row in table_data(session, "document_number_templates")}
    return (rows.get(doc_type) or {}).get("title_zh") or document_type(doc_type).title_zh


def void_document(session, actor, document_id, reason):
    """Cancel a document (it stays, marked voided with the reason)."""
    document = session.get(Document, document_id)
    kinds = readable_entities(actor)
    if (document is None or not actor.covers_region(document.region_id)
            or (kinds is not None and document.doc_type not in types_for_kinds(kinds))):
        raise NotFound("文书不存在")
    if document.agency_id != actor.agency_id and not actor.has_role("admin"):
        raise Forbidden("只有出具文书的机构可以作废", details=[problem(None, "other_agency", "不是本机构出具的文书",
                                                               "Issued by another agency")])
    if not (reason or "").strip():
        raise Invalid("请说明作废原因", details=[{"field": "reason", "code": "required", "message": "请填写作废原因",
                                            "message_en": "Give the reason"}])
    if session.get(DocumentVoid, document_id) is not None:
        raise Invalid("文书已作废", code="ALREADY_VOIDED")
    void = DocumentVoid(document_id=document_id, reason=reason, voided_by=actor.user_id,
                        change_no=allocate_changes(session, 1))
    session.add(void)
    audit.record(session, actor, "document.void", document.id, number=document.number, reason=reason)
    return void


def document_status(session, document):
    """valid, amended (a later document corrects it) or voided."""
    return document_statuses(session, [document.id])[document.id]


def document_statuses(session, ids):
    """The status of each of these documents (two statements, whatever their number): {id: status}."""
    voided = set(session.scalars(sa.select(DocumentVoid.document_id).where(DocumentVoid.document_id.in_(ids))))
    amended = set(session.scalars(sa.select(Document.amends_id).where(Document.amends_id.in_(ids))))
    return {i: "voided" if i in voided else "amended" if i in amended else "valid" for i in ids}

