"""Shapes of the patients' register endpoints."""
from marshmallow import Schema, fields, validate

from ...domain.patients import STATES
from .common import Int, PageArgsSchema


class PatientArgsSchema(PageArgsSchema):
    per_page = Int(load_default=50, validate=validate.Range(min=1, max=200))
    state = fields.String(load_default=None, validate=validate.OneOf(STATES), metadata={
        "description": "overdue 逾期未随访, due 本期待随访, followed 已随访, closed 不再随访 (死亡、迁出)"})
    worker_id = Int(load_default=None, metadata={"description": "the follow-up worker who keeps the file"})
    q = fields.String(load_default=None, validate=validate.Length(max=50), metadata={
        "description": "part of the name or of the case number"})


class PatientLineSchema(Schema):
    id = fields.String()
    region_id = Int()
    case_no = fields.String(allow_none=True)
    patient_name = fields.String(allow_none=True)
    stage = fields.String(allow_none=True)
    stage_zh = fields.String(allow_none=True)
    status = fields.String(allow_none=True)
    status_zh = fields.String(allow_none=True)
    last_followup = fields.String(allow_none=True)
    due_on = fields.String(allow_none=True)
    state = fields.String()
    state_zh = fields.String()
    worker_id = Int(allow_none=True)
    worker = fields.String(allow_none=True)


class PatientListSchema(Schema):
    items = fields.List(fields.Nested(PatientLineSchema))
    total = Int()
    page = Int()
    per_page = Int()
    summary = fields.Dict(metadata={"description": "patients by state, over the whole register"})
    period_months = Int(metadata={"description": "the follow-up cycle (reference data)"})
