"""Shapes of the enterprise registry endpoints (shape only: rules live in server/domain/enterprises.py)."""
from marshmallow import Schema, fields, validate

from .common import Int, PageArgsSchema

SIZES = ("large", "medium", "small", "micro")


class EnterpriseFieldsSchema(Schema):
    name = fields.String(validate=validate.Length(min=1, max=128))
    address = fields.String(allow_none=True, validate=validate.Length(max=255))
    region_id = Int()
    industry_code = fields.String(allow_none=True, validate=validate.Length(max=8))
    industry_name = fields.String(allow_none=True, validate=validate.Length(max=64))
    size = fields.String(allow_none=True, validate=validate.OneOf(SIZES))
    legal_representative = fields.String(allow_none=True, validate=validate.Length(max=64))
    contact_name = fields.String(allow_none=True, validate=validate.Length(max=64))
    contact_phone = fields.String(allow_none=True, validate=validate.Length(max=32))
    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)
    workers_total = Int(allow_none=True)
    workers_exposed = Int(allow_none=True)
    hazard_class = fields.String(allow_none=True, validate=validate.OneOf(("甲", "乙", "丙")))
    hazard_class_scheme = fields.String(allow_none=True, validate=validate.Length(max=32))
    hazard_class_assessed_on = fields.Date(allow_none=True)
    declared_hazards = fields.List(fields.String(validate=validate.Length(max=64)),
                                   validate=validate.Length(max=100))
    first_declared_on = fields.Date(allow_none=True, metadata={"description": "初次申报日期 (职业病危害项目申报)"})
    last_declared_on = fields.Date(allow_none=True, metadata={"description": "最近申报/变更日期"})


class EnterpriseCreateSchema(EnterpriseFieldsSchema):
    credit_code = fields.String(required=True, metadata={"description": "统一社会信用代码 (GB 32100)"})
    name = fields.String(required=True, validate=validate.Length(min=1, max=128))
    region_id = Int(required=True)


class EnterpriseUpdateSchema(EnterpriseFieldsSchema):
    credit_code = fields.String()


class EnterpriseSchema(EnterpriseFieldsSchema):
    id = fields.String(dump_only=True)
    credit_code = fields.String(dump_only=True)
    region_name = fields.Function(lambda e: e.region.name if e.region else None, dump_only=True)
    declaration_due_on = fields.Date(dump_only=True, allow_none=True, metadata={
        "description": "下次申报到期: the latest declaration plus the annual interval (reference table declaration_rules)"})
    change_no = Int(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class EnterpriseSearchArgsSchema(PageArgsSchema):
    q = fields.String(load_default=None, metadata={"description": "Part of the name, or a full credit code"})
    credit_code = fields.String(load_default=None)
    region_id = Int(load_default=None)
    industry_code = fields.String(load_default=None, metadata={"description": "GB/T 4754 code prefix"})


class ImportChangeSchema(Schema):
    field = fields.String(metadata={"description": "Enterprise attribute"})
    label = fields.String(metadata={"description": "The field's name in Chinese (the file's column)"})
    old = fields.String(allow_none=True, metadata={"description": "Value on file, as people read it"})
    new = fields.String(allow_none=True, metadata={"description": "Value in the file, as people read it"})


class ImportRowSchema(Schema):
    row = Int(metadata={"description": "Row number as the spreadsheet shows it"})
    credit_code = fields.String()
    name = fields.String(allow_none=True)
    region_name = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "new | update | unchanged"})
    enterprise_id = fields.String(allow_none=True)
    changes = fields.List(fields.Nested(ImportChangeSchema))


class ImportCountsSchema(Schema):
    new = Int()
    update = Int()
    unchanged = Int()


class ImportReportSchema(Schema):
    counts = fields.Nested(ImportCountsSchema)
    rows = fields.List(fields.Nested(ImportRowSchema))


class ImportPreviewSchema(ImportReportSchema):
    digest = fields.String(metadata={"description": "Confirms this preview: pass it to the import"})


class ImportFileSchema(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class ImportConfirmArgsSchema(Schema):
    digest = fields.String(required=True, validate=validate.Length(equal=64),
                           metadata={"description": "The digest of the preview the person confirmed"})


class ChecklistArgsSchema(Schema):
    has_construction_project = fields.Boolean(load_default=False)
    campaign_industry = fields.String(load_default=None, validate=validate.Length(max=40), metadata={
        "description": "the industry of the 专项治理 campaign the inspection belongs to (reference table "
                       "campaign_checklists): its typical hazards' items added, its focus items marked"})


class ChecklistGroupSchema(Schema):
    key = fields.String()
    title_zh = fields.String()
    title_en = fields.String()
    items = fields.List(fields.Dict())


class ChecklistSchema(Schema):
    enterprise_id = fields.String()
    conditions = fields.List(fields.String(), metadata={"description": "Condition tokens from declared hazards"})
    groups = fields.List(fields.Nested(ChecklistGroupSchema))
    campaign = fields.Dict(allow_none=True, metadata={
        "description": "with campaign_industry: the industry's checklist (key, title_zh, points_zh); its focus items "
                       "carry campaign_focus: true"})


class EnterpriseHistorySchema(Schema):
    records = fields.List(fields.Dict(), metadata={"description": "record trees, newest first, as the pull sends them"})
    count = fields.Integer(metadata={"description": "how many record trees (roots)"})
