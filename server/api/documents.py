"""Documents: issue, list, void; number blocks for offline issuance."""
import io

from flask import current_app, send_file
from flask_smorest import Blueprint

from ..documents import publishing
from ..documents.types import TYPES
from ..domain import number_series
from ..domain.record_views import COUNT_CAP
from ..media import blob_storage
from ..extensions import db
from ..sync import documents
from .access import authenticated, current_actor, current_clock
from .schemas.common import page
from .schemas.documents import (BlockListSchema, BlockRequestSchema, BlockSchema, DocumentListArgsSchema,
                                DocumentListSchema, DocumentSchema, DocumentTypeListSchema, IssueSchema,
                                RegisterArgsSchema, RegisterSchema, ReleaseSchema, VoidSchema)

blp = Blueprint("documents", __name__, url_prefix="/api/documents", description="文书 Issued documents")


def dump(document, status):
    """A document with its status and verification link."""
    return {**{c: getattr(document, c) for c in ("id", "doc_type", "number", "record_id", "enterprise_id",
                                                 "issued_at", "offline", "amends_id", "content_hash")},
            "status": status, "verify_url": f"{current_app.config['PUBLIC_BASE_URL']}/verify/{document.verify_token}"}


@blp.route("", methods=["POST"])
@authenticated("document.issue")
@blp.arguments(IssueSchema)
@blp.response(201, DocumentSchema)
def issue(args):
    """Issue a document from a record: numbered, snapshotted, and the record is locked."""
    document = documents.issue_online(db.session, current_actor(), clock=current_clock(),
                                      forms=current_app.extensions["forms"],
                                      base_url=current_app.config["PUBLIC_BASE_URL"], document_id=str(args["id"]),
                                      record_id=args["record_id"], doc_type=args["doc_type"],
                                      amends_id=args["amends_id"])
    db.session.commit()
    return dump(document, "valid")


@blp.route("/types", methods=["GET"])
@authenticated("document.read")
@blp.response(200, DocumentTypeListSchema)
def types():
    """The document types: which record kind each is issued from, and by which role."""
    return {"items": list(TYPES.values())}


@blp.route("", methods=["GET"])
@authenticated("document.read")
@blp.arguments(DocumentListArgsSchema, location="query")
@blp.response(200, DocumentListSchema)
def index(args):
    """Documents of a record or an enterprise in your jurisdiction, newest first, a page at a time."""
    found, total = documents.list_documents(db.session, current_actor(), **args)
    return {**page([dump(d, status) for d, status in found], min(total, COUNT_CAP), args), "total_more": total > COUNT_CAP}


@blp.route("/<string:document_id>", methods=["GET"])
@authenticated("document.read")
@blp.response(200, DocumentSchema)
def read(document_id):
    """One document with its current status."""
    document = documents.get_document(db.session, current_actor(), document_id)
    return dump(document, documents.document_status(db.session, document))


@blp.route("/<string:document_id>/void", methods=["POST"])
@authenticated("document.void")
@blp.arguments(VoidSchema)
@blp.response(200, DocumentSchema)
def void(args, document_id):
    """Void a document; it stays on record, marked voided with the reason."""
    documents.void(db.session, current_actor(), document_id, args["reason"])
    db.session.commit()
    return dump(documents.get_document(db.session, current_actor(), document_id), "voided")


def _block(block):
    return number_series.block_summary(db.session, block)


@blp.route("/number-blocks", methods=["POST"])
@authenticated("number.reserve")
@blp.arguments(BlockRequestSchema)
@blp.response(201, BlockSchema)
def reserve(args):
    """Reserve numbers for this device while online, to issue documents offline."""
    block = documents.reserve_block(db.session, current_actor(), args["doc_type"], args["size"],
                                   today=current_clock().today(), year=args["year"])
    db.session.commit()
    return _block(block)


@blp.route("/number-blocks", methods=["GET"])
@authenticated("number.reserve")
@blp.response(200, BlockListSchema)
def blocks():
    """This device's reserved blocks that are still open."""
    return {"items": [_block(b) for b in number_series.device_blocks(db.session, current_actor())]}


@blp.route("/number-register", methods=["GET"])
@authenticated("number.register")
@blp.arguments(RegisterArgsSchema, location="query")
@blp.response(200, RegisterSchema)
def register(args):
    """编号登记簿: every number of the agency's series for a year and what became of it (no silent gaps)."""
    year = args["year"] or current_clock().year()
    return {"year": year, "series": number_series.number_register(db.session, current_actor(), year)}


@blp.route("/number-blocks/<int:block_id>/release", methods=["POST"])
@authenticated("number.release")
@blp.arguments(ReleaseSchema)
@blp.response(200, BlockSchema)
def release(args, block_id):
    """Give a block back: unused numbers return (at the series' end, to the series) or are voided with the reason."""
    reason = number_series.RETURNED_REASON if args["unused"] else args["reason"]
    block = number_series.release_block(db.session, current_actor(), block_id, reason)
    db.session.commit()
    return _block(block)


def _storage():
    return blob_storage(current_app.config)


@blp.route("/<string:document_id>/pdf", methods=["GET"])
@authenticated("document.read")
@blp.response(200, content_type="application/pdf")
def pdf(document_id):
    """The PDF: as issued (rendered once, then served from storage), or marked 已更正 / 已作废."""
    document = documents.get_document(db.session, current_actor(), document_id)
    status = documents.document_status(db.session, document)
    data = publishing.pdf_bytes(db.session, _storage(), document, status)
    db.session.commit()
    return send_file(io.BytesIO(data), mimetype="application/pdf", download_name=f"{document.number}.pdf")
