"""The sync endpoints: push, pull, conflicts. HTTP only; the protocol is server/sync."""
from flask import current_app, jsonify
from flask_smorest import Blueprint

from ..domain.reference_store import evaluation_reference
from ..extensions import db, limiter
from ..sync import conflicts, pull, push
from ..sync.faults import NO_FAULTS
from .access import authenticated, current_actor, current_clock
from .schemas.sync import (ConflictListArgsSchema, ConflictListSchema, ConflictSchema, PullArgsSchema,
                           PullResultSchema, PushResultSchema, PushSchema, ResolveSchema)

blp = Blueprint("sync", __name__, url_prefix="/api/sync", description="同步 Sync (DESIGN §4)")


def _push_limit():
    return current_app.config["PUSH_RATE_LIMIT"]


@blp.route("/push", methods=["POST"])
@limiter.limit(_push_limit)
@authenticated("record.sync")
@blp.arguments(PushSchema)
@blp.response(200, PushResultSchema)
def push_changes(payload):
    """Apply a device's mutations in order; retries are answered from the log."""
    # A sequence gap (409) or a batch that could not commit (503, retried whole and replay-safe) is answered by
    # api/errors.py; the session is rolled back when the request ends.
    body = push.push(db.session, current_actor(), payload, clock=current_clock(),
                     forms=current_app.extensions["forms"], entities=current_app.extensions["entities"],
                     reference_loader=lambda: evaluation_reference(db.session, current_clock().today()),
                     faults=current_app.config.get("SYNC_FAULTS", NO_FAULTS),
                     base_url=current_app.config["PUBLIC_BASE_URL"])
    db.session.commit()
    return jsonify(body)  # already plain JSON; the schema above documents it


@blp.route("/pull", methods=["GET"])
@authenticated("record.sync")
@blp.arguments(PullArgsSchema, location="query")
@blp.response(200, PullResultSchema)
def pull_changes(args):
    """Changes after the cursor, in commit order, limited to what you may see."""
    actor = current_actor()
    body = pull.pull(db.session, actor, actor.device_id, **args,
                     working_set_months=current_app.config["WORKING_SET_MONTHS"], today=current_clock().today())
    db.session.rollback()  # read-only: end the snapshot
    return jsonify(body)  # already plain JSON; the schema above documents it


@blp.route("/conflicts", methods=["GET"])
@authenticated("conflict.resolve")
@blp.arguments(ConflictListArgsSchema, location="query")
@blp.response(200, ConflictListSchema)
def list_conflicts(args):
    """Conflicts in your jurisdiction, with base, server and device values."""
    return {"items": conflicts.list_conflicts(db.session, current_actor(), **args)}


@blp.route("/conflicts/<string:conflict_id>/resolve", methods=["POST"])
@authenticated("conflict.resolve")
@blp.arguments(ResolveSchema)
@blp.response(200, ConflictSchema)
def resolve(args, conflict_id):
    """Keep the server value, take the device's, or enter another; the result syncs to every device."""
    conflict = conflicts.resolve_conflict(db.session, current_actor(), conflict_id, clock=current_clock(),
                                          forms=current_app.extensions["forms"], **args)
    db.session.commit()
    return conflict
