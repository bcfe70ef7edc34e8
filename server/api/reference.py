"""Reference data: read by everyone; edited and verified by admins with an audit trail."""
from flask_smorest import Blueprint

from ..domain import reference_store as store
from ..extensions import db
from .access import authenticated, current_actor, current_clock
from .schemas.forms import (ReferenceAuditListSchema, ReferenceCreateSchema, ReferenceEditSchema,
                            ReferenceRowListArgsSchema, ReferenceRowListSchema, ReferenceRowSchema,
                            ReferenceTableListSchema, ReferenceVerifySchema)

blp = Blueprint("reference", __name__, url_prefix="/api/reference",
                description="参考数据 Reference data (exposure limits, law articles, checklist items…)")


@blp.route("", methods=["GET"])
@authenticated("reference.read")
@blp.response(200, ReferenceTableListSchema)
def tables():
    """Every reference table with its version, source and how many rows are not yet verified."""
    return {"items": store.list_tables(db.session)}


@blp.route("/<string:table>", methods=["GET"])
@authenticated("reference.read")
@blp.arguments(ReferenceRowListArgsSchema, location="query")
@blp.response(200, ReferenceRowListSchema)
def rows(args, table):
    """Rows of one table, each with its confidence and verification flag."""
    return {"items": store.table_rows(db.session, table, key=args["key"])}


@blp.route("/<string:table>", methods=["POST"])
@authenticated("reference.edit")
@blp.arguments(ReferenceCreateSchema)
@blp.response(201, ReferenceRowSchema)
def create(args, table):
    """Add a row, e.g. a new limit value from the day an amendment takes effect."""
    row = store.create_reference_row(db.session, current_actor(), table, args["row"], args["reason"])
    db.session.commit()
    return row


@blp.route("/<string:table>/<path:row_key>", methods=["PATCH"])
@authenticated("reference.edit")
@blp.arguments(ReferenceEditSchema)
@blp.response(200, ReferenceRowSchema)
def edit(args, table, row_key):
    """Change values of a row; the row becomes unverified until a second admin verifies it."""
    row = store.edit_reference_row(db.session, current_actor(), table, row_key, args["changes"], args["reason"])
    db.session.commit()
    return row


@blp.route("/<string:table>/<path:row_key>/verify", methods=["POST"])
@authenticated("reference.edit")
@blp.arguments(ReferenceVerifySchema)
@blp.response(200, ReferenceRowSchema)
def verify(args, table, row_key):
    """Confirm a row against the official text (not by the admin who last keyed it)."""
    row = store.verify_reference_row(db.session, current_actor(), table, row_key, args["reason"],
                                   today=current_clock().today())
    db.session.commit()
    return row


@blp.route("/<string:table>/<path:row_key>/history", methods=["GET"])
@authenticated("reference.history")
@blp.response(200, ReferenceAuditListSchema)
def history(table, row_key):
    """Who changed or verified the row, with values before and after."""
    return {"items": store.row_history(db.session, current_actor(), table, row_key)}
