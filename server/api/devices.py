"""Device administration: list and revoke."""
from flask_smorest import Blueprint

from ..extensions import db
from ..sync.devices import list_devices, revoke_device
from .access import authenticated, current_actor
from .schemas.admin import DeviceListArgsSchema, DeviceListSchema, DeviceSchema, RevokeSchema

blp = Blueprint("devices", __name__, url_prefix="/api/devices", description="设备 Devices")


@blp.route("", methods=["GET"])
@authenticated("device.manage")
@blp.arguments(DeviceListArgsSchema, location="query")
@blp.response(200, DeviceListSchema)
def index(args):
    """Devices of users in your jurisdiction."""
    return {"items": list_devices(db.session, current_actor(), **args)}


@blp.route("/<string:device_id>/revoke", methods=["POST"])
@authenticated("device.manage")
@blp.arguments(RevokeSchema)
@blp.response(200, DeviceSchema)
def revoke(args, device_id):
    """Revoke a lost or stolen device: its pushes are refused and its logins end."""
    device = revoke_device(db.session, current_actor(), device_id, args["reason"])
    db.session.commit()
    return device
