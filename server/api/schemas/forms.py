"""Shapes of the forms, reference-data and evaluation endpoints."""
from marshmallow import Schema, fields, validate

from .common import Int


class FormSummarySchema(Schema):
    form_id = fields.String()
    version = Int()
    hash = fields.String(metadata={"description": "SHA-256 of the canonical definition"})
    title_zh = fields.String()
    title_en = fields.String()


class FormListArgsSchema(Schema):
    all_versions = fields.Boolean(load_default=False)


class FormListSchema(Schema):
    items = fields.List(fields.Nested(FormSummarySchema))


class FormDefinitionSchema(FormSummarySchema):
    definition = fields.Dict()


class CheckSchema(Schema):
    entity = fields.String(required=True)
    data = fields.Dict(required=True)
    mode = fields.String(load_default="draft", validate=validate.OneOf(("draft", "complete")))
    parent = fields.Dict(load_default=None, allow_none=True)
    attachments = fields.Dict(keys=fields.String(), values=Int(), load_default=None, allow_none=True)


class CheckResultSchema(Schema):
    valid = fields.Boolean()
    computed = fields.Dict()


class ReferenceTableSchema(Schema):
    name = fields.Function(lambda item: item["table"].name)
    title_zh = fields.Function(lambda item: item["table"].title_zh)
    title_en = fields.Function(lambda item: item["table"].title_en)
    version = fields.Function(lambda item: item["table"].version)
    source = fields.Function(lambda item: item["table"].source)
    note = fields.Function(lambda item: item["table"].note)
    rows = Int()
    unverified = Int()


class ReferenceTableListSchema(Schema):
    items = fields.List(fields.Nested(ReferenceTableSchema))


class ReferenceRowSchema(Schema):
    row_key = fields.String()
    key = fields.String()
    data = fields.Dict()
    confidence = fields.String()
    verified = fields.Boolean()
    effective_from = fields.Date(allow_none=True)
    effective_to = fields.Date(allow_none=True)
    edited_by = Int(allow_none=True)
    edited_at = fields.DateTime(allow_none=True)
    change_no = Int()


class ReferenceRowListArgsSchema(Schema):
    key = fields.String(load_default=None)


class ReferenceRowListSchema(Schema):
    items = fields.List(fields.Nested(ReferenceRowSchema))


class ReferenceCreateSchema(Schema):
    row = fields.Dict(required=True)
    reason = fields.String(required=True, validate=validate.Length(max=1000))


class ReferenceEditSchema(Schema):
    changes = fields.Dict(required=True)
    reason = fields.String(required=True, validate=validate.Length(max=1000))


class ReferenceVerifySchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(max=1000))


class ReferenceAuditSchema(Schema):
    action = fields.String()
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)
    reason = fields.String(allow_none=True)
    user_id = Int()
    at = fields.DateTime()


class ReferenceAuditListSchema(Schema):
    items = fields.List(fields.Nested(ReferenceAuditSchema))


class EvaluationRequestSchema(Schema):
    form_version = Int(load_default=None, allow_none=True,
                                  metadata={"description": "sampling_record version the data was filled with"})
    visit = fields.Dict(required=True)
    samples = fields.List(fields.Dict(), load_default=list, validate=validate.Length(max=500))
    noise_measurements = fields.List(fields.Dict(), load_default=list, validate=validate.Length(max=500))


class EvaluationSchema(Schema):
    sampling_date = fields.String()
    samples = fields.Dict()
    groups = fields.List(fields.Dict())
    noise = fields.List(fields.Dict())
    summary = fields.Dict()
