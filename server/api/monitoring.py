"""The monitoring chain after the site: 送检, the laboratory's receipt and results, the national-system entry."""
import io

from flask import current_app, send_file
from flask_smorest import Blueprint

from ..documents import publishing
from ..media import blob_storage
from ..domain.reference_store import evaluation_reference, table_data
from ..extensions import db
from ..sync import monitoring
from .access import authenticated, current_actor, current_clock
from .schemas.monitoring import (HandoverArgsSchema, HandoverSchema, LabResultArgsSchema, LabResultSchema,
                                 MonitoringVisitSchema, NationalEntryArgsSchema, NationalEntrySchema, ReceiptArgsSchema,
                                 VisitListArgsSchema, VisitListSchema)

blp = Blueprint("monitoring", __name__, url_prefix="/api/monitoring", description="监测 Monitoring chain")


def _names():
    hazards = {row["key"]: row["name_zh"] for row in table_data(db.session, "hazard_factors")}
    return monitoring.Names(db.session, current_app.extensions["forms"], hazards)


@blp.route("/visits", methods=["GET"])
@authenticated("monitoring.read")
@blp.arguments(VisitListArgsSchema, location="query")
@blp.response(200, VisitListSchema)
def visits(args):
    """Sampling visits with their lifecycle state (the laboratory's work list: state=handed_over or laboratory)."""
    return monitoring.list_visits(db.session, current_actor(), _names(), **args)


@blp.route("/visits/<string:visit_id>", methods=["GET"])
@authenticated("monitoring.read")
@blp.response(200, MonitoringVisitSchema)
def visit(visit_id):
    """A visit's state, samples with their laboratory results, handovers, QC and evaluation."""
    return monitoring.visit_view(db.session, current_actor(), visit_id, _names())


@blp.route("/visits/<string:visit_id>/handover", methods=["POST"])
@authenticated("sample.handover")
@blp.arguments(HandoverArgsSchema)
@blp.response(201, HandoverSchema)
def hand_over(args, visit_id):
    """The sampler hands the samples to the laboratory (送检), with their condition and a signature."""
    handover = monitoring.hand_over(db.session, current_actor(), visit_id, args["conditions"], args["signature"],
                                    clock=current_clock())
    return monitoring.handover_view(handover, _names())


@blp.route("/handovers/<string:handover_id>/receipt", methods=["POST"])
@authenticated("sample.receive")
@blp.arguments(ReceiptArgsSchema)
@blp.response(200, HandoverSchema)
def receive(args, handover_id):
    """The laboratory receives the samples by the codes scanned or typed; missing, extra, damaged are recorded."""
    handover = monitoring.receive(db.session, current_actor(), handover_id, args["codes"], args["damaged"],
                                  args["signature"], clock=current_clock())
    return monitoring.handover_view(handover, _names())


@blp.route("/handovers/<string:handover_id>/pdf", methods=["GET"])
@authenticated("monitoring.read")
def handover_pdf(handover_id):
    """The 样品交接单 as a PDF."""
    sheet = monitoring.handover_sheet(db.session, current_actor(), handover_id, _names())
    storage = blob_storage(current_app.config)
    sheet["signatures"] = {k: publishing.image_uri(storage, v) for k, v in sheet["signatures"].items()}
    pdf = publishing.renderer().render_sheet("sample_handover.html", sheet)
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", download_name="样品交接单.pdf")


@blp.route("/samples/<string:sample_id>/result", methods=["PUT"])
@authenticated("lab.result")
@blp.arguments(LabResultArgsSchema)
@blp.response(200, LabResultSchema)
def result(values, sample_id):
    """One sample's laboratory result, stored as typed; the visit's evaluation follows."""
    clock = current_clock()
    return monitoring.enter_result(db.session, current_actor(), sample_id, values, clock=clock,
                                   reference_loader=lambda: evaluation_reference(db.session, clock.today()))


@blp.route("/visits/<string:visit_id>/national-entry", methods=["POST"])
@authenticated("national.entry")
@blp.arguments(NationalEntryArgsSchema)
@blp.response(201, NationalEntrySchema)
def national_entry(args, visit_id):
    """The visit's results were entered into the national monitoring system on this day."""
    return monitoring.record_national_entry(db.session, current_actor(), visit_id, args["entered_on"],
                                            clock=current_clock())
