"""Shapes of the monitoring chain: handover, receipt, laboratory results, national entry, the visit's lifecycle."""
from marshmallow import INCLUDE, Schema, fields, validate

from .common import PageArgsSchema

STATE_KEYS = ("field", "handed_over", "laboratory", "evaluation", "review", "reported", "entered")


class VisitListArgsSchema(PageArgsSchema):
    state = fields.String(load_default=None, validate=validate.OneOf(STATE_KEYS))


class HandoverArgsSchema(Schema):
    conditions = fields.Dict(keys=fields.String(validate=validate.Length(max=64)),
                             values=fields.String(validate=validate.Length(max=16)), load_default=dict,
                             metadata={"description": "sample code → intact | damaged | leaking | unsealed"})
    signature = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"),
                              metadata={"description": "sha256 of the sampler's uploaded signature"})


class ReceiptArgsSchema(Schema):
    codes = fields.List(fields.String(validate=validate.Length(max=200)), load_default=list,
                        validate=validate.Length(max=1000), metadata={"description": "codes scanned or typed"})
    damaged = fields.List(fields.String(validate=validate.Length(max=200)), load_default=list,
                          validate=validate.Length(max=1000))
    signature = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"))


class LabResultArgsSchema(Schema):
    """Checked field by field in domain/monitoring.check_lab_values (values kept exactly as typed)."""

    class Meta:
        unknown = INCLUDE


class NationalEntryArgsSchema(Schema):
    entered_on = fields.Date(required=True, metadata={"description": "the day (China) the results were entered"})


class StateSchema(Schema):
    key = fields.String()
    label_zh = fields.String()
    label_en = fields.String()
    step = fields.Integer()
    steps = fields.Integer()


class VisitSummarySchema(Schema):
    visit_id = fields.String()
    task_no = fields.String(allow_none=True)
    enterprise_name = fields.String()
    sampling_date = fields.String(allow_none=True)
    state = fields.Nested(StateSchema)
    review_status = fields.String(allow_none=True)
    samples_for_lab = fields.Integer()
    results_entered = fields.Integer()


class VisitListSchema(Schema):
    items = fields.List(fields.Nested(VisitSummarySchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class HandoverSchema(Schema):
    id = fields.String()
    handed_at = fields.String()
    handed_by_name = fields.String(allow_none=True)
    items = fields.List(fields.Dict())
    received_at = fields.String(allow_none=True)
    received_by_name = fields.String(allow_none=True)
    receipt = fields.Dict()


class MonitoringVisitSchema(Schema):
    visit_id = fields.String()
    task_no = fields.String(allow_none=True)
    enterprise_name = fields.String()
    sampling_date = fields.String(allow_none=True)
    state = fields.Nested(StateSchema)
    review_status = fields.String(allow_none=True)
    samples = fields.List(fields.Dict())
    handovers = fields.List(fields.Nested(HandoverSchema))
    qc = fields.Dict()
    evaluation = fields.Dict(allow_none=True)
    report = fields.Dict(allow_none=True)
    national_entry = fields.Dict(allow_none=True)


class LabResultSchema(Schema):
    sample_id = fields.String()
    values = fields.Dict()
    version = fields.Integer()
    pending = fields.Dict(allow_none=True, metadata={
        "description": "a correction after the 检测报告, applied when its 更正 is issued"})


class NationalEntrySchema(Schema):
    visit_id = fields.String()
    entered_on = fields.Date()
