"""Dashboards: the work plans' figures for a period, by district and team."""
from flask_smorest import Blueprint

from ..domain.kpis import kpis
from ..extensions import db
from .schemas.kpis import KpiArgsSchema, KpiSchema
from .access import authenticated, current_actor, current_clock

blp = Blueprint("kpis", __name__, url_prefix="/api/kpis", description="统计指标 KPIs")


@blp.route("", methods=["GET"])
@authenticated("kpi.read")
@blp.arguments(KpiArgsSchema, location="query")
@blp.response(200, KpiSchema)
def index(args):
    """Monitoring, exceedance, timeliness, coverage, rectification, assistance rates and follow-ups."""
    return kpis(db.session, current_actor(), today=current_clock().today(), **args)
