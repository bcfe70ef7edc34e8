"""Shapes of the document endpoints."""
from marshmallow import Schema, fields, validate

from ...documents.types import TYPES
from .common import BigInt, Int, PageArgsSchema

DOC_TYPES = tuple(TYPES)


class IssueSchema(Schema):
    id = fields.UUID(required=True, metadata={"description": "Made by the client, so a retried request is harmless"})
    record_id = fields.String(required=True, validate=validate.Length(min=1, max=36))
    doc_type = fields.String(required=True, validate=validate.OneOf(DOC_TYPES))
    amends_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=36))


class DocumentSchema(Schema):
    id = fields.String()
    doc_type = fields.String()
    number = fields.String()
    record_id = fields.String()
    enterprise_id = fields.String(allow_none=True)
    issued_at = fields.DateTime()
    offline = fields.Boolean()
    amends_id = fields.String(allow_none=True)
    content_hash = fields.String()
    status = fields.String(metadata={"description": "valid | amended | voided"})
    verify_url = fields.String()


class DocumentListArgsSchema(PageArgsSchema):
    per_page = Int(load_default=50, validate=validate.Range(min=1, max=200))
    record_id = fields.String(load_default=None)
    enterprise_id = fields.String(load_default=None)


class DocumentListSchema(Schema):
    items = fields.List(fields.Nested(DocumentSchema))
    total = Int(metadata={"description": "documents matching, counted up to 10000"})
    total_more = fields.Boolean(metadata={"description": "true when more than `total` documents match"})
    page = Int()
    per_page = Int()


class VoidSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class BlockRequestSchema(Schema):
    doc_type = fields.String(required=True, validate=validate.OneOf(DOC_TYPES))
    size = Int(load_default=3, validate=validate.Range(min=1, max=200))
    year = Int(load_default=None, metadata={"description": "年度（默认本年；12 月起可预留下一年度）"})


class BlockSchema(Schema):
    id = Int()
    doc_type = fields.String()
    year = Int()
    first_seq = BigInt()
    last_seq = BigInt()
    first_number = fields.String()
    last_number = fields.String()
    template = fields.Dict(metadata={"description": "The number template, to format numbers offline"})
    region_short = fields.String()
    reserved_at = fields.DateTime()


class BlockListSchema(Schema):
    items = fields.List(fields.Nested(BlockSchema))


class DocumentTypeSchema(Schema):
    key = fields.String()
    title_zh = fields.String()
    entity = fields.String(metadata={"description": "出具文书的记录类型"})
    role = fields.String(metadata={"description": "出具文书的角色"})


class DocumentTypeListSchema(Schema):
    items = fields.List(fields.Nested(DocumentTypeSchema))


class RegisterArgsSchema(Schema):
    year = Int(load_default=None, validate=validate.Range(min=2000, max=9999),
               metadata={"description": "年度（默认本年，中国标准时间）"})


class RegisterSchema(Schema):
    year = Int()
    series = fields.List(fields.Dict(), metadata={"description": "每类文书一项：逐号的状态（已出具、已作废及原因、未使用已归还、已预留未使用）与已分配号数"})


class ReleaseSchema(Schema):
    reason = fields.String(load_default=None, validate=validate.Length(min=1, max=1000),
                           metadata={"description": "作废原因（归还未使用的号码时可省略）"})
    unused = fields.Boolean(load_default=False, metadata={
        "description": "true：设备的外勤工作已结束，未使用的号码归还（末尾的号码回到序列中，不留空号）"})
