"""Shapes of the literacy endpoints (职业健康素养监测)."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from .common import Int


class LiteracyArgsSchema(Schema):
    date_from = fields.Date(required=True, data_key="from", metadata={"description": "调查日期起（含）"})
    date_to = fields.Date(required=True, data_key="to", metadata={"description": "调查日期止（含）"})
    region_id = Int(load_default=None, validate=validate.Range(min=1))

    @validates_schema
    def _ordered(self, data, **_):
        if data["date_from"] > data["date_to"]:
            raise ValidationError("开始日期不能晚于结束日期", field_name="to")


class LiteracyRateSchema(Schema):
    key = fields.String(metadata={"description": "machines only; people read label_zh"})
    label_zh = fields.String()
    respondents = fields.Integer()
    literate = fields.Integer()
    awareness_pct = fields.Float(allow_none=True)
    literacy_pct = fields.Float(allow_none=True)


class InterventionCountSchema(Schema):
    key = fields.String()
    label_zh = fields.String()
    surveys = fields.Integer(metadata={"description": "handed-in surveys that did it"})


class LiteracyFiguresSchema(Schema):
    period = fields.Dict()
    surveys = fields.Integer(metadata={"description": "handed-in surveys (submitted, resubmitted, approved)"})
    enterprises = fields.Integer()
    respondents = fields.Integer()
    literate = fields.Integer(metadata={"description": "respondents scoring at or above threshold_pct"})
    awareness_pct = fields.Float(allow_none=True, metadata={
        "description": "知晓率: questions answered right ÷ questions answered × 100 (null with no answer)"})
    literacy_pct = fields.Float(allow_none=True, metadata={
        "description": "具备率: literate respondents ÷ respondents × 100 (null with no respondent)"})
    threshold_pct = fields.Float(metadata={"description": "score (% of the full points) from which a worker is literate"})
    dimensions = fields.List(fields.Nested(LiteracyRateSchema), metadata={"description": "the four parts of the 60 points"})
    interventions = fields.List(fields.Nested(InterventionCountSchema))
    materials_handed_out = fields.Integer()
    by_industry = fields.List(fields.Nested(LiteracyRateSchema))
    by_size = fields.List(fields.Nested(LiteracyRateSchema))
    by_sex = fields.List(fields.Nested(LiteracyRateSchema))
    by_age = fields.List(fields.Nested(LiteracyRateSchema))
