"""Shapes of the 专项治理 campaign endpoints."""
from marshmallow import Schema, fields, validate


class EnrolSchema(Schema):
    by_industry = fields.Boolean(load_default=False, metadata={
        "description": "enrol the registry's enterprises of the campaign's district by its industry code prefixes"})
    enterprise_ids = fields.List(fields.String(validate=validate.Length(max=36)), load_default=list,
                                 validate=validate.Length(max=2000), metadata={"description": "or these enterprises"})


class EnrolResultSchema(Schema):
    enrolled = fields.List(fields.String(), metadata={"description": "the names of the enterprises enrolled now"})
    already = fields.Integer(metadata={"description": "chosen but already enrolled"})


class CampaignSchema(Schema):
    id = fields.String()
    campaign_name = fields.String(allow_none=True)
    campaign_code = fields.String(allow_none=True)
    industry_zh = fields.String(allow_none=True)
    industry_codes = fields.String(allow_none=True)
    start_date = fields.String(allow_none=True)
    deadline = fields.String(allow_none=True)
    target_count = fields.Integer(allow_none=True)
    enrolled = fields.Integer()
    states = fields.List(fields.Dict(), metadata={"description": "[{key, label_zh, count}]: 未确认治理, 治理中, "
                                                                 "行政治理效果待确认, 已完成"})
    zeroed = fields.Boolean(metadata={"description": "归零: every enrolled enterprise completed"})
    open = fields.Integer(metadata={"description": "enrolled enterprises not completed"})
    deadline_passed = fields.Boolean()
    rates = fields.List(fields.Dict(), metadata={"description": "the six rates (reference table campaign_rates)"})
    enterprises = fields.List(fields.Dict(), metadata={
        "description": "each enrolment: id, enterprise_id, enterprise_name, credit_code, state, state_zh, "
                       "evidence_zh, confirmed_on, confirmed_by_name, can_confirm"})
    can_manage = fields.Boolean()
