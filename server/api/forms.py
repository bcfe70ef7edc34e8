"""Form definitions for devices, and checking a record against its form version."""
from flask import current_app
from flask_smorest import Blueprint

from ..form_registry.submissions import check_record, form_definition
from ..extensions import db
from .access import authenticated
from .schemas.forms import CheckResultSchema, CheckSchema, FormDefinitionSchema, FormListArgsSchema, FormListSchema

blp = Blueprint("forms", __name__, url_prefix="/api/forms", description="表单定义 Form definitions")


def registry():
    return current_app.extensions["forms"]


@blp.route("", methods=["GET"])
@authenticated("record.check")
@blp.arguments(FormListArgsSchema, location="query")
@blp.response(200, FormListSchema)
def index(args):
    """The newest version of each form with its hash (or every published version)."""
    return {"items": registry().all_versions() if args["all_versions"] else registry().current()}


@blp.route("/<string:form_id>/<int:version>", methods=["GET"])
@authenticated("record.check")
@blp.response(200, FormDefinitionSchema)
def read(form_id, version):
    """One published form version: the definition the PWA renders and validates with."""
    definition = form_definition(registry(), form_id, version)
    return dict(registry().summary(form_id, version), definition=definition)


@blp.route("/<string:form_id>/<int:version>/check", methods=["POST"])
@authenticated("record.check")
@blp.arguments(CheckSchema)
@blp.response(200, CheckResultSchema)
def check(args, form_id, version):
    """Check a record against its form version: 422 with per-field messages in zh and en when it breaks it."""
    computed = check_record(db.session, registry(), form_id, version, args["entity"], args["data"],
                            mode=args["mode"], parent=args["parent"], attachments=args["attachments"])
    return {"valid": True, "computed": computed}
