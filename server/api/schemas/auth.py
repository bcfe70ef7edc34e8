"""Shapes of the auth endpoints."""
from marshmallow import Schema, fields, validate

from .common import Int


class LoginSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=256), load_only=True)
    device_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=36),
                              metadata={"description": "The id this device was given at its first login"})
    device_name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=128))


class UserSummarySchema(Schema):
    id = Int()
    username = fields.String()
    display_name = fields.String()
    roles = fields.List(fields.String())
    agency_id = Int()
    team_id = Int(allow_none=True)
    enforcement_cert_no = fields.String(allow_none=True)


class TokensSchema(Schema):
    access_token = fields.String(required=True)
    refresh_token = fields.String(required=True)
    device_id = fields.String(required=True)
    expires_in = Int(required=True, metadata={"description": "Access token lifetime in seconds"})
    user = fields.Nested(UserSummarySchema)


class LogoutSchema(Schema):
    refresh_token = fields.String(load_default=None, allow_none=True,
                                  metadata={"description": "Also end this refresh token's login"})


class DoneSchema(Schema):
    ok = fields.Boolean(required=True)
