"""The sync endpoints: push, pull, conflicts. HTTP only; the protocol is server/sync."""
from flask import current_app, jsonify
from flask_smorest import Blueprint
from sqlalchemy.exc import DBAPIError, OperationalError

from ..domain.reference_store import evaluation_reference
from ..extensions import db, limiter
from ..sync import conflicts, pull, push
from ..sync.errors import SequenceError
from ..sync.faults import NO_FAULTS, InjectedCrash
from .access import authenticated, current_actor, current_clock
from .errors import envelope
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
    faults = current_app.config.get("SYNC_FAULTS", NO_FAULTS)
    try:
        body = push.push(db.session, current_actor(), payload, clock=current_clock(), forms=current_app.extensions["forms"],
                         entities=current_app.extensions["entities"],
                         reference_loader=lambda: evaluation_reference(db.session), faults=faults,
                         base_url=current_app.config["PUBLIC_BASE_URL"])
        db.session.commit()
    except SequenceError as error:
        db.session.rollback()
        return envelope(409, error.code, error.message,
                        [{"field": "client_seq", "code": error.code.lower(), "expected": error.expected,
                          "message": f"下一个序号应为 {error.expected}", "message_en": f"Expected {error.expected}"}])
    except (InjectedCrash, OperationalError, DBAPIError) as error:
        # Nothing of this batch was committed: the device retries it as a whole, replay-safe.
        db.session.rollback()
        current_app.logger.warning("push not committed: %s", error.__class__.__name__)
        return envelope(503, "RETRY_LATER", "服务器暂时无法保存，请稍后自动重试", headers={"Retry-After": "2"})
    return jsonify(body)  # already plain JSON; the schema above documents it


@blp.route("/pull", methods=["GET"])
@authenticated("record.sync")
@blp.arguments(PullArgsSchema, location="query")
@blp.response(200, PullResultSchema)
def pull_changes(args):
    """Changes after the cursor, in commit order, limited to what you may see."""
    actor = current_actor()
    body = pull.pull(db.session, actor, actor.device_id, **args)
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
