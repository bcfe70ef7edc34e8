"""The administration audit trail: every change to users, devices, reference data and the registry."""
import sqlalchemy as sa

from ..models import AuditEntry, User
from .permissions import require


def record(session, actor, action, target=None, **details):
    """Note an administrative action by the actor (the caller commits it with the change itself)."""
    session.add(AuditEntry(user_id=actor.user_id, action=action, target=str(target) if target is not None else None,
                           details=details, region_id=actor.region_id, device_id=actor.device_id))


def entries(session, actor, *, action=None, page=1, per_page=50):
    """Audit entries made within the actor's jurisdiction, newest first: (items, total)."""
    require(actor, "audit.read")
    query = sa.select(AuditEntry, User.display_name).join(User, User.id == AuditEntry.user_id).where(
        AuditEntry.region_id.in_(actor.region_ids))
    if action:
        query = query.where(AuditEntry.action.startswith(action))
    total = session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = session.execute(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                           .offset((page - 1) * per_page).limit(per_page)).all()
    return [{"id": e.id, "user": name, "action": e.action, "target": e.target, "details": e.details,
             "device_id": e.device_id, "at": e.at} for e, name in rows], total
