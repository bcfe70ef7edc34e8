"""Exports for the national system and for reports (XLSX or CSV, with progress)."""
from flask import current_app
from flask_smorest import Blueprint

from .. import export_jobs
from ..extensions import db
from .schemas.exports import ExportJobSchema, ExportRequestSchema
from .access import authenticated, current_actor
from .files import send_stored

blp = Blueprint("exports", __name__, url_prefix="/api/exports", description="导出 Exports")


@blp.route("", methods=["POST"])
@authenticated("export.run")
@blp.arguments(ExportRequestSchema)
@blp.response(201, ExportJobSchema)
def start(args):
    """Start an export; follow its progress, then download the file."""
    filters = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in args.items()
               if k in ("date_from", "date_to", "region_id") and v is not None}
    return export_jobs.start_export(current_app._get_current_object(), current_actor(), args["kind"],
                                    args["format"], filters)


@blp.route("/<string:job_id>", methods=["GET"])
@authenticated("export.run")
@blp.response(200, ExportJobSchema)
def state(job_id):
    """How far an export has come."""
    return export_jobs.job_of(db.session, current_actor(), job_id)


@blp.route("/<string:job_id>/file", methods=["GET"])
@authenticated("export.run")
@blp.response(200, content_type="application/octet-stream")
def download(job_id):
    """The finished file (from the blob store: any host serves it, whichever host's worker wrote it)."""
    job = export_jobs.job_of(db.session, current_actor(), job_id)
    return send_stored(export_jobs.open_file(current_app, job), as_attachment=True,
                       download_name=export_jobs.file_name(job))
