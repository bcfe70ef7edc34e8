"""The supervisor's records: review queue, full record view, review decisions, rectification tracking."""
import io

from flask import send_file
from flask_smorest import Blueprint

from ..documents import publishing
from ..domain import record_views
from ..extensions import db
from ..sync import documents, monitoring, reviews
from .access import authenticated, current_actor, current_clock
from .schemas.common import page
from .schemas.records import (ApprovalsArgsSchema, ApprovalsSchema, LabelArgsSchema, QueueArgsSchema, QueueSchema,
                              RecordDetailSchema, RecordSummarySchema, RectificationArgsSchema,
                              RectificationListSchema, ReviewSchema)

blp = Blueprint("records", __name__, url_prefix="/api", description="审核 Review and tracking")


@blp.route("/records", methods=["GET"])
@authenticated("record.queue")
@blp.arguments(QueueArgsSchema, location="query")
@blp.response(200, QueueSchema)
def queue(args):
    """Records to review, filtered by kind, agency, team, enterprise, date and status."""
    items, total = record_views.review_queue(db.session, current_actor(), **args)
    db.session.commit()  # the patients' names shown are audited reads
    return {**page(monitoring.with_states(db.session, items), min(total, record_views.COUNT_CAP), args),
            "total_more": total > record_views.COUNT_CAP}


@blp.route("/records/<string:record_id>", methods=["GET"])
@authenticated("record.read")
@blp.response(200, RecordDetailSchema)
def detail(record_id):
    """Everything the field saw: answers, children, evaluation, documents, conflicts, who changed what."""
    detail = record_views.record_detail(db.session, current_actor(), record_id)
    monitoring.with_states(db.session, [detail["record"]])
    db.session.commit()  # a read of personal data is audited
    return detail


@blp.route("/records/<string:record_id>/review", methods=["POST"])
@authenticated("record.review")
@blp.arguments(ReviewSchema)
@blp.response(200, RecordSummarySchema)
def review(args, record_id):
    """Approve (locks the record) or return it with a comment that reaches the device."""
    record = reviews.review_record(db.session, current_actor(), record_id, args["action"], args["comment"],
                                    clock=current_clock())
    db.session.commit()
    return record


@blp.route("/records/approvals", methods=["POST"])
@authenticated("record.review")
@blp.arguments(ApprovalsArgsSchema)
@blp.response(200, ApprovalsSchema)
def approve_many(args):
    """Approve several records at once: each by the same rule and audited on its own; those that cannot be approved
    come back named, with the reason, and the others are approved."""
    outcome = reviews.approve_records(db.session, current_actor(), args["ids"], clock=current_clock())
    db.session.commit()
    return outcome


@blp.route("/rectifications", methods=["GET"])
@authenticated("rectification.read")
@blp.arguments(RectificationArgsSchema, location="query")
@blp.response(200, RectificationListSchema)
def rectifications(args):
    """Rectification items with their deadlines, most urgent first: every open one (overdue, due soon, being
    re-inspected, open) and those closed in the period, a page at a time."""
    listing = record_views.rectification_items(db.session, current_actor(), today=current_clock().today(), **args)
    return {**listing, "page": args["page"], "per_page": args["per_page"]}


@blp.route("/records/<string:record_id>/labels", methods=["GET"])
@authenticated("labels.print")
@blp.arguments(LabelArgsSchema, location="query")
@blp.response(200, content_type="application/pdf")
def labels(args, record_id):
    """Sample labels of a sampling visit: 50×30 mm for a thermal printer, or an A4 sheet."""
    items = documents.visit_labels(db.session, current_actor(), record_id)
    data = publishing.renderer().render_labels(items, layout=args["layout"])
    return send_file(io.BytesIO(data), mimetype="application/pdf", download_name=f"样品标签-{record_id[:8]}.pdf")
