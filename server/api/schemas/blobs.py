"""Shapes of the blobs endpoints."""
from marshmallow import Schema, fields, validate

from .common import BigInt, Int


class UploadStartSchema(Schema):
    sha256 = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"))
    size = BigInt(required=True, validate=validate.Range(min=1))
    mime = fields.String(required=True)


class UploadStateSchema(Schema):
    exists = fields.Boolean(metadata={"description": "Already on the server: nothing to upload"})
    upload_id = fields.String(allow_none=True)
    offset = BigInt()
    size = BigInt()


class BlobSchema(Schema):
    sha256 = fields.String()
    size = BigInt()
    mime = fields.String()
    width = Int(allow_none=True)
    height = Int(allow_none=True)


class VariantArgsSchema(Schema):
    variant = fields.String(load_default="display", validate=validate.OneOf(("original", "display", "thumb")))
