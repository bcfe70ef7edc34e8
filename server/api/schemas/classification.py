"""Shapes of the 分类监督执法 endpoints: class assessments, the register, imports and draw ratios."""
from marshmallow import Schema, fields, validate

from .common import Int

STATUSES = ("current", "due_soon", "overdue", "no_period", "never")


class ClassAssessmentCreateSchema(Schema):
    scheme = fields.String(load_default="class_pilot_2023", validate=validate.Length(max=32))
    hazard_nature = fields.String(required=True, validate=validate.OneOf(("general", "severe"), error="请选择一般或严重"),
                                  metadata={"description": "general 一般 | severe 严重"})
    exposure_conformity = fields.String(required=True, validate=validate.OneOf(("conform", "nonconform"),
                                                                               error="请选择符合或不符合"))
    exposed_headcount = Int(required=True, validate=validate.Range(min=0, error="接害人数不能为负数"))
    management_score = fields.Float(required=True, allow_nan=False,
                                    validate=validate.Range(min=0, max=100, error="得分应在 0 至 100 之间"))
    assessed_on = fields.Date(load_default=None, allow_none=True, metadata={"description": "default: today (China)"})
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class ClassAssessmentSchema(Schema):
    id = fields.String(allow_none=True)
    scheme = fields.String(allow_none=True)
    label = fields.String()
    risk_grade = fields.String(allow_none=True)
    management_grade = fields.String(allow_none=True)
    matrix_verified = fields.Boolean(allow_none=True)
    hazard_nature = fields.String(allow_none=True, metadata={"description": "in words"})
    exposure_conformity = fields.String(allow_none=True, metadata={"description": "in words"})
    exposed_headcount = Int(allow_none=True)
    management_score = fields.Float(allow_none=True)
    assessed_on = fields.Date(allow_none=True)
    next_due = fields.Date(allow_none=True)
    source = fields.String(allow_none=True, metadata={"description": "评定 | 导入 | 名录原有分类"})
    note = fields.String(allow_none=True)
    assessed_by_name = fields.String(allow_none=True)


class ClassFileSchema(Schema):
    enterprise = fields.Dict()
    current = fields.Nested(ClassAssessmentSchema, allow_none=True)
    status = fields.String(metadata={"description": " | ".join(STATUSES)})
    history = fields.List(fields.Nested(ClassAssessmentSchema))
    suggested = fields.Dict()
    schemes = fields.List(fields.Dict())
    today = fields.Date()


class ClassRegisterArgsSchema(Schema):
    region_id = Int(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))


class ClassRegisterItemSchema(Schema):
    id = fields.String()
    name = fields.String()
    credit_code = fields.String()
    region_id = Int()
    label = fields.String(allow_none=True)
    scheme = fields.String(allow_none=True)
    assessed_on = fields.Date(allow_none=True)
    next_due = fields.Date(allow_none=True)
    status = fields.String()
    status_zh = fields.String()


class ClassRegisterSchema(Schema):
    items = fields.List(fields.Nested(ClassRegisterItemSchema))
    counts = fields.Dict(keys=fields.String(), values=Int())


class ClassImportChangeSchema(Schema):
    field = fields.String()
    label = fields.String()
    old = fields.String(allow_none=True)
    new = fields.String(allow_none=True)


class ClassImportRowSchema(Schema):
    row = Int(metadata={"description": "Row number as the spreadsheet shows it"})
    credit_code = fields.String()
    name = fields.String()
    enterprise_id = fields.String()
    status = fields.String(metadata={"description": "new | update | history | unchanged"})
    status_zh = fields.String()
    label = fields.String()
    risk_grade = fields.String(allow_none=True)
    management_grade = fields.String(allow_none=True)
    assessed_on = fields.Date()
    next_due = fields.Date(allow_none=True)
    changes = fields.List(fields.Nested(ClassImportChangeSchema))


class ClassImportReportSchema(Schema):
    counts = fields.Dict(keys=fields.String(), values=Int())
    rows = fields.List(fields.Nested(ClassImportRowSchema))


class ClassImportPreviewSchema(ClassImportReportSchema):
    digest = fields.String(metadata={"description": "Confirms this preview: pass it to the import"})


class DrawRatioArgsSchema(Schema):
    region_id = Int(required=True)
    scheme = fields.String(load_default="class_pilot_2023", validate=validate.Length(max=32))


class DrawRatioUpdateSchema(Schema):
    region_id = Int(required=True)
    scheme = fields.String(load_default="class_pilot_2023", validate=validate.Length(max=32))
    label = fields.String(required=True, validate=validate.Length(min=1, max=8))
    ratio_pct = Int(required=True, validate=validate.Range(min=0, max=100, error="抽查比例应为 0 至 100 的整数"))
    reason = fields.String(required=True, validate=validate.Length(max=500))


class DrawRatioRowSchema(Schema):
    label = fields.String()
    meaning_zh = fields.String(allow_none=True)
    ratio_pct = Int()
    default_pct = Int()
    source = fields.String(metadata={"description": "district (set by the district) | policy (reference default)"})
    reason = fields.String(allow_none=True)
    updated_by_name = fields.String(allow_none=True)
    updated_at = fields.DateTime(allow_none=True)


class DrawRatioChangeSchema(Schema):
    label = fields.String(allow_none=True)
    before = Int(allow_none=True)
    after = Int(allow_none=True)
    reason = fields.String(allow_none=True)
    user_name = fields.String(allow_none=True)
    at = fields.DateTime()


class DrawRatioTableSchema(Schema):
    region_id = Int()
    region_name = fields.String()
    scheme = fields.String()
    items = fields.List(fields.Nested(DrawRatioRowSchema))
    history = fields.List(fields.Nested(DrawRatioChangeSchema))
