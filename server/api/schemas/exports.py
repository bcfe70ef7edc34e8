"""Shapes of the exports endpoints."""
from marshmallow import Schema, fields, validate

from ...domain.exports import EXPORTS
from .common import Int


class ExportRequestSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(tuple(EXPORTS)))
    format = fields.String(load_default="xlsx", validate=validate.OneOf(("xlsx", "csv")))
    date_from = fields.Date(load_default=None, allow_none=True)
    date_to = fields.Date(load_default=None, allow_none=True)
    region_id = Int(load_default=None, allow_none=True)


class ExportJobSchema(Schema):
    id = fields.String()
    kind = fields.String()
    format = fields.String()
    status = fields.String(metadata={"description": "queued | running | done | failed"})
    rows_total = Int(allow_none=True)
    rows_done = Int()
    progress_pct = fields.Function(lambda j: round(j.rows_done / j.rows_total * 100) if j.rows_total else
                                   (100 if j.status == "done" else 0))
    error = fields.String(allow_none=True)
    created_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
