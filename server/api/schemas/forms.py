"""Shapes of the forms and evaluation endpoints."""
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


class EvaluationRequestSchema(Schema):
    form_version = Int(load_default=None, allow_none=True,
                                  metadata={"description": "sampling_record version the data was filled with"})
    visit = fields.Dict(required=True)
    samples = fields.List(fields.Dict(), load_default=list, validate=validate.Length(max=500))
    noise_measurements = fields.List(fields.Dict(), load_default=list, validate=validate.Length(max=500))


class EvaluationSchema(Schema):
    sampling_date = fields.String()
    reference_as_of = fields.String(allow_none=True,
                                    metadata={"description": "the business date whose reference-data versions were used"})
    samples = fields.Dict()
    groups = fields.List(fields.Dict())
    noise = fields.List(fields.Dict(), metadata={"description": "one entry per post: L_EX,8h from all its periods"})
    mixtures = fields.List(fields.Dict(), metadata={"description": "Σ C/OEL of the substances of one mixture group "
                                                                   "at one post"})
    summary = fields.Dict()
