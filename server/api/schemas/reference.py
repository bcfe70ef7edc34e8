"""Shapes of the reference-data endpoints: tables, rows with their fields' labels, changes waiting for a second
admin, and each row's trail."""
from marshmallow import Schema, fields, validate

from .common import Int



def _reason():
    return fields.String(required=True, validate=validate.Length(max=1000),
                         metadata={"description": "the basis: the standard's clause, the notice, what it was checked against"})


class ReferenceTableSchema(Schema):
    name = fields.Function(lambda item: item["table"].name)
    title_zh = fields.Function(lambda item: item["table"].title_zh)
    title_en = fields.Function(lambda item: item["table"].title_en)
    version = fields.Function(lambda item: item["table"].version)
    source = fields.Function(lambda item: item["table"].source)
    note = fields.Function(lambda item: item["table"].note)
    rows = Int()
    unverified = Int()
    pending = Int(metadata={"description": "changes waiting for a second admin's verification"})


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
    version = Int(metadata={"description": "the version in force (1: as first loaded)"})
    version_from = fields.Date(allow_none=True, metadata={"description": "business date that version took effect"})


class ReferenceFieldSchema(Schema):
    key = fields.String()
    label_zh = fields.String()
    label_en = fields.String()
    type = fields.String(metadata={"description": "text | number | integer | date | other"})
    editable = fields.Boolean()
    required = fields.Boolean()


class ReferenceRowListArgsSchema(Schema):
    key = fields.String(load_default=None)


class ReferenceRowListSchema(Schema):
    items = fields.List(fields.Nested(ReferenceRowSchema))
    fields_ = fields.List(fields.Nested(ReferenceFieldSchema), data_key="fields", attribute="fields")


class ReferenceCreateSchema(Schema):
    row = fields.Dict(required=True)
    reason = _reason()
    effective_on = fields.Date(load_default=None, allow_none=True,
                               metadata={"description": "business date from which the row applies (default today)"})


class ReferenceEditSchema(Schema):
    changes = fields.Dict(required=True)
    reason = _reason()
    effective_on = fields.Date(load_default=None, allow_none=True,
                               metadata={"description": "business date from which the change applies (default today)"})


class ReferenceVerifySchema(Schema):
    reason = _reason()


class ReferenceChangeSchema(Schema):
    """One version of a row: proposed by one admin, verified (or withdrawn) by another."""

    id = Int(attribute="version.id")
    table = fields.String(attribute="version.table_name")
    row_key = fields.String(attribute="version.row_key")
    action = fields.String(attribute="version.action", metadata={"description": "create | update"})
    status = fields.String(metadata={"description": "pending | scheduled | current | superseded | withdrawn"})
    number = Int(attribute="version.number", allow_none=True,
                 metadata={"description": "the row's version number, given at verification"})
    base_number = Int(attribute="version.base_number", allow_none=True)
    data = fields.Dict(attribute="version.data")
    before = fields.Dict(attribute="version.before", allow_none=True)
    changes = fields.List(fields.Dict(), metadata={"description": "[{field, label_zh, label_en, before, after}]"})
    reason = fields.String(attribute="version.reason")
    effective_on = fields.Date(attribute="version.effective_on")
    in_force_from = fields.Date(attribute="version.in_force_from", allow_none=True)
    proposed_by = Int(attribute="version.proposed_by")
    proposed_by_name = fields.String(allow_none=True)
    proposed_at = fields.DateTime(attribute="version.proposed_at")
    decided_by = Int(attribute="version.decided_by", allow_none=True)
    decided_by_name = fields.String(allow_none=True)
    decided_at = fields.DateTime(attribute="version.decided_at", allow_none=True)
    decision_reason = fields.String(attribute="version.decision_reason", allow_none=True)
    applied_at = fields.DateTime(attribute="version.applied_at", allow_none=True)


class ReferenceChangeListArgsSchema(Schema):
    table = fields.String(load_default=None)
    row_key = fields.String(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(
        ("pending", "scheduled", "current", "superseded", "withdrawn", "open")),
        metadata={"description": "open: pending and scheduled"})


class ReferenceChangeListSchema(Schema):
    items = fields.List(fields.Nested(ReferenceChangeSchema))


class ReferenceAuditSchema(Schema):
    action = fields.String(metadata={"description": "create | update | approve | withdraw | apply | verify"})
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)
    reason = fields.String(allow_none=True)
    user_name = fields.String()
    at = fields.DateTime()


class ReferenceAuditListSchema(Schema):
    items = fields.List(fields.Nested(ReferenceAuditSchema))
