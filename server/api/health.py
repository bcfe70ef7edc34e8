"""Liveness and readiness for load balancers and process managers."""
import tempfile
from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify

from ..extensions import db
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
    probe = Path(current_app.config["BLOB_ROOT"])
    try:
        probe.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=probe, prefix=".ready-"):
            pass
    except OSError:
        current_app.logger.exception("readiness: blob storage not writable")
        return envelope(503, "NOT_READY", "附件存储不可用")
    return jsonify({"status": "ready"})
