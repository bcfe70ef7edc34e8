"""Liveness and readiness for load balancers and process managers."""
import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify

from ..extensions import db
from ..media import blob_storage
from .errors import envelope

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """The process is up."""
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz():
    """The database and blob storage are reachable."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception:  # any failure means "not ready"; the detail goes to the log, not the client
        current_app.logger.exception("readiness: database unreachable")
        return envelope(503, "NOT_READY", "数据库不可用")
    finally:
        db.session.rollback()
    try:
        blob_storage(current_app.config).check_ready()
    except Exception:  # a full disk, a missing bucket, refused credentials: all "not ready"
        current_app.logger.exception("readiness: blob storage not writable")
        return envelope(503, "NOT_READY", "附件存储不可用")
    return jsonify({"status": "ready"})
