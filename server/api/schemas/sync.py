"""Shapes of the sync protocol (DESIGN §4). Shape only: the rules live in server/sync."""
from marshmallow import Schema, fields, validate

from .common import BigInt, Int

ID = validate.Length(min=1, max=36)


class MutationSchema(Schema):
    client_seq = BigInt(required=True, validate=validate.Range(min=1),
                                metadata={"description": "Rises by exactly 1 per device"})
    mutation_id = fields.String(required=True, validate=ID)
    entity = fields.String(required=True, validate=validate.Length(min=1, max=32))
    id = fields.String(required=True, validate=ID, metadata={"description": "Record id, made on the device"})
    op = fields.String(required=True, validate=validate.OneOf(("create", "update", "delete", "submit", "issue")))
    form_version = Int(load_default=None, allow_none=True)
    fields_ = fields.Dict(data_key="fields", attribute="fields", load_default=None, allow_none=True)
    base = fields.Dict(keys=fields.String(), values=BigInt(allow_none=True), load_default=None,
                       allow_none=True, metadata={"description": "Per field, the change number the edit was based on"})
    parent = fields.String(load_default=None, allow_none=True, validate=ID)
    device_time = fields.String(load_default=None, allow_none=True,
                                metadata={"description": "Capture time on the device (ISO 8601 with offset)"})


class PushSchema(Schema):
    protocol = Int(required=True, validate=validate.Equal(1))
    device_id = fields.String(required=True, validate=ID)
    mutations = fields.List(fields.Nested(MutationSchema), required=True, validate=validate.Length(max=1000))


class MutationResultSchema(Schema):
    client_seq = BigInt()
    mutation_id = fields.String()
    status = fields.String(metadata={"description": "applied | conflict | rejected | quarantined"})
    change_no = BigInt(allow_none=True)
    applied_fields = fields.List(fields.String())
    conflicts = fields.List(fields.Dict())
    error = fields.Dict()
    review_status = fields.String()
    replayed = fields.Boolean()
    note = fields.String()


class PushResultSchema(Schema):
    protocol = Int()
    device_id = fields.String()
    last_client_seq = BigInt()
    results = fields.List(fields.Nested(MutationResultSchema))
    stopped_early = fields.Boolean(metadata={"description": "A transient failure stopped the batch: retry the rest"})


class PullArgsSchema(Schema):
    cursor = fields.String(load_default=None, validate=validate.Length(max=200))
    protocol = Int(load_default=1, validate=validate.Range(min=1, max=2), metadata={
        "description": "2: the first copy is the working set (open work and the last WORKING_SET_MONTHS of closed "
                       "records); 1 (older PWAs): everything"})
    limit = Int(load_default=500, validate=validate.Range(min=1, max=2000))


class PullResultSchema(Schema):
    protocol = Int()
    working_set = fields.Dict(metadata={"description": "protocol 2, while the first copy is sent: {months, from}"})
    epoch = fields.String()
    reset = fields.Boolean(metadata={"description": "Drop the synced copy (keep unsynced data) and keep pulling"})
    reset_reason = fields.String(allow_none=True)
    changes = fields.List(fields.Dict())
    cursor = fields.String()
    has_more = fields.Boolean()
    last_client_seq = BigInt(allow_none=True)
    roster = fields.List(fields.Dict(), metadata={
        "description": "Inspectors: the agency's enforcement officers [{id, name, cert_no}], whole, with every pull"})


class ConflictSchema(Schema):
    id = fields.String()
    record_id = fields.String()
    entity = fields.String()
    kind = fields.String()
    field = fields.String(allow_none=True)
    base_change_no = BigInt(allow_none=True)
    base_value = fields.Function(lambda c: (c.base_value or {}).get("value"))
    server_value = fields.Function(lambda c: (c.server_value or {}).get("value"))
    client_value = fields.Function(lambda c: (c.client_value or {}).get("value"))
    server_user_id = Int(allow_none=True)
    server_device_id = fields.String(allow_none=True)
    server_device_time = fields.DateTime(allow_none=True)
    client_user_id = Int()
    client_device_id = fields.String()
    client_device_time = fields.DateTime(allow_none=True)
    status = fields.String()
    resolution = fields.Dict(allow_none=True)
    created_at = fields.DateTime()


class ConflictListArgsSchema(Schema):
    status = fields.String(load_default="open", validate=validate.OneOf(("open", "resolved")))
    record_id = fields.String(load_default=None)


class ConflictListSchema(Schema):
    items = fields.List(fields.Nested(ConflictSchema))


class ResolveSchema(Schema):
    choice = fields.String(required=True, validate=validate.OneOf(("server", "client", "value")))
    value = fields.Raw(load_default=None, allow_none=True)
