"""Shapes of the draws endpoints."""
from marshmallow import Schema, fields, validate

from .common import Int


class DrawCreateSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    region_id = Int(required=True)
    scheme = fields.String(required=True, validate=validate.Length(max=32))
    due_date = fields.Date(load_default=None, allow_none=True)
    ratios = fields.Dict(keys=fields.String(), values=Int(validate=validate.Range(min=0, max=100)),
                         load_default=None, allow_none=True, metadata={"description": "Per class, % to draw"})
    inspector_ids = fields.List(Int(), load_default=None, allow_none=True)
    seed = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(r"^\d{1,19}$"))


class DrawSchema(Schema):
    id = fields.String()
    title = fields.String()
    region_id = Int()
    scheme = fields.String()
    seed = fields.String()
    inputs = fields.Dict()
    inputs_hash = fields.String()
    result = fields.Dict()
    due_date = fields.Date(allow_none=True)
    created_at = fields.DateTime()


class DrawListSchema(Schema):
    items = fields.List(fields.Nested(DrawSchema))


class ReproductionSchema(Schema):
    reproduced = fields.Boolean()
    result = fields.Dict()


class DrawCandidateSchema(Schema):
    name = fields.String(allow_none=True)
    credit_code = fields.String(allow_none=True)


class PublishedClassSchema(Schema):
    label = fields.String()
    ratio_pct = Int()
    candidates = Int(metadata={"description": "how many candidates the class had"})
    drawn = Int()
    candidate_list = fields.List(fields.Nested(DrawCandidateSchema), metadata={
        "description": "every candidate, by credit code (the order the procedure starts from)"})


class PublishedAssignmentSchema(Schema):
    enterprise = fields.String(allow_none=True)
    credit_code = fields.String(allow_none=True)
    inspectors = fields.List(fields.String(allow_none=True))


class PublicationSchema(Schema):
    draw_id = fields.String()
    title = fields.String()
    created_at = fields.DateTime()
    scheme = fields.String()
    algorithm = fields.String(metadata={"description": "sha256-rank-v2 (README: 复核双随机抽取), or random-v1 for "
                                                       "draws made before it"})
    ratios = fields.Dict(keys=fields.String(), values=Int())
    seed = fields.String()
    inputs_hash = fields.String()
    classes = fields.List(fields.Nested(PublishedClassSchema))
    candidates = fields.Dict(keys=fields.String(), values=Int(), metadata={"description": "candidates per class"})
    assignments = fields.List(fields.Nested(PublishedAssignmentSchema), metadata={
        "description": "the enterprises drawn, class by class in the order drawn, with their inspector pairs"})
