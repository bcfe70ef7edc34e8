"""Shapes shared by the registers' endpoints: the import of a register's sheet, a ledger's page."""
from marshmallow import Schema, fields, validate

from .common import Int, PageArgsSchema


class RegisterImportChangeSchema(Schema):
    field = fields.String()
    label = fields.String(metadata={"description": "the field's Chinese label"})
    old = fields.String(allow_none=True, metadata={"description": "as people read it (a choice by its words)"})
    new = fields.String(allow_none=True)


class RegisterImportRowSchema(Schema):
    row = Int()
    key = fields.String(allow_none=True, metadata={"description": "the value of the register's key field"})
    name = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "new, update or unchanged"})
    file_id = fields.String(allow_none=True, metadata={"description": "the file's record id (after the import)"})
    changes = fields.List(fields.Nested(RegisterImportChangeSchema))


class RegisterImportSchema(Schema):
    digest = fields.String(metadata={"description": "the preview's: send it back to import exactly what was shown"})
    counts = fields.Dict()
    rows = fields.List(fields.Nested(RegisterImportRowSchema))


class LedgerArgsSchema(PageArgsSchema):
    per_page = Int(load_default=50, validate=validate.Range(min=1, max=200))
    state = fields.String(load_default=None, validate=validate.Length(max=40),
                          metadata={"description": "one of the ledger's states (its `states`)"})
    q = fields.String(load_default=None, validate=validate.Length(max=50),
                      metadata={"description": "part of a name or number"})


class LedgerSchema(Schema):
    kind = fields.String(metadata={"description": "the ledger's name in URLs"})
    title_zh = fields.String()
    form_id = fields.String()
    entity = fields.String()


class LedgerPageSchema(Schema):
    kind = fields.String()
    title_zh = fields.String()
    form_id = fields.String()
    entity = fields.String()
    key_label_zh = fields.String(metadata={"description": "the field that matches an imported row to a kept file"})
    states = fields.List(fields.Dict(), metadata={"description": "[{key, label_zh, count}] most urgent first"})
    columns = fields.List(fields.Dict(), metadata={"description": "[{key, label_zh}] in the list's order"})
    items = fields.List(fields.Dict(), metadata={
        "description": "the page's files: id, region_id, state, state_zh, due_on, a value in words per column, and "
                       "route where the file has a screen of its own"})
    total = Int(metadata={"description": "files matching the filters"})
    all = Int(metadata={"description": "files in the ledger"})
    page = Int()
    per_page = Int()
    can_import = fields.Boolean()
