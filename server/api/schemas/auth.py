"""Shapes of the auth endpoints."""
from marshmallow import Schema, fields, validate

from .common import Int


class LoginSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=256), load_only=True)
    device_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=36),
                              metadata={"description": "The id this device was given at its first login"})
    device_name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=128))
    totp_code = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=32), load_only=True,
                              metadata={"description": "动态验证码（或恢复码），已设置二次验证的账号需要"})


class UserSummarySchema(Schema):
    id = Int()
    username = fields.String()
    display_name = fields.String()
    roles = fields.List(fields.String())
    agency_id = Int()
    agency_kind = fields.Function(lambda user: user.agency.kind if user.agency else None, metadata={
        "description": "cdc | supervision | commission: which office screens the agency's work has"})
    team_id = Int(allow_none=True)
    enforcement_cert_no = fields.String(allow_none=True)


class TokensSchema(Schema):
    access_token = fields.String(required=True)
    refresh_token = fields.String(required=True)
    device_id = fields.String(required=True)
    expires_in = Int(required=True, metadata={"description": "Access token lifetime in seconds"})
    user = fields.Nested(UserSummarySchema)
    must_change_password = fields.Boolean(metadata={"description": "初始或重置的密码：先修改密码"})
    totp_enrolment_required = fields.Boolean(metadata={"description": "此角色须先设置二次验证"})


class LogoutSchema(Schema):
    refresh_token = fields.String(load_default=None, allow_none=True,
                                  metadata={"description": "Also end this refresh token's login"})


class DoneSchema(Schema):
    ok = fields.Boolean(required=True)


class PasswordPolicySchema(Schema):
    min_length = Int()
    classes_required = Int()
    classes = fields.List(fields.String())


class PasswordChangeSchema(Schema):
    current_password = fields.String(required=True, validate=validate.Length(max=256), load_only=True)
    new_password = fields.String(required=True, validate=validate.Length(max=256), load_only=True)


class TotpEnrolmentSchema(Schema):
    secret = fields.String(metadata={"description": "Base32 secret, to type into an authenticator app"})
    otpauth_uri = fields.String(metadata={"description": "otpauth:// URI, shown as a QR code"})


class TotpConfirmSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=16), load_only=True)


class RecoveryCodesSchema(Schema):
    recovery_codes = fields.List(fields.String(), metadata={"description": "10 one-time codes, shown once"})


class TemporaryPasswordSchema(Schema):
    temporary_password = fields.String(metadata={"description": "Shown once; changed by the user at login"})
