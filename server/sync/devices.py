"""Devices: registered at login, bound to one user, revocable by an admin."""
import sqlalchemy as sa

from ..domain import audit
from ..domain.errors import Forbidden, NotFound
from ..domain.permissions import check_admin_over
from ..domain.tokens import revoke_device_tokens
from ..models import Agency, Device, Region, User, new_uuid, utcnow


def register_device(session, user, *, device_id=None, name=None, user_agent=None):
    """The device this login binds to.

    A known device of the same user is kept, with its sequence: an expired token is not a new device.
    A device id that belongs to someone else gets a fresh device, so the next user of a shared tablet
    can never push the previous user's queue.
    """
    device = session.get(Device, device_id) if device_id else None
    if device is not None and device.user_id == user.id:
        if device.revoked_at is not None:
            raise Forbidden("此设备已被停用，请联系管理员", code="DEVICE_REVOKED")
        device.last_seen_at = utcnow()
        if name:
            device.name = name
        return device
    device = Device(id=new_uuid(), user_id=user.id, name=name, user_agent=(user_agent or "")[:255],
                    last_seen_at=utcnow())
    session.add(device)
    session.flush()
    return device


def active_device(session, device_id, user_id):
    """The caller's device, or raise DEVICE_REVOKED / a mismatch error."""
    device = session.get(Device, device_id) if device_id else None
    if device is None or device.user_id != user_id:
        raise Forbidden("设备与登录用户不符，请重新登录", code="DEVICE_MISMATCH")
    if device.revoked_at is not None:
        raise Forbidden("此设备已被停用，请联系管理员", code="DEVICE_REVOKED")
    return device


def device_is_revoked(session, device_id):
    """True when the device exists and was revoked."""
    device = session.get(Device, device_id) if device_id else None
    return device is not None and device.revoked_at is not None


def _device_region(session, device):
    return session.scalar(sa.select(Agency.region_id).join(User, User.agency_id == Agency.id)
                          .where(User.id == device.user_id))


def revoke_device(session, actor, device_id, reason=None):
    """Revoke a device: its pushes are refused and its refresh tokens end."""
    device = session.get(Device, device_id)
    if device is None:
        raise NotFound("设备不存在")
    check_admin_over(actor, _device_region(session, device))
    if device.revoked_at is None:
        device.revoked_at = utcnow()
        device.revoked_by = actor.user_id
        device.revoked_reason = reason
        revoke_device_tokens(session, device.id)
        audit.record(session, actor, "device.revoke", device.id, user_id=device.user_id, reason=reason)
    return device


def list_devices(session, actor, *, user_id=None, include_revoked=True):
    """Devices of users in the admin's jurisdiction, newest first."""
    check_admin_over(actor, actor.region_id)
    query = (sa.select(Device).join(User, User.id == Device.user_id).join(Agency, Agency.id == User.agency_id)
             .join(Region, Region.id == Agency.region_id)
             .where(Agency.region_id.in_(actor.region_ids)).order_by(Device.registered_at.desc()))
    if user_id is not None:
        query = query.where(Device.user_id == user_id)
    if not include_revoked:
        query = query.where(Device.revoked_at.is_(None))
    return session.scalars(query).all()
