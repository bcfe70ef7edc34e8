"""Dashboards: the work plans' figures for a period, by district and team."""
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate, validates_schema, ValidationError

from ..domain.kpis import kpis
from ..extensions import db
from .access import authenticated, current_actor, current_clock
from .schemas.common import Int

blp = Blueprint("kpis", __name__, url_prefix="/api/kpis", description="统计指标 KPIs")


class KpiArgsSchema(Schema):
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    region_id = Int(load_default=None)
    team_id = Int(load_default=None, validate=validate.Range(min=1))

    @validates_schema
    def _ordered(self, data, **_):
        if data["date_from"] > data["date_to"]:
            raise ValidationError("开始日期不能晚于结束日期", field_name="date_to")


class KpiSchema(Schema):
    period = fields.Dict()
    targets = fields.Dict()
    sampling = fields.Dict()
    enforcement = fields.Dict()
    followup = fields.Dict()
    assistance = fields.Dict()
    districts = fields.List(fields.Dict())
    teams = fields.List(fields.Dict())


@blp.route("", methods=["GET"])
@authenticated("kpi.read")
@blp.arguments(KpiArgsSchema, location="query")
@blp.response(200, KpiSchema)
def index(args):
    """Monitoring, exceedance, timeliness, coverage, rectification, assistance rates and follow-ups."""
    return kpis(db.session, current_actor(), today=current_clock().today(), **args)
