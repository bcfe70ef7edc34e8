"""Shapes of the supervisor's record endpoints."""
from marshmallow import Schema, fields, validate

from ...domain.record_views import QUEUE_SORTS, RECTIFICATION_STATES
from .common import Int, PageArgsSchema
from .sync import ConflictSchema

STATUSES = ("draft", "submitted", "returned", "resubmitted", "approved")


class QueueArgsSchema(PageArgsSchema):
    entity = fields.String(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    agency_id = Int(load_default=None)
    team_id = Int(load_default=None)
    enterprise_id = fields.String(load_default=None)
    created_from = fields.Date(load_default=None)
    created_to = fields.Date(load_default=None)
    conflict_open = fields.Boolean(load_default=None)
    sort = fields.String(load_default="received", validate=validate.OneOf(QUEUE_SORTS), metadata={
        "description": "received (server receive time), record_date, subject (enterprise / patient / task no), kind, state"})
    order = fields.String(load_default="desc", validate=validate.OneOf(("asc", "desc")))
    personal = fields.Boolean(load_default=False, metadata={
        "description": "add the patient's name of follow-ups; every name shown is audited as a read of personal data"})


class RecordLineSchema(Schema):
    id = fields.String()
    entity = fields.String()
    form_id = fields.String(allow_none=True)
    form_version = Int(allow_none=True)
    enterprise_id = fields.String(allow_none=True)
    enterprise_name = fields.String(allow_none=True)
    patient_name = fields.String(allow_none=True, metadata={"description": "follow-ups, only when asked (personal)"})
    task_no = fields.String(allow_none=True, metadata={"description": "sampling visits: the task number"})
    record_date = fields.String(allow_none=True)
    author = fields.String(allow_none=True)
    team = fields.String(allow_none=True)
    review_status = fields.String(allow_none=True)
    review_comment = fields.String(allow_none=True)
    locked = fields.String(allow_none=True)
    conflict_open = fields.Boolean()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    monitoring_state = fields.Dict(allow_none=True, metadata={
        "description": "sampling visits: the step of 现场采样 → … → 已录入国家系统 (key, label_zh, label_en, step, steps)"})


class QueueSchema(Schema):
    items = fields.List(fields.Nested(RecordLineSchema))
    total = Int(metadata={"description": "records matching, counted up to 10000"})
    total_more = fields.Boolean(metadata={"description": "true when more than `total` records match"})
    page = Int()
    per_page = Int()


class RecordFullSchema(RecordLineSchema):
    data = fields.Dict()
    computed = fields.Dict()
    actions = fields.List(fields.String(), metadata={"description": "review actions the caller may take now"})


class ChildSchema(Schema):
    id = fields.String()
    entity = fields.String()
    parent_id = fields.String(allow_none=True)
    deleted = fields.Boolean()
    data = fields.Dict()
    computed = fields.Dict()


class ChangeSchema(Schema):
    record_id = fields.String()
    change_no = Int()
    op = fields.String()
    fields_ = fields.Dict(data_key="fields", attribute="fields")
    user = fields.String()
    device_id = fields.String(allow_none=True)
    device_time = fields.DateTime(allow_none=True)
    at = fields.DateTime()


class DocumentBriefSchema(Schema):
    id = fields.String()
    doc_type = fields.String()
    number = fields.String()
    issued_at = fields.DateTime()
    offline = fields.Boolean()


class RecordDetailSchema(Schema):
    record = fields.Nested(RecordFullSchema)
    children = fields.List(fields.Nested(ChildSchema))
    documents = fields.List(fields.Nested(DocumentBriefSchema))
    conflicts = fields.List(fields.Nested(ConflictSchema))
    history = fields.List(fields.Nested(ChangeSchema))


class ReviewSchema(Schema):
    action = fields.String(required=True, validate=validate.OneOf(("approve", "return")))
    comment = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class ApprovalsArgsSchema(Schema):
    ids = fields.List(fields.String(validate=validate.Length(min=1, max=36)), required=True,
                      validate=validate.Length(min=1, max=100, error="一次最多审核通过 100 条记录（至少 1 条）"))


class ApprovalLineSchema(Schema):
    id = fields.String()
    entity = fields.String(allow_none=True)
    name = fields.String(allow_none=True, metadata={"description": "the enterprise, patient or task the record is about"})
    review_status = fields.String(allow_none=True)
    code = fields.String(metadata={"description": "refused: why, as a machine reads it (NOT_EVALUATED, FORBIDDEN…)"})
    message = fields.String()
    reason = fields.String(metadata={"description": "refused: the short reason a person reads"})


class ApprovalsSchema(Schema):
    approved = fields.List(fields.Nested(ApprovalLineSchema))
    refused = fields.List(fields.Nested(ApprovalLineSchema))


class RecordSummarySchema(Schema):
    id = fields.String()
    entity = fields.String()
    review_status = fields.String(allow_none=True)
    review_comment = fields.String(allow_none=True)
    locked_reason = fields.String(allow_none=True)
    change_no = Int()


class RectificationArgsSchema(PageArgsSchema):
    per_page = Int(load_default=50, validate=validate.Range(min=1, max=200))
    status = fields.String(load_default=None, validate=validate.OneOf(RECTIFICATION_STATES))
    enterprise_id = fields.String(load_default=None)
    closed_from = fields.Date(load_default=None, metadata={"description": "closed items from this day (default: twelve months before closed_to)"})
    closed_to = fields.Date(load_default=None, metadata={"description": "closed items until this day (default: today)"})


class RectificationSchema(Schema):
    id = fields.String()
    enterprise_id = fields.String(allow_none=True)
    inspection_id = fields.String()
    document_id = fields.String(allow_none=True)
    document_number = fields.String(allow_none=True)
    fact = fields.String(allow_none=True)
    requirement = fields.String(allow_none=True)
    deadline = fields.String(allow_none=True)
    closed_on = fields.String(allow_none=True)
    status = fields.String()
    reinspections = fields.List(fields.Dict())


class NoticeCountSchema(Schema):
    total = Int()
    closed = Int()
    overdue = Int()


class RectificationListSchema(Schema):
    items = fields.List(fields.Nested(RectificationSchema))
    summary = fields.Dict(metadata={"description": "items by state: every open item, and those closed in the period"})
    total = Int(metadata={"description": "items listed over all pages"})
    page = Int()
    per_page = Int()
    closed_period = fields.Dict(metadata={"description": "{from, to}: the days whose closed items are counted"})
    notices = fields.Dict(keys=fields.String(), values=fields.Nested(NoticeCountSchema), metadata={
        "description": "per notice (document id, or inspection id before its document) of the page: all its items"})


class LabelArgsSchema(Schema):
    layout = fields.String(load_default="thermal_50x30", validate=validate.OneOf(("thermal_50x30", "a4_sheet")))
