"""Enterprise registry endpoints."""
from flask import current_app
from flask_smorest import Blueprint

from ..domain import enterprises
from ..domain.enterprise_imports import import_enterprises, preview_import
from ..domain.inspection_plans import enterprise_checklist
from ..extensions import db
from ..sync import pull
from .access import authenticated, current_actor, current_clock
from .uploads import uploaded_file
from .schemas.common import page, page_of
from .schemas.enterprises import (ChecklistArgsSchema, ChecklistSchema, EnterpriseCreateSchema,
                                  EnterpriseHistorySchema, EnterpriseSchema,
                                  EnterpriseSearchArgsSchema, EnterpriseUpdateSchema, ImportConfirmArgsSchema,
                                  ImportFileSchema, ImportPreviewSchema, ImportReportSchema)

blp = Blueprint("enterprises", __name__, url_prefix="/api/enterprises", description="用人单位 Enterprise registry")


@blp.route("", methods=["GET"])
@authenticated("enterprise.read")
@blp.arguments(EnterpriseSearchArgsSchema, location="query")
@blp.response(200, page_of(EnterpriseSchema))
def search(args):
    """Search enterprises in your jurisdiction by name, credit code, district or industry."""
    items, total = enterprises.search_enterprises(db.session, current_actor(), **args)
    return page(items, total, args)


@blp.route("", methods=["POST"])
@authenticated("enterprise.create")
@blp.arguments(EnterpriseCreateSchema)
@blp.response(201, EnterpriseSchema)
def create(data):
    """Register an enterprise."""
    enterprise = enterprises.create_enterprise(db.session, current_actor(), data, today=current_clock().today())
    db.session.commit()
    return enterprise


@blp.route("/<string:enterprise_id>", methods=["GET"])
@authenticated("enterprise.read")
@blp.response(200, EnterpriseSchema)
def read(enterprise_id):
    """One enterprise."""
    return enterprises.get_enterprise(db.session, current_actor(), enterprise_id)


@blp.route("/<string:enterprise_id>/history", methods=["GET"])
@authenticated("record.sync")
@blp.response(200, EnterpriseHistorySchema)
def history(enterprise_id):
    """Every record of the enterprise the user may read (devices hold only their working set: older records come
    from here, when online), in the pull's record format."""
    enterprises.get_enterprise(db.session, current_actor(), enterprise_id)  # 404 / 403 as for the enterprise
    records = pull.enterprise_history(db.session, current_actor(), enterprise_id)
    return {"records": records, "count": sum(1 for r in records if r["id"] == r["root_id"])}


@blp.route("/<string:enterprise_id>", methods=["PATCH"])
@authenticated("enterprise.write")
@blp.arguments(EnterpriseUpdateSchema)
@blp.response(200, EnterpriseSchema)
def update(data, enterprise_id):
    """Change an enterprise; field staff may change contact details only."""
    enterprise = enterprises.update_enterprise(db.session, current_actor(), enterprise_id, data,
                                               today=current_clock().today())
    db.session.commit()
    return enterprise


@blp.route("/import/preview", methods=["POST"])
@authenticated("enterprise.create")
@blp.arguments(ImportFileSchema, location="files")
@blp.response(200, ImportPreviewSchema)
def preview_import_file(files):
    """What importing an XLSX or CSV file would do, row by row (new, changes field by field, unchanged); writes
    nothing. One bad row: 422 listing every problem with its row and column."""
    return preview_import(db.session, current_actor(), *uploaded_file(files), max_rows=current_app.config["IMPORT_MAX_ROWS"],
                          today=current_clock().today())


@blp.route("/import", methods=["POST"])
@authenticated("enterprise.create")
@blp.arguments(ImportConfirmArgsSchema, location="query")
@blp.arguments(ImportFileSchema, location="files")
@blp.response(200, ImportReportSchema)
def import_file(args, files):
    """Apply a previewed file with the preview's digest; 409 when the file or the registry changed since."""
    report = import_enterprises(db.session, current_actor(), *uploaded_file(files), args["digest"],
                                max_rows=current_app.config["IMPORT_MAX_ROWS"], today=current_clock().today())
    db.session.commit()
    return report


@blp.route("/<string:enterprise_id>/checklist", methods=["GET"])
@authenticated("enterprise.read")
@blp.arguments(ChecklistArgsSchema, location="query")
@blp.response(200, ChecklistSchema)
def checklist(args, enterprise_id):
    """The enforcement checklist items that apply to this enterprise's declared hazards."""
    return enterprise_checklist(db.session, current_actor(), enterprise_id, **args)
