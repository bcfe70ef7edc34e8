"""Shapes of the kpis endpoints."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from .common import Int


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
    counted = fields.Dict(metadata={"description": "计入统计的审核状态（草稿不计），以及退回待改的记录数（另列）"})
