"""The administration audit trail."""
from flask_smorest import Blueprint

from ..domain import audit
from ..extensions import db
from .access import authenticated, current_actor
from .schemas.admin import AuditArgsSchema, AuditListSchema
from .schemas.common import page

blp = Blueprint("audit", __name__, url_prefix="/api/audit", description="操作审计 Administration audit trail")


@blp.route("", methods=["GET"])
@authenticated("audit.read")
@blp.arguments(AuditArgsSchema, location="query")
@blp.response(200, AuditListSchema)
def index(args):
    """Who changed users, devices, reference data, the registry and draws, and when."""
    items, total = audit.entries(db.session, current_actor(), **args)
    return page(items, total, args)
