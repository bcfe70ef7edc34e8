"""Shapes of the administration endpoints: users, devices, regions and agencies."""
from marshmallow import Schema, fields, validate

from .common import BigInt, Int, page_of

ROLES = ("sampler", "inspector", "assistant", "followup", "laboratory", "supervisor", "admin")


class DeviceSchema(Schema):
    id = fields.String()
    user_id = Int()
    username = fields.Function(lambda d: d.user.username)
    display_name = fields.Function(lambda d: d.user.display_name)
    name = fields.String(allow_none=True)
    user_agent = fields.String(allow_none=True)
    last_client_seq = BigInt()
    registered_at = fields.DateTime()
    last_seen_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)
    revoked_reason = fields.String(allow_none=True)


class DeviceListArgsSchema(Schema):
    user_id = Int(load_default=None)
    include_revoked = fields.Boolean(load_default=True)


class DeviceListSchema(Schema):
    items = fields.List(fields.Nested(DeviceSchema))


class RevokeSchema(Schema):
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=255))


class UserCreateSchema(Schema):
    username = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9_.-]{2,64}$"))
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=256))  # rules: passwords.py
    display_name = fields.String(required=True, validate=validate.Length(min=1, max=64))
    agency_id = Int(required=True)
    team_id = Int(load_default=None, allow_none=True)
    roles = fields.List(fields.String(validate=validate.OneOf(ROLES)), required=True,
                        validate=validate.Length(min=1))
    enforcement_cert_no = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=32))
    phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=32))


class UserSchema(Schema):
    id = Int()
    username = fields.String()
    display_name = fields.String()
    agency_id = Int()
    agency_name = fields.Function(lambda u: u.agency.name)
    team_id = Int(allow_none=True)
    roles = fields.List(fields.String())
    enforcement_cert_no = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    active = fields.Boolean()
    locked = fields.Function(lambda u: u.locked_until is not None,
                             metadata={"description": "密码登录因多次失败被暂时锁定"})
    locked_until = fields.DateTime(allow_none=True)
    must_change_password = fields.Boolean()
    totp_enabled = fields.Function(lambda u: u.totp_confirmed_at is not None)


class UserListSchema(Schema):
    items = fields.List(fields.Nested(UserSchema))


class RegionSchema(Schema):
    id = Int()
    parent_id = Int(allow_none=True)
    level = fields.String()
    code = fields.String()
    name = fields.String()
    short_name = fields.String()


class AgencySchema(Schema):
    id = Int()
    parent_id = Int(allow_none=True)
    region_id = Int()
    kind = fields.String()
    name = fields.String()
    region_short_name = fields.Function(lambda a: a.region.short_name)


class TeamSchema(Schema):
    id = Int()
    agency_id = Int()
    name = fields.String()


class RegionListSchema(Schema):
    regions = fields.List(fields.Nested(RegionSchema))
    agencies = fields.List(fields.Nested(AgencySchema))
    teams = fields.List(fields.Nested(TeamSchema))


class UserUpdateSchema(Schema):
    display_name = fields.String(validate=validate.Length(min=1, max=64))
    roles = fields.List(fields.String(validate=validate.OneOf(ROLES)), validate=validate.Length(min=1))
    team_id = Int(allow_none=True)
    active = fields.Boolean()
    enforcement_cert_no = fields.String(allow_none=True, validate=validate.Length(max=32))
    phone = fields.String(allow_none=True, validate=validate.Length(max=32))


class AuditArgsSchema(Schema):
    action = fields.String(load_default=None)
    page = Int(load_default=1, validate=validate.Range(min=1))
    per_page = Int(load_default=50, validate=validate.Range(min=1, max=200))


class AuditEntrySchema(Schema):
    id = Int()
    user = fields.String()
    action = fields.String()
    target = fields.String(allow_none=True)
    details = fields.Dict()
    device_id = fields.String(allow_none=True)
    at = fields.DateTime()


AuditListSchema = page_of(AuditEntrySchema)
