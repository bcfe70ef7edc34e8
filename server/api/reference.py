"""Reference data: read by everyone; changed by one admin, verified by another, in force from its effective date."""
from flask_smorest import Blueprint

from ..domain import reference_store as store
from ..domain import reference_versions as versions
from ..extensions import db
from .access import authenticated, current_actor, current_clock
from .schemas.reference import (ReferenceAuditListSchema, ReferenceChangeListArgsSchema, ReferenceChangeListSchema,
                                ReferenceChangeSchema, ReferenceCreateSchema, ReferenceEditSchema,
                                ReferenceRowListArgsSchema, ReferenceRowListSchema, ReferenceRowSchema,
                                ReferenceTableListSchema, ReferenceVerifySchema)

blp = Blueprint("reference", __name__, url_prefix="/api/reference",
                description="参考数据 Reference data (exposure limits, law articles, checklist items…)")


@blp.route("", methods=["GET"])
@authenticated("reference.read")
@blp.response(200, ReferenceTableListSchema)
def tables():
    """Every reference table with its version, source, unverified rows and changes waiting for verification."""
    return {"items": store.list_tables(db.session)}


@blp.route("/changes", methods=["GET"])
@authenticated("reference.history")
@blp.arguments(ReferenceChangeListArgsSchema, location="query")
@blp.response(200, ReferenceChangeListSchema)
def changes(args):
    """Versions of rows, newest first: what each changes, who proposed and who verified it, from when it applies."""
    return {"items": versions.list_changes(db.session, current_actor(), **args)}


@blp.route("/changes/<int:change_id>/verify", methods=["POST"])
@authenticated("reference.edit")
@blp.arguments(ReferenceVerifySchema)
@blp.response(200, ReferenceChangeSchema)
def verify_change(args, change_id):
    """A second admin verifies a change (not the one who proposed it); it applies from its effective date."""
    version = versions.verify_change(db.session, current_actor(), change_id, args["reason"], now=current_clock().now())
    db.session.commit()
    return versions.describe_change(db.session, version)


@blp.route("/changes/<int:change_id>/withdraw", methods=["POST"])
@authenticated("reference.edit")
@blp.arguments(ReferenceVerifySchema)
@blp.response(200, ReferenceChangeSchema)
def withdraw_change(args, change_id):
    """Withdraw a change waiting for verification (its author), or send it back (a second admin)."""
    version = versions.withdraw_change(db.session, current_actor(), change_id, args["reason"], now=current_clock().now())
    db.session.commit()
    return versions.describe_change(db.session, version)


@blp.route("/<string:table>", methods=["GET"])
@authenticated("reference.read")
@blp.arguments(ReferenceRowListArgsSchema, location="query")
@blp.response(200, ReferenceRowListSchema)
def rows(args, table):
    """Rows of one table in force, each with its version and verification flag; the fields with Chinese labels."""
    return store.table_listing(db.session, table, key=args["key"])


@blp.route("/<string:table>", methods=["POST"])
@authenticated("reference.edit")
@blp.arguments(ReferenceCreateSchema)
@blp.response(201, ReferenceChangeSchema)
def create(args, table):
    """Propose a new row, e.g. a limit from the day an amendment takes effect; it waits for a second admin."""
    version = versions.propose_row(db.session, current_actor(), table, args["row"], args["reason"],
                                   effective_on=args["effective_on"], now=current_clock().now())
    db.session.commit()
    return versions.describe_change(db.session, version)


@blp.route("/<string:table>/<path:row_key>", methods=["PATCH"])
@authenticated("reference.edit")
@blp.arguments(ReferenceEditSchema)
@blp.response(200, ReferenceChangeSchema)
def edit(args, table, row_key):
    """Propose new values for a row; the row keeps its values until a second admin verifies and the date comes."""
    version = versions.propose_change(db.session, current_actor(), table, row_key, args["changes"], args["reason"],
                                      effective_on=args["effective_on"], now=current_clock().now())
    db.session.commit()
    return versions.describe_change(db.session, version)


@blp.route("/<string:table>/<path:row_key>/verify", methods=["POST"])
@authenticated("reference.edit")
@blp.arguments(ReferenceVerifySchema)
@blp.response(200, ReferenceRowSchema)
def verify(args, table, row_key):
    """Confirm a row's values in force against the official text (not by the admin who last keyed it)."""
    row = store.verify_reference_row(db.session, current_actor(), table, row_key, args["reason"],
                                     now=current_clock().now())
    db.session.commit()
    return row


@blp.route("/<string:table>/<path:row_key>/history", methods=["GET"])
@authenticated("reference.history")
@blp.response(200, ReferenceAuditListSchema)
def history(table, row_key):
    """Who proposed, verified, withdrew or applied each version of the row, with values before and after."""
    return {"items": store.row_history(db.session, current_actor(), table, row_key)}
